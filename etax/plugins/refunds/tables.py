"""The refunds plugin's own records: 出口退（免）税备案 and the approved 出口退（免）税申报 (one per month).

Refunds and offsets themselves live in the platform ledger (``ledger_credit``, ``ledger_refund``)."""

from __future__ import annotations

from piccolo.columns import BigInt, Date, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.api import PlatformNow, PlatformToday, Taxpayer


class ExportFiling(Table, tablename="refunds_export_filing"):
    """A taxpayer's 出口退（免）税备案 (one per taxpayer), written when the bureau completes it."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, unique=True)
    customs_code = Varchar(length=10)
    trade_registration = Varchar(length=30)
    method = Varchar(length=10)  # 免抵退税 | 免退税
    bank_account = Varchar(length=34)
    application_number = Varchar(length=20)
    filed_on = Date(default=PlatformToday())
    created_at = Timestamptz(default=PlatformNow())


class ExportReturn(Table, tablename="refunds_export_return"):
    """An approved 出口退（免）税申报: one per taxpayer and month (``key`` = "<taxpayer>:<YYYY-MM>")."""

    id = Serial(primary_key=True)
    key = Varchar(length=40, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    period = Varchar(length=7)
    customs_declaration = Varchar(length=18)
    basis_fen = BigInt()
    rate = Varchar(length=4)
    refund_fen = BigInt()
    application_number = Varchar(length=20, unique=True)
    approved_at = Timestamptz(default=PlatformNow())
