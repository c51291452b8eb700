"""The bureau-maintained holiday table (the ``etax_calendar`` Piccolo app).

A year listed in :class:`CalendarYearRow` is taken wholly from :class:`CalendarDayRow` (it overrides
the ``chinese-calendar`` package for that year); days not listed follow the week (Monday–Friday work).
"""

from __future__ import annotations

from piccolo.columns import Boolean, Date, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.db.defaults import PlatformNow, PlatformToday


class CalendarYearRow(Table, tablename="calendar_year"):
    """A year whose holiday arrangement the bureau maintains, with where it comes from."""

    id = Serial(primary_key=True)
    year = Integer(unique=True)
    source = Text(default="")  # e.g. 国办发明电〔2026〕N号, or how the arrangement was derived
    official = Boolean(default=False)  # True once checked against the State Council notice
    updated_by = Varchar(length=120, default="")
    updated_at = Timestamptz(default=PlatformNow())


class CalendarDayRow(Table, tablename="calendar_day"):
    """One exceptional day: a statutory holiday (放假) or an adjusted working day (调休上班)."""

    id = Serial(primary_key=True)
    day = Date(unique=True, default=PlatformToday())
    year = Integer(index=True)
    kind = Varchar(length=10)  # DayKind: holiday | workday
    name = Varchar(length=40, default="")  # 春节, 国庆节 …
