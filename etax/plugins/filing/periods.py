"""Tax periods (税款所属期): a month, a quarter, a half-year or a year, written ``2026-10``, ``2026Q3``,
``2026H1`` or ``2026``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re

import msgspec


class PeriodKind(enum.StrEnum):
    """How long one period of a return is (纳税期限)."""

    MONTH = "月"
    QUARTER = "季"
    HALF_YEAR = "半年"
    YEAR = "年"


MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})|Q(?P<quarter>[1-4])|H(?P<half>[12]))?$")


class PeriodError(ValueError):
    """A period written wrongly; the message is Chinese and names the value."""


class Period(msgspec.Struct, frozen=True, kw_only=True, order=True):
    """One period: its kind, year and index within the year (month 1–12, quarter 1–4, half 1–2, year 1)."""

    year: int
    kind: PeriodKind
    index: int = 1

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-10`` (month), ``2026Q3`` (quarter), ``2026H1`` (half-year) or ``2026`` (year)."""
        match = _PATTERN.match(text.strip())
        if match is None:
            raise PeriodError(f"所属期“{text}”格式不正确，应为 2026-10、2026Q3、2026H1 或 2026")
        year = int(match["year"])
        if not 2000 <= year <= 2100:
            raise PeriodError(f"所属期“{text}”的年份不在 2000–2100 之间")
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise PeriodError(f"所属期“{text}”的月份不正确")
            return cls(year=year, kind=PeriodKind.MONTH, index=month)
        if match["quarter"]:
            return cls(year=year, kind=PeriodKind.QUARTER, index=int(match["quarter"]))
        if match["half"]:
            return cls(year=year, kind=PeriodKind.HALF_YEAR, index=int(match["half"]))
        return cls(year=year, kind=PeriodKind.YEAR, index=1)

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind) -> Period:
        """The period of ``kind`` that ``day`` falls in."""
        index = (day.month - 1) // MONTHS[kind] + 1
        return cls(year=day.year, kind=kind, index=index)

    @property
    def months(self) -> int:
        return MONTHS[self.kind]

    @property
    def first_month(self) -> int:
        return (self.index - 1) * self.months + 1

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        month = self.first_month + self.months - 1
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def code(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}Q{self.index}"
        if self.kind is PeriodKind.HALF_YEAR:
            return f"{self.year}H{self.index}"
        return str(self.year)

    @property
    def label(self) -> str:
        """How pages name it, e.g. ``2026年10月``, ``2026年第3季度``."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}年{self.index}月"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}年第{self.index}季度"
        if self.kind is PeriodKind.HALF_YEAR:
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        return f"{self.year}年度"

    @property
    def quarter(self) -> int:
        """The quarter the period ends in (1–4)."""
        return (self.end.month - 1) // 3 + 1

    def previous(self) -> Period:
        """The period just before this one, of the same kind."""
        if self.index > 1:
            return Period(year=self.year, kind=self.kind, index=self.index - 1)
        return Period(year=self.year - 1, kind=self.kind, index=12 // self.months)

    def next(self) -> Period:
        if self.index < 12 // self.months:
            return Period(year=self.year, kind=self.kind, index=self.index + 1)
        return Period(year=self.year + 1, kind=self.kind, index=1)

    def __str__(self) -> str:
        return self.code
