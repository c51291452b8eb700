"""The platform clock: the one source of "now" and "today", in Beijing time, pinnable in tests.

Every "today", filing deadline, late fee (滞纳金) and arrears (欠税) computation reads this module, so a
test (or a demonstration) can pin the day::

    from etax.platform import clock

    with clock.pinned(dt.date(2026, 2, 24)):
        assert clock.today() == dt.date(2026, 2, 24)

Tests use the ``pin_clock`` fixture (``tests/clock_fixture.py``): ``pin_clock(dt.date(2026, 2, 24))``.
Outside tests ``ETAX_TODAY=YYYY-MM-DD`` pins the day for a whole process (demonstrations of a
deadline); the time of day keeps running.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")

_pinned: dt.datetime | None = None


def _env_pin() -> dt.date | None:
    raw = os.environ.get("ETAX_TODAY", "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def now() -> dt.datetime:
    """The current moment, timezone-aware, in Beijing time (the pinned moment while pinned)."""
    if _pinned is not None:
        return _pinned
    moment = dt.datetime.now(BEIJING)
    day = _env_pin()
    if day is not None:
        return dt.datetime.combine(day, moment.timetz())
    return moment


def utcnow() -> dt.datetime:
    """The current moment in UTC (what ``Timestamptz`` columns store)."""
    return now().astimezone(dt.UTC)


def today() -> dt.date:
    """Today's date in Beijing."""
    return now().date()


def to_beijing(moment: dt.datetime) -> dt.datetime:
    """``moment`` (aware) as Beijing time."""
    return moment.astimezone(BEIJING)


def beijing_minute(moment: dt.datetime | None) -> str:
    """``moment`` as people read it, in Beijing time to the minute (``2026-11-27 05:21``); "" for None."""
    return "" if moment is None else moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def beijing_second(moment: dt.datetime | None) -> str:
    """``moment`` in Beijing time to the second (``2026-11-27 05:21:09``); "" for None."""
    return "" if moment is None else moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def beijing_day(value: dt.datetime | dt.date | None) -> str:
    """The Beijing calendar day of ``value`` (``2026-11-27``), whatever the server's zone; "" for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(BEIJING).date() if value.tzinfo else value.date()
    return value.isoformat()


def pin(moment: dt.datetime | dt.date | None) -> None:
    """Pin the clock to ``moment`` (a date pins 10:00 Beijing time that day); ``None`` unpins it."""
    global _pinned
    if moment is None:
        _pinned = None
    elif isinstance(moment, dt.datetime):
        _pinned = (moment if moment.tzinfo is not None else moment.replace(tzinfo=BEIJING)).astimezone(
            BEIJING
        )
    else:
        _pinned = dt.datetime.combine(moment, dt.time(10, 0), tzinfo=BEIJING)


def is_pinned() -> bool:
    """Whether the clock is pinned (by :func:`pin` or :func:`pinned`)."""
    return _pinned is not None


@contextmanager
def pinned(moment: dt.datetime | dt.date) -> Iterator[None]:
    """Pin the clock inside a ``with`` block, restoring what was pinned before."""
    previous = _pinned
    pin(moment)
    try:
        yield
    finally:
        pin(previous)
