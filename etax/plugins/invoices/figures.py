"""The ``etax_invoice_figures`` answer: a taxpayer's invoice figures for a period, for the filing pre-fill.

- ``sales``: lines of the invoices the taxpayer issued in the period, by rate (a fraction, 13 % →
  ``Decimal("0.13")``) and kind (专票 / 普票); red-letter lines are negative, so reversals are netted.
- ``deductible_*``: the 统计确认 totals of the periods (months) the date range covers.
- ``transfer_out_tax``: 进项税额转出 dated in the period.

A taxpayer who never issued nor received a 数电发票 gets ``None`` (nothing to pre-fill), so another
plugin's answer may win.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from etax.platform.api import InvoiceFigures, SalesFigure
from etax.platform.api import InvoiceKind as FigureKind
from etax.plugins.invoices.model import InvoiceKind
from etax.plugins.invoices.store import money
from etax.plugins.invoices.tables import Invoice, InvoiceItem, PeriodConfirmation, TransferOut

ZERO = Decimal("0.00")


def _months(start: dt.date, end: dt.date) -> list[str]:
    months: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


async def invoice_figures(taxpayer_id: int, start: dt.date, end: dt.date) -> InvoiceFigures | None:
    """The figures, or ``None`` when the taxpayer has no invoice data at all (nothing to pre-fill)."""
    if not (
        await Invoice.exists().where((Invoice.seller == taxpayer_id) | (Invoice.buyer == taxpayer_id))
        or await PeriodConfirmation.exists().where(PeriodConfirmation.taxpayer == taxpayer_id)
    ):
        return None
    rows = await InvoiceItem.select(
        InvoiceItem.invoice,
        InvoiceItem.rate,
        InvoiceItem.amount,
        InvoiceItem.tax,
        InvoiceItem.invoice.kind,
    ).where(
        (InvoiceItem.invoice.seller == taxpayer_id)
        & (InvoiceItem.invoice.issue_date >= start)
        & (InvoiceItem.invoice.issue_date <= end)
    )
    sums: dict[tuple[Decimal, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    invoices: dict[tuple[Decimal, str], set[int]] = defaultdict(set)
    for row in rows:
        key = (Decimal(str(row["rate"])).normalize(), str(row["invoice.kind"]))
        sums[key][0] += money(row["amount"])
        sums[key][1] += money(row["tax"])
        invoices[key].add(int(row["invoice"]))
    sales = [
        SalesFigure(
            rate=(rate / 100).normalize() if rate else Decimal("0"),
            kind=FigureKind.SPECIAL if kind == InvoiceKind.SPECIAL.value else FigureKind.ORDINARY,
            amount=amount,
            tax=tax,
            count=len(invoices[(rate, kind)]),
        )
        for (rate, kind), (amount, tax) in sorted(sums.items(), key=lambda item: (-item[0][0], item[0][1]))
    ]
    confirmations = await PeriodConfirmation.select().where(
        (PeriodConfirmation.taxpayer == taxpayer_id) & PeriodConfirmation.period.is_in(_months(start, end))
    )
    transfers = await TransferOut.select(TransferOut.tax).where(
        (TransferOut.taxpayer == taxpayer_id)
        & (TransferOut.transfer_date >= start)
        & (TransferOut.transfer_date <= end)
    )
    return InvoiceFigures(
        start=start,
        end=end,
        sales=sales,
        deductible_count=sum(int(r["deductible_count"]) for r in confirmations),
        deductible_amount=sum((money(r["deductible_amount"]) for r in confirmations), ZERO),
        deductible_tax=sum((money(r["deductible_tax"]) for r in confirmations), ZERO),
        transfer_out_tax=sum((money(r["tax"]) for r in transfers), ZERO),
    )
