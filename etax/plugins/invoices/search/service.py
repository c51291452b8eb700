"""全量发票查询 on the platform's list-page service: declared filters (in the URL), keyset pagination
newest first on the ``(seller, id)`` / ``(buyer, id)`` indexes (signed cursors bound to the taxpayer
and the query type), CSV/XLSX export and print.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import msgspec

from etax.platform.api import (
    AmountRange,
    Choice,
    Column,
    DateRange,
    ListFormat,
    Listing,
    ListQuery,
    PageRequest,
    SortKey,
    Text,
    Tone,
)
from etax.plugins.invoices.model import KIND_LABELS, Colour, InvoiceKind, InvoiceStatus
from etax.plugins.invoices.store import money
from etax.plugins.invoices.tables import Invoice


class Direction(enum.StrEnum):
    ISSUED = "issued"
    RECEIVED = "received"

    @property
    def label(self) -> str:
        return "开具发票" if self is Direction.ISSUED else "取得发票"


def direction_of(raw: str) -> Direction:
    """The query type (开具/取得); anything else is 开具发票."""
    return Direction.RECEIVED if raw == Direction.RECEIVED.value else Direction.ISSUED


class QueryRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    issue_date: dt.date
    kind: str
    colour: str
    counterparty: str
    counterparty_tin: str
    amount: Decimal
    tax: Decimal
    total: Decimal
    status: str


STATUS_RED = "红字发票"

LISTING: Listing[QueryRow] = Listing(
    code="invoices.query",
    row=QueryRow,
    sort=(SortKey("id"),),
    filters=(
        DateRange("issue_date", "开票日期"),
        Text("counterparty", "对方名称或纳税人识别号", max_length=60),
        Choice("kind", "发票种类", tuple((kind.value, KIND_LABELS[kind]) for kind in InvoiceKind)),
        Choice("colour", "红蓝标志", ((Colour.BLUE.value, "蓝字发票"), (Colour.RED.value, "红字发票"))),
        Choice("status", "发票状态", tuple((s.value, s.value) for s in InvoiceStatus)),
        AmountRange("total", "价税合计"),
    ),
)

COLUMNS = (
    Column("number", "发票号码"),
    Column("issue_date", "开票日期", ListFormat.DATE),
    Column("kind", "发票种类", labels={k.value: KIND_LABELS[k] for k in InvoiceKind}),
    Column("counterparty", "对方名称"),
    Column("counterparty_tin", "对方纳税人识别号"),
    Column("amount", "金额", ListFormat.MONEY),
    Column("tax", "税额", ListFormat.MONEY),
    Column("total", "价税合计", ListFormat.MONEY),
    Column(
        "status",
        "状态",
        ListFormat.BADGE,
        badges={
            InvoiceStatus.NORMAL.value: Tone.OK,
            InvoiceStatus.PARTLY_REVERSED.value: Tone.WAIT,
            InvoiceStatus.REVERSED.value: Tone.BAD,
            STATUS_RED: Tone.BAD,
        },
    ),
)


def _where(taxpayer_id: int, direction: Direction, query: ListQuery[QueryRow]) -> Any:
    issued = direction is Direction.ISSUED
    condition: Any = Invoice.seller == taxpayer_id if issued else Invoice.buyer == taxpayer_id
    f = query.filters
    days = f.dates("issue_date")
    if days.start:
        condition &= Invoice.issue_date >= days.start
    if days.end:
        condition &= Invoice.issue_date <= days.end
    typed = f.text("counterparty").replace("%", "").replace("_", "")
    if typed:
        name, tin = f"%{typed}%", f"%{typed.upper()}%"  # 纳税人识别号 are upper case
        if issued:
            condition &= Invoice.buyer_name.like(name) | Invoice.buyer_tin.like(tin)
        else:
            condition &= Invoice.seller_name.like(name) | Invoice.seller_tin.like(tin)
    for name in ("kind", "colour"):
        if f.text(name):
            condition &= getattr(Invoice, name) == f.text(name)
    if f.text("status"):
        condition &= (Invoice.status == f.text("status")) & (Invoice.colour == Colour.BLUE.value)
    totals = f.amount("total")
    if totals.start is not None:
        condition &= Invoice.total >= totals.start
    if totals.end is not None:
        condition &= Invoice.total <= totals.end
    return condition


async def read(
    taxpayer_id: int, direction: Direction, query: ListQuery[QueryRow], page: PageRequest
) -> list[QueryRow]:
    issued = direction is Direction.ISSUED
    select = Invoice.select(
        Invoice.id,
        Invoice.number,
        Invoice.issue_date,
        Invoice.kind,
        Invoice.colour,
        Invoice.buyer_name if issued else Invoice.seller_name,
        Invoice.buyer_tin if issued else Invoice.seller_tin,
        Invoice.amount,
        Invoice.tax,
        Invoice.total,
        Invoice.status,
    ).where(_where(taxpayer_id, direction, query))
    side = "buyer" if issued else "seller"
    return [
        QueryRow(
            id=int(row["id"]),
            number=str(row["number"]),
            issue_date=row["issue_date"],
            kind=str(row["kind"]),
            colour=str(row["colour"]),
            counterparty=str(row[f"{side}_name"]),
            counterparty_tin=str(row[f"{side}_tin"]),
            amount=money(row["amount"]),
            tax=money(row["tax"]),
            total=money(row["total"]),
            status=STATUS_RED if row["colour"] == Colour.RED.value else str(row["status"]),
        )
        for row in await page.apply(select)
    ]
