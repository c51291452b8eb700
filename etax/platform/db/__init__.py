"""Database access: one Piccolo engine (SQLite or PostgreSQL) chosen by ``ETAX_DATABASE_URL``."""
