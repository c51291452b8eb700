"""Tables of the ledger's registry records (``etax_ledger`` app): reported bank accounts and 备案 records.

- ``LedgerBankAccount`` — 存款账户账号报告: one live row per taxpayer and account number (``live_key``
  unique while the account is open, NULL once it is closed).
- ``LedgerFiling`` — 备案 the bureau has on record (财务会计制度及核算软件, 停业 …): one row per key.
"""

from __future__ import annotations

from piccolo.columns import Date, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.defaults import PlatformNow, PlatformToday


class LedgerBankAccount(Table, tablename="ledger_bank_account"):
    """A bank account the taxpayer reported (存款账户账号报告)."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    bank_code = Varchar(length=12)
    bank_name = Varchar(length=60)
    account_number = Varchar(length=34)
    account_name = Varchar(length=120)
    account_type = Varchar(length=20)
    opened_on = Date(default=PlatformToday())
    closed_on = Date(null=True, default=None)
    reference = Varchar(length=60, default="")
    reported_at = Timestamptz(default=PlatformNow())
    live_key = Varchar(length=80, unique=True, null=True, default=None)  # "<taxpayer>:<account number>"


class LedgerFiling(Table, tablename="ledger_filing"):
    """A 备案 on record: what kind, its content (compact JSON) and since when."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    kind = Varchar(length=20)
    title = Varchar(length=120)
    detail = Text(default="{}")
    valid_from = Date(default=PlatformToday())
    valid_to = Date(null=True, default=None)
    reference = Varchar(length=60, default="")
    recorded_at = Timestamptz(default=PlatformNow())
    key = Varchar(length=100, unique=True)  # "<taxpayer>:<kind>:<reference>"
