"""Login, identities and permissions: accounts, staff, SMS codes, audit."""
