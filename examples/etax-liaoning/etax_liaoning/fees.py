"""社保费征收 over the platform ledger: which fees a unit is registered for, what it owes, what it paid.

A unit's 社会保险费 are ledger registrations (税费种认定) of the fee 征收项目 (``ledger.SOCIAL_INSURANCE_FEES``);
a monthly 社保费申报 files one declaration per registered fee in one batch (all or none), and 缴纳 is the
ledger's 三方协议 payment. Every read is scoped to the taxpayer by the ledger itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import msgspec

from etax.platform.api import clock, ledger

L = ledger
CENT = Decimal("0.01")
FORM_CODE = "LNSBF001"
FORM_VERSION = "2026"

# 单位缴费费率 (employer's share) of Liaoning; 工伤 is the base rate of 行业风险类别一类. These are the
# plugin's parameters: a bureau changes them here when the province publishes new rates.
RATES: dict[L.TaxType, Decimal] = {
    L.TaxType.PENSION: Decimal("0.16"),
    L.TaxType.UNEMPLOYMENT: Decimal("0.005"),
    L.TaxType.MEDICAL: Decimal("0.075"),
    L.TaxType.WORK_INJURY: Decimal("0.002"),
    L.TaxType.MATERNITY: Decimal("0.008"),
}
# 缴费基数上下限 per person and month (60 % and 300 % of the provincial average wage).
BASE_MIN = Decimal("4246.00")
BASE_MAX = Decimal("21231.00")
MAX_PERSONS = 100_000
LOOKBACK_MONTHS = 12


class FeeLine(msgspec.Struct, frozen=True, kw_only=True):
    """One fee of a 社保费申报: its type, rate and amount."""

    tax_type: L.TaxType
    rate: Decimal
    amount: Decimal

    @property
    def label(self) -> str:
        return self.tax_type.label

    @property
    def rate_text(self) -> str:
        return f"{(self.rate * 100).normalize():f}%"


class DuePeriod(msgspec.Struct, frozen=True, kw_only=True):
    """A month whose 社保费 is not declared yet, with the fees due and its deadline."""

    start: dt.date
    end: dt.date
    deadline: dt.date
    fees: tuple[L.TaxType, ...]
    late: bool

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"


def registered_fees(registrations: list[L.Registration]) -> tuple[L.TaxType, ...]:
    """The fee types among ``registrations``, in the usual order."""
    held = {reg.tax_type for reg in registrations}
    return tuple(fee for fee in L.SOCIAL_INSURANCE_FEES if fee in held)


async def fees_of(taxpayer_id: int) -> tuple[L.TaxType, ...]:
    """The 社会保险费 the unit is registered for today."""
    return registered_fees(await L.registrations(taxpayer_id, on=clock.today()))


async def due_periods(taxpayer_id: int) -> list[DuePeriod]:
    """Months of the last year (and earlier unfiled ones) whose fees are not declared, oldest first."""
    today = clock.today()
    start = (today.replace(day=1) - dt.timedelta(days=31 * LOOKBACK_MONTHS)).replace(day=1)
    fees = set(await fees_of(taxpayer_id))
    months: dict[dt.date, list[L.Obligation]] = {}
    for item in await L.obligations(taxpayer_id, start, today):
        if item.tax_type in fees and item.period_kind is L.PeriodKind.MONTH and item.declaration is None:
            months.setdefault(item.period_start, []).append(item)
    return [
        DuePeriod(
            start=first,
            end=items[0].period_end,
            deadline=min(i.deadline for i in items),
            fees=tuple(fee for fee in L.SOCIAL_INSURANCE_FEES if fee in {i.tax_type for i in items}),
            late=any(i.status is L.ObligationStatus.OVERDUE for i in items),
        )
        for first, items in sorted(months.items())
    ]


def compute(fees: tuple[L.TaxType, ...], wages: Decimal) -> list[FeeLine]:
    """Each fee: 缴费工资总额 × 单位费率, rounded half-up to the fen."""
    return [
        FeeLine(tax_type=fee, rate=RATES[fee], amount=(wages * RATES[fee]).quantize(CENT, ROUND_HALF_UP))
        for fee in fees
    ]


def problems(persons: int, wages: Decimal) -> dict[str, str]:
    """What is wrong with 缴费人数 and 缴费工资总额 (Chinese messages by field)."""
    found: dict[str, str] = {}
    if not 1 <= persons <= MAX_PERSONS:
        found["persons"] = f"缴费人数须为1至{MAX_PERSONS}之间的整数"
        return found
    if wages < BASE_MIN * persons:
        found["wages"] = (
            f"缴费工资总额低于缴费基数下限：{persons}人 × {BASE_MIN}元 = {BASE_MIN * persons}元，请按下限申报"
        )
    elif wages > BASE_MAX * persons:
        found["wages"] = (
            f"缴费工资总额高于缴费基数上限：{persons}人 × {BASE_MAX}元 = {BASE_MAX * persons}元，超出部分不计征"
        )
    return found


async def declare(
    taxpayer_id: int, period: DuePeriod, persons: int, wages: Decimal, *, filed_by: str, submission: str
) -> list[L.Declaration]:
    """File the month's fees together (one batch; a replay of ``submission`` returns the same records)."""
    requests = [
        L.FilingRequest(
            taxpayer_id=taxpayer_id,
            tax_type=line.tax_type,
            form_code=FORM_CODE,
            form_version=FORM_VERSION,
            period_kind=L.PeriodKind.MONTH,
            period_start=period.start,
            period_end=period.end,
            amounts=L.Amounts(income=wages, tax=line.amount, payable=line.amount),
            lines={"persons": str(persons), "wages": f"{wages:.2f}", "rate": str(line.rate)},
            filed_by=filed_by,
            submission=submission,
        )
        for line in compute(period.fees, wages)
    ]
    return await L.file_declarations(requests)


async def unpaid_fees(taxpayer_id: int) -> list[L.UnpaidItem]:
    """Declared fees not yet paid, with 滞纳金 to today."""
    return [i for i in await L.unpaid(taxpayer_id) if i.declaration.tax_type in L.SOCIAL_INSURANCE_FEES]


class FeeRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One fee paid: a row of 社保费缴费记录查询."""

    id: int  # payment id × 1000 + item position: unique, and the order of the list
    paid_on: dt.date
    tax_type: str
    period_start: dt.date
    period_end: dt.date
    amount: Decimal
    late_fee: Decimal
    voucher: str


async def fee_records(taxpayer_id: int, fees: tuple[L.TaxType, ...]) -> list[FeeRecord]:
    """Paid fees of the types ``fees`` (the unit's registered ones), from the ledger's payments."""
    rows: list[FeeRecord] = []
    for payment in await L.payments(taxpayer_id, statuses=[L.PaymentStatus.SUCCEEDED]):
        if payment.paid_on is None:
            continue
        for position, item in enumerate(payment.items):
            if item.tax_type in fees:
                rows.append(
                    FeeRecord(
                        id=payment.id * 1000 + position,
                        paid_on=payment.paid_on,
                        tax_type=item.tax_type.value,
                        period_start=item.period_start,
                        period_end=item.period_end,
                        amount=item.tax,
                        late_fee=item.late_fee,
                        voucher=payment.voucher_number,
                    )
                )
    return rows
