"""海关进口增值税专用缴款书: the importer records (采集) each 缴款书 it paid at the customs; recorded ones
appear in 抵扣类勾选 / 不抵扣类勾选 beside received 专票 and their tax joins the period's 统计确认 (and so the
VAT return's pre-filled input tax).

A 缴款书号码 is recorded once on the whole platform (a unique column); ticks are conditional updates
(``… WHERE purpose = ''``), so a number is never ticked twice.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import msgspec

from etax.platform import api
from etax.platform.api import FunctionSpec
from etax.plugins.invoices.clock import beijing_today, now, period_of
from etax.plugins.invoices.functions import ENTERPRISE
from etax.plugins.invoices.model import InvoiceError, SelectionPurpose, Who
from etax.plugins.invoices.store import money
from etax.plugins.invoices.tables import CustomsPayment

CUSTOMS = FunctionSpec(
    code="invoices.customs",
    name="海关缴款书采集",
    path=("我要办税", "增值税抵扣凭证管理", "海关缴款书采集"),
    url="/invoices/customs",
    keywords=(
        "海关缴款书",
        "海关进口增值税专用缴款书",
        "进口增值税",
        "缴款书",
        "海关票",
        "进口抵扣",
        "抵扣凭证",
        "海关缴款书勾选",
    ),
    initials=("hgjkscj",),
    audiences=ENTERPRISE,
    description="录入进口货物取得的海关进口增值税专用缴款书，采集后可在抵扣类勾选中勾选抵扣进项税额。",
)

NUMBER = re.compile(r"^\d{18}(-L\d{2})?$")
MAX_AMOUNT = Decimal("9999999999.99")
KEEP_YEARS = 5


class CustomsView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    issue_date: dt.date
    customs: str
    amount: Decimal
    tax: Decimal
    purpose: str
    period: str
    confirmed: bool
    created_at: dt.datetime

    @property
    def purpose_label(self) -> str:
        return SelectionPurpose(self.purpose).label if self.purpose else "未勾选"


class CustomsInput(msgspec.Struct, frozen=True, kw_only=True):
    number: str
    issue_date: dt.date
    customs: str
    amount: Decimal
    tax: Decimal


def _money(text: str, label: str, field: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise InvoiceError(f"{label}应为金额，如 12345.67", field) from None
    if not value.is_finite() or value <= 0:
        raise InvoiceError(f"{label}必须大于0", field)
    if value != value.quantize(Decimal("0.01")):
        raise InvoiceError(f"{label}最多保留两位小数", field)
    if value > MAX_AMOUNT:
        raise InvoiceError(f"{label}金额过大，请核对", field)
    return value


def parse_customs(form: dict[str, str]) -> CustomsInput:
    """The 采集 form as typed values, or the first problem in Chinese."""
    number = form.get("number", "").strip().upper()
    if not NUMBER.match(number):
        raise InvoiceError("缴款书号码应为18位数字，可带“-L”和两位序号，如 110120261000123456-L01", "number")
    try:
        issued = dt.date.fromisoformat(form.get("issue_date", "").strip())
    except ValueError:
        raise InvoiceError("填发日期格式应为YYYY-MM-DD", "issue_date") from None
    today = beijing_today()
    if issued > today:
        raise InvoiceError("填发日期不能晚于今天", "issue_date")
    if issued < today.replace(year=today.year - KEEP_YEARS):
        raise InvoiceError("只能采集近5年填发的海关缴款书", "issue_date")
    customs = form.get("customs", "").strip()
    if not 2 <= len(customs) <= 60:
        raise InvoiceError("请填写填发海关名称（2至60字）", "customs")
    amount = _money(form.get("amount", ""), "完税价格", "amount")
    tax = _money(form.get("tax", ""), "税款金额", "tax")
    if tax > amount:
        raise InvoiceError("税款金额不能大于完税价格", "tax")
    return CustomsInput(number=number, issue_date=issued, customs=customs, amount=amount, tax=tax)


def _view(row: dict[str, object]) -> CustomsView:
    return CustomsView(
        id=int(str(row["id"])),
        number=str(row["number"]),
        issue_date=row["issue_date"],  # type: ignore[arg-type]
        customs=str(row["customs"]),
        amount=money(row["amount"]),
        tax=money(row["tax"]),
        purpose=str(row["purpose"] or ""),
        period=str(row["period"] or ""),
        confirmed=bool(row["confirmed"]),
        created_at=row["created_at"],  # type: ignore[arg-type]
    )


async def record_customs(data: CustomsInput, who: Who) -> CustomsView:
    async with api.write_transaction(CustomsPayment):
        if await CustomsPayment.exists().where(CustomsPayment.number == data.number):
            raise InvoiceError(f"缴款书{data.number}已采集，不能重复采集", "number")
        rows = await CustomsPayment.insert(
            CustomsPayment(
                number=data.number,
                taxpayer=who.taxpayer_id,
                issue_date=data.issue_date,
                customs=data.customs,
                amount=data.amount,
                tax=data.tax,
                created_at=now(),
                created_by=who.actor[:120],
            )
        ).returning(CustomsPayment.id)
        await api.record(
            actor=who.actor,
            acting_for=who.acting_for,
            taxpayer_id=who.taxpayer_id,
            action="invoice.customs_record",
            target=data.number,
            ip=who.ip,
            outcome="success",
            detail=f"海关缴款书采集，税款金额{data.tax:.2f}元",
        )
    row = await CustomsPayment.select().where(CustomsPayment.id == int(rows[0]["id"])).first()
    assert row is not None
    return _view(row)


async def customs_payments(taxpayer_id: int) -> list[CustomsView]:
    rows = (
        await CustomsPayment.select()
        .where(CustomsPayment.taxpayer == taxpayer_id)
        .order_by(CustomsPayment.id, ascending=False)
        .limit(500)
    )
    return [_view(row) for row in rows]


async def customs_candidates(taxpayer_id: int, period: str) -> list[CustomsView]:
    """Recorded 缴款书 on the 勾选 page: unticked ones filled in by the period's end, and this period's ticks."""
    return [
        view
        for view in await customs_payments(taxpayer_id)
        if (not view.purpose and period_of(view.issue_date) <= period) or view.period == period
    ]


async def tick_customs(ids: list[int], purpose: SelectionPurpose, period: str, who: Who) -> None:
    """Tick recorded 缴款书 (inside the caller's transaction); every id must be this taxpayer's and unticked."""
    moment = now()
    for customs_id in ids:
        done = await CustomsPayment.raw(
            "UPDATE invoices_customs_payment SET purpose = {}, period = {}, ticked_at = {} "
            "WHERE id = {} AND taxpayer = {} AND purpose = '' RETURNING number, tax",
            purpose.value,
            period,
            moment,
            customs_id,
            who.taxpayer_id,
        )
        if not done:
            raise InvoiceError("所选海关缴款书不是本单位未勾选的缴款书")
        await api.record(
            actor=who.actor,
            acting_for=who.acting_for,
            taxpayer_id=who.taxpayer_id,
            action="invoice.tick",
            target=f"海关缴款书{done[0]['number']}",
            ip=who.ip,
            outcome="success",
            detail=f"{purpose.label}，所属期{period}，税额{money(done[0]['tax']):.2f}元",
        )


async def untick_customs(ids: list[int], period: str, who: Who) -> None:
    for customs_id in ids:
        done = await CustomsPayment.raw(
            "UPDATE invoices_customs_payment SET purpose = '', period = '', ticked_at = NULL "
            "WHERE id = {} AND taxpayer = {} AND period = {} AND confirmed = {} RETURNING number",
            customs_id,
            who.taxpayer_id,
            period,
            False,
        )
        if not done:
            raise InvoiceError("所选海关缴款书不是本单位本期已勾选的缴款书")
        await api.record(
            actor=who.actor,
            acting_for=who.acting_for,
            taxpayer_id=who.taxpayer_id,
            action="invoice.untick",
            target=f"海关缴款书{done[0]['number']}",
            ip=who.ip,
            outcome="success",
            detail=f"撤销勾选，所属期{period}",
        )


async def confirm_customs(taxpayer_id: int, period: str) -> tuple[int, Decimal, Decimal]:
    """Close the period's 缴款书 ticks; the count, 完税价格 and tax ticked for deduction."""
    rows = await CustomsPayment.select(
        CustomsPayment.purpose, CustomsPayment.amount, CustomsPayment.tax
    ).where((CustomsPayment.taxpayer == taxpayer_id) & (CustomsPayment.period == period))
    deduct = [row for row in rows if row["purpose"] == SelectionPurpose.DEDUCT.value]
    await CustomsPayment.update({CustomsPayment.confirmed: True}).where(
        (CustomsPayment.taxpayer == taxpayer_id) & (CustomsPayment.period == period)
    )
    return (
        len(deduct),
        sum((money(row["amount"]) for row in deduct), Decimal("0.00")),
        sum((money(row["tax"]) for row in deduct), Decimal("0.00")),
    )
