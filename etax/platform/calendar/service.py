"""The platform calendar: official holidays, adjusted working days, filing deadlines, working days.

Sources, in order: the bureau-maintained table (years the bureau entered in the back office, e.g.
2027 before the ``chinese-calendar`` package knows it), then the ``chinese-calendar`` package (State
Council notices up to its release year). A year in neither is refused with :class:`CalendarUnavailable`
— a deadline is never guessed.

Deadline rules (税收征管法实施细则 第109条, as the State Taxation Administration applies them; the
2024 and 2025 published deadlines are reproduced by the tests):

- the return is due by the 15th of the month after the period (month or quarter);
- if the 1st–15th of that month hold 3 or more days of one statutory holiday (春节, 国庆节 …), the
  deadline moves by that many **working days** after the 15th;
- otherwise, if the 15th is not a working day, the deadline is the next working day.

Readers take a :class:`Calendar` snapshot with ``await calendar()`` and call its plain methods (fast in
loops); the snapshot is reloaded from the database at most every few seconds and at once after an edit.
"""

from __future__ import annotations

import datetime as dt
import time
from enum import StrEnum

import chinese_calendar
import msgspec
from chinese_calendar import constants as _cc

from etax.platform import clock
from etax.platform.calendar.tables import CalendarDayRow, CalendarYearRow

RELOAD_SECONDS = 10.0
PACKAGE_YEARS = range(min(d.year for d in _cc.holidays), max(d.year for d in _cc.holidays) + 1)

HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


class DayKind(StrEnum):
    """What an exceptional day of the bureau table is."""

    HOLIDAY = "holiday"  # 放假 (a statutory holiday, or a weekday off in its block)
    WORKDAY = "workday"  # 调休上班 (a weekend day worked)

    @property
    def label(self) -> str:
        return {"holiday": "放假", "workday": "调休上班"}[self.value]


class CalendarUnavailable(Exception):
    """The holiday arrangement of a year is not known (neither the package nor the bureau table has it)."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.message = (
            f"暂无{year}年的法定节假日安排，无法计算该年的申报期限和工作日，请等待税务机关公布后再试。"
        )
        super().__init__(self.message)


class SpecialDay(msgspec.Struct, frozen=True, kw_only=True):
    """A day that is not an ordinary weekday or weekend day."""

    day: dt.date
    kind: DayKind
    name: str = ""


class CalendarYear(msgspec.Struct, frozen=True, kw_only=True):
    """One year of the bureau table."""

    year: int
    source: str
    official: bool
    days: list[SpecialDay]


class DayInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One day as the 办税日历 shows it."""

    day: dt.date
    workday: bool
    holiday_name: str  # the statutory holiday this day belongs to, "" if none
    adjusted: bool  # a weekend day worked (调休上班)


class Calendar:
    """A snapshot of the calendar: the bureau table as loaded plus the package data."""

    def __init__(self, table: dict[int, dict[dt.date, SpecialDay]]) -> None:
        self._table = table
        self._deadlines: dict[tuple[int, int], dt.date] = {}

    # --- which years -------------------------------------------------------------------------
    def has_year(self, year: int) -> bool:
        """Whether the holiday arrangement of ``year`` is known."""
        return year in self._table or year in PACKAGE_YEARS

    def years(self) -> list[int]:
        """Every year with data, ascending."""
        return sorted({*PACKAGE_YEARS, *self._table})

    def source_of(self, year: int) -> str:
        """Where the year's data comes from (shown in the back office)."""
        if year in self._table:
            return "税务机关维护"
        if year in PACKAGE_YEARS:
            return "chinese-calendar（国务院办公厅通知）"
        return "无数据"

    # --- single days -----------------------------------------------------------------------------
    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (调休上班 days included). Raises :class:`CalendarUnavailable`."""
        table = self._table.get(day.year)
        if table is not None:
            special = table.get(day)
            if special is not None:
                return special.kind is DayKind.WORKDAY
            return day.weekday() < 5
        if day.year in PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day))
        raise CalendarUnavailable(day.year)

    def holiday_name(self, day: dt.date) -> str:
        """The statutory holiday ``day`` is off for (春节 …), or "" (ordinary days and weekends)."""
        table = self._table.get(day.year)
        if table is not None:
            special = table.get(day)
            return special.name if special is not None and special.kind is DayKind.HOLIDAY else ""
        if day.year in PACKAGE_YEARS:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            return HOLIDAY_NAMES.get(name, name) if on_holiday and name else ""
        raise CalendarUnavailable(day.year)

    def day_info(self, day: dt.date) -> DayInfo:
        workday = self.is_workday(day)
        return DayInfo(
            day=day,
            workday=workday,
            holiday_name="" if workday else self.holiday_name(day),
            adjusted=workday and day.weekday() >= 5,
        )

    def month(self, year: int, month: int) -> list[DayInfo]:
        """Every day of a month (for the public 办税日历)."""
        first = dt.date(year, month, 1)
        return [self.day_info(first + dt.timedelta(days=i)) for i in range(_month_length(year, month))]

    # --- working days ------------------------------------------------------------------------------
    def next_workday(self, day: dt.date, *, include: bool = True) -> dt.date:
        """``day`` itself if it is a working day (and ``include``), else the next working day."""
        current = day if include else day + dt.timedelta(days=1)
        while not self.is_workday(current):
            current += dt.timedelta(days=1)
        return current

    def add_workdays(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``count`` ≥ 1)."""
        current = day
        for _ in range(count):
            current = self.next_workday(current, include=False)
        return current

    def workdays(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days from ``start`` to ``end`` inclusive (for bookings)."""
        days: list[dt.date] = []
        current = start
        while current <= end:
            if self.is_workday(current):
                days.append(current)
            current += dt.timedelta(days=1)
        return days

    # --- deadlines -------------------------------------------------------------------------------
    def monthly_deadline(self, year: int, month: int) -> dt.date:
        """The filing deadline in month ``year-month`` (for the period that ended the month before)."""
        known = self._deadlines.get((year, month))
        if known is not None:
            return known
        fifteenth = dt.date(year, month, 15)
        extension = self._holiday_days_in_window(dt.date(year, month, 1), fifteenth)
        deadline = self.add_workdays(fifteenth, extension) if extension else self.next_workday(fifteenth)
        self._deadlines[(year, month)] = deadline
        return deadline

    def period_deadline(self, period_end: dt.date) -> dt.date:
        """The deadline of a month or quarter ending on ``period_end``: the 15th of the next month, extended."""
        following = period_end + dt.timedelta(days=1)
        return self.monthly_deadline(following.year, following.month)

    def extended(self, nominal: dt.date) -> dt.date:
        """A nominal last day moved to the next working day when it is a rest day (annual and 按次 deadlines)."""
        return self.next_workday(nominal)

    def _holiday_days_in_window(self, start: dt.date, end: dt.date) -> int:
        """Days of statutory-holiday blocks lying in ``start``–``end``, counting only blocks with ≥3 such days."""
        total = 0
        run = 0
        named = False
        current = start
        while current <= end:
            if self.is_workday(current):
                total += run if named and run >= 3 else 0
                run, named = 0, False
            else:
                run += 1
                named = named or bool(self.holiday_name(current))
            current += dt.timedelta(days=1)
        return total + (run if named and run >= 3 else 0)


def _month_length(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.date(year, month, 1)).days


# --- the snapshot cache ------------------------------------------------------------------------------
_snapshot: Calendar | None = None
_loaded_at = 0.0


async def calendar() -> Calendar:
    """The current calendar snapshot (reloaded from the bureau table every few seconds)."""
    global _snapshot, _loaded_at
    if _snapshot is None or time.monotonic() - _loaded_at > RELOAD_SECONDS:
        _snapshot = await _load()
        _loaded_at = time.monotonic()
    return _snapshot


def forget() -> None:
    """Drop the snapshot (after an edit), so the next reader loads the table again."""
    global _snapshot
    _snapshot = None


async def _load() -> Calendar:
    years = await CalendarYearRow.select(CalendarYearRow.year)
    table: dict[int, dict[dt.date, SpecialDay]] = {int(row["year"]): {} for row in years}
    rows = await CalendarDayRow.select(CalendarDayRow.day, CalendarDayRow.kind, CalendarDayRow.name)
    for row in rows:
        day = row["day"]
        if day.year in table:
            table[day.year][day] = SpecialDay(day=day, kind=DayKind(row["kind"]), name=row["name"])
    return Calendar(table)


# --- the bureau table ---------------------------------------------------------------------------------
class CalendarEditError(Exception):
    """A refused edit of the bureau table, with a Chinese message."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


async def bureau_years() -> list[CalendarYear]:
    """The years of the bureau table with their days."""
    years = await CalendarYearRow.select().order_by(CalendarYearRow.year)
    days = await CalendarDayRow.select().order_by(CalendarDayRow.day)
    by_year: dict[int, list[SpecialDay]] = {}
    for row in days:
        by_year.setdefault(int(row["year"]), []).append(
            SpecialDay(day=row["day"], kind=DayKind(row["kind"]), name=row["name"])
        )
    return [
        CalendarYear(
            year=int(row["year"]),
            source=row["source"],
            official=bool(row["official"]),
            days=by_year.get(int(row["year"]), []),
        )
        for row in years
    ]


async def save_year(year: int, *, source: str, official: bool, by: str) -> None:
    """Add a year to the bureau table (or update its source note)."""
    if not 2000 <= year <= 2100:
        raise CalendarEditError("年份应在2000至2100之间")
    existing = await CalendarYearRow.select(CalendarYearRow.id).where(CalendarYearRow.year == year).first()
    if existing is None:
        await CalendarYearRow.insert(
            CalendarYearRow(year=year, source=source.strip(), official=official, updated_by=by)
        )
    else:
        await CalendarYearRow.update(
            {
                CalendarYearRow.source: source.strip(),
                CalendarYearRow.official: official,
                CalendarYearRow.updated_by: by,
                CalendarYearRow.updated_at: clock.utcnow(),
            }
        ).where(CalendarYearRow.year == year)
    forget()


async def set_day(day: dt.date, kind: DayKind, name: str, *, by: str) -> None:
    """Mark ``day`` of a bureau-table year as 放假 or 调休上班 (replacing what was there)."""
    name = name.strip()
    year = await CalendarYearRow.select(CalendarYearRow.id).where(CalendarYearRow.year == day.year).first()
    if year is None:
        raise CalendarEditError(f"{day.year}年不在税务机关维护的节假日表中，请先添加该年份")
    if kind is DayKind.HOLIDAY and not name:
        raise CalendarEditError("放假日期须填写节日名称，如“春节”")
    if kind is DayKind.WORKDAY and day.weekday() < 5:
        raise CalendarEditError("调休上班日应为周六或周日")
    if len(name) > 40:
        raise CalendarEditError("节日名称不能超过40个字")
    async with CalendarDayRow._meta.db.transaction():
        await CalendarDayRow.delete().where(CalendarDayRow.day == day)
        await CalendarDayRow.insert(CalendarDayRow(day=day, year=day.year, kind=kind.value, name=name))
        await CalendarYearRow.update({CalendarYearRow.updated_by: by}).where(CalendarYearRow.year == day.year)
    forget()


async def remove_day(day: dt.date) -> None:
    """Make ``day`` an ordinary day again."""
    await CalendarDayRow.delete().where(CalendarDayRow.day == day)
    forget()


async def seed_year(year: int, days: list[SpecialDay], *, source: str, by: str = "系统初始化") -> bool:
    """Load a year into the bureau table unless it is there already (demo and first start)."""
    exists = await CalendarYearRow.select(CalendarYearRow.id).where(CalendarYearRow.year == year).first()
    if exists is not None:
        return False
    await CalendarYearRow.insert(CalendarYearRow(year=year, source=source, official=False, updated_by=by))
    if days:
        await CalendarDayRow.insert(
            *[CalendarDayRow(day=d.day, year=year, kind=d.kind.value, name=d.name) for d in days]
        )
    forget()
    return True
