"""Figures one plugin offers another's forms (预填), as typed values that cross the plugin boundary.

The filing plugin pre-fills a VAT return from the taxpayer's invoices of the period; the invoices plugin
answers through the ``etax_invoice_figures`` hook. Neither imports the other: both use these Structs.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import msgspec


class InvoiceKind(enum.StrEnum):
    """Whether sales were invoiced on a 增值税专用发票 (special) or another invoice (ordinary)."""

    SPECIAL = "special"
    ORDINARY = "ordinary"


class SalesFigure(msgspec.Struct, frozen=True, kw_only=True):
    """Sales of one tax rate on one kind of invoice: 金额 and 税额 (red-letter invoices already netted).

    ``rate`` is a fraction: 13 % is ``Decimal("0.13")``, 免税/0 % is ``Decimal("0")``.
    """

    rate: Decimal
    kind: InvoiceKind
    amount: Decimal
    tax: Decimal
    count: int = 0


class InvoiceFigures(msgspec.Struct, frozen=True, kw_only=True):
    """A taxpayer's invoice figures for one period [start, end] (dates inclusive, Beijing days).

    ``sales``: issued invoices by rate and kind. ``deductible_*``: input invoices (and 海关缴款书) ticked
    for deduction and confirmed (统计确认) for the period. ``transfer_out_tax``: 进项税额转出 from
    red-letter reversals of invoices already deducted.
    """

    start: dt.date
    end: dt.date
    sales: list[SalesFigure] = msgspec.field(default_factory=list)
    deductible_count: int = 0
    deductible_amount: Decimal = Decimal("0.00")
    deductible_tax: Decimal = Decimal("0.00")
    transfer_out_tax: Decimal = Decimal("0.00")
