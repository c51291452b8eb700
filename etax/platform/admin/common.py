"""Small helpers of the back office: time zone, unique violations, submission tokens, notices."""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from typing import Any

import asyncpg
from litestar import Request

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")
NOTICE_KEY = "admin_notice"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def beijing(moment: dt.datetime | None) -> str:
    """``moment`` as Beijing time, e.g. ``2026-11-27 05:21`` (empty for None)."""
    return "" if moment is None else moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def is_unique_violation(error: BaseException) -> bool:
    """Whether ``error`` is a unique-constraint violation on SQLite or PostgreSQL."""
    return isinstance(error, sqlite3.IntegrityError | asyncpg.exceptions.UniqueViolationError)


def submission_token() -> str:
    """A one-time token for a creating form: stored in a unique column, so a form is saved once."""
    return secrets.token_urlsafe(24)


def set_notice(request: Request[Any, Any, Any], text: str, *, error: bool = False) -> None:
    """Remember a message to show on the next admin page (after a redirect)."""
    request.session[NOTICE_KEY] = {"text": text, "error": error}


def pop_notice(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    """The message left by :func:`set_notice`, once."""
    notice = request.session.pop(NOTICE_KEY, None)
    return notice if isinstance(notice, dict) else None
