"""Database helpers that behave the same on SQLite and PostgreSQL: unique violations, write transactions."""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

_SQLITE_UNIQUE = frozenset({sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY})


def is_unique_violation(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is a unique-key violation on SQLite or PostgreSQL.

    Other integrity errors (CHECK, NOT NULL, foreign keys) are not: they are bugs or refusals the caller
    must not mistake for "already exists".
    """
    seen: BaseException | None = error
    for _ in range(4):
        if seen is None:
            return False
        if isinstance(seen, asyncpg.exceptions.UniqueViolationError):
            return True
        if isinstance(seen, sqlite3.IntegrityError):
            return getattr(seen, "sqlite_errorcode", None) in _SQLITE_UNIQUE
        seen = seen.__cause__ or seen.__context__
    return False


def write_transaction(table: type[Table]) -> Any:
    """A transaction for read-then-write work: ``BEGIN IMMEDIATE`` on SQLite, the default on PostgreSQL."""
    engine = table._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
