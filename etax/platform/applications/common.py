"""Helpers shared by applications and 电子资料: time, transactions, tokens (who asks: :mod:`etax.platform.context`)."""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from typing import Any

import asyncpg
from litestar import Request
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from etax.platform.context import Actor, current_actor
from etax.platform.web.notices import pop_notice as pop_notice
from etax.platform.web.notices import set_notice as set_notice

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")
TOKENS_KEY = "application_tokens"
MAX_TOKENS = 30


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def beijing(moment: dt.datetime | None) -> str:
    """``moment`` as Beijing time, e.g. ``2026-11-27 05:21`` (empty for None)."""
    return "" if moment is None else moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in Beijing time (for date filters)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=BEIJING)


def is_unique_violation(error: BaseException) -> bool:
    """Whether ``error`` is a unique-constraint violation on SQLite or PostgreSQL."""
    return isinstance(error, sqlite3.IntegrityError | asyncpg.exceptions.UniqueViolationError)


def write_transaction(table: type[Table]) -> Any:
    """A transaction for read-then-write work: ``BEGIN IMMEDIATE`` on SQLite, the default on PostgreSQL."""
    engine = table._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def issue_token(request: Request[Any, Any, Any]) -> str:
    """A new idempotency key for a form being shown, remembered in the session."""
    token = secrets.token_urlsafe(24)
    tokens = [t for t in request.session.get(TOKENS_KEY, []) if isinstance(t, str)]
    request.session[TOKENS_KEY] = [*tokens, token][-MAX_TOKENS:]
    return token


def token_issued(request: Request[Any, Any, Any], token: str) -> bool:
    """Whether ``token`` was issued to this session by :func:`issue_token`."""
    tokens = request.session.get(TOKENS_KEY, [])
    return isinstance(tokens, list) and token in tokens


__all__ = ["Actor", "current_actor"]
