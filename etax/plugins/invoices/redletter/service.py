"""红字发票信息确认单 and the red invoice it leads to.

The seller raises a 确认单 for a whole or part amount (line by line); the buyer may raise one for a
专票 it has ticked. When the other party is on the platform it must confirm (the slip is in its
我的待办); otherwise the red invoice is issued at once. Issuing takes back line and invoice amounts with
``UPDATE … WHERE remaining >= x``, so the blue invoice's remaining red-able amount never goes below
zero even under concurrent confirmations; the seller's quota is restored by the red amount; a ticked
blue invoice gets a 进项税额转出 for the buyer.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from decimal import Decimal

import msgspec

from etax.platform import api
from etax.plugins.invoices.clock import beijing_today, now
from etax.plugins.invoices.issuing.service import draw_number, restore_quota
from etax.plugins.invoices.model import Colour, InvoiceError, InvoiceKind, InvoiceView, Party, RedStatus, Who
from etax.plugins.invoices.money import fen, line_tax
from etax.plugins.invoices.store import from_fen, invoice_by_id, invoice_for, money, to_fen
from etax.plugins.invoices.tables import (
    Invoice,
    InvoiceItem,
    InvoiceSelection,
    RedLetterRequest,
    TransferOut,
)

REASONS = ("开票有误", "销货退回", "服务中止", "销售折让")


class RedLine(msgspec.Struct, frozen=True, kw_only=True):
    item: int
    amount: Decimal  # positive: 不含税金额 to take back


class RequestView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    blue_id: int
    blue_number: str
    raised_by: Party
    raiser_id: int
    confirmer_id: int | None
    amount: Decimal
    tax: Decimal
    total: Decimal
    lines: tuple[RedLine, ...]
    reason: str
    status: RedStatus
    created_at: dt.datetime
    created_by: str
    decided_at: dt.datetime | None
    decided_by: str
    red_id: int | None
    seller_name: str
    buyer_name: str


def _request_view(row: dict[str, object]) -> RequestView:
    lines = tuple(
        RedLine(item=int(entry["item"]), amount=Decimal(entry["amount"]))
        for entry in json.loads(str(row["lines"]))
    )
    return RequestView(
        id=int(str(row["id"])),
        number=str(row["number"]),
        blue_id=int(str(row["blue"])),
        blue_number=str(row["blue.number"]),
        raised_by=Party(str(row["raised_by"])),
        raiser_id=int(str(row["raiser"])),
        confirmer_id=None if row["confirmer"] is None else int(str(row["confirmer"])),
        amount=money(row["amount"]),
        tax=money(row["tax"]),
        total=money(row["total"]),
        lines=lines,
        reason=str(row["reason"]),
        status=RedStatus(str(row["status"])),
        created_at=row["created_at"],  # type: ignore[arg-type]
        created_by=str(row["created_by"]),
        decided_at=row["decided_at"],  # type: ignore[arg-type]
        decided_by=str(row["decided_by"]),
        red_id=None if row["red"] is None else int(str(row["red"])),
        seller_name=str(row["blue.seller_name"]),
        buyer_name=str(row["blue.buyer_name"]),
    )


REQUEST_COLUMNS = (
    RedLetterRequest.all_columns(),
    RedLetterRequest.blue.number,
    RedLetterRequest.blue.seller_name,
    RedLetterRequest.blue.buyer_name,
)


async def request_by_id(request_id: int) -> RequestView | None:
    row = (
        await RedLetterRequest.select(*REQUEST_COLUMNS[0], *REQUEST_COLUMNS[1:])
        .where(RedLetterRequest.id == request_id)
        .first()
    )
    return None if row is None else _request_view(row)


async def request_for(request_id: int, taxpayer_id: int) -> RequestView | None:
    """The slip if ``taxpayer_id`` raised it or must confirm it (never another taxpayer's)."""
    found = await request_by_id(request_id)
    if found is None or taxpayer_id not in (found.raiser_id, found.confirmer_id):
        return None
    return found


async def requests_of(
    taxpayer_id: int, *, pending_for_me: bool = False, limit: int = 50
) -> list[RequestView]:
    query = RedLetterRequest.select(*REQUEST_COLUMNS[0], *REQUEST_COLUMNS[1:])
    if pending_for_me:
        query = query.where(
            (RedLetterRequest.confirmer == taxpayer_id) & (RedLetterRequest.status == RedStatus.PENDING.value)
        )
    else:
        query = query.where(
            (RedLetterRequest.raiser == taxpayer_id) | (RedLetterRequest.confirmer == taxpayer_id)
        )
    rows = await query.order_by(RedLetterRequest.id, ascending=False).limit(limit)
    return [_request_view(row) for row in rows]


def _party(invoice: InvoiceView, taxpayer_id: int) -> Party:
    return Party.SELLER if invoice.seller_id == taxpayer_id else Party.BUYER


def _check_lines(invoice: InvoiceView, lines: list[RedLine]) -> tuple[Decimal, Decimal]:
    """The red 金额 and 税额 (positive), or the first problem."""
    items = {item.id: item for item in invoice.items}
    amount = tax = Decimal("0.00")
    for red in lines:
        item = items.get(red.item)
        if item is None:
            raise InvoiceError("红冲项目不属于该发票")
        if red.amount < 0:
            raise InvoiceError(f"第{item.line}行：红冲金额不能为负数，请填写要冲减的金额")
        if red.amount != fen(red.amount):
            raise InvoiceError(f"第{item.line}行：红冲金额最多保留两位小数")
        if red.amount > item.remaining:
            raise InvoiceError(
                f"第{item.line}行：红冲金额{red.amount:,.2f}元超出剩余可红冲金额{item.remaining:,.2f}元"
            )
        amount += red.amount
        tax += line_tax(red.amount, item.rate)
    if amount <= 0:
        raise InvoiceError("请填写红冲金额（全额红冲请保留各行剩余金额）")
    return amount, tax


async def raise_request(blue_id: int, lines: list[RedLine], reason: str, who: Who) -> RequestView:
    """Raise a 红字发票信息确认单 (and issue at once when the other party is not on the platform)."""
    invoice = await invoice_for(blue_id, who.taxpayer_id)
    if invoice is None:
        raise InvoiceError("未找到该发票", "_404")
    if invoice.is_red:
        raise InvoiceError("红字发票不能再开具红字发票")
    if reason not in REASONS:
        raise InvoiceError("请选择红冲原因")
    party = _party(invoice, who.taxpayer_id)
    if party is Party.BUYER:
        ticked = await InvoiceSelection.exists().where(InvoiceSelection.invoice == invoice.id)
        if invoice.kind is not InvoiceKind.SPECIAL or not ticked:
            raise InvoiceError("购买方仅可对已勾选的增值税专用发票提出红字确认单，其他情形请由销售方提出")
    lines = [line for line in lines if line.amount != 0]
    amount, tax = _check_lines(invoice, lines)
    confirmer = invoice.buyer_id if party is Party.SELLER else invoice.seller_id
    moment = now()
    async with api.write_transaction(RedLetterRequest):
        if await RedLetterRequest.exists().where(
            (RedLetterRequest.blue == invoice.id) & (RedLetterRequest.status == RedStatus.PENDING.value)
        ):
            raise InvoiceError("该发票已有待对方确认的红字发票信息确认单，请等待确认或撤销后再提出")
        slip = RedLetterRequest(
            number=f"{beijing_today(moment):%Y%m%d}{secrets.randbelow(10**12):012d}",
            blue=invoice.id,
            raised_by=party.value,
            raiser=who.taxpayer_id,
            confirmer=confirmer,
            amount=-amount,
            tax=-tax,
            total=-(amount + tax),
            lines=json.dumps([{"item": line.item, "amount": f"{line.amount:.2f}"} for line in lines]),
            reason=reason,
            status=RedStatus.PENDING.value,
            created_at=moment,
            created_by=who.actor[:120],
        )
        await slip.save()
        await api.record(
            actor=who.actor,
            acting_for=who.acting_for,
            taxpayer_id=who.taxpayer_id,
            action="invoice.red_request",
            target=f"确认单 {slip.number}（蓝字发票 {invoice.number}）",
            ip=who.ip,
            outcome="success",
            detail=f"{party.label}提出，{reason}，红冲金额{amount:.2f}元，税额{tax:.2f}元",
        )
        if confirmer is None:
            await _issue_red(int(slip.id), invoice, lines, who, who.actor)
    found = await request_by_id(int(slip.id))
    assert found is not None
    return found


async def decide(request_id: int, action: str, who: Who) -> RequestView:
    """The other party confirms (the red invoice is issued) or refuses; the raiser may withdraw."""
    slip = await request_for(request_id, who.taxpayer_id)
    if slip is None:
        raise InvoiceError("未找到该确认单", "_404")
    moment = now()
    async with api.write_transaction(RedLetterRequest):
        row = (
            await RedLetterRequest.select(RedLetterRequest.status)
            .where(RedLetterRequest.id == slip.id)
            .first()
        )
        if row is None or row["status"] != RedStatus.PENDING.value:
            raise InvoiceError(f"该确认单当前状态为“{row['status'] if row else ''}”，不能再处理")
        if action in ("confirm", "reject"):
            if slip.confirmer_id != who.taxpayer_id:
                raise InvoiceError("确认单需由对方确认，提出方不能自行确认")
        elif action == "cancel":
            if slip.raiser_id != who.taxpayer_id:
                raise InvoiceError("只有提出方可以撤销确认单")
        else:
            raise InvoiceError("请选择要办理的操作")
        status = {"reject": RedStatus.REJECTED, "cancel": RedStatus.CANCELLED}.get(action)
        if status is not None:
            await RedLetterRequest.update(
                {
                    RedLetterRequest.status: status.value,
                    RedLetterRequest.decided_at: moment,
                    RedLetterRequest.decided_by: who.actor[:120],
                }
            ).where(RedLetterRequest.id == slip.id)
        else:
            invoice = await invoice_by_id(slip.blue_id)
            assert invoice is not None
            issuer = who.actor if slip.raised_by is Party.BUYER else slip.created_by
            await _issue_red(slip.id, invoice, list(slip.lines), who, issuer)
        await api.record(
            actor=who.actor,
            acting_for=who.acting_for,
            taxpayer_id=who.taxpayer_id,
            action=f"invoice.red_{action}",
            target=f"确认单 {slip.number}（蓝字发票 {slip.blue_number}）",
            ip=who.ip,
            outcome="success",
            detail={"confirm": "确认，红字发票已开具", "reject": "拒绝", "cancel": "撤销"}[action],
        )
    found = await request_by_id(slip.id)
    assert found is not None
    return found


async def _issue_red(slip_id: int, blue: InvoiceView, lines: list[RedLine], who: Who, issuer: str) -> int:
    """Inside the caller's transaction: take the amounts back, number and store the red invoice."""
    moment = now()
    items = {item.id: item for item in blue.items}
    total_fen = 0
    red_lines: list[tuple[int, Decimal, Decimal]] = []  # (blue item, amount, tax), positive
    for wanted in lines:
        item = items[wanted.item]
        x = to_fen(wanted.amount)
        taken = await InvoiceItem.raw(
            "UPDATE invoices_item SET reversed_fen = reversed_fen + {} "
            "WHERE id = {} AND ROUND(amount * 100) - reversed_fen >= {} RETURNING reversed_fen",
            x,
            item.id,
            x,
        )
        if not taken:
            raise InvoiceError(f"第{item.line}行：红冲金额超出剩余可红冲金额，可能已被其他红字发票冲减")
        if int(taken[0]["reversed_fen"]) == to_fen(item.amount):
            earlier = await InvoiceItem.select(InvoiceItem.tax).where(InvoiceItem.original_item == item.id)
            tax = item.tax + sum(
                (money(r["tax"]) for r in earlier), Decimal("0.00")
            )  # earlier reds are negative
        else:
            tax = line_tax(wanted.amount, item.rate)
        red_lines.append((item.id, wanted.amount, tax))
        total_fen += x
    done = await Invoice.raw(
        "UPDATE invoices_invoice SET reversed_fen = reversed_fen + {}, status = CASE "
        "WHEN ROUND(amount * 100) = reversed_fen + {} THEN '已红冲' ELSE '部分红冲' END "
        "WHERE id = {} AND ROUND(amount * 100) - reversed_fen >= {} RETURNING id",
        total_fen,
        total_fen,
        blue.id,
        total_fen,
    )
    if not done:
        raise InvoiceError("红冲金额超出该发票剩余可红冲金额")
    amount = from_fen(total_fen)
    tax_total = sum((tax for _item, _amount, tax in red_lines), Decimal("0.00"))
    number = await draw_number(blue.seller_id, moment)
    await restore_quota(blue.seller_id, total_fen, moment)
    red = Invoice(
        number=number,
        kind=blue.kind.value,
        colour=Colour.RED.value,
        seller=blue.seller_id,
        seller_tin=blue.seller_tin,
        seller_name=blue.seller_name,
        buyer=blue.buyer_id,
        buyer_tin=blue.buyer_tin,
        buyer_name=blue.buyer_name,
        buyer_is_person=blue.buyer_is_person,
        issued_at=moment,
        issue_date=beijing_today(moment),
        amount=-amount,
        tax=-tax_total,
        total=-(amount + tax_total),
        status="正常",
        original=blue.id,
        issuer=issuer[:60],
        remark="",
    )
    await red.save()
    for line_number, (item_id, line_amount, line_tax_value) in enumerate(red_lines, start=1):
        item = items[item_id]
        await InvoiceItem(
            invoice=red.id,
            line=line_number,
            name=item.name,
            specification=item.specification,
            unit=item.unit,
            quantity=None,
            unit_price=None,
            amount=-line_amount,
            rate=item.rate,
            tax=-line_tax_value,
            original_item=item.id,
        ).save()
    await RedLetterRequest.update(
        {
            RedLetterRequest.status: RedStatus.ISSUED.value,
            RedLetterRequest.red: red.id,
            RedLetterRequest.decided_at: moment,
            RedLetterRequest.decided_by: who.actor[:120],
            RedLetterRequest.tax: -tax_total,
            RedLetterRequest.total: -(amount + tax_total),
        }
    ).where(RedLetterRequest.id == slip_id)
    selection = (
        await InvoiceSelection.select(InvoiceSelection.taxpayer)
        .where(InvoiceSelection.invoice == blue.id)
        .first()
    )
    if selection is not None and blue.buyer_id is not None:
        await TransferOut(
            taxpayer=blue.buyer_id,
            red=red.id,
            blue=blue.id,
            tax=tax_total,
            transfer_date=beijing_today(moment),
            created_at=moment,
        ).save()
    await api.record(
        actor=who.actor,
        acting_for=who.acting_for,
        taxpayer_id=blue.seller_id,
        action="invoice.red_issue",
        target=f"红字发票 {number}（蓝字发票 {blue.number}）",
        ip=who.ip,
        outcome="success",
        detail=f"红冲金额{amount:.2f}元，税额{tax_total:.2f}元",
    )
    return int(red.id)
