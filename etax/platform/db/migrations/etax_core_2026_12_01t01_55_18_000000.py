"""Triggers that raise ``auth_principal_version`` whenever what a logged-in principal is made of changes.

Each worker caches resolved principals and compares this counter on every request
(:mod:`etax.platform.auth.principal_cache`), so every writer — the front desk, the back office, plugins,
test factories, a hand-written ``UPDATE`` — invalidates them without having to remember to. An ``UPDATE``
raises it only when one of the listed columns really changes (a login's own bookkeeping — failed
attempts, lock-outs, last login — does not); an ``INSERT`` or ``DELETE`` of an account row (and, on
PostgreSQL, a ``TRUNCATE``) always does; taxpayers and persons count only for their names.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-01T01:55:18:000000"
VERSION = "1.38.0"
DESCRIPTION = "triggers raising auth_principal_version on changes to staff, identities, passwords, certifications, names"

COUNTER = "auth_principal_version"

FEEDS: dict[str, tuple[str, ...]] = {
    "auth_staff_member": (
        "taxpayer",
        "person",
        "role",
        "personal_password_hash",
        "must_change_password",
        "frozen",
    ),
    "auth_staff_identity": ("staff", "identity"),
    "auth_permission_identity": ("taxpayer", "nodes"),
    "auth_enterprise_account": ("taxpayer", "password_hash"),
    "auth_natural_person_account": ("person", "password_hash"),
    "auth_agency_certification": (
        "client",
        "agency",
        "agreement_password_hash",
        "nodes",
        "valid_until",
        "status",
    ),
    "coresys_taxpayer": ("name",),
    "coresys_person": ("name",),
}
"""Table → the columns a principal is read from."""

ROW_TABLES = {table for table in FEEDS if table.startswith("auth_")}
"""Tables whose every inserted or deleted row counts (taxpayers and persons count when renamed or deleted)."""

BUMP = f"UPDATE {COUNTER} SET counter = counter + 1 WHERE id = 1"


class _Counter(Table, tablename=COUNTER):
    pass


def _quoted(column: str) -> str:
    return f'"{column}"'


def sqlite_ddl() -> list[str]:
    statements = []
    for table, columns in FEEDS.items():
        changed = " OR ".join(f"OLD.{_quoted(c)} IS NOT NEW.{_quoted(c)}" for c in columns)
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_principal_update AFTER UPDATE OF "
            f"{', '.join(map(_quoted, columns))} ON {table} FOR EACH ROW WHEN {changed} "
            f"BEGIN {BUMP}; END"
        )
        events = ("INSERT", "DELETE") if table in ROW_TABLES else ("DELETE",)
        for event in events:
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_principal_{event.lower()} AFTER {event} ON {table} "
                f"FOR EACH ROW BEGIN {BUMP}; END"
            )
    return statements


def postgres_ddl() -> list[str]:
    statements = [
        f"CREATE OR REPLACE FUNCTION {COUNTER}_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {BUMP}; RETURN NULL; END $$"
    ]
    for table, columns in FEEDS.items():
        changed = " OR ".join(f"OLD.{_quoted(c)} IS DISTINCT FROM NEW.{_quoted(c)}" for c in columns)
        statements.append(
            f"CREATE TRIGGER {table}_principal_update AFTER UPDATE OF {', '.join(map(_quoted, columns))} "
            f"ON {table} FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {COUNTER}_bump()"
        )
        events = "INSERT OR DELETE OR TRUNCATE" if table in ROW_TABLES else "DELETE OR TRUNCATE"
        statements.append(
            f"CREATE TRIGGER {table}_principal_rows AFTER {events} ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {COUNTER}_bump()"
        )
    return statements


async def create_triggers() -> None:
    engine = engine_finder()
    assert engine is not None
    await _Counter.raw(f"INSERT INTO {COUNTER} (id, counter) VALUES (1, 0) ON CONFLICT (id) DO NOTHING")
    for statement in sqlite_ddl() if engine.engine_type == "sqlite" else postgres_ddl():
        await _Counter.raw(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="etax_core", description=DESCRIPTION)
    manager.add_raw(create_triggers)
    return manager
