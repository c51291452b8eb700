"""Helpers shared by applications and 电子资料: time, transactions, tokens (who asks: :mod:`etax.platform.context`)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Annotated, Any

from litestar import Request
from litestar.params import QueryParameter

from etax.platform import clock
from etax.platform.context import Actor, current_actor
from etax.platform.forms import submitted_text
from etax.platform.web.notices import pop_notice as pop_notice
from etax.platform.web.notices import set_notice as set_notice

BEIJING = clock.BEIJING
TOKENS_KEY = "application_tokens"
MAX_TOKENS = 30


beijing = clock.beijing_minute


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


def submitted_token(form: Mapping[str, str | list[str]], request: Request[Any, Any, Any]) -> str | None:
    """The form's ``_token`` when :func:`issue_token` gave it to this session (else None: a stale form)."""
    token = submitted_text(form, "_token", 20_000)
    return token if token and token_issued(request, token) else None


__all__ = ["Actor", "current_actor"]
