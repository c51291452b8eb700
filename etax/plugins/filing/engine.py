"""One engine for every return: forms are declared as data (:class:`FormSpec`), the engine computes,
validates and lays them out.

A form is a list of sections laid out like the official table (rows × columns of cells); every cell is
a :class:`Line` with its 栏次, label, kind (填写 / 预填 / 系统带出 / 计算), value type, validation and — for
computed lines — a formula in Python. The formulas live only here: the pages post the editable lines
back to :func:`compute` through htmx and show what it answers; the CLI (``etax forms compute``) calls
the same function.

Money is :class:`~decimal.Decimal`, rounded to the fen (ROUND_HALF_UP) on every computed line, as the
tables require. Policy parameters (rates, thresholds, reliefs) are read from dated data valid on the
last day of the period (:mod:`etax.plugins.filing.policy`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import msgspec

from etax.plugins.filing import policy
from etax.plugins.filing.periods import Period, PeriodKind

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("999999999999.99")  # what a Numeric(14, 2) column holds
MAX_COUNT = Decimal("99999999")


class Kind(enum.StrEnum):
    """Who fills a line."""

    INPUT = "填写"  # the taxpayer types it
    PREFILL = "预填"  # offered from a source (invoices, last period), the taxpayer may change it
    SYSTEM = "系统带出"  # from the bureau's records, read-only
    COMPUTED = "计算"  # by formula, read-only


class ValueType(enum.StrEnum):
    MONEY = "金额"
    RATE = "比率"
    COUNT = "整数"
    QUANTITY = "数量"
    CHOICE = "选项"


Value = Decimal | str
Formula = Callable[["Values"], Value]
Check = Callable[["Values"], "str | None"]


@dataclass(frozen=True)
class Line:
    """One line (or one cell of a table) of a return."""

    code: str
    label: str
    no: str = ""
    kind: Kind = Kind.INPUT
    type: ValueType = ValueType.MONEY
    formula: Formula | None = None
    source: str | None = None
    negative: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[str, ...] = ()
    default: str = ""
    check: Check | None = None
    hint: str = ""

    @property
    def editable(self) -> bool:
        return self.kind in (Kind.INPUT, Kind.PREFILL)

    @property
    def where(self) -> str:
        """How messages name the line: 第17栏“应抵扣税额合计”."""
        if not self.no:
            return f"“{self.label}”"
        if self.no[0].isdigit():
            return f"第{self.no}栏“{self.label}”"
        return f"{self.no}“{self.label}”"


@dataclass(frozen=True)
class Row:
    """One printed row: its 栏次/行次, its label, and one cell per column (``None`` prints “—”)."""

    no: str
    label: str
    cells: tuple[Line | None, ...]
    indent: int = 0


@dataclass(frozen=True)
class Section:
    """A table of the return (主表, 附列资料一 …) laid out like the official form."""

    code: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""


@dataclass(frozen=True)
class FormSpec:
    """A return declared as data."""

    code: str
    version: str
    name: str
    title: str
    period_kinds: frozenset[PeriodKind]
    header: tuple[Line, ...]
    sections: tuple[Section, ...]
    checks: tuple[Check, ...] = ()
    # Amounts the ledger records, by 征收项目: (item, line code of the amount due this period).
    items: tuple[tuple[str, str], ...] = ()
    # The line holding the return's total due, shown on previews and confirmations.
    total: str = ""
    unit: str = "元（列至角分）"
    lines: dict[str, Line] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        lines: dict[str, Line] = {}
        for line in self.all_lines():
            if line.code in lines:
                raise ValueError(f"form {self.code}: line {line.code} declared twice")
            if line.kind is Kind.COMPUTED and line.formula is None:
                raise ValueError(f"form {self.code}: computed line {line.code} has no formula")
            lines[line.code] = line
        object.__setattr__(self, "lines", lines)

    def all_lines(self) -> Iterable[Line]:
        yield from self.header
        for section in self.sections:
            for row in section.rows:
                for cell in row.cells:
                    if cell is not None:
                        yield cell

    def editable(self) -> list[Line]:
        return [line for line in self.lines.values() if line.editable]


class EngineError(ValueError):
    """A problem with the request itself (unknown form or period kind), in Chinese."""


class CycleError(RuntimeError):
    pass


class Values:
    """What formulas and checks see: line values (computed on first use), choices and policy parameters."""

    def __init__(self, form: FormSpec, period: Period, given: Mapping[str, Value]) -> None:
        self.form = form
        self.period = period
        self.day: dt.date = period.end
        self._given = dict(given)
        self._cache: dict[str, Value] = {}
        self._busy: set[str] = set()

    def value(self, code: str) -> Value:
        if code in self._cache:
            return self._cache[code]
        line = self.form.lines[code]
        if line.formula is None:
            result: Value = self._given.get(code, _zero(line))
        else:
            if code in self._busy:
                raise CycleError(f"form {self.form.code}: formula cycle through {code}")
            self._busy.add(code)
            try:
                result = _round(line, line.formula(self))
            finally:
                self._busy.discard(code)
        self._cache[code] = result
        return result

    def __getitem__(self, code: str) -> Decimal:
        result = self.value(code)
        if not isinstance(result, Decimal):
            raise TypeError(f"line {code} is not a number")
        return result

    def text(self, code: str) -> str:
        return str(self.value(code))

    def sum(self, codes: Iterable[str]) -> Decimal:
        return sum((self[code] for code in codes), ZERO)

    def policy(self, key: str) -> Decimal:
        return policy.value(key, self.day)

    def policy_or(self, key: str, default: Decimal) -> Decimal:
        found = policy.optional(key, self.day)
        return default if found is None else found


def _zero(line: Line) -> Value:
    if line.type is ValueType.CHOICE:
        return line.default or (line.choices[0] if line.choices else "")
    if line.default:
        return Decimal(line.default)
    return Decimal(0) if line.type is ValueType.COUNT else ZERO


def _round(line: Line, result: Value) -> Value:
    if isinstance(result, str):
        return result
    if line.type is ValueType.COUNT:
        return result.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if line.type is ValueType.RATE:
        return result
    return result.quantize(FEN, rounding=ROUND_HALF_UP)


def money(amount: Decimal) -> Decimal:
    """``amount`` rounded to the fen."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def parse_value(line: Line, raw: object) -> Value:
    """A typed value from what was posted or given in JSON; raises ``ValueError`` with a Chinese problem."""
    if line.type is ValueType.CHOICE:
        text = str(raw).strip()
        if text not in line.choices:
            raise ValueError("请选择：" + "、".join(line.choices))
        return text
    if isinstance(raw, bool) or raw is None:
        raise ValueError("请填写数字")
    if isinstance(raw, float):
        raw = repr(raw)
    text = str(raw).strip().replace(",", "").replace("，", "")
    if text == "":
        return _zero(line)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("请填写数字") from None
    if not number.is_finite():
        raise ValueError("请填写数字")
    if abs(number) > (MAX_COUNT if line.type is ValueType.COUNT else MAX_AMOUNT):
        raise ValueError("数值过大，请核对")
    if line.type is ValueType.COUNT:
        if number != number.to_integral_value():
            raise ValueError("请填写整数")
        return number.quantize(Decimal(1))
    if line.type is ValueType.RATE:
        return number
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError("金额最多保留两位小数（列至角分）")
    return number.quantize(FEN)


def range_problem(line: Line, value: Value) -> str | None:
    """Whether a value is out of the line's range (negative, absurdly large, outside min/max)."""
    if not isinstance(value, Decimal):
        return None
    if value < 0 and not line.negative:
        return "不能为负数"
    limit = MAX_COUNT if line.type is ValueType.COUNT else MAX_AMOUNT
    if abs(value) > limit:
        return "数值过大，请核对"
    if line.minimum is not None and value < line.minimum:
        return f"不能小于 {line.minimum}"
    if line.maximum is not None and value > line.maximum:
        return f"不能大于 {line.maximum}"
    return None


class LineResult(msgspec.Struct, frozen=True, kw_only=True):
    """One line as the CLI prints it."""

    code: str
    no: str
    label: str
    kind: str
    value: str
    error: str = ""


class Computation(msgspec.Struct, kw_only=True):
    """The result of computing a return: every line's value and every problem found."""

    form: str
    version: str
    period: str
    values: dict[str, Value]
    errors: dict[str, str] = msgspec.field(default_factory=dict)
    problems: list[str] = msgspec.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems

    def amount(self, code: str) -> Decimal:
        result = self.values[code]
        assert isinstance(result, Decimal)
        return result

    def messages(self) -> list[str]:
        return [*self.errors.values(), *self.problems]

    def inputs(self, form: FormSpec) -> dict[str, str]:
        """The editable and system lines as strings (what a draft or a declaration stores)."""
        return {
            code: str(value)
            for code, value in self.values.items()
            if form.lines[code].kind is not Kind.COMPUTED
        }

    def lines(self, form: FormSpec) -> list[LineResult]:
        return [
            LineResult(
                code=line.code,
                no=line.no,
                label=line.label,
                kind=line.kind.value,
                value=str(self.values[line.code]),
                error=self.errors.get(line.code, ""),
            )
            for line in form.lines.values()
        ]


def check_period(form: FormSpec, period: Period) -> None:
    if period.kind not in form.period_kinds:
        kinds = "、".join(sorted(k.value for k in form.period_kinds))
        raise EngineError(f"{form.name}按{kinds}申报，所属期“{period.code}”不适用")


def compute(
    form: FormSpec,
    period: Period,
    inputs: Mapping[str, object],
    *,
    system: Mapping[str, object] | None = None,
    strict: bool = True,
) -> Computation:
    """Compute every line of ``form`` for ``period`` from the editable ``inputs``.

    ``system`` gives the read-only 系统带出 lines (from the ledger); a 系统带出 or computed line inside
    ``inputs`` is refused (a tampered form), as is an unknown code when ``strict``. Problems are
    collected, never raised: a line that does not parse counts as 0 so the rest still computes.
    Raises :class:`EngineError` only for a period the form is not filed for, and
    :class:`policy.PolicyMissing` when no policy data covers the period.
    """
    check_period(form, period)
    errors: dict[str, str] = {}
    problems: list[str] = []
    given: dict[str, Value] = {}
    for code, raw in inputs.items():
        line = form.lines.get(code)
        if line is None:
            if strict:
                problems.append(f"表单中没有栏次“{code}”，请刷新页面后重新填写")
            continue
        if not line.editable:
            errors[code] = f"{line.where}：由系统{'计算' if line.kind is Kind.COMPUTED else '带出'}，不能修改"
            continue
        try:
            given[code] = parse_value(line, raw)
        except ValueError as exc:
            errors[code] = f"{line.where}：{exc}"
    for code, raw in (system or {}).items():
        line = form.lines.get(code)
        if line is None or line.kind is not Kind.SYSTEM:
            raise KeyError(f"form {form.code}: {code} is not a 系统带出 line")
        given[code] = parse_value(line, raw)
    values = Values(form, period, given)
    computed: dict[str, Value] = {}
    for line in form.lines.values():
        computed[line.code] = values.value(line.code)
    for line in form.lines.values():
        if line.code in errors:
            continue
        problem = range_problem(line, computed[line.code])
        if problem:
            errors[line.code] = f"{line.where}：{problem}"
            continue
        if line.check is not None:
            problem = line.check(values)
            if problem:
                errors[line.code] = f"{line.where}：{problem}"
    for check in form.checks:
        problem = check(values)
        if problem:
            problems.append(problem)
    return Computation(
        form=form.code,
        version=form.version,
        period=period.code,
        values=computed,
        errors=errors,
        problems=problems,
    )


def is_zero_return(form: FormSpec, result: Computation) -> bool:
    """Whether every amount the taxpayer filled is 0 (零申报)."""
    return all(
        result.values[line.code] == 0
        for line in form.lines.values()
        if line.editable and line.type is ValueType.MONEY
    )


def display(line: Line, value: Value) -> str:
    """A value as the printed form shows it: 1,234.50; rates as percentages."""
    if isinstance(value, str):
        return value
    if line.type is ValueType.MONEY:
        return f"{value:,.2f}"
    if line.type is ValueType.RATE:
        percent = (value * 100).normalize()
        return f"{percent:f}%"
    if line.type is ValueType.QUANTITY:
        return f"{value:,.2f}"
    return f"{value:,}"
