"""The bureau back office (/admin): administrator accounts, roles and their pages."""
