"""The 全量发票查询 filters (all in the URL) and the keyset-paginated query behind them.

Pages are "newest first" by invoice id: the next page starts below the last id shown (``before``), so
page 500 costs what page 1 costs, on the ``(seller, id)`` / ``(buyer, id)`` indexes.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import AsyncIterator
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec
from piccolo.columns.combination import And, Or, Where

from etax.plugins.invoices.model import Colour, InvoiceKind, InvoiceStatus, InvoiceView
from etax.plugins.invoices.store import INVOICE_COLUMNS, invoice_view
from etax.plugins.invoices.tables import Invoice

PAGE_SIZE = 20
EXPORT_LIMIT = 100_000
EXPORT_BATCH = 1000


class Direction(enum.StrEnum):
    ISSUED = "issued"
    RECEIVED = "received"

    @property
    def label(self) -> str:
        return "开具发票" if self is Direction.ISSUED else "取得发票"


class QueryFilters(msgspec.Struct, kw_only=True):
    """What the form puts in the URL (all strings, checked by :func:`problems`)."""

    direction: str = Direction.ISSUED.value
    date_from: str = ""
    date_to: str = ""
    counterparty: str = ""
    kind: str = ""
    status: str = ""
    colour: str = ""
    amount_min: str = ""
    amount_max: str = ""
    before: str = ""


class Checked(msgspec.Struct, frozen=True, kw_only=True):
    direction: Direction
    date_from: dt.date | None
    date_to: dt.date | None
    counterparty: str
    kind: InvoiceKind | None
    status: InvoiceStatus | None
    colour: Colour | None
    amount_min: Decimal | None
    amount_max: Decimal | None
    before: int | None


def check(filters: QueryFilters) -> tuple[Checked | None, dict[str, str]]:
    errors: dict[str, str] = {}

    def day(name: str, text: str) -> dt.date | None:
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            errors[name] = "日期格式应为YYYY-MM-DD"
            return None

    def amount(name: str, text: str) -> Decimal | None:
        if not text:
            return None
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:
            errors[name] = "金额应为数字"
            return None
        if not value.is_finite() or abs(value) >= Decimal("1e13"):
            errors[name] = "金额不正确"
            return None
        return value

    def choice(name: str, enum_type: Any, text: str) -> Any:
        if not text:
            return None
        try:
            return enum_type(text)
        except ValueError:
            errors[name] = "选项无效"
            return None

    direction = choice("direction", Direction, filters.direction) or Direction.ISSUED
    date_from = day("date_from", filters.date_from)
    date_to = day("date_to", filters.date_to)
    if date_from and date_to and date_from > date_to:
        errors["date_to"] = "开票日期止不能早于开票日期起"
    low = amount("amount_min", filters.amount_min)
    high = amount("amount_max", filters.amount_max)
    if low is not None and high is not None and low > high:
        errors["amount_max"] = "金额上限不能小于下限"
    before = int(filters.before) if filters.before.isdigit() else None
    checked = Checked(
        direction=direction,
        date_from=date_from,
        date_to=date_to,
        counterparty=filters.counterparty.strip()[:60],
        kind=choice("kind", InvoiceKind, filters.kind),
        status=choice("status", InvoiceStatus, filters.status),
        colour=choice("colour", Colour, filters.colour),
        amount_min=low,
        amount_max=high,
        before=before,
    )
    return (None, errors) if errors else (checked, {})


def _where(taxpayer_id: int, f: Checked) -> Where | And | Or:
    mine = Invoice.seller == taxpayer_id if f.direction is Direction.ISSUED else Invoice.buyer == taxpayer_id
    condition: Any = mine
    if f.date_from:
        condition &= Invoice.issue_date >= f.date_from
    if f.date_to:
        condition &= Invoice.issue_date <= f.date_to
    if f.counterparty:
        typed = f.counterparty.replace("%", "").replace("_", "")
        name, tin = f"%{typed}%", f"%{typed.upper()}%"  # 纳税人识别号 are upper case
        if f.direction is Direction.ISSUED:
            condition &= Invoice.buyer_name.like(name) | Invoice.buyer_tin.like(tin)
        else:
            condition &= Invoice.seller_name.like(name) | Invoice.seller_tin.like(tin)
    if f.kind:
        condition &= Invoice.kind == f.kind.value
    if f.status:
        condition &= (Invoice.status == f.status.value) & (Invoice.colour == Colour.BLUE.value)
    if f.colour:
        condition &= Invoice.colour == f.colour.value
    if f.amount_min is not None:
        condition &= Invoice.total >= f.amount_min
    if f.amount_max is not None:
        condition &= Invoice.total <= f.amount_max
    return condition  # type: ignore[no-any-return]


class Page(msgspec.Struct, frozen=True, kw_only=True):
    rows: list[InvoiceView]
    next_before: int | None


async def page(taxpayer_id: int, f: Checked, size: int = PAGE_SIZE) -> Page:
    condition: Any = _where(taxpayer_id, f)
    if f.before is not None:
        condition &= Invoice.id < f.before
    rows = (
        await Invoice.select(*INVOICE_COLUMNS)
        .where(condition)
        .order_by(Invoice.id, ascending=False)
        .limit(size + 1)
    )
    views = [invoice_view(row) for row in rows[:size]]
    return Page(rows=views, next_before=views[-1].id if len(rows) > size else None)


async def export_rows(taxpayer_id: int, f: Checked) -> AsyncIterator[InvoiceView]:
    """Every matching invoice (up to :data:`EXPORT_LIMIT`), newest first, fetched in keyset batches."""
    before: int | None = f.before
    sent = 0
    while sent < EXPORT_LIMIT:
        condition: Any = _where(taxpayer_id, f)
        if before is not None:
            condition &= Invoice.id < before
        rows = (
            await Invoice.select(*INVOICE_COLUMNS)
            .where(condition)
            .order_by(Invoice.id, ascending=False)
            .limit(EXPORT_BATCH)
        )
        for row in rows:
            yield invoice_view(row)
        sent += len(rows)
        if len(rows) < EXPORT_BATCH:
            return
        before = int(rows[-1]["id"])
