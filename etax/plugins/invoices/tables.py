"""The invoices plugin's tables: 票种核定信息, the 数电发票 quota, invoices and their lines, 勾选,
统计确认, 红字发票信息确认单, 进项税额转出 and 查验 counters."""

from __future__ import annotations

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from etax.platform.api import PlatformNow, PlatformToday, Taxpayer


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
    approved_at = Timestamptz(default=PlatformNow())


class InvoiceAccount(Table, tablename="invoices_account"):
    """A taxpayer's 数电发票 total quota (授信总额度 = base + adjustment) and issue counters.

    Counters are whole fen (integers), so the database adds them exactly on SQLite too. ``used_fen``
    (不含税金额 issued, net of red-letter) and ``issued_count`` change only through atomic
    ``UPDATE … WHERE … RETURNING``; ``last_sequence`` numbers the issuer's invoices without gaps.
    """

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, unique=True)
    base_credit_fen = BigInt(default=0)  # from the approved 票种核定
    adjustment_fen = BigInt(default=0)  # from approved 发票额度调整申请
    used_fen = BigInt(default=0)
    issued_count = Integer(default=0)
    last_sequence = Integer(default=0)
    updated_at = Timestamptz(default=PlatformNow())


class Invoice(Table, tablename="invoices_invoice"):
    """One 数电发票 (blue, or red with negative amounts and ``original`` set)."""

    id = Serial(primary_key=True)
    number = Varchar(length=20, unique=True)
    kind = Varchar(length=10)  # InvoiceKind value
    colour = Varchar(length=4)  # blue / red
    seller = ForeignKey(references=Taxpayer, index=True)
    seller_tin = Varchar(length=20)
    seller_name = Varchar(length=100)
    seller_address = Varchar(length=200, default="")
    buyer = ForeignKey(references=Taxpayer, null=True, default=None, index=True)
    buyer_tin = Varchar(length=20, default="", index=True)
    buyer_name = Varchar(length=100)
    buyer_is_person = Boolean(default=False)
    issued_at = Timestamptz(default=PlatformNow())
    issue_date = Date(index=True, default=PlatformToday())
    amount = Numeric(digits=(16, 2))
    tax = Numeric(digits=(16, 2))
    total = Numeric(digits=(16, 2))
    reversed_fen = BigInt(default=0)  # 不含税金额 already red-lettered, in fen
    status = Varchar(length=8, default="正常")
    original: ForeignKey[Invoice] = ForeignKey(references="self", null=True, default=None)
    issuer = Varchar(length=60)  # 开票人
    remark = Varchar(length=200, default="")
    price_inclusive = Boolean(default=False)
    submission = Varchar(length=48, null=True, default=None, unique=True)  # the form's idempotency key


class InvoiceItem(Table, tablename="invoices_item"):
    """One line of an invoice; ``reversed_fen`` is what red-letter invoices have taken back."""

    id = Serial(primary_key=True)
    invoice = ForeignKey(references=Invoice, index=True)
    line = Integer()
    name = Varchar(length=100)
    specification = Varchar(length=40, default="")
    unit = Varchar(length=10, default="")
    quantity = Numeric(digits=(20, 8), null=True, default=None)
    unit_price = Numeric(digits=(20, 8), null=True, default=None)
    amount = Numeric(digits=(16, 2))
    rate = Numeric(digits=(5, 2))
    tax = Numeric(digits=(16, 2))
    reversed_fen = BigInt(default=0)  # 金额 already red-lettered, in fen
    original_item = Integer(null=True, default=None)  # red lines: the blue line they reverse


class InvoiceSelection(Table, tablename="invoices_selection"):
    """A received invoice ticked (勾选) by its buyer for one period, for deduction or not."""

    id = Serial(primary_key=True)
    invoice = ForeignKey(references=Invoice, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    purpose = Varchar(length=12)  # SelectionPurpose value
    period = Varchar(length=7)  # YYYY-MM (税款所属期)
    ticked_at = Timestamptz(default=PlatformNow())
    ticked_by = Varchar(length=120)
    confirmed = Boolean(default=False)


class PeriodConfirmation(Table, tablename="invoices_period_confirmation"):
    """统计确认 of one taxpayer's ticks for one period; once confirmed the period is closed."""

    id = Serial(primary_key=True)
    key = Varchar(length=40, unique=True)  # "<taxpayer id>:<period>"
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    period = Varchar(length=7)
    deductible_count = Integer()
    deductible_amount = Numeric(digits=(16, 2))
    deductible_tax = Numeric(digits=(16, 2))
    confirmed_at = Timestamptz(default=PlatformNow())
    confirmed_by = Varchar(length=120)


class RedLetterRequest(Table, tablename="invoices_red_request"):
    """红字发票信息确认单: raised by the seller or the buyer, confirmed by the other party."""

    id = Serial(primary_key=True)
    number = Varchar(length=20, unique=True)
    blue = ForeignKey(references=Invoice, index=True)
    raised_by = Varchar(length=8)  # seller / buyer
    raiser = ForeignKey(references=Taxpayer, index=True)
    confirmer = ForeignKey(references=Taxpayer, null=True, default=None, index=True)
    amount = Numeric(digits=(16, 2))  # negative
    tax = Numeric(digits=(16, 2))  # negative
    total = Numeric(digits=(16, 2))  # negative
    lines = Text()  # JSON: [{"item": id, "amount": "…"}]
    reason = Varchar(length=40)
    status = Varchar(length=10)
    created_at = Timestamptz(default=PlatformNow())
    created_by = Varchar(length=120)
    decided_at = Timestamptz(null=True, default=None)
    decided_by = Varchar(length=120, default="")
    red = ForeignKey(references=Invoice, null=True, default=None)


class TransferOut(Table, tablename="invoices_transfer_out"):
    """进项税额转出: a ticked, confirmed received invoice was reversed by a red-letter invoice."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    red = ForeignKey(references=Invoice, unique=True)
    blue = ForeignKey(references=Invoice)
    tax = Numeric(digits=(16, 2))  # positive: the input tax to transfer out
    transfer_date = Date(default=PlatformToday())
    created_at = Timestamptz(default=PlatformNow())


class VerificationCount(Table, tablename="invoices_verification_count"):
    """How often one invoice was verified (查验) on one Beijing day."""

    id = Serial(primary_key=True)
    key = Varchar(length=40, unique=True)  # "<number>:<YYYY-MM-DD>"
    checks = Integer(default=0)


class QuotaAdjustment(Table, tablename="invoices_quota_adjustment"):
    """An approved 发票额度调整申请; the account's ``adjustment_fen`` is the sum of these (idempotent)."""

    id = Serial(primary_key=True)
    application_number = Varchar(length=12, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    amount_fen = BigInt()  # positive: 调增; negative: 调减
    approved_at = Timestamptz(default=PlatformNow())


class PaperBatch(Table, tablename="invoices_paper_batch"):
    """One 发票领用 of paper invoices: a number range of one type, held until 验旧."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    invoice_type = Varchar(length=40)
    code = Varchar(length=12)  # 发票代码
    first_number = Integer()
    last_number = Integer()
    quantity = Integer()
    month = Varchar(length=7)  # YYYY-MM of the 领用
    verified = Boolean(default=False)  # 验旧 done: no longer held
    created_at = Timestamptz(default=PlatformNow())
    created_by = Varchar(length=120)
    verified_at = Timestamptz(null=True, default=None)


class PaperCounter(Table, tablename="invoices_paper_counter"):
    """The last paper invoice number handed out per 发票代码 (atomic ``UPDATE … RETURNING``)."""

    id = Serial(primary_key=True)
    code = Varchar(length=12, unique=True)
    last_number = Integer(default=0)


class TaxDevice(Table, tablename="invoices_tax_device"):
    """税务UKey issued on an approved (办结) 税控设备申领; one row per application (idempotent)."""

    id = Serial(primary_key=True)
    application_number = Varchar(length=12, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    device_kind = Varchar(length=20)
    quantity = Integer()
    device_numbers = Varchar(length=200)  # comma-separated 设备编号
    office = Varchar(length=100)  # where it is collected (领取地点)
    issued_at = Timestamptz(default=PlatformNow())


class LimitApproval(Table, tablename="invoices_limit_approval"):
    """An approved 增值税专用发票最高开票限额审批 (once per application number)."""

    id = Serial(primary_key=True)
    application_number = Varchar(length=12, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    invoice_type = Varchar(length=40)
    limit_before = Numeric(digits=(14, 2))
    limit_after = Numeric(digits=(14, 2))
    approved_at = Timestamptz(default=PlatformNow())


class PaperLoss(Table, tablename="invoices_paper_loss"):
    """发票挂失、损毁报告: a range of held paper invoices reported lost, stolen or destroyed."""

    id = Serial(primary_key=True)
    number = Varchar(length=20, unique=True)  # 报告编号
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    batch = ForeignKey(references=PaperBatch, index=True)
    code = Varchar(length=12)
    first_number = Integer()
    last_number = Integer()
    quantity = Integer()
    kind = Varchar(length=8)  # LossKind value
    happened_on = Date(default=PlatformToday())
    description = Varchar(length=200)
    reported_at = Timestamptz(default=PlatformNow())
    reported_by = Varchar(length=120)


class CustomsPayment(Table, tablename="invoices_customs_payment"):
    """海关进口增值税专用缴款书 recorded by the importer; ticked for deduction like a received 专票."""

    id = Serial(primary_key=True)
    number = Varchar(length=22, unique=True)  # 缴款书号码
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    issue_date = Date(default=PlatformToday())  # 填发日期
    customs = Varchar(length=60)  # 海关名称
    amount = Numeric(digits=(16, 2))  # 完税价格
    tax = Numeric(digits=(16, 2))  # 税款金额（增值税）
    purpose = Varchar(length=12, default="")  # SelectionPurpose value once ticked
    period = Varchar(length=7, default="")  # 税款所属期 of the tick
    confirmed = Boolean(default=False)
    ticked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=PlatformNow())
    created_by = Varchar(length=120)


class AgentIssue(Table, tablename="invoices_agent_issue"):
    """发票代开: one application (its form token is unique), the tax computed, and the invoice once paid."""

    id = Serial(primary_key=True)
    submission = Varchar(length=48, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    kind = Varchar(length=10)
    buyer_tin = Varchar(length=20, default="")
    buyer_name = Varchar(length=100)
    business = Varchar(length=20)
    item = Varchar(length=60)
    total = Numeric(digits=(16, 2))
    amount = Numeric(digits=(16, 2))
    rate = Numeric(digits=(5, 2))
    vat = Numeric(digits=(16, 2))
    payable = Numeric(digits=(16, 2))  # 增值税 + 附加税费
    event_date = Date(default=PlatformToday())
    status = Varchar(length=8)  # 待缴款 / 扣款失败 / 已开具
    message = Varchar(length=200, default="")
    invoice = ForeignKey(references=Invoice, null=True, default=None, unique=True)
    created_at = Timestamptz(default=PlatformNow())
    created_by = Varchar(length=120)
