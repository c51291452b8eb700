"""On PostgreSQL, ``auth_principal_version`` is raised at commit, once per transaction, last.

The triggers of ``etax_core 2026-12-01T01:55:18`` raised the counter in the middle of the writer's
transaction: the counter's single row stayed locked from the first watched write until commit. Every other
watched write waited for it, and two transactions could deadlock — T1 changes watched row X (and holds the
counter), T2 locks some row Y and then changes a watched row (waiting for the counter), T1 then needs Y.

Here the row triggers become constraint triggers ``DEFERRABLE INITIALLY DEFERRED``: they fire when the
transaction commits, after every one of its writes, still inside it (the change and the raised counter
become visible together, as before). The counter is raised once per transaction however many watched rows it
wrote (a transaction-local setting remembers it), after taking :data:`COUNTERS_LOCK`, the transaction-level
advisory lock every counter raised at commit takes first (``etax_counters_lock()``): counters are then
always locked one transaction at a time, never in opposite orders. ``TRUNCATE`` (statement-level only, and
holding the whole table anyway) keeps an immediate trigger.

SQLite is left as it is: one writer at a time, so there is nothing to deadlock.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from etax.platform.db.migrations.etax_core_2026_12_01t01_55_18_000000 import (
    BUMP,
    COUNTER,
    FEEDS,
    ROW_TABLES,
    _Counter,
    _quoted,
)

ID = "2026-12-01T04:56:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "PostgreSQL: auth_principal_version raised at commit by deferred constraint triggers"

COUNTERS_LOCK = 7_318_001
"""The advisory-lock key every counter raised at commit takes first (``etax_counters_lock()``)."""

RAISED = "etax.principal_version_raised"
"""The transaction-local setting that remembers the counter was raised in this transaction."""


def postgres_ddl() -> list[str]:
    statements = [
        "CREATE OR REPLACE FUNCTION etax_counters_lock() RETURNS void LANGUAGE sql AS "
        f"$$ SELECT pg_advisory_xact_lock({COUNTERS_LOCK}) $$",
        f"CREATE OR REPLACE FUNCTION {COUNTER}_bump_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN "
        f"IF current_setting('{RAISED}', true) = 'on' THEN RETURN NULL; END IF; "
        f"PERFORM set_config('{RAISED}', 'on', true); "
        f"PERFORM etax_counters_lock(); "
        f"{BUMP}; "
        f"RETURN NULL; END $$",
    ]
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    for table, columns in FEEDS.items():
        changed = " OR ".join(f"OLD.{_quoted(c)} IS DISTINCT FROM NEW.{_quoted(c)}" for c in columns)
        rows = "INSERT OR DELETE" if table in ROW_TABLES else "DELETE"
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_principal_update ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_principal_rows ON {table}",
            f"CREATE CONSTRAINT TRIGGER {table}_principal_update AFTER UPDATE OF "
            f"{', '.join(map(_quoted, columns))} ON {table} {deferred} WHEN ({changed}) "
            f"EXECUTE FUNCTION {COUNTER}_bump_at_commit()",
            f"CREATE CONSTRAINT TRIGGER {table}_principal_rows AFTER {rows} ON {table} {deferred} "
            f"EXECUTE FUNCTION {COUNTER}_bump_at_commit()",
            f"CREATE TRIGGER {table}_principal_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {COUNTER}_bump()",
        ]
    return statements


async def defer_triggers() -> None:
    engine = engine_finder()
    assert engine is not None
    if engine.engine_type == "sqlite":
        return
    for statement in postgres_ddl():
        await _Counter.raw(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="etax_core", description=DESCRIPTION)
    manager.add_raw(defer_triggers)
    return manager
