"""Page-by-page reads of the ledger for list pages (申报信息查询, 缴款信息查询): keyset pagination
through the list-page service over the declarations and payments of one taxpayer.

Indexes on ``(taxpayer, filed_at, id)`` and ``(taxpayer, requested_at, id)`` serve these reads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec
from piccolo.table import Table

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


Where = tuple[list[str], list[Any]]
"""SQL conditions (``{}`` placeholders, joined by AND) and their arguments."""

DECLARATION_COLUMNS = (
    "id, number, tax_type, form_code, period_start, period_end, kind, status, income_fen, tax_fen, relief_fen, "
    "payable_fen, paid_fen, deadline, late, filed_at, filed_by"
)
PAYMENT_COLUMNS = (
    "id, voucher_number, method, status, amount_fen, tax_fen, late_fee_fen, agreement_number, message, "
    "requested_at, paid_on"
)


def _declaration_where(taxpayer_id: int, query: DeclarationQuery) -> Where:
    conditions, args = ["taxpayer = {}"], [taxpayer_id]

    def add(condition: str, value: Any) -> None:
        conditions.append(condition)
        args.append(value)

    if query.period.start is not None:
        add("period_end >= {}", query.period.start)
    if query.period.end is not None:
        add("period_start <= {}", query.period.end)
    start, end = moments(query.filed)
    if start is not None:
        add("filed_at >= {}", start)
    if end is not None:
        add("filed_at < {}", end)
    if query.tax_type:
        add("tax_type = {}", query.tax_type)
    if query.status:
        add("status = {}", query.status)
    if query.payable.start is not None:
        add("payable_fen >= {}", _fen(query.payable.start))
    if query.payable.end is not None:
        add("payable_fen <= {}", _fen(query.payable.end))
    return conditions, args


def _page_sql(table: type[Table], columns: str, where: Where, page: PageRequest) -> tuple[str, list[Any]]:
    """One keyset page of ``table`` as a hand-written select (the ORM's query building costs more than
    the index range scan it asks for), the seek condition and order from the page request."""
    conditions, args = where
    seek, seek_args, tail = page.sql(table)
    if seek:
        conditions, args = [*conditions, seek], [*args, *seek_args]
    return f"SELECT {columns} FROM {table._meta.tablename} WHERE {' AND '.join(conditions)} {tail}", args


def declaration_page_sql(
    taxpayer_id: int, query: DeclarationQuery, page: PageRequest
) -> tuple[str, list[Any]]:
    """The SQL (``{}`` placeholders) and arguments :func:`declaration_rows` runs (EXPLAINed by the scale test)."""
    return _page_sql(LedgerDeclaration, DECLARATION_COLUMNS, _declaration_where(taxpayer_id, query), page)


def payment_page_sql(taxpayer_id: int, query: PaymentQuery, page: PageRequest) -> tuple[str, list[Any]]:
    """The SQL and arguments :func:`payment_rows` runs."""
    return _page_sql(LedgerPayment, PAYMENT_COLUMNS, _payment_where(taxpayer_id, query), page)


async def declaration_rows(
    taxpayer_id: int, query: DeclarationQuery, page: PageRequest
) -> list[DeclarationRow]:
    """One keyset page of the taxpayer's declarations (order: the page request's, e.g. newest filed first)."""
    sql, args = declaration_page_sql(taxpayer_id, query, page)
    rows = await LedgerDeclaration.raw(sql, *args)
    return [msgspec.convert(_yuan(row), DeclarationRow, strict=False) for row in rows]


def _payment_where(taxpayer_id: int, query: PaymentQuery) -> Where:
    conditions, args = ["taxpayer = {}"], [taxpayer_id]

    def add(condition: str, value: Any) -> None:
        conditions.append(condition)
        args.append(value)

    if query.paid.start is not None:
        add("paid_on >= {}", query.paid.start)
    if query.paid.end is not None:
        add("paid_on <= {}", query.paid.end)
    if query.status:
        add("status = {}", query.status)
    if query.amount.start is not None:
        add("amount_fen >= {}", _fen(query.amount.start))
    if query.amount.end is not None:
        add("amount_fen <= {}", _fen(query.amount.end))
    return conditions, args


async def payment_rows(taxpayer_id: int, query: PaymentQuery, page: PageRequest) -> list[PaymentRow]:
    """One keyset page of the taxpayer's payments."""
    sql, args = payment_page_sql(taxpayer_id, query, page)
    rows = await LedgerPayment.raw(sql, *args)
    return [
        msgspec.convert(
            {**_yuan(row), "voucher_number": row["voucher_number"] or ""}, PaymentRow, strict=False
        )
        for row in rows
    ]
