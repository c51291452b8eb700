"""Build the Piccolo engine from ``ETAX_DATABASE_URL``: pooled connections on both databases.

* PostgreSQL: an asyncpg pool per event loop, opened by the application at start-up and closed at
  shut-down (:func:`open_pool` / :func:`close_pool`). Piccolo keeps one ``pool`` per engine; an
  application may run in several event loops in one process (tests, two instances side by side), and
  an asyncpg pool belongs to the loop that created it, so :class:`PooledPostgresEngine` keeps one per
  loop. Code running in a loop without a pool (the CLI, test factories) gets Piccolo's default: a new
  connection per query.
* SQLite: WAL journal (readers never wait for the writer) and a 30 s busy timeout; at most
  ``SQLITE_CONNECTIONS`` connections per worker, kept and reused (:class:`PooledSQLiteEngine`) instead
  of opening a connection — and its worker thread — for every query. The bound keeps a worker's memory
  flat under load: every connection is a thread with its own page cache (and, in glibc, its own malloc
  arena), so an unbounded pool grew with the number of simultaneous requests (issue 18's memory target).
"""

from __future__ import annotations

import asyncio
import os
import weakref
from pathlib import Path
from typing import Any

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, dict_factory
from piccolo.table import Table

SQLITE_BUSY_TIMEOUT_SECONDS = 30
# A query beyond this many at once waits for a free connection (on 2 cores, 8 readers are never the limit).
SQLITE_CONNECTIONS = 8
PG_POOL_MIN = 2
PG_POOL_MAX = 10
SERVER_SETTINGS = {"plan_cache_mode": "force_custom_plan"}
"""Settings of the pool's PostgreSQL sessions. asyncpg prepares and caches every statement, and PostgreSQL
keeps a *generic* plan for a prepared statement after five runs: planned for average values, it read every
row of a taxpayer with 100,000 declarations and sorted them (40–250 ms a page instead of 0.3 ms), or a whole
date range of every taxpayer's payments. With custom plans each execution is planned for its own values
(about 0.1 ms of planning on PostgreSQL's side)."""


def database_url() -> str:
    """The configured database URL (the same default as :func:`etax.platform.settings.load_settings`)."""
    var_dir = Path(os.environ.get("ETAX_VAR_DIR", "var"))
    return os.environ.get("ETAX_DATABASE_URL", "") or f"sqlite:///{var_dir / 'etax.sqlite3'}"


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class PooledPostgresEngine(PostgresEngine):
    """Piccolo's PostgreSQL engine with one asyncpg pool per event loop (see the module docstring)."""

    def __init__(self, config: dict[str, Any]) -> None:
        pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = weakref.WeakKeyDictionary()
        self.__dict__["_pools"] = pools
        super().__init__(config=config)

    @property
    def pool(self) -> Any:
        loop = _running_loop()
        return None if loop is None else self.__dict__["_pools"].get(loop)

    @pool.setter
    def pool(self, value: Any) -> None:
        loop = _running_loop()
        if loop is None:
            return
        if value is None:
            self.__dict__["_pools"].pop(loop, None)
        else:
            self.__dict__["_pools"][loop] = value


def pool_sizes() -> tuple[int, int]:
    """Minimum and maximum connections of a worker's PostgreSQL pool (``ETAX_DB_POOL_MAX``)."""
    maximum = int(os.environ.get("ETAX_DB_POOL_MAX", "") or PG_POOL_MAX)
    return min(PG_POOL_MIN, maximum), maximum


async def open_pool(engine: Engine | None) -> None:  # type: ignore[type-arg]
    """Open this event loop's connection pool (PostgreSQL; nothing to do for SQLite)."""
    if isinstance(engine, PostgresEngine) and engine.pool is None:
        low, high = pool_sizes()
        await engine.start_connection_pool(min_size=low, max_size=high, server_settings=SERVER_SETTINGS)


async def close_pool(engine: Engine | None) -> None:  # type: ignore[type-arg]
    """Close this event loop's pool (PostgreSQL) or the idle connections (SQLite)."""
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        await engine.close_connection_pool()
    elif isinstance(engine, PooledSQLiteEngine):
        await engine.close_idle()


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine reusing idle connections instead of one new connection per query."""

    def __init__(self, path: str) -> None:
        super().__init__(path=path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
        self._idle: list[aiosqlite.Connection] = []
        # The connections a loop may have open at once (an asyncio semaphore belongs to one event loop).
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def _loop_slots(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        slots = self._slots.get(loop)
        if slots is None:
            slots = self._slots[loop] = asyncio.Semaphore(SQLITE_CONNECTIONS)
        return slots

    async def _connect(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # The worker thread must not keep the interpreter alive when a pooled connection is never closed.
        connection._thread.daemon = True
        await connection
        await connection.execute("PRAGMA foreign_keys = 1")
        await connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        connection.row_factory = dict_factory  # type: ignore[assignment]
        return connection

    async def open_idle(self) -> None:
        """Open connections until ``SQLITE_CONNECTIONS`` are idle (the warm-up, :mod:`etax.platform.warmup`)."""
        while len(self._idle) < SQLITE_CONNECTIONS:
            self._idle.append(await self._connect())

    async def close_idle(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        async with self._loop_slots():
            connection = self._idle.pop() if self._idle else await self._connect()
            healthy = False
            try:
                async with connection.execute(query, args or []) as cursor:
                    await connection.commit()
                    if query_type == "insert" and self.get_version_sync() < 3.35:
                        assert table is not None
                        pk = await self._get_inserted_pk(cursor, table)
                        rows: Any = [{table._meta.primary_key._meta.db_column_name: pk}]
                    else:
                        rows = await cursor.fetchall()
                healthy = True
                return rows
            finally:
                if healthy and len(self._idle) < SQLITE_CONNECTIONS:
                    self._idle.append(connection)
                else:
                    await connection.close()


def enable_wal(path: Path) -> None:
    """Switch the database file to WAL (persistent: recorded in the file itself)."""
    import sqlite3

    with sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def make_engine(url: str) -> Engine:  # type: ignore[type-arg]
    """A Piccolo engine for ``url`` (``sqlite:///path`` or ``postgresql://…``)."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        enable_wal(path)
        return PooledSQLiteEngine(path=str(path))
    return PooledPostgresEngine(config={"dsn": url.replace("postgres://", "postgresql://", 1)})
