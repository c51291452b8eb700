"""Small helpers of the back office: time zone, unique violations, submission tokens, notices."""

from __future__ import annotations

import datetime as dt
import secrets

from etax.platform.web.notices import pop_notice as pop_notice
from etax.platform.web.notices import set_notice as set_notice

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def beijing(moment: dt.datetime | None) -> str:
    """``moment`` as Beijing time, e.g. ``2026-11-27 05:21`` (empty for None)."""
    return "" if moment is None else moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def submission_token() -> str:
    """A one-time token for a creating form: stored in a unique column, so a form is saved once."""
    return secrets.token_urlsafe(24)
