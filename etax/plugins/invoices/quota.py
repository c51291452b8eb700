"""Setting and reading invoice quotas: an approved 票种核定 becomes the enterprise's 票种核定信息."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec

from etax.plugins.invoices.forms import TypeApprovalForm
from etax.plugins.invoices.tables import InvoiceQuota


class QuotaView(msgspec.Struct, frozen=True, kw_only=True):
    """One approved invoice type, as the query page shows it."""

    invoice_type: str
    max_amount_label: str
    max_amount: Decimal
    monthly_quantity: int
    per_purchase_quantity: int
    holding_quantity: int
    purchase_method: str
    unit: str
    application_number: str
    approved_at: dt.datetime


async def approve(taxpayer_id: int, form: TypeApprovalForm, application_number: str, at: dt.datetime) -> None:
    """Set (or replace) the taxpayer's quota for the form's invoice type; safe to repeat."""
    quota = InvoiceQuota(
        key=f"{taxpayer_id}:{form.invoice_type}",
        taxpayer=taxpayer_id,
        invoice_type=form.invoice_type,
        max_amount_label=form.max_amount,
        max_amount=form.amount,
        monthly_quantity=form.monthly_quantity,
        per_purchase_quantity=form.per_purchase_quantity,
        holding_quantity=form.holding_quantity,
        purchase_method=form.purchase_method,
        unit=form.unit,
        application_number=application_number,
        approved_at=at,
    )
    await InvoiceQuota.insert(quota).on_conflict(
        target=InvoiceQuota.key,
        action="DO UPDATE",
        values=[
            InvoiceQuota.max_amount_label,
            InvoiceQuota.max_amount,
            InvoiceQuota.monthly_quantity,
            InvoiceQuota.per_purchase_quantity,
            InvoiceQuota.holding_quantity,
            InvoiceQuota.purchase_method,
            InvoiceQuota.unit,
            InvoiceQuota.application_number,
            InvoiceQuota.approved_at,
        ],
    )


async def quotas(taxpayer_id: int) -> list[QuotaView]:
    """The taxpayer's approved invoice types, in the order they were first approved."""
    rows = (
        await InvoiceQuota.select(
            InvoiceQuota.invoice_type,
            InvoiceQuota.max_amount_label,
            InvoiceQuota.max_amount,
            InvoiceQuota.monthly_quantity,
            InvoiceQuota.per_purchase_quantity,
            InvoiceQuota.holding_quantity,
            InvoiceQuota.purchase_method,
            InvoiceQuota.unit,
            InvoiceQuota.application_number,
            InvoiceQuota.approved_at,
        )
        .where(InvoiceQuota.taxpayer == taxpayer_id)
        .order_by(InvoiceQuota.id)
    )
    return [msgspec.convert(row, QuotaView) for row in rows]
