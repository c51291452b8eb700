"""The moment and the Beijing day the invoices plugin works with (one place to read the time)."""

from __future__ import annotations

import datetime as dt

from etax.platform.api import BEIJING


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def beijing_today(moment: dt.datetime | None = None) -> dt.date:
    return (moment or now()).astimezone(BEIJING).date()


def period_of(day: dt.date) -> str:
    """The period (税款所属期) of a day, ``YYYY-MM``."""
    return f"{day:%Y-%m}"
