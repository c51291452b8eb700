"""The answers to ``etax_invoice_records`` / ``etax_invoice_record``: a taxpayer's invoices as the
platform's typed records, for the query centre's 发票信息查询 (which never reads these tables itself).

A page is one range scan of the ``(seller, id)`` or ``(buyer, id)`` index: ``id < seek`` newest first
(``id > seek`` oldest first for the previous page), ``LIMIT n``.
"""

from __future__ import annotations

from typing import Any

from etax.platform.api import (
    InvoiceKind,
    InvoiceRecord,
    InvoiceRecordDetail,
    InvoiceRecordLine,
    InvoiceRecordQuery,
    InvoiceSide,
    InvoiceState,
)
from etax.plugins.invoices.model import KIND_LABELS, Colour
from etax.plugins.invoices.model import InvoiceKind as OwnKind
from etax.plugins.invoices.store import items_of, money
from etax.plugins.invoices.tables import Invoice

MAX_LIMIT = 1001
COLUMNS = (
    Invoice.id,
    Invoice.number,
    Invoice.issue_date,
    Invoice.kind,
    Invoice.colour,
    Invoice.status,
    Invoice.seller,
    Invoice.seller_name,
    Invoice.seller_tin,
    Invoice.buyer_name,
    Invoice.buyer_tin,
    Invoice.amount,
    Invoice.tax,
    Invoice.total,
)


def _state(row: dict[str, Any]) -> InvoiceState:
    return InvoiceState.RED if row["colour"] == Colour.RED.value else InvoiceState(str(row["status"]))


def _record(row: dict[str, Any], side: InvoiceSide) -> InvoiceRecord:
    other = "buyer" if side is InvoiceSide.ISSUED else "seller"
    kind = OwnKind(str(row["kind"]))
    return InvoiceRecord(
        id=int(row["id"]),
        number=str(row["number"]),
        issue_date=row["issue_date"],
        kind=InvoiceKind(kind.value),
        kind_label=KIND_LABELS[kind],
        state=_state(row),
        counterparty_name=str(row[f"{other}_name"]),
        counterparty_tin=str(row[f"{other}_tin"]),
        amount=money(row["amount"]),
        tax=money(row["tax"]),
        total=money(row["total"]),
    )


def _where(query: InvoiceRecordQuery) -> Any:
    issued = query.side is InvoiceSide.ISSUED
    condition: Any = Invoice.seller == query.taxpayer_id if issued else Invoice.buyer == query.taxpayer_id
    if query.date_from:
        condition &= Invoice.issue_date >= query.date_from
    if query.date_to:
        condition &= Invoice.issue_date <= query.date_to
    typed = query.counterparty.replace("%", "").replace("_", "").strip()[:60]
    if typed:
        name, tin = f"%{typed}%", f"%{typed.upper()}%"
        if issued:
            condition &= Invoice.buyer_name.like(name) | Invoice.buyer_tin.like(tin)
        else:
            condition &= Invoice.seller_name.like(name) | Invoice.seller_tin.like(tin)
    if query.kind is not None:
        condition &= Invoice.kind == query.kind.value
    if query.state is InvoiceState.RED:
        condition &= Invoice.colour == Colour.RED.value
    elif query.state is not None:
        condition &= (Invoice.colour == Colour.BLUE.value) & (Invoice.status == query.state.value)
    if query.total_from is not None:
        condition &= Invoice.total >= query.total_from
    if query.total_to is not None:
        condition &= Invoice.total <= query.total_to
    if query.seek_id is not None:
        condition &= Invoice.id > query.seek_id if query.backward else Invoice.id < query.seek_id
    return condition


async def invoice_records(query: InvoiceRecordQuery) -> list[InvoiceRecord]:
    """One page of the taxpayer's issued or received invoices, in the order the query names."""
    limit = max(1, min(query.limit, MAX_LIMIT))
    rows = (
        await Invoice.select(*COLUMNS)
        .where(_where(query))
        .order_by(Invoice.id, ascending=query.backward)
        .limit(limit)
    )
    return [_record(row, query.side) for row in rows]


async def invoice_record(taxpayer_id: int, invoice_id: int) -> InvoiceRecordDetail | None:
    """One invoice the taxpayer issued or received (anyone else's: ``None``), with its lines."""
    row = (
        await Invoice.select(
            *COLUMNS, Invoice.issued_at, Invoice.issuer, Invoice.remark, Invoice.original.number
        )
        .where(
            (Invoice.id == invoice_id) & ((Invoice.seller == taxpayer_id) | (Invoice.buyer == taxpayer_id))
        )
        .first()
    )
    if row is None:
        return None
    side = InvoiceSide.ISSUED if int(row["seller"]) == taxpayer_id else InvoiceSide.RECEIVED
    lines = [
        InvoiceRecordLine(
            name=item.name,
            specification=item.specification,
            unit=item.unit,
            quantity=item.quantity,
            unit_price=item.unit_price,
            amount=item.amount,
            rate=item.rate / 100,
            tax=item.tax,
        )
        for item in await items_of(invoice_id)
    ]
    return InvoiceRecordDetail(
        record=_record(row, side),
        side=side,
        seller_name=str(row["seller_name"]),
        seller_tin=str(row["seller_tin"]),
        buyer_name=str(row["buyer_name"]),
        buyer_tin=str(row["buyer_tin"] or ""),
        issued_at=row["issued_at"],
        issuer=str(row["issuer"]),
        remark=str(row["remark"] or ""),
        original_number=str(row.get("original.number") or ""),
        lines=lines,
    )
