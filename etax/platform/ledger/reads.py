"""Page-by-page reads of the ledger for list pages (申报信息查询, 缴款信息查询): keyset pagination
through the list-page service over the declarations and payments of one taxpayer.

Indexes on ``(taxpayer, filed_at, id)`` and ``(taxpayer, requested_at, id)`` serve these reads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec

from etax.platform.ledger.tables import LedgerDeclaration, LedgerPayment
from etax.platform.ledger.types import from_fen
from etax.platform.listing import PageRequest, Span, moments


class DeclarationRow(msgspec.Struct, frozen=True, kw_only=True):
    """A declaration as a list shows it (money in yuan)."""

    id: int
    number: str
    tax_type: str  # TaxType value
    form_code: str
    period_start: dt.date
    period_end: dt.date
    kind: str  # DeclarationKind value
    status: str  # DeclarationStatus value
    income: Decimal
    tax: Decimal
    relief: Decimal
    payable: Decimal
    paid: Decimal
    deadline: dt.date
    late: bool
    filed_at: dt.datetime
    filed_by: str


class DeclarationQuery(msgspec.Struct, frozen=True, kw_only=True):
    period: Span[dt.date] = Span()
    """税款所属期: declarations whose period overlaps it."""
    filed: Span[dt.date] = Span()
    """申报日期 (Beijing days)."""
    tax_type: str = ""
    status: str = ""
    payable: Span[Decimal] = Span()


class PaymentRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    voucher_number: str
    method: str  # PaymentMethod value
    status: str  # PaymentStatus value
    amount: Decimal
    tax: Decimal
    late_fee: Decimal
    agreement_number: str
    message: str
    requested_at: dt.datetime
    paid_on: dt.date | None


class PaymentQuery(msgspec.Struct, frozen=True, kw_only=True):
    paid: Span[dt.date] = Span()
    status: str = ""
    amount: Span[Decimal] = Span()


FEN_FIELDS = {
    "income_fen": "income",
    "tax_fen": "tax",
    "relief_fen": "relief",
    "payable_fen": "payable",
    "paid_fen": "paid",
    "amount_fen": "amount",
    "late_fee_fen": "late_fee",
}


def _yuan(row: dict[str, Any]) -> dict[str, Any]:
    return {
        FEN_FIELDS.get(key, key): from_fen(int(value)) if key in FEN_FIELDS else value
        for key, value in row.items()
    }


def _fen(value: Decimal) -> int:
    return int(value * 100)


def _declaration_where(taxpayer_id: int, query: DeclarationQuery) -> Any:
    where: Any = LedgerDeclaration.taxpayer == taxpayer_id
    if query.period.start is not None:
        where &= LedgerDeclaration.period_end >= query.period.start
    if query.period.end is not None:
        where &= LedgerDeclaration.period_start <= query.period.end
    start, end = moments(query.filed)
    if start is not None:
        where &= LedgerDeclaration.filed_at >= start
    if end is not None:
        where &= LedgerDeclaration.filed_at < end
    if query.tax_type:
        where &= LedgerDeclaration.tax_type == query.tax_type
    if query.status:
        where &= LedgerDeclaration.status == query.status
    if query.payable.start is not None:
        where &= LedgerDeclaration.payable_fen >= _fen(query.payable.start)
    if query.payable.end is not None:
        where &= LedgerDeclaration.payable_fen <= _fen(query.payable.end)
    return where


async def declaration_rows(
    taxpayer_id: int, query: DeclarationQuery, page: PageRequest
) -> list[DeclarationRow]:
    """One keyset page of the taxpayer's declarations (order: the page request's, e.g. newest filed first)."""
    select = LedgerDeclaration.select(
        LedgerDeclaration.id,
        LedgerDeclaration.number,
        LedgerDeclaration.tax_type,
        LedgerDeclaration.form_code,
        LedgerDeclaration.period_start,
        LedgerDeclaration.period_end,
        LedgerDeclaration.kind,
        LedgerDeclaration.status,
        LedgerDeclaration.income_fen,
        LedgerDeclaration.tax_fen,
        LedgerDeclaration.relief_fen,
        LedgerDeclaration.payable_fen,
        LedgerDeclaration.paid_fen,
        LedgerDeclaration.deadline,
        LedgerDeclaration.late,
        LedgerDeclaration.filed_at,
        LedgerDeclaration.filed_by,
    ).where(_declaration_where(taxpayer_id, query))
    return [msgspec.convert(_yuan(row), DeclarationRow) for row in await page.apply(select)]


def _payment_where(taxpayer_id: int, query: PaymentQuery) -> Any:
    where: Any = LedgerPayment.taxpayer == taxpayer_id
    if query.paid.start is not None:
        where &= LedgerPayment.paid_on >= query.paid.start
    if query.paid.end is not None:
        where &= LedgerPayment.paid_on <= query.paid.end
    if query.status:
        where &= LedgerPayment.status == query.status
    if query.amount.start is not None:
        where &= LedgerPayment.amount_fen >= _fen(query.amount.start)
    if query.amount.end is not None:
        where &= LedgerPayment.amount_fen <= _fen(query.amount.end)
    return where


async def payment_rows(taxpayer_id: int, query: PaymentQuery, page: PageRequest) -> list[PaymentRow]:
    """One keyset page of the taxpayer's payments."""
    select = LedgerPayment.select(
        LedgerPayment.id,
        LedgerPayment.voucher_number,
        LedgerPayment.method,
        LedgerPayment.status,
        LedgerPayment.amount_fen,
        LedgerPayment.tax_fen,
        LedgerPayment.late_fee_fen,
        LedgerPayment.agreement_number,
        LedgerPayment.message,
        LedgerPayment.requested_at,
        LedgerPayment.paid_on,
    ).where(_payment_where(taxpayer_id, query))
    rows = await page.apply(select)
    return [
        msgspec.convert({**_yuan(row), "voucher_number": row["voucher_number"] or ""}, PaymentRow)
        for row in rows
    ]
