"""Filing a return on the platform's ledger: what each return files, pre-fill, the checks before
filing, drafts (暂存), and turning a computed return into ledger requests.

Pages and tests call these functions; every write goes through ``api.ledger`` (declarations) or this
plugin's draft table. Nothing here trusts a computed line from the browser: every submit recomputes
the whole return with :func:`etax.plugins.filing.engine.compute`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import msgspec

from etax.platform.api import FunctionSpec, InvoiceFigures, clock, ledger, registry
from etax.platform.api import ledger as L
from etax.plugins.filing import functions as F
from etax.plugins.filing.engine import ZERO, Computation, EngineError, FormSpec, Kind, ValueType, compute
from etax.plugins.filing.forms import CIT_PREPAY, PROPERTY_BEHAVIOUR, VAT_GENERAL, VAT_SMALL
from etax.plugins.filing.forms.vat_general import ROW_OF_RATE
from etax.plugins.filing.periods import Period, PeriodError, PeriodKind
from etax.plugins.filing.policy import PolicyMissing
from etax.plugins.filing.tables import FilingDraft

Amounter = Callable[[Computation], "L.Amounts"]

KIND_TO_LEDGER = {
    PeriodKind.MONTH: L.PeriodKind.MONTH,
    PeriodKind.QUARTER: L.PeriodKind.QUARTER,
    PeriodKind.YEAR: L.PeriodKind.YEAR,
}
LEDGER_TO_KIND = {value: key for key, value in KIND_TO_LEDGER.items()}


class FilingRefused(Exception):
    """A return cannot be filed (or opened for filing); ``message`` is Chinese and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _pos(value: Decimal) -> Decimal:
    return max(value, ZERO)


def _amounts(
    c: Computation,
    *,
    income: Decimal = ZERO,
    tax: Decimal = ZERO,
    relief: Decimal = ZERO,
    prepaid: Decimal = ZERO,
    due: Decimal = ZERO,
    carried: Decimal = ZERO,
) -> L.Amounts:
    del c
    return L.Amounts(
        income=_pos(income),
        tax=_pos(tax),
        relief=_pos(relief),
        prepaid=_pos(prepaid),
        payable=_pos(due),
        credit=_pos(carried) + _pos(-due),
    )


def _sum(c: Computation, codes: tuple[str, ...]) -> Decimal:
    return sum((c.amount(code) for code in codes), ZERO)


def _vat_general_items() -> tuple[tuple[L.TaxType, Amounter], ...]:
    def vat(c: Computation) -> L.Amounts:
        return _amounts(
            c,
            income=_sum(c, ("M.1", "M.5", "M.7", "M.8")),
            tax=c.amount("M.24"),
            relief=c.amount("M.23"),
            prepaid=c.amount("M.28") + c.amount("M.29"),
            due=c.amount("M.34"),
            carried=c.amount("M.20"),
        )

    def surcharge(row: str) -> Amounter:
        def amounts(c: Computation) -> L.Amounts:
            return _amounts(
                c,
                income=c.amount(f"T5.{row}.1"),
                tax=c.amount(f"T5.{row}.5"),
                relief=c.amount(f"T5.{row}.6") + c.amount(f"T5.{row}.8"),
                prepaid=c.amount(f"T5.{row}.9"),
                due=c.amount(f"T5.{row}.10"),
            )

        return amounts

    return (
        (L.TaxType.VAT, vat),
        (L.TaxType.URBAN_CONSTRUCTION, surcharge("1")),
        (L.TaxType.EDUCATION, surcharge("2")),
        (L.TaxType.LOCAL_EDUCATION, surcharge("3")),
    )


def _vat_small_items() -> tuple[tuple[L.TaxType, Amounter], ...]:
    sides = ("g", "s")

    def both(no: str) -> tuple[str, ...]:
        return tuple(f"Q.{no}.{side}" for side in sides)

    def vat(c: Computation) -> L.Amounts:
        return _amounts(
            c,
            income=_sum(c, (*both("1"), *both("4"), *both("7"), *both("9"), *both("13"))),
            tax=_sum(c, both("15")),
            relief=_sum(c, (*both("16"), *both("17"))),
            prepaid=_sum(c, both("21")),
            due=c.amount("Q.vat"),
        )

    def surcharge(line: str) -> Amounter:
        return lambda c: _amounts(c, income=_pos(c.amount("Q.vat")), tax=c.amount(line), due=c.amount(line))

    return (
        (L.TaxType.VAT, vat),
        (L.TaxType.URBAN_CONSTRUCTION, surcharge("Q.23")),
        (L.TaxType.EDUCATION, surcharge("Q.24")),
        (L.TaxType.LOCAL_EDUCATION, surcharge("Q.25")),
    )


def _cit_items() -> tuple[tuple[L.TaxType, Amounter], ...]:
    def cit(c: Computation) -> L.Amounts:
        return _amounts(
            c,
            income=c.amount("A.1"),
            tax=c.amount("A.12"),
            relief=c.amount("A.13"),
            prepaid=c.amount("A.14") + c.amount("A.15"),
            due=c.amount("A.24"),
        )

    return ((L.TaxType.CIT, cit),)


def _property_items() -> tuple[tuple[L.TaxType, Amounter], ...]:
    def tax(row: str, income: tuple[str, ...]) -> Amounter:
        return lambda c: _amounts(
            c,
            income=_sum(c, income),
            tax=c.amount(f"P.{row}.1"),
            relief=c.amount(f"P.{row}.2"),
            prepaid=c.amount(f"P.{row}.3"),
            due=c.amount(f"P.{row}.4"),
        )

    return (
        (L.TaxType.STAMP, tax("1", tuple(f"Y.{i}.1" for i in range(1, 15)))),
        (L.TaxType.PROPERTY, tax("2", ("F.1.1", "F.2.1"))),
        (L.TaxType.LAND_USE, tax("3", ())),
    )


@dataclass(frozen=True)
class ReturnKind:
    """A return the portal files: its function, its form, the tax types it declares and how."""

    function: FunctionSpec
    form: FormSpec
    items: tuple[tuple[L.TaxType, Amounter], ...]
    taxpayer_kind: L.TaxpayerKind | None = None
    # Tax types that must be registered; the others are filed when registered (附加税费).
    required: frozenset[L.TaxType] = frozenset()
    # A period of any one of ``items`` opens the return (财产和行为税: any of the three).
    any_of: bool = False

    @property
    def main(self) -> L.TaxType:
        return self.items[0][0]

    @property
    def tax_types(self) -> tuple[L.TaxType, ...]:
        return tuple(tax for tax, _ in self.items)


RETURNS: tuple[ReturnKind, ...] = (
    ReturnKind(
        function=F.VAT_GENERAL,
        form=VAT_GENERAL,
        items=_vat_general_items(),
        taxpayer_kind=L.TaxpayerKind.GENERAL,
        required=frozenset({L.TaxType.VAT}),
    ),
    ReturnKind(
        function=F.VAT_SMALL,
        form=VAT_SMALL,
        items=_vat_small_items(),
        taxpayer_kind=L.TaxpayerKind.SMALL,
        required=frozenset({L.TaxType.VAT}),
    ),
    ReturnKind(function=F.CIT, form=CIT_PREPAY, items=_cit_items(), required=frozenset({L.TaxType.CIT})),
    ReturnKind(function=F.PROPERTY_BEHAVIOUR, form=PROPERTY_BEHAVIOUR, items=_property_items(), any_of=True),
)
BY_FORM = {r.form.code: r for r in RETURNS}
BY_FUNCTION = {r.function.code: r for r in RETURNS}


async def return_for(taxpayer_id: int, tax_type: L.TaxType) -> ReturnKind | None:
    """Which return files ``tax_type`` for this taxpayer (增值税: by 一般纳税人 / 小规模)."""
    if tax_type is L.TaxType.VAT:
        kind = await ledger.taxpayer_kind(taxpayer_id)
        return BY_FORM[VAT_SMALL.code if kind is L.TaxpayerKind.SMALL else VAT_GENERAL.code]
    for ret in RETURNS:
        if ret.main is tax_type or (ret.any_of and tax_type in ret.tax_types):
            return ret
    return None


# --- periods and checks ------------------------------------------------------------------------------


def period_from_dates(kind: L.PeriodKind, start: dt.date) -> Period:
    return Period.containing(start, LEDGER_TO_KIND[kind])


class Situation(msgspec.Struct, kw_only=True):
    """What the filing page must know before the return is shown or filed."""

    taxpayer_name: str
    tin: str
    period: Period
    deadline: dt.date | None
    late: bool
    existing: L.Declaration | None  # the live declaration of the main tax for the period
    correcting: L.Declaration | None  # the declaration being corrected (更正申报)
    warnings: list[str]
    tax_types: list[L.TaxType]  # what filing this return declares (registered)


async def situation(
    ret: ReturnKind, taxpayer_id: int, period_text: str, *, correcting: str = ""
) -> Situation:
    """Check everything that must hold before ``ret`` can be filed for the period (or corrected).

    Refuses (:class:`FilingRefused`) a wrong period, a period not yet ended, a taxpayer not 正常, the
    wrong 纳税人类型, a tax type not registered; warns about earlier periods not filed.
    """
    try:
        period = Period.parse(period_text)
    except PeriodError as exc:
        raise FilingRefused(exc.args[0]) from None
    if period.kind not in ret.form.period_kinds or period.kind not in KIND_TO_LEDGER:
        raise FilingRefused(f"{ret.form.name}不按{period.kind.value}申报，所属期“{period.code}”不适用")
    today = clock.today()
    if period.end >= today:
        raise FilingRefused(f"税款所属期{period.label}尚未结束，不能申报")
    taxpayer = await registry.taxpayer_by_id(taxpayer_id)
    if taxpayer is None:
        raise FilingRefused("未找到纳税人信息")
    if taxpayer.status != "正常":
        raise FilingRefused(f"纳税人状态为“{taxpayer.status}”，不能办理申报，请联系主管税务机关")
    if ret.taxpayer_kind is not None:
        kind = await ledger.taxpayer_kind(taxpayer_id, period.end)
        if kind is not None and kind is not ret.taxpayer_kind:
            raise FilingRefused(
                f"{period.label}您是{kind.label}，请使用{'增值税一般纳税人申报' if kind is L.TaxpayerKind.GENERAL else '增值税小规模纳税人申报'}"
            )
    ledger_kind = KIND_TO_LEDGER[period.kind]
    registered = {
        reg.tax_type
        for reg in await ledger.registrations(taxpayer_id)
        if reg.period_kind is ledger_kind
        and reg.valid_from <= period.end
        and (reg.valid_to is None or reg.valid_to >= period.start)
    }
    tax_types = [tax for tax in ret.tax_types if tax in registered]
    missing = [tax.label for tax in ret.required if tax not in registered]
    if missing or not tax_types:
        names = "、".join(missing or [t.label for t in ret.tax_types])
        raise FilingRefused(
            f"{period.label}未认定按{period.kind.value}申报的{names}，不能申报，请先办理税费种认定"
        )
    main = tax_types[0]
    existing = await ledger.live_declaration(taxpayer_id, main, period.start, period.end)
    target: L.Declaration | None = None
    if correcting:
        target = await ledger.declaration_by_number(taxpayer_id, correcting)
        if target is None or target.status is not L.DeclarationStatus.FILED:
            raise FilingRefused("未找到可更正的申报记录")
        if (target.period_start, target.period_end) != (
            period.start,
            period.end,
        ) or target.tax_type not in ret.tax_types:
            raise FilingRefused("更正的申报记录与所属期不符")
    deadline = await ledger.filing_deadline(taxpayer_id, main, ledger_kind, period.start, period.end)
    warnings: list[str] = []
    earlier = [
        o
        for o in await ledger.obligations(taxpayer_id, period.start - dt.timedelta(days=730), period.start)
        if o.tax_type is main and o.period_end < period.start and o.status is not L.ObligationStatus.FILED
    ]
    if earlier:
        labels = "、".join(period_from_dates(o.period_kind, o.period_start).label for o in earlier[:4])
        warnings.append(f"前期未申报：{main.label}{labels}尚未申报，请先补办（逾期申报）")
    return Situation(
        taxpayer_name=taxpayer.name,
        tin=taxpayer.tin,
        period=period,
        deadline=deadline,
        late=today > deadline,
        existing=existing,
        correcting=target,
        warnings=warnings,
        tax_types=tax_types,
    )


# --- pre-fill and system lines ----------------------------------------------------------------------


LOCATION = {"市区": "市区", "县城、镇": "县城镇", "县城镇": "县城镇", "其他": "其他"}


def invoice_prefill(form: FormSpec, figures: InvoiceFigures | None) -> dict[str, str]:
    """Editable lines offered from the period's invoices (预填)."""
    if figures is None:
        return {}
    found: dict[str, Decimal] = {}

    def add(code: str, amount: Decimal) -> None:
        if code in form.lines and form.lines[code].kind is Kind.PREFILL:
            found[code] = found.get(code, ZERO) + amount

    for sale in figures.sales:
        kind = "special" if sale.kind.value == "special" else "ordinary"
        if form is VAT_GENERAL:
            row = ROW_OF_RATE.get(
                sale.rate.normalize() if sale.rate else Decimal("0"), ROW_OF_RATE.get(sale.rate)
            )
            if row is None:
                continue
            column = ("1", "2") if kind == "special" else ("3", "4")
            add(f"T1.{row}.{column[0]}", sale.amount)
            if row not in ("18", "19"):
                add(f"T1.{row}.{column[1]}", sale.tax)
        elif form is VAT_SMALL:
            if sale.rate in (Decimal("0.01"), Decimal("0.03")):
                add(f"S.{'a1' if kind == 'special' else 'a2'}.g", sale.amount)
            elif sale.rate == Decimal("0.05"):
                add(f"S.{'b1' if kind == 'special' else 'b2'}.g", sale.amount)
            elif sale.rate == 0:
                add("S.d1.g", sale.amount)
    if form is VAT_GENERAL:
        add("T2.2.n", Decimal(figures.deductible_count))
        add("T2.2.a", figures.deductible_amount)
        add("T2.2.t", figures.deductible_tax)
        add("T2.20.t", figures.transfer_out_tax)
    return {
        code: str(value.quantize(Decimal(1)) if form.lines[code].type is ValueType.COUNT else value)
        for code, value in found.items()
        if value != 0
    }


async def taxpayer_prefill(form: FormSpec, taxpayer_id: int) -> dict[str, str]:
    taxpayer = await registry.taxpayer_by_id(taxpayer_id)
    values: dict[str, str] = {}
    if taxpayer is not None and "H.location" in form.lines:
        values["H.location"] = LOCATION.get(taxpayer.location_class, "市区")
    if "H.six_two" in form.lines:
        kind = await ledger.taxpayer_kind(taxpayer_id)
        values["H.six_two"] = "是" if kind is L.TaxpayerKind.SMALL else form.lines["H.six_two"].default
    return values


async def system_lines(ret: ReturnKind, taxpayer_id: int, period: Period) -> dict[str, str]:
    """The read-only 系统带出 lines, from the ledger: 上期留抵 / 期初未缴 (VAT), 本年已预缴 (CIT)."""
    values: dict[str, str] = {}
    if ret.form is VAT_GENERAL:
        previous = period.previous()
        found = await ledger.live_declaration(taxpayer_id, L.TaxType.VAT, previous.start, previous.end)
        if found is not None:
            lines = await ledger.declaration_lines(taxpayer_id, found.id)
            if lines is not None and lines.form_code == VAT_GENERAL.code:
                values["M.13"] = lines.lines.get("M.20", "0")
                values["M.25"] = str(found.outstanding)
    if ret.form is CIT_PREPAY:
        earlier = await ledger.declarations(
            taxpayer_id,
            tax_types=(L.TaxType.CIT,),
            statuses=(L.DeclarationStatus.FILED,),
            period_from=dt.date(period.year, 1, 1),
            period_to=period.start - dt.timedelta(days=1),
        )
        prepaid = sum(
            (
                d.amounts.payable
                for d in earlier
                if d.period_start.year == period.year and d.period_end < period.start
            ),
            ZERO,
        )
        values["A.14"] = str(prepaid)
    return values


SOURCE_LINES = ("F.1.1", "F.2.1", "L.1.1", "L.1.2")  # 房产原值, 租金收入, 占地面积, 单位税额


async def source_prefill(ret: ReturnKind, taxpayer_id: int, period: Period) -> dict[str, str]:
    """税源: the buildings and land of the last 财产和行为税 return before ``period`` carry forward."""
    if ret.form is not PROPERTY_BEHAVIOUR:
        return {}
    earlier = await ledger.declarations(
        taxpayer_id,
        tax_types=ret.tax_types,
        statuses=(L.DeclarationStatus.FILED,),
        period_to=period.start - dt.timedelta(days=1),
        limit=1,
    )
    if not earlier:
        return {}
    stored = await ledger.declaration_lines(taxpayer_id, earlier[0].id)
    if stored is None or stored.form_code != PROPERTY_BEHAVIOUR.code:
        return {}
    return {
        code: stored.lines[code] for code in SOURCE_LINES if stored.lines.get(code, "0") not in ("0", "0.00")
    }


async def decision_prefill(
    ret: ReturnKind, taxpayer_id: int, period: Period
) -> tuple[dict[str, str], list[str]]:
    """The bureau's decisions for the period (written by the 涉税事项 plugin into the ledger): a 定期定额
    fills the small-scale VAT return's 未开具发票 sales with the approved monthly sales × the months of the
    period; the reliefs in force are named in the notes (优惠信息查询 lists them)."""
    values: dict[str, str] = {}
    notes: list[str] = []
    if ret.form is VAT_SMALL:
        fixed = [
            f for f in await ledger.fixed_amounts(taxpayer_id, on=period.end) if f.tax_type is L.TaxType.VAT
        ]
        if fixed:
            values["S.a3.g"] = str(fixed[0].monthly_sales * period.months)
            notes.append(
                f"已按核定定额（月销售额{fixed[0].monthly_sales:,.2f}元）预填未开具发票销售额，超过定额的请按实填写"
            )
    reliefs = [r for r in await ledger.reliefs(taxpayer_id, on=period.end) if r.tax_type in ret.tax_types]
    if reliefs:
        named = "、".join(f"{r.tax_type.label}{r.code}（{r.name}）" for r in reliefs)
        notes.append(f"本期可享受的减免：{named}，请按减免性质填写减免税额")
    return values, notes


# --- drafts ---------------------------------------------------------------------------------------


def draft_key(taxpayer_id: int, form: FormSpec, period: Period, correcting: str) -> str:
    return f"{taxpayer_id}:{form.code}:{period.code}:{correcting or 'new'}"


async def save_draft(
    taxpayer_id: int, form: FormSpec, period: Period, correcting: str, lines: Mapping[str, str], by: str
) -> None:
    """暂存: keep the typed lines (one draft per taxpayer, form, period and mode; a later save replaces it)."""
    key = draft_key(taxpayer_id, form, period, correcting)
    payload = json.dumps(dict(lines), ensure_ascii=False, sort_keys=True)
    await FilingDraft.insert(
        FilingDraft(
            key=key,
            taxpayer=taxpayer_id,
            form_code=form.code,
            period=period.code,
            correcting=correcting,
            lines=payload,
            saved_by=by,
            saved_at=clock.utcnow(),
        )
    ).on_conflict(
        target=FilingDraft.key,
        action="DO UPDATE",
        values=[FilingDraft.lines, FilingDraft.saved_by, FilingDraft.saved_at],
    )


class Draft(msgspec.Struct, frozen=True, kw_only=True):
    lines: dict[str, str]
    saved_by: str
    saved_at: dt.datetime


async def load_draft(taxpayer_id: int, form: FormSpec, period: Period, correcting: str) -> Draft | None:
    row = (
        await FilingDraft.select()
        .where(FilingDraft.key == draft_key(taxpayer_id, form, period, correcting))
        .first()
    )
    if row is None:
        return None
    return Draft(lines=json.loads(row["lines"]), saved_by=row["saved_by"], saved_at=row["saved_at"])


async def drop_draft(taxpayer_id: int, form: FormSpec, period: Period, correcting: str) -> None:
    await FilingDraft.delete().where(FilingDraft.key == draft_key(taxpayer_id, form, period, correcting))


# --- filing ---------------------------------------------------------------------------------------


def editable_values(form: FormSpec, posted: Mapping[str, object]) -> dict[str, object]:
    """The posted values that are lines of the form (every line code, so tampering is caught)."""
    return {code: value for code, value in posted.items() if code in form.lines}


async def recompute(
    ret: ReturnKind, taxpayer_id: int, period: Period, posted: Mapping[str, object]
) -> Computation:
    """Compute the return from posted editable lines and the ledger's 系统带出 lines."""
    system = await system_lines(ret, taxpayer_id, period)
    try:
        return compute(ret.form, period, editable_values(ret.form, posted), system=system, strict=False)
    except (PolicyMissing, EngineError) as exc:
        raise FilingRefused(str(exc.args[0])) from None


def requests_for(
    ret: ReturnKind,
    situation: Situation,
    result: Computation,
    *,
    taxpayer_id: int,
    filed_by: str,
    submission: str,
    agency_taxpayer_id: int | None,
    agency_name: str,
) -> list[L.FilingRequest]:
    """The ledger requests of a computed return: one per tax type it declares.

    A 附加税费 (or a 财产和行为税) with an amount but no registration is refused.
    """
    lines = {code: str(value) for code, value in result.values.items()}
    period = situation.period
    requests: list[L.FilingRequest] = []
    for tax, amounter in ret.items:
        amounts = amounter(result)
        if tax not in situation.tax_types:
            if amounts.tax > 0 or amounts.payable > 0:
                raise FilingRefused(f"未认定{tax.label}，不能申报该税种的税款，请先办理税费种认定")
            continue
        requests.append(
            L.FilingRequest(
                taxpayer_id=taxpayer_id,
                tax_type=tax,
                form_code=ret.form.code,
                form_version=ret.form.version,
                period_kind=KIND_TO_LEDGER[period.kind],
                period_start=period.start,
                period_end=period.end,
                amounts=amounts,
                lines=lines,
                filed_by=filed_by,
                agency_taxpayer_id=agency_taxpayer_id,
                agency_name=agency_name,
                submission=submission,
            )
        )
    return requests
