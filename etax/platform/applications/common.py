"""Helpers shared by applications and 电子资料: who asks for which taxpayer, time, transactions, tokens."""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from typing import Annotated, Any

import asyncpg
from litestar import Request
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.params import QueryParameter
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from etax.platform.identity import Principal
from etax.platform.runtime import get_runtime

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")
TOKENS_KEY = "application_tokens"
MAX_TOKENS = 30
NOTICE_KEY = "applications_notice"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def beijing(moment: dt.datetime | None) -> str:
    """``moment`` as Beijing time, e.g. ``2026-11-27 05:21`` (empty for None)."""
    return "" if moment is None else moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in Beijing time (for date filters)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=BEIJING)


DateParam = Annotated[str, QueryParameter(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def date_errors(start: dt.date | None, end: dt.date | None, raw_start: str, raw_end: str) -> dict[str, str]:
    """Chinese messages for a bad date range (an impossible date such as 2026-02-30, or end before start)."""
    errors: dict[str, str] = {}
    if raw_start and start is None:
        errors["date_from"] = "开始日期无效"
    if raw_end and end is None:
        errors["date_to"] = "结束日期无效"
    if start and end and start > end:
        errors["date_to"] = "结束日期不能早于开始日期"
    return errors


def is_unique_violation(error: BaseException) -> bool:
    """Whether ``error`` is a unique-constraint violation on SQLite or PostgreSQL."""
    return isinstance(error, sqlite3.IntegrityError | asyncpg.exceptions.UniqueViolationError)


def write_transaction(table: type[Table]) -> Any:
    """A transaction for read-then-write work: ``BEGIN IMMEDIATE`` on SQLite, the default on PostgreSQL."""
    engine = table._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


class Actor:
    """The logged-in visitor and the taxpayer whose data they work on."""

    def __init__(self, principal: Principal, taxpayer_id: int) -> None:
        self.principal = principal
        self.taxpayer_id = taxpayer_id

    @property
    def name(self) -> str:
        """How records and the audit log name the person (an agency's agent names the agency too)."""
        if self.principal.acting_for:
            return f"{self.principal.display_name}（{self.principal.taxpayer_name}）"
        return self.principal.display_name

    @property
    def taxpayer_name(self) -> str:
        return self.principal.acting_for_name or self.principal.taxpayer_name


async def current_actor(request: Request[Any, Any, Any]) -> Actor:
    """The visitor and their taxpayer (an enterprise, or the client an agency acts for)."""
    principal = await get_runtime(request.app).principal_of(request)
    if principal is None:
        raise NotAuthorizedException("请先登录后再办理该业务")
    taxpayer_id = principal.client_or_own_taxpayer
    if taxpayer_id is None:
        raise PermissionDeniedException("请先选择要办理业务的企业")
    return Actor(principal, taxpayer_id)


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


def set_notice(request: Request[Any, Any, Any], text: str, *, error: bool = False) -> None:
    """Remember a message to show on the next page (after a redirect)."""
    request.session[NOTICE_KEY] = {"text": text, "error": error}


def pop_notice(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    """The message left by :func:`set_notice`, once."""
    notice = request.session.pop(NOTICE_KEY, None)
    return notice if isinstance(notice, dict) else None
