"""Reading invoices and quota accounts: rows become typed views here and nowhere else."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from etax.plugins.invoices.model import (
    KIND_APPROVALS,
    AccountView,
    Colour,
    InvoiceKind,
    InvoiceStatus,
    InvoiceView,
    ItemView,
)
from etax.plugins.invoices.tables import Invoice, InvoiceAccount, InvoiceItem, InvoiceQuota

HUNDRED = Decimal(100)


def from_fen(value: object) -> Decimal:
    return (Decimal(int(str(value or 0))) / HUNDRED).quantize(Decimal("0.01"))


def to_fen(value: Decimal) -> int:
    return int((value * HUNDRED).to_integral_value())


def money(value: object) -> Decimal:
    """A Numeric column's value as a two-place Decimal (SQLite may hand back fewer places)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _optional(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).normalize()


INVOICE_COLUMNS = (
    Invoice.id,
    Invoice.number,
    Invoice.kind,
    Invoice.colour,
    Invoice.seller,
    Invoice.seller_tin,
    Invoice.seller_name,
    Invoice.buyer,
    Invoice.buyer_tin,
    Invoice.buyer_name,
    Invoice.buyer_is_person,
    Invoice.issued_at,
    Invoice.issue_date,
    Invoice.amount,
    Invoice.tax,
    Invoice.total,
    Invoice.reversed_fen,
    Invoice.status,
    Invoice.original,
    Invoice.issuer,
    Invoice.remark,
)


def invoice_view(
    row: dict[str, Any], items: tuple[ItemView, ...] = (), original_number: str = ""
) -> InvoiceView:
    return InvoiceView(
        id=int(row["id"]),
        number=str(row["number"]),
        kind=InvoiceKind(row["kind"]),
        colour=Colour(row["colour"]),
        seller_id=int(row["seller"]),
        seller_tin=str(row["seller_tin"]),
        seller_name=str(row["seller_name"]),
        buyer_id=None if row["buyer"] is None else int(row["buyer"]),
        buyer_tin=str(row["buyer_tin"]),
        buyer_name=str(row["buyer_name"]),
        buyer_is_person=bool(row["buyer_is_person"]),
        issued_at=row["issued_at"],
        issue_date=row["issue_date"],
        amount=money(row["amount"]),
        tax=money(row["tax"]),
        total=money(row["total"]),
        reversed_amount=from_fen(row["reversed_fen"]),
        status=InvoiceStatus(row["status"]),
        original_id=None if row["original"] is None else int(row["original"]),
        original_number=original_number,
        issuer=str(row["issuer"]),
        remark=str(row["remark"]),
        items=items,
    )


def item_view(row: dict[str, Any]) -> ItemView:
    return ItemView(
        id=int(row["id"]),
        line=int(row["line"]),
        name=str(row["name"]),
        specification=str(row["specification"]),
        unit=str(row["unit"]),
        quantity=_optional(row["quantity"]),
        unit_price=_optional(row["unit_price"]),
        amount=money(row["amount"]),
        rate=Decimal(str(row["rate"])).normalize(),
        tax=money(row["tax"]),
        reversed_amount=from_fen(row["reversed_fen"]),
    )


async def items_of(invoice_id: int) -> tuple[ItemView, ...]:
    rows = await InvoiceItem.select().where(InvoiceItem.invoice == invoice_id).order_by(InvoiceItem.line)
    return tuple(item_view(row) for row in rows)


async def invoice_by_id(invoice_id: int) -> InvoiceView | None:
    """The invoice with its lines (and the blue invoice's number for a red one)."""
    row = await Invoice.select(*INVOICE_COLUMNS).where(Invoice.id == invoice_id).first()
    if row is None:
        return None
    original_number = ""
    if row["original"] is not None:
        blue = await Invoice.select(Invoice.number).where(Invoice.id == row["original"]).first()
        original_number = str(blue["number"]) if blue else ""
    return invoice_view(row, await items_of(invoice_id), original_number)


async def invoice_for(invoice_id: int, taxpayer_id: int) -> InvoiceView | None:
    """The invoice if ``taxpayer_id`` is its seller or buyer; ``None`` otherwise (never another's data)."""
    invoice = await invoice_by_id(invoice_id)
    if invoice is None or taxpayer_id not in (invoice.seller_id, invoice.buyer_id):
        return None
    return invoice


async def invoice_by_number(number: str) -> InvoiceView | None:
    row = await Invoice.select(Invoice.id).where(Invoice.number == number).first()
    return None if row is None else await invoice_by_id(int(row["id"]))


async def red_invoices_of(blue_id: int) -> list[InvoiceView]:
    rows = await Invoice.select(*INVOICE_COLUMNS).where(Invoice.original == blue_id).order_by(Invoice.id)
    return [invoice_view(row) for row in rows]


async def approved_kinds(taxpayer_id: int) -> tuple[InvoiceKind, ...]:
    """The 数电发票 kinds the taxpayer's approved 票种核定 allow."""
    rows = await InvoiceQuota.select(InvoiceQuota.invoice_type).where(InvoiceQuota.taxpayer == taxpayer_id)
    types = {str(row["invoice_type"]) for row in rows}
    return tuple(kind for kind, allowed in KIND_APPROVALS.items() if types & allowed)


async def base_credit_fen(taxpayer_id: int) -> int:
    """授信总额度 from the approved 票种核定: Σ 单份发票最高开票限额 × 每月最高购票数量 of the 数电 kinds."""
    rows = await InvoiceQuota.select(
        InvoiceQuota.invoice_type, InvoiceQuota.max_amount, InvoiceQuota.monthly_quantity
    ).where(InvoiceQuota.taxpayer == taxpayer_id)
    allowed = KIND_APPROVALS[InvoiceKind.SPECIAL] | KIND_APPROVALS[InvoiceKind.ORDINARY]
    return sum(
        to_fen(money(row["max_amount"])) * int(row["monthly_quantity"])
        for row in rows
        if row["invoice_type"] in allowed
    )


async def account_of(taxpayer_id: int) -> AccountView:
    row = await InvoiceAccount.select().where(InvoiceAccount.taxpayer == taxpayer_id).first()
    kinds = await approved_kinds(taxpayer_id)
    if row is None:
        credit = from_fen(await base_credit_fen(taxpayer_id))
        return AccountView(
            credit_total=credit, available=credit, used=Decimal("0.00"), issued_count=0, kinds=kinds
        )
    credit_fen = int(row["base_credit_fen"]) + int(row["adjustment_fen"])
    used = int(row["used_fen"])
    return AccountView(
        credit_total=from_fen(credit_fen),
        available=from_fen(credit_fen - used),
        used=from_fen(used),
        issued_count=int(row["issued_count"]),
        kinds=kinds,
    )
