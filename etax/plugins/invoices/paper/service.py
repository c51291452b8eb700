"""发票领用 rules, checked inside one write transaction so two requests cannot both pass a limit:

- the type must be an approved paper type (票种核定);
- quantity ≤ 每次最高购票数量; this month's 领用 + quantity ≤ 每月最高购票数量;
- held (not yet 验旧) + quantity ≤ 持票最高数量;
- 购票方式 验旧购新: every earlier batch must have been 验旧 first.

Numbers come from a per-代码 counter (``UPDATE … RETURNING``), so ranges never overlap.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from etax.platform import api
from etax.plugins.invoices.clock import beijing_today, now, period_of
from etax.plugins.invoices.model import InvoiceError, Who
from etax.plugins.invoices.paper.loss import lost_by_batch
from etax.plugins.invoices.quota import QuotaView, quotas
from etax.plugins.invoices.tables import PaperBatch, PaperCounter

TYPE_CODES = {
    "增值税专用发票": "1130",
    "增值税普通发票（折叠票）": "0400",
    "增值税普通发票（卷票）": "0500",
    "机动车销售统一发票": "0300",
    "二手车销售统一发票": "0600",
    "通用定额发票": "0700",
}
VERIFY_FIRST = "验旧购新"


class Allowance(msgspec.Struct, frozen=True, kw_only=True):
    """One approved paper type with what was taken this month and what is held."""

    quota: QuotaView
    this_month: int
    held: int


class BatchView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    invoice_type: str
    code: str
    first_number: int
    last_number: int
    quantity: int
    month: str
    verified: bool
    created_at: dt.datetime


def _held(rows: list[dict[str, Any]], lost: dict[int, int]) -> int:
    """Invoices held: batches not yet 验旧, less those reported lost or destroyed (发票挂失、损毁报告)."""
    return sum(int(r["quantity"]) - lost.get(int(r["id"]), 0) for r in rows if not r["verified"])


async def allowances(taxpayer_id: int) -> list[Allowance]:
    month = period_of(beijing_today())
    rows = await PaperBatch.select().where(PaperBatch.taxpayer == taxpayer_id)
    lost = await lost_by_batch(taxpayer_id)
    found: list[Allowance] = []
    for quota in await quotas(taxpayer_id):
        if quota.invoice_type not in TYPE_CODES:
            continue
        mine = [r for r in rows if r["invoice_type"] == quota.invoice_type]
        found.append(
            Allowance(
                quota=quota,
                this_month=sum(int(r["quantity"]) for r in mine if r["month"] == month),
                held=_held(mine, lost),
            )
        )
    return found


async def batches(taxpayer_id: int) -> list[BatchView]:
    rows = (
        await PaperBatch.select()
        .where(PaperBatch.taxpayer == taxpayer_id)
        .order_by(PaperBatch.id, ascending=False)
    )
    return [msgspec.convert(row, BatchView) for row in rows]


async def purchase(invoice_type: str, quantity: int, who: Who) -> BatchView:
    if invoice_type not in TYPE_CODES:
        raise InvoiceError("请选择已核定的纸质发票种类", "invoice_type")
    if quantity <= 0:
        raise InvoiceError("领用数量必须为正整数", "quantity")
    moment = now()
    month = period_of(beijing_today(moment))
    async with api.write_transaction(PaperBatch):
        quota = next((q for q in await quotas(who.taxpayer_id) if q.invoice_type == invoice_type), None)
        if quota is None:
            raise InvoiceError(f"本单位未核定{invoice_type}，请先办理“发票票种核定”", "invoice_type")
        rows = await PaperBatch.select().where(
            (PaperBatch.taxpayer == who.taxpayer_id) & (PaperBatch.invoice_type == invoice_type)
        )
        held = _held(rows, await lost_by_batch(who.taxpayer_id))
        this_month = sum(int(r["quantity"]) for r in rows if r["month"] == month)
        if quota.purchase_method == VERIFY_FIRST and held:
            raise InvoiceError("购票方式为验旧购新：请先对已领用的发票办理验旧，再领用新发票", "quantity")
        if quantity > quota.per_purchase_quantity:
            raise InvoiceError(
                f"每次最高领用{quota.per_purchase_quantity}{quota.unit}，本次申请{quantity}{quota.unit}",
                "quantity",
            )
        if this_month + quantity > quota.monthly_quantity:
            raise InvoiceError(
                f"本月已领用{this_month}{quota.unit}，每月最高领用{quota.monthly_quantity}{quota.unit}，"
                f"本次最多还可领用{quota.monthly_quantity - this_month}{quota.unit}",
                "quantity",
            )
        if held + quantity > quota.holding_quantity:
            raise InvoiceError(
                f"持票最高数量为{quota.holding_quantity}{quota.unit}，当前持有{held}{quota.unit}，超出持票限额",
                "quantity",
            )
        code = f"21{beijing_today(moment):%y}0000{TYPE_CODES[invoice_type]}"
        await PaperCounter.insert(PaperCounter(code=code, last_number=0)).on_conflict(
            target=PaperCounter.code, action="DO NOTHING"
        )
        drawn = await PaperCounter.raw(
            "UPDATE invoices_paper_counter SET last_number = last_number + {} WHERE code = {} RETURNING last_number",
            quantity,
            code,
        )
        last = int(drawn[0]["last_number"])
        batch = PaperBatch(
            taxpayer=who.taxpayer_id,
            invoice_type=invoice_type,
            code=code,
            first_number=last - quantity + 1,
            last_number=last,
            quantity=quantity,
            month=month,
            created_at=moment,
            created_by=who.actor[:120],
        )
        await batch.save()
        await api.record(
            actor=who.actor,
            acting_for=who.acting_for,
            taxpayer_id=who.taxpayer_id,
            action="invoice.purchase",
            target=f"{invoice_type} {code} {last - quantity + 1:08d}-{last:08d}",
            ip=who.ip,
            outcome="success",
            detail=f"领用{quantity}{quota.unit}",
        )
    row = await PaperBatch.select().where(PaperBatch.id == batch.id).first()
    return msgspec.convert(row, BatchView)


async def verify_old(batch_id: int, who: Who) -> BatchView:
    """发票验（交）旧 of one held batch of this taxpayer; another taxpayer's batch is not found."""
    moment = now()
    async with api.write_transaction(PaperBatch):
        done = await PaperBatch.raw(
            "UPDATE invoices_paper_batch SET verified = {}, verified_at = {} "
            "WHERE id = {} AND taxpayer = {} AND verified = {} RETURNING id",
            True,
            moment,
            batch_id,
            who.taxpayer_id,
            False,
        )
        if not done:
            raise InvoiceError("未找到本单位待验旧的该批发票", "_404")
        await api.record(
            actor=who.actor,
            acting_for=who.acting_for,
            taxpayer_id=who.taxpayer_id,
            action="invoice.verify_old",
            target=f"领用批次 {batch_id}",
            ip=who.ip,
            outcome="success",
            detail="发票验旧",
        )
    row = await PaperBatch.select().where(PaperBatch.id == batch_id).first()
    return msgspec.convert(row, BatchView)
