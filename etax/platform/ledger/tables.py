"""Tables of the tax ledger (the ``etax_ledger`` Piccolo app). Money is stored in whole fen (BigInt).

What must hold is enforced by the database:

- one live declaration per (taxpayer, tax type, period or event): ``Declaration.live_key`` is unique
  and set only while the record is 已申报 (NULL once voided or corrected);
- one payment per idempotency key: ``Payment.key`` is unique; one declaration held by one payment at
  a time: ``Declaration.payment_lock``;
- amounts due are never negative and never overpaid: CHECK constraints (PostgreSQL) and triggers
  (SQLite) added by the migration: ``payable_fen >= 0``, ``0 <= paid_fen <= payable_fen``,
  ``credit_fen >= 0``, ``0 <= Credit.remaining_fen <= Credit.amount_fen``.
"""

from __future__ import annotations

from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.defaults import PlatformNow, PlatformToday


class LedgerTaxpayerKind(Table, tablename="ledger_taxpayer_kind"):
    """增值税纳税人类型 of a taxpayer from a date (one row per change)."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    kind = Varchar(length=10)  # TaxpayerKind
    effective_from = Date(default=PlatformToday())
    reference = Varchar(length=120, default="")
    key = Varchar(length=40, unique=True)  # "<taxpayer>:<effective_from>"


class LedgerRegistration(Table, tablename="ledger_registration"):
    """税费种认定."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    tax_type = Varchar(length=8)
    item = Varchar(length=60, default="")
    period_kind = Varchar(length=8)
    valid_from = Date(default=PlatformToday())
    valid_to = Date(null=True, default=None)


class LedgerTaxEvent(Table, tablename="ledger_tax_event"):
    """A taxable event of a 按次 tax."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    tax_type = Varchar(length=8)
    event_date = Date(default=PlatformToday())
    reference = Varchar(length=60)
    description = Varchar(length=200, default="")
    key = Varchar(length=100, unique=True)  # "<taxpayer>:<tax type>:<reference>"


class LedgerDeclaration(Table, tablename="ledger_declaration"):
    """A declaration (filed return) with its summary amounts in fen."""

    id = Serial(primary_key=True)
    number = Varchar(length=20, unique=True)
    submission = Varchar(length=120, unique=True)  # "<submission key>#<tax type>#<event>": one row per key
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    tax_type = Varchar(length=8)
    form_code = Varchar(length=20)
    form_version = Varchar(length=20)
    period_kind = Varchar(length=8)
    period_start = Date(default=PlatformToday())
    period_end = Date(index=True, default=PlatformToday())
    event_ref = Varchar(length=60, default="")
    kind = Varchar(length=4)  # DeclarationKind
    status = Varchar(length=10, index=True)  # DeclarationStatus
    live_key = Varchar(length=100, unique=True, null=True, default=None)
    income_fen = BigInt(default=0)
    tax_fen = BigInt(default=0)
    relief_fen = BigInt(default=0)
    prepaid_fen = BigInt(default=0)
    payable_fen = BigInt(default=0)
    paid_fen = BigInt(default=0)
    credit_fen = BigInt(default=0)
    deadline = Date(default=PlatformToday())
    payment_deadline = Date(index=True, default=PlatformToday())
    late = Boolean(default=False)
    filed_at = Timestamptz(default=PlatformNow(), index=True)
    filed_by = Varchar(length=120)
    channel = Varchar(length=10)
    agency = ForeignKey(references=Taxpayer, null=True, default=None, on_delete=OnDelete.set_null)
    agency_name = Varchar(length=120, default="")
    corrects: ForeignKey[LedgerDeclaration] = ForeignKey(
        references="self", null=True, default=None, on_delete=OnDelete.set_null
    )
    batch = Varchar(length=80, index=True)  # the submission key shared by returns filed together
    data_version = Integer(default=1)
    payment_lock = Varchar(length=80, null=True, default=None)  # key of the payment holding it
    voided_at = Timestamptz(null=True, default=None)
    void_reason = Varchar(length=200, default="")


class LedgerDeclarationData(Table, tablename="ledger_declaration_data"):
    """The lines of a declaration, one row per version: compact JSON of the non-zero lines."""

    id = Serial(primary_key=True)
    declaration = ForeignKey(references=LedgerDeclaration, index=True, on_delete=OnDelete.cascade)
    version = Integer()
    lines = Text()
    saved_at = Timestamptz(default=PlatformNow())
    key = Varchar(length=30, unique=True)  # "<declaration>:<version>"


class LedgerAgreement(Table, tablename="ledger_agreement"):
    """网签三方协议."""

    id = Serial(primary_key=True)
    number = Varchar(length=24, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    bank_code = Varchar(length=12)
    bank_name = Varchar(length=60)
    account_number = Varchar(length=34)
    account_name = Varchar(length=120)
    status = Varchar(length=12)
    message = Varchar(length=200, default="")
    live_key = Varchar(length=80, unique=True, null=True, default=None)  # one live agreement per account
    signed_by = Varchar(length=120)
    created_at = Timestamptz(default=PlatformNow())
    verified_at = Timestamptz(null=True, default=None)


class LedgerPayment(Table, tablename="ledger_payment"):
    """A payment: one per idempotency key."""

    id = Serial(primary_key=True)
    key = Varchar(length=80, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    method = Varchar(length=10)
    status = Varchar(length=10, index=True)
    amount_fen = BigInt(default=0)
    tax_fen = BigInt(default=0)
    late_fee_fen = BigInt(default=0)
    agreement = ForeignKey(references=LedgerAgreement, null=True, default=None, on_delete=OnDelete.set_null)
    agreement_number = Varchar(length=24, default="")
    bank_serial = Varchar(length=40, default="")
    voucher_number = Varchar(length=24, unique=True, null=True, default=None)
    message = Varchar(length=200, default="")
    requested_by = Varchar(length=120, default="")
    requested_at = Timestamptz(default=PlatformNow(), index=True)
    paid_on = Date(null=True, default=None, index=True)


class LedgerPaymentItem(Table, tablename="ledger_payment_item"):
    """What one payment pays of one declaration."""

    id = Serial(primary_key=True)
    payment = ForeignKey(references=LedgerPayment, index=True, on_delete=OnDelete.cascade)
    declaration = ForeignKey(references=LedgerDeclaration, index=True)
    tax_fen = BigInt(default=0)
    late_fee_fen = BigInt(default=0)
    late_days = Integer(default=0)


class LedgerExtension(Table, tablename="ledger_extension"):
    """延期申报 / 延期缴纳 decisions."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    kind = Varchar(length=10)
    tax_type = Varchar(length=8)
    period_start = Date(default=PlatformToday())
    new_deadline = Date(default=PlatformToday())
    reference = Varchar(length=60, default="")
    decided_at = Timestamptz(default=PlatformNow())
    key = Varchar(length=60, unique=True)  # "<taxpayer>:<kind>:<tax type>:<period start>"


class LedgerRelief(Table, tablename="ledger_relief"):
    """减免 the taxpayer enjoys."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    tax_type = Varchar(length=8)
    code = Varchar(length=20)
    name = Varchar(length=120)
    valid_from = Date(default=PlatformToday())
    valid_to = Date(null=True, default=None)
    reference = Varchar(length=60, default="")


class LedgerFixedAmount(Table, tablename="ledger_fixed_amount"):
    """定期定额."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    tax_type = Varchar(length=8)
    monthly_sales_fen = BigInt(default=0)
    monthly_tax_fen = BigInt(default=0)
    valid_from = Date(default=PlatformToday())
    valid_to = Date(null=True, default=None)
    reference = Varchar(length=60, default="")


class LedgerCredit(Table, tablename="ledger_credit"):
    """多缴税款 credits and what is left of each."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    tax_type = Varchar(length=8)
    kind = Varchar(length=10)
    source_declaration = ForeignKey(
        references=LedgerDeclaration, null=True, default=None, on_delete=OnDelete.set_null
    )
    amount_fen = BigInt()
    remaining_fen = BigInt()
    created_at = Timestamptz(default=PlatformNow())


class LedgerRefund(Table, tablename="ledger_refund"):
    """A refund or offset of a credit; one per idempotency key."""

    id = Serial(primary_key=True)
    key = Varchar(length=80, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    credit = ForeignKey(references=LedgerCredit, index=True)
    kind = Varchar(length=10)
    amount_fen = BigInt()
    offset_declaration = ForeignKey(
        references=LedgerDeclaration, null=True, default=None, on_delete=OnDelete.set_null
    )
    status = Varchar(length=10)
    requested_by = Varchar(length=120, default="")
    requested_at = Timestamptz(default=PlatformNow())


class LedgerCounter(Table, tablename="ledger_counter"):
    """Sequence counters (declaration and voucher numbers) per name and day, incremented atomically."""

    id = Serial(primary_key=True)
    name = Varchar(length=30, unique=True)  # e.g. "decl:20260215"
    last = BigInt(default=0)
