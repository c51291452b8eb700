"""A data version the database maintains: one counter raised by triggers on every table whose content a
portal page may show, so that something built from that content (a stored logged-in page,
:mod:`etax.platform.web.session_pages`) is known to be current after one tiny read.

*Which tables.* Every table of every app (core and plugins) except the ones listed in :data:`UNWATCHED`:
bookkeeping that changes on its own without changing what a page shows (the audit log, search events and
function-usage counts, SMS codes and login attempt counters), the logins themselves (``auth_*`` and
``admin_user``: what a page shows of them is covered by ``auth_principal_version``, and a login's
bookkeeping — last login, failed attempts — must not invalidate every stored page) and the counters
themselves. Watching by exclusion means a plugin's new table is watched without the plugin having to
remember to: :func:`install_triggers` runs after every ``etax db migrate`` (:func:`etax.platform.db.migrate.migrate`)
and adds the triggers a table is missing (and the counter's row); the counter's table comes from the core
migration ``etax_core 2026-12-01T05:10:00``.

*How.* On SQLite a row trigger per table and event raises the counter in the writing transaction. On
PostgreSQL each table gets a *constraint* trigger ``DEFERRABLE INITIALLY DEFERRED``: it runs at commit,
so the counter's row lock is the last lock a transaction takes and is held only for the commit — two
transactions writing two watched rows in opposite order wait for each other's rows, never on the counter
in between (no deadlock), and a transaction that writes many rows raises the counter once (a
transaction-local setting remembers it did). Before raising it the trigger takes the advisory lock every
counter raised at commit takes first (``etax_counters_lock()``), so this counter and
``auth_principal_version`` — both raised at commit — are never locked in opposite orders by two transactions.
``TRUNCATE`` (no row triggers) has a plain statement trigger.

A single counter for all data is coarse — any watched write makes every stored page re-render once — but
always right; writes are rare beside page reads.
"""

from __future__ import annotations

import sqlite3
import threading

from piccolo.columns import BigInt
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

TABLE = "etax_data_version"
COUNTER_ROW = 1
FUNCTION = f"{TABLE}_bump"
TRIGGER_SUFFIX = "_data_version"

UNWATCHED = frozenset(
    {
        TABLE,
        "migration",
        "audit_log",
        "platform_function_usage",
        "platform_search_event",
        "admin_user",
        "applications_counter",
        "ledger_counter",
        "invoices_paper_counter",
        "menus_version",
    }
)
"""Tables whose writes do not change what a portal page shows (and ``auth_*``, see the module text)."""

UNWATCHED_PREFIXES = ("auth_", "sqlite_", "pg_")

BUMP = f"UPDATE {TABLE} SET counter = counter + 1 WHERE id = {COUNTER_ROW}"


class DataVersion(Table, tablename=TABLE):
    """One row (id 1): the counter the triggers raise (see the module text)."""

    counter = BigInt(default=0)


def watched(table: str) -> bool:
    return table not in UNWATCHED and not table.startswith(UNWATCHED_PREFIXES)


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}{TRIGGER_SUFFIX}_{event.lower()}" AFTER {event} ON "{table}" '
        f"FOR EACH ROW BEGIN {BUMP}; END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


POSTGRES_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "IF current_setting('etax.data_version_raised', true) IS DISTINCT FROM txid_current()::text THEN "
    # The lock every counter raised at commit takes first (``etax_counters_lock()``, created by the core
    # migration ``2026-12-01T04:56:00``): with it, this counter and ``auth_principal_version`` are never
    # locked in opposite orders by two committing transactions.
    "PERFORM etax_counters_lock(); "
    f"{BUMP}; "
    "PERFORM set_config('etax.data_version_raised', txid_current()::text, true); "
    "END IF; "
    "RETURN NULL; END $$"
)


def _postgres_triggers(table: str) -> list[str]:
    return [
        f'CREATE CONSTRAINT TRIGGER "{table}{TRIGGER_SUFFIX}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
        f'CREATE TRIGGER "{table}{TRIGGER_SUFFIX}_truncate" AFTER TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
    ]


async def install_triggers() -> list[str]:
    """Add the data-version triggers every watched table is missing; the tables that got them."""
    engine = engine_finder()
    assert engine is not None
    if not await DataVersion.table_exists():
        return []  # before the core migration that creates the counter
    await DataVersion.raw(
        f"INSERT INTO {TABLE} (id, counter) VALUES ({COUNTER_ROW}, 0) ON CONFLICT (id) DO NOTHING"
    )
    added: list[str] = []
    if engine.engine_type == "sqlite":
        rows = await DataVersion.raw("SELECT name FROM sqlite_master WHERE type = 'table'")
        triggers = await DataVersion.raw("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {str(row["name"]) for row in triggers}
        for table in sorted(str(row["name"]) for row in rows):
            if watched(table) and f"{table}{TRIGGER_SUFFIX}_insert" not in present:
                for statement in _sqlite_triggers(table):
                    await DataVersion.raw(statement)
                added.append(table)
        return added
    rows = await DataVersion.raw(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    triggers = await DataVersion.raw(
        "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relnamespace = current_schema()::regnamespace"
    )
    present = {str(row["tgname"]) for row in triggers}
    await DataVersion.raw(POSTGRES_FUNCTION)
    for table in sorted(str(row["table_name"]) for row in rows):
        if watched(table) and f"{table}{TRIGGER_SUFFIX}" not in present:
            for statement in _postgres_triggers(table):
                await DataVersion.raw(statement)
            added.append(table)
    return added


VERSIONS_SQL = (
    "SELECT (SELECT counter FROM auth_principal_version WHERE id = 1) AS principal, "
    f"(SELECT counter FROM {TABLE} WHERE id = {COUNTER_ROW}) AS data"
)


SQLITE_READ_TIMEOUT_SECONDS = 5.0
_SQLITE_READERS = threading.local()


def _sqlite_versions(path: str) -> tuple[int, int] | None:
    """The two counters read through this thread's own plain ``sqlite3`` connection to ``path``.

    Two single-row primary-key reads of a local WAL database take microseconds, fewer than handing the
    query to a pooled connection's thread and back (≈ 0.5 ms a request); a WAL reader does not wait for
    the writer. The statement is stepped to its end (``fetchall``), so no read snapshot is held between
    requests.
    """
    readers: dict[str, sqlite3.Connection] = getattr(_SQLITE_READERS, "connections", None) or {}
    _SQLITE_READERS.connections = readers
    connection = readers.get(path)
    if connection is None:
        connection = sqlite3.connect(path, timeout=SQLITE_READ_TIMEOUT_SECONDS, isolation_level=None)
        readers[path] = connection
    try:
        rows = connection.execute(VERSIONS_SQL).fetchall()
    except sqlite3.Error:
        readers.pop(path, None)
        connection.close()
        raise
    if not rows or rows[0][0] is None or rows[0][1] is None:
        return None
    return int(rows[0][0]), int(rows[0][1])


async def versions() -> tuple[int, int] | None:
    """The principal version and the data version, in one query; None when either row is missing."""
    engine = engine_finder()
    if isinstance(engine, SQLiteEngine):
        return _sqlite_versions(str(engine.path))
    rows = await DataVersion.raw(VERSIONS_SQL)
    if not rows or rows[0]["principal"] is None or rows[0]["data"] is None:
        return None
    return int(rows[0]["principal"]), int(rows[0]["data"])


async def data_version() -> int | None:
    """The data version alone (None when its row is missing)."""
    rows = await DataVersion.raw(f"SELECT counter FROM {TABLE} WHERE id = {COUNTER_ROW}")
    return int(rows[0]["counter"]) if rows else None
