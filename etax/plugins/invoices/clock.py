"""The moment and the Beijing day the invoices plugin works with: the platform clock (tests pin it)."""

from __future__ import annotations

import datetime as dt

from etax.platform.api import BEIJING, clock


def now() -> dt.datetime:
    """Now, in UTC (what ``Timestamptz`` columns store)."""
    return clock.utcnow()


def beijing_today(moment: dt.datetime | None = None) -> dt.date:
    return clock.today() if moment is None else moment.astimezone(BEIJING).date()


def period_of(day: dt.date) -> str:
    """The period (税款所属期) of a day, ``YYYY-MM``."""
    return f"{day:%Y-%m}"
