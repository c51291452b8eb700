"""Declared list filters, kept in the URL, parsed with Chinese messages for bad input.

A list page declares its filters as data (:class:`DateRange`, :class:`PeriodRange`, :class:`Choice`,
:class:`Text`, :class:`AmountRange`); :func:`parse_filters` reads them from the query string. Bad input
never raises: the filter is left out and :attr:`FilterValues.errors` says why, in Chinese. The values
that were understood are written back to the URL in one canonical form (:attr:`FilterValues.params`),
which also binds pagination cursors to the filters they were made for.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import ClassVar, Generic, TypeVar

from etax.platform import clock

BEIJING = clock.BEIJING
FIRST_YEAR, LAST_YEAR = 1900, 2099
MAX_AMOUNT = Decimal("1000000000000")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PERIOD_PATTERN = re.compile(r"^\d{4}-\d{2}$")
AMOUNT_PATTERN = re.compile(r"^-?\d{1,13}(\.\d{1,2})?$")
MAX_RAW = 200
"""Longest raw value kept for redisplay; anything longer is cut before parsing."""

T = TypeVar("T")


@dataclass(frozen=True)
class Span(Generic[T]):
    """A range with optional ends (both inclusive)."""

    start: T | None = None
    end: T | None = None

    @property
    def empty(self) -> bool:
        return self.start is None and self.end is None


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in Beijing time."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=BEIJING)


def moments(span: Span[dt.date]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """A day range as moments ``[start, end)`` in Beijing time, for timestamp columns."""
    start = None if span.start is None else day_start(span.start)
    end = None if span.end is None else day_start(span.end + dt.timedelta(days=1))
    return start, end


@dataclass(frozen=True)
class _Range:
    """A filter of two URL keys, ``<name>_<low>`` and ``<name>_<high>``."""

    name: str
    label: str
    SUFFIXES: ClassVar[tuple[str, str]] = ("from", "to")

    @property
    def keys(self) -> tuple[str, str]:
        low, high = self.SUFFIXES
        return f"{self.name}_{low}", f"{self.name}_{high}"


@dataclass(frozen=True)
class DateRange(_Range):
    """A day range: ``<name>_from`` and ``<name>_to`` as ``YYYY-MM-DD`` (Beijing days)."""


@dataclass(frozen=True)
class PeriodRange(_Range):
    """A range of tax periods (税款所属期): ``<name>_from`` and ``<name>_to`` as ``YYYY-MM``.

    The value is a :class:`Span` of dates: the first day of the first month to the last day of the last.
    """


@dataclass(frozen=True)
class AmountRange(_Range):
    """A money range: ``<name>_min`` and ``<name>_max`` (元, at most two decimal places)."""

    SUFFIXES: ClassVar[tuple[str, str]] = ("min", "max")


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of values (tax type, status …): ``<name>=<value>``; empty means all."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    """``(value, label)`` pairs in display order."""

    @property
    def keys(self) -> tuple[str]:
        return (self.name,)

    @classmethod
    def of_enum(
        cls, name: str, label: str, values: Iterable[enum.Enum], labels: Mapping[str, str] | None = None
    ) -> Choice:
        """Options from an enum's values (its string values, shown as ``labels`` or as themselves)."""
        pairs = []
        for member in values:
            value = str(member.value)
            pairs.append((value, (labels or {}).get(value, value)))
        return cls(name, label, tuple(pairs))


@dataclass(frozen=True)
class Text:
    """Free text (a name, a number, a counterparty): ``<name>=<text>``, trimmed, at most ``max_length``."""

    name: str
    label: str
    max_length: int = 60
    placeholder: str = ""

    @property
    def keys(self) -> tuple[str]:
        return (self.name,)


Filter = DateRange | PeriodRange | AmountRange | Choice | Text


@dataclass
class FilterValues:
    """What the visitor asked for: typed values, the raw input (for redisplay) and messages."""

    spans: dict[str, Span[dt.date]] = field(default_factory=dict)
    amounts: dict[str, Span[Decimal]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    params: list[tuple[str, str]] = field(default_factory=list)
    """The understood filters in canonical form, in declaration order (for links and cursors)."""

    def dates(self, name: str) -> Span[dt.date]:
        """A :class:`DateRange` or :class:`PeriodRange` value (empty when not given or not valid)."""
        return self.spans.get(name, Span())

    def amount(self, name: str) -> Span[Decimal]:
        return self.amounts.get(name, Span())

    def text(self, name: str) -> str:
        """A :class:`Text` or :class:`Choice` value ('' when not given or not valid)."""
        return self.texts.get(name, "")

    def describe(self, filters: Iterable[Filter]) -> str:
        """The filters in words, e.g. ``所属期：2026-01至2026-03；状态：已办结`` (print view, audit)."""
        parts: list[str] = []
        given = dict(self.params)
        for flt in filters:
            if isinstance(flt, Choice):
                value = given.get(flt.name)
                if value:
                    parts.append(f"{flt.label}：{dict(flt.options).get(value, value)}")
            elif isinstance(flt, Text):
                if given.get(flt.name):
                    parts.append(f"{flt.label}：{given[flt.name]}")
            else:
                low, high = (given.get(key, "") for key in flt.keys)
                if low or high:
                    parts.append(f"{flt.label}：{low or '不限'}至{high or '不限'}")
        return "；".join(parts) or "全部"


def _clean(text: str) -> str:
    """Trim, and drop control characters (a NUL byte is refused by PostgreSQL)."""
    return "".join(ch for ch in text[:MAX_RAW] if unicodedata.category(ch)[0] != "C").strip()


def _date(text: str, label: str, end_label: str) -> tuple[dt.date | None, str]:
    if not DATE_PATTERN.match(text):
        return None, f"{label}{end_label}格式不正确，请按“年-月-日”填写，例如2026-01-31"
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None, f"{label}{end_label}不是有效的日期"
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None, f"{label}{end_label}超出可查询的范围（{FIRST_YEAR}年至{LAST_YEAR}年）"
    return day, ""


def _period(text: str, label: str, end_label: str, *, last_day: bool) -> tuple[dt.date | None, str]:
    if not PERIOD_PATTERN.match(text):
        return None, f"{label}{end_label}格式不正确，请按“年-月”填写，例如2026-01"
    year, month = int(text[:4]), int(text[5:])
    if not 1 <= month <= 12:
        return None, f"{label}{end_label}的月份应在1至12之间"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None, f"{label}{end_label}超出可查询的范围（{FIRST_YEAR}年至{LAST_YEAR}年）"
    first = dt.date(year, month, 1)
    if not last_day:
        return first, ""
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1), ""


def _amount(text: str, label: str, end_label: str) -> tuple[Decimal | None, str]:
    plain = text.replace(",", "").replace("，", "")
    if not AMOUNT_PATTERN.match(plain):
        return None, f"{label}{end_label}应为金额（元），最多两位小数，例如1234.56"
    try:
        value = Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None, f"{label}{end_label}应为金额（元）"
    if abs(value) >= MAX_AMOUNT:
        return None, f"{label}{end_label}超出可查询的范围"
    return value, ""


def _range(
    flt: DateRange | PeriodRange | AmountRange, params: Mapping[str, str], values: FilterValues
) -> None:
    low_key, high_key = flt.keys
    low_raw, high_raw = _clean(params.get(low_key, "")), _clean(params.get(high_key, ""))
    values.raw[low_key], values.raw[high_key] = low_raw, high_raw
    low: dt.date | Decimal | None = None
    high: dt.date | Decimal | None = None
    for key, raw, end_label in ((low_key, low_raw, "起"), (high_key, high_raw, "止")):
        if not raw:
            continue
        value: dt.date | Decimal | None
        if isinstance(flt, DateRange):
            value, problem = _date(raw, flt.label, end_label)
        elif isinstance(flt, PeriodRange):
            value, problem = _period(raw, flt.label, end_label, last_day=end_label == "止")
        else:
            value, problem = _amount(raw, flt.label, end_label)
        if problem:
            values.errors[key] = problem
        elif end_label == "起":
            low = value
        else:
            high = value
    if low is not None and high is not None and low > high:  # type: ignore[operator]
        if isinstance(flt, AmountRange):
            values.errors[high_key] = f"{flt.label}的最大值不能小于最小值"
        else:
            values.errors[high_key] = f"{flt.label}的结束时间不能早于开始时间"
        return
    if low is None and high is None:
        return
    if isinstance(flt, AmountRange):
        assert not isinstance(low, dt.date) and not isinstance(high, dt.date)
        values.amounts[flt.name] = Span(low, high)
        canonical = [str(v) if v is not None else "" for v in (low, high)]
    else:
        assert not isinstance(low, Decimal) and not isinstance(high, Decimal)
        values.spans[flt.name] = Span(low, high)
        if isinstance(flt, PeriodRange):
            canonical = [v.strftime("%Y-%m") if v is not None else "" for v in (low, high)]
        else:
            canonical = [v.isoformat() if v is not None else "" for v in (low, high)]
    for key, text in zip((low_key, high_key), canonical, strict=True):
        if text:
            values.params.append((key, text))


def parse_filters(filters: Iterable[Filter], params: Mapping[str, str]) -> FilterValues:
    """Read the declared filters from ``params`` (the query string). Never raises."""
    values = FilterValues()
    for flt in filters:
        if isinstance(flt, Choice):
            raw = _clean(params.get(flt.name, ""))
            values.raw[flt.name] = raw
            if not raw:
                continue
            if raw not in dict(flt.options):
                values.errors[flt.name] = f"{flt.label}没有这一选项，请从列表中选择"
                continue
            values.texts[flt.name] = raw
            values.params.append((flt.name, raw))
        elif isinstance(flt, Text):
            raw = _clean(params.get(flt.name, ""))
            values.raw[flt.name] = raw
            if not raw:
                continue
            if len(raw) > flt.max_length:
                values.errors[flt.name] = f"{flt.label}最多{flt.max_length}个字"
                continue
            values.texts[flt.name] = raw
            values.params.append((flt.name, raw))
        else:
            _range(flt, params, values)
    return values
