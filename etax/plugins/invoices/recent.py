"""Short lists of a taxpayer's latest invoices (the issue page's 最近开具)."""

from __future__ import annotations

from etax.plugins.invoices.model import InvoiceView
from etax.plugins.invoices.store import INVOICE_COLUMNS, invoice_view
from etax.plugins.invoices.tables import Invoice


async def recent_issued(taxpayer_id: int, limit: int = 10) -> list[InvoiceView]:
    rows = (
        await Invoice.select(*INVOICE_COLUMNS)
        .where(Invoice.seller == taxpayer_id)
        .order_by(Invoice.id, ascending=False)
        .limit(limit)
    )
    return [invoice_view(row) for row in rows]
