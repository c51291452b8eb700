"""发票勾选确认: tick (勾选) and untick received 专票 for the current period, then 统计确认 closes the period.

An invoice is ticked at most once (a unique column); a confirmed period takes no more changes (the
confirmation row's unique key, written in the same transaction that marks its ticks confirmed).
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from etax.platform import api
from etax.plugins.invoices.clock import beijing_today, now, period_of
from etax.plugins.invoices.customs import confirm_customs, tick_customs, untick_customs
from etax.plugins.invoices.model import (
    Colour,
    InvoiceError,
    InvoiceKind,
    InvoiceStatus,
    InvoiceView,
    SelectionPurpose,
    Who,
)
from etax.plugins.invoices.store import INVOICE_COLUMNS, invoice_view, money
from etax.plugins.invoices.tables import Invoice, InvoiceSelection, PeriodConfirmation


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """A received invoice on the 勾选 page: ticked (for which purpose and period) or not."""

    invoice: InvoiceView
    purpose: SelectionPurpose | None
    period: str
    confirmed: bool


class Confirmation(msgspec.Struct, frozen=True, kw_only=True):
    period: str
    deductible_count: int
    deductible_amount: Decimal
    deductible_tax: Decimal
    confirmed_by: str
    confirmed_at: object


def current_period() -> str:
    return period_of(beijing_today())


async def confirmation_of(taxpayer_id: int, period: str) -> Confirmation | None:
    row = await PeriodConfirmation.select().where(PeriodConfirmation.key == f"{taxpayer_id}:{period}").first()
    if row is None:
        return None
    return Confirmation(
        period=str(row["period"]),
        deductible_count=int(row["deductible_count"]),
        deductible_amount=money(row["deductible_amount"]),
        deductible_tax=money(row["deductible_tax"]),
        confirmed_by=str(row["confirmed_by"]),
        confirmed_at=row["confirmed_at"],
    )


async def candidates(taxpayer_id: int, period: str) -> list[Candidate]:
    """Received 数电专票 up to the period's end: unticked ones, and those ticked for this period."""
    rows = (
        await Invoice.select(*INVOICE_COLUMNS)
        .where(
            (Invoice.buyer == taxpayer_id)
            & (Invoice.colour == Colour.BLUE.value)
            & (Invoice.kind == InvoiceKind.SPECIAL.value)
        )
        .order_by(Invoice.id, ascending=False)
        .limit(500)
    )
    ticks = {
        int(row["invoice"]): row
        for row in await InvoiceSelection.select().where(InvoiceSelection.taxpayer == taxpayer_id)
    }
    found: list[Candidate] = []
    for row in rows:
        invoice = invoice_view(row)
        tick = ticks.get(invoice.id)
        if tick is None:
            if invoice.status is InvoiceStatus.REVERSED or period_of(invoice.issue_date) > period:
                continue
            found.append(Candidate(invoice=invoice, purpose=None, period="", confirmed=False))
        elif tick["period"] == period:
            found.append(
                Candidate(
                    invoice=invoice,
                    purpose=SelectionPurpose(tick["purpose"]),
                    period=str(tick["period"]),
                    confirmed=bool(tick["confirmed"]),
                )
            )
    return found


async def _open_period(taxpayer_id: int, period: str) -> None:
    if await PeriodConfirmation.exists().where(PeriodConfirmation.key == f"{taxpayer_id}:{period}"):
        raise InvoiceError(f"{period}所属期已统计确认，不能再勾选或撤销勾选")


async def tick(
    invoice_ids: list[int], purpose: SelectionPurpose, who: Who, customs_ids: list[int] | None = None
) -> int:
    """Tick received invoices (and recorded 海关缴款书) for the current period; every id must be this
    buyer's, else nothing is written."""
    customs_ids = customs_ids or []
    if not invoice_ids and not customs_ids:
        raise InvoiceError("请选择要勾选的发票")
    period = current_period()
    moment = now()
    async with api.write_transaction(InvoiceSelection):
        await _open_period(who.taxpayer_id, period)
        await tick_customs(customs_ids, purpose, period, who)
        if not invoice_ids:
            return len(customs_ids)
        rows = await Invoice.select(*INVOICE_COLUMNS).where(Invoice.id.is_in(invoice_ids))
        invoices = {int(row["id"]): invoice_view(row) for row in rows}
        for invoice_id in invoice_ids:
            invoice = invoices.get(invoice_id)
            if invoice is None or invoice.buyer_id != who.taxpayer_id:
                raise InvoiceError("所选发票不是本单位取得的发票")
            if invoice.is_red or invoice.kind is not InvoiceKind.SPECIAL:
                raise InvoiceError(f"发票{invoice.number}不是可勾选的增值税专用发票")
            if invoice.status is InvoiceStatus.REVERSED:
                raise InvoiceError(f"发票{invoice.number}已全额红冲，不能勾选")
            if await InvoiceSelection.exists().where(InvoiceSelection.invoice == invoice_id):
                raise InvoiceError(f"发票{invoice.number}已勾选，请勿重复勾选")
            await InvoiceSelection(
                invoice=invoice_id,
                taxpayer=who.taxpayer_id,
                purpose=purpose.value,
                period=period,
                ticked_at=moment,
                ticked_by=who.actor[:120],
            ).save()
            await api.record(
                actor=who.actor,
                acting_for=who.acting_for,
                taxpayer_id=who.taxpayer_id,
                action="invoice.tick",
                target=f"{invoice.number}",
                ip=who.ip,
                outcome="success",
                detail=f"{purpose.label}，所属期{period}，税额{invoice.tax:.2f}元",
            )
    return len(invoice_ids) + len(customs_ids)


async def untick(invoice_ids: list[int], who: Who, customs_ids: list[int] | None = None) -> int:
    """Undo ticks of the current, unconfirmed period (only this buyer's)."""
    customs_ids = customs_ids or []
    if not invoice_ids and not customs_ids:
        raise InvoiceError("请选择要撤销勾选的发票")
    period = current_period()
    async with api.write_transaction(InvoiceSelection):
        await _open_period(who.taxpayer_id, period)
        await untick_customs(customs_ids, period, who)
        if not invoice_ids:
            return len(customs_ids)
        rows = await InvoiceSelection.select(InvoiceSelection.id, InvoiceSelection.invoice.number).where(
            InvoiceSelection.invoice.is_in(invoice_ids)
            & (InvoiceSelection.taxpayer == who.taxpayer_id)
            & (InvoiceSelection.period == period)
            & (InvoiceSelection.confirmed == False)  # noqa: E712 (a column comparison)
        )
        if len(rows) != len(set(invoice_ids)):
            raise InvoiceError("所选发票不是本单位本期已勾选的发票")
        await InvoiceSelection.delete().where(InvoiceSelection.id.is_in([int(r["id"]) for r in rows]))
        for row in rows:
            await api.record(
                actor=who.actor,
                acting_for=who.acting_for,
                taxpayer_id=who.taxpayer_id,
                action="invoice.untick",
                target=str(row["invoice.number"]),
                ip=who.ip,
                outcome="success",
                detail=f"撤销勾选，所属期{period}",
            )
    return len(rows) + len(customs_ids)


async def confirm(who: Who) -> Confirmation:
    """统计确认 of the current period: totals of the ticks for deduction; the period closes."""
    period = current_period()
    key = f"{who.taxpayer_id}:{period}"
    async with api.write_transaction(PeriodConfirmation):
        await _open_period(who.taxpayer_id, period)
        rows = await InvoiceSelection.select(
            InvoiceSelection.purpose, InvoiceSelection.invoice.amount, InvoiceSelection.invoice.tax
        ).where((InvoiceSelection.taxpayer == who.taxpayer_id) & (InvoiceSelection.period == period))
        deduct = [r for r in rows if r["purpose"] == SelectionPurpose.DEDUCT.value]
        customs_count, customs_amount, customs_tax = await confirm_customs(who.taxpayer_id, period)
        amount = sum((money(r["invoice.amount"]) for r in deduct), customs_amount)
        tax = sum((money(r["invoice.tax"]) for r in deduct), customs_tax)
        await PeriodConfirmation(
            key=key,
            taxpayer=who.taxpayer_id,
            period=period,
            deductible_count=len(deduct) + customs_count,
            deductible_amount=amount,
            deductible_tax=tax,
            confirmed_at=now(),
            confirmed_by=who.actor[:120],
        ).save()
        await InvoiceSelection.update({InvoiceSelection.confirmed: True}).where(
            (InvoiceSelection.taxpayer == who.taxpayer_id) & (InvoiceSelection.period == period)
        )
        await api.record(
            actor=who.actor,
            acting_for=who.acting_for,
            taxpayer_id=who.taxpayer_id,
            action="invoice.confirm",
            target=f"所属期{period}",
            ip=who.ip,
            outcome="success",
            detail=f"抵扣类{len(deduct)}份（另海关缴款书{customs_count}份），金额{amount:.2f}元，税额{tax:.2f}元；"
            f"不抵扣类发票{len(rows) - len(deduct)}份",
        )
    found = await confirmation_of(who.taxpayer_id, period)
    assert found is not None
    return found
