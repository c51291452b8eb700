"""The login paths: enterprise, agency, natural person, recovery, the forced personal password."""
