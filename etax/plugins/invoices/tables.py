"""The invoices plugin's table: each enterprise's approved invoice types and quotas (票种核定信息)."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Numeric, Serial, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.api import Taxpayer


class InvoiceQuota(Table, tablename="invoices_quota"):
    """One approved invoice type of one taxpayer; a later approval of the same type replaces it."""

    id = Serial(primary_key=True)
    key = Varchar(length=80, unique=True)  # "<taxpayer id>:<invoice type>"
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    invoice_type = Varchar(length=40)
    max_amount_label = Varchar(length=20)
    max_amount = Numeric(digits=(14, 2))
    monthly_quantity = Integer()
    per_purchase_quantity = Integer()
    holding_quantity = Integer()
    purchase_method = Varchar(length=20)
    unit = Varchar(length=4)
    application_number = Varchar(length=12)
    approved_at = Timestamptz()
