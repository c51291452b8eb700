"""The tax ledger's public types: enums and the Structs its service functions return.

Money is ``Decimal`` with two places in every Struct (the tables store whole fen). Every enum has a
Chinese ``label`` for pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

import msgspec

CENT = Decimal("0.01")
LATE_FEE_RATE = Decimal("0.0005")  # 滞纳金: 万分之五 per day (征管法 第32条)


def money(value: Decimal | int | str) -> Decimal:
    """``value`` in yuan, rounded half-up to the fen."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def to_fen(value: Decimal) -> int:
    """Yuan (two places) to whole fen, as the tables store money."""
    return int(money(value) * 100)


def from_fen(fen: int) -> Decimal:
    """Whole fen to yuan with two places."""
    return (Decimal(fen) / 100).quantize(CENT)


class TaxType(StrEnum):
    """征收项目 (tax or fee type)."""

    VAT = "10101"  # 增值税
    CIT = "10104"  # 企业所得税
    URBAN_CONSTRUCTION = "10109"  # 城市维护建设税
    PROPERTY = "10110"  # 房产税
    STAMP = "10111"  # 印花税
    LAND_USE = "10112"  # 城镇土地使用税
    EDUCATION = "30203"  # 教育费附加
    LOCAL_EDUCATION = "30216"  # 地方教育附加
    # 社会保险费 (collected by the tax bureau since 2019; 单位缴费 filed monthly like a tax)
    PENSION = "10201"  # 基本养老保险费
    UNEMPLOYMENT = "10202"  # 失业保险费
    MEDICAL = "10203"  # 基本医疗保险费
    WORK_INJURY = "10204"  # 工伤保险费
    MATERNITY = "10205"  # 生育保险费

    @property
    def label(self) -> str:
        return TAX_TYPE_LABELS[self]


TAX_TYPE_LABELS: dict[TaxType, str] = {
    TaxType.VAT: "增值税",
    TaxType.CIT: "企业所得税",
    TaxType.URBAN_CONSTRUCTION: "城市维护建设税",
    TaxType.PROPERTY: "房产税",
    TaxType.STAMP: "印花税",
    TaxType.LAND_USE: "城镇土地使用税",
    TaxType.EDUCATION: "教育费附加",
    TaxType.LOCAL_EDUCATION: "地方教育附加",
    TaxType.PENSION: "基本养老保险费",
    TaxType.UNEMPLOYMENT: "失业保险费",
    TaxType.MEDICAL: "基本医疗保险费",
    TaxType.WORK_INJURY: "工伤保险费",
    TaxType.MATERNITY: "生育保险费",
}
SOCIAL_INSURANCE_FEES: tuple[TaxType, ...] = (
    TaxType.PENSION,
    TaxType.UNEMPLOYMENT,
    TaxType.MEDICAL,
    TaxType.WORK_INJURY,
    TaxType.MATERNITY,
)
"""The 社会保险费 among the 征收项目 (a 纯社保户 registers only these)."""


class PeriodKind(StrEnum):
    """纳税期限: how often a registered tax is filed."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    EVENT = "event"  # 按次

    @property
    def label(self) -> str:
        return {"month": "月", "quarter": "季", "year": "年", "event": "次"}[self.value]


class TaxpayerKind(StrEnum):
    """增值税纳税人类型."""

    GENERAL = "general"
    SMALL = "small"

    @property
    def label(self) -> str:
        return {"general": "一般纳税人", "small": "小规模纳税人"}[self.value]


class DeclarationStatus(StrEnum):
    """申报状态 of a declaration record."""

    FILED = "filed"  # 已申报 (the live record)
    VOIDED = "voided"  # 已作废
    CORRECTED = "corrected"  # 已更正 (replaced by a correction)

    @property
    def label(self) -> str:
        return {"filed": "已申报", "voided": "已作废", "corrected": "已更正"}[self.value]


class DeclarationKind(StrEnum):
    """申报类型 (HB-portal codes 11 / 01 / 03)."""

    NORMAL = "11"  # 正常申报
    LATE = "01"  # 逾期申报
    CORRECTION = "03"  # 更正申报

    @property
    def label(self) -> str:
        return {"11": "正常申报", "01": "逾期申报", "03": "更正申报"}[self.value]


class Channel(StrEnum):
    """Where a declaration or payment was made."""

    ONLINE = "online"  # 电子税务局
    COUNTER = "counter"  # 办税服务厅
    IMPORT = "import"  # 批量导入（演示与历史数据）

    @property
    def label(self) -> str:
        return {"online": "电子税务局", "counter": "办税服务厅", "import": "批量导入"}[self.value]


class PaymentMethod(StrEnum):
    """缴款方式."""

    AGREEMENT = "agreement"  # 三方协议扣款
    UNIONPAY = "unionpay"  # 银联支付
    COUNTER = "counter"  # 柜台缴款
    OFFSET = "offset"  # 多缴税款抵缴

    @property
    def label(self) -> str:
        return {
            "agreement": "三方协议扣款",
            "unionpay": "银联支付",
            "counter": "柜台缴款",
            "offset": "抵缴",
        }[self.value]


class PaymentStatus(StrEnum):
    """扣款状态."""

    PENDING = "pending"  # 扣款处理中
    SUCCEEDED = "succeeded"  # 扣款成功
    FAILED = "failed"  # 扣款失败

    @property
    def label(self) -> str:
        return {"pending": "扣款处理中", "succeeded": "扣款成功", "failed": "扣款失败"}[self.value]


class AgreementStatus(StrEnum):
    """三方协议 state (docs/domain/filing-facts.md §3.1)."""

    PENDING = "pending"  # 待验证
    VALID = "valid"  # 验证成功（有效）
    FAILED = "failed"  # 验证失败
    TERMINATED = "terminated"  # 已终止

    @property
    def label(self) -> str:
        return {"pending": "待验证", "valid": "验证成功", "failed": "验证失败", "terminated": "已终止"}[
            self.value
        ]


class ExtensionKind(StrEnum):
    """A bureau decision moving a deadline."""

    FILING = "filing"  # 延期申报
    PAYMENT = "payment"  # 延期缴纳税款 (suspends 滞纳金 until the new date)

    @property
    def label(self) -> str:
        return {"filing": "延期申报", "payment": "延期缴纳税款"}[self.value]


class CreditKind(StrEnum):
    """Where a credit (多缴) comes from."""

    OVERPAID = "overpaid"  # 多缴税款 (a correction lowered a paid declaration)
    MISCOLLECTED = "miscollect"  # 误收多缴 (approved 误收多缴退抵税, ledger/claims.py)
    RETAINED = "retained"  # 增值税留抵退税 (ledger/claims.py)
    EXPORT = "export"  # 出口退税 (ledger/claims.py)

    @property
    def label(self) -> str:
        return {
            "overpaid": "多缴税款",
            "miscollect": "误收多缴税款",
            "retained": "增值税留抵退税",
            "export": "出口退税",
        }[self.value]


class RefundKind(StrEnum):
    """How a credit is used."""

    REFUND = "refund"  # 退税 (to the bank account)
    OFFSET = "offset"  # 抵缴 (against an unpaid declaration)

    @property
    def label(self) -> str:
        return {"refund": "退税", "offset": "抵缴欠税"}[self.value]


class RefundStatus(StrEnum):
    """Refund states (docs/domain/filing-facts.md §4.3)."""

    SUBMITTED = "submitted"  # 已提交
    TREASURY = "treasury"  # 国库处理中
    DONE = "done"  # 国库处理完成
    REJECTED = "rejected"  # 审核不通过

    @property
    def label(self) -> str:
        return {
            "submitted": "已提交",
            "treasury": "国库处理中",
            "done": "国库处理完成",
            "rejected": "审核不通过",
        }[self.value]


class ObligationStatus(StrEnum):
    """State of one filing obligation (应申报清册 row)."""

    DUE = "due"  # 未申报, deadline not passed
    OVERDUE = "overdue"  # 未申报, deadline passed (逾期未申报)
    FILED = "filed"  # 已申报

    @property
    def label(self) -> str:
        return {"due": "未申报", "overdue": "逾期未申报", "filed": "已申报"}[self.value]


# --- records -------------------------------------------------------------------------------------


class Registration(msgspec.Struct, frozen=True, kw_only=True):
    """税费种认定: the taxpayer must file ``tax_type`` every ``period_kind`` from ``valid_from``."""

    id: int
    taxpayer_id: int
    tax_type: TaxType
    item: str  # 征收品目, e.g. 货物及劳务 (may be "")
    period_kind: PeriodKind
    valid_from: dt.date
    valid_to: dt.date | None


class TaxpayerKindRecord(msgspec.Struct, frozen=True, kw_only=True):
    """增值税纳税人类型 as decided, effective from a date."""

    taxpayer_id: int
    kind: TaxpayerKind
    effective_from: dt.date
    reference: str


class TaxEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A taxable event of a 按次 tax (its "period"): a contract signed, a transfer made."""

    id: int
    taxpayer_id: int
    tax_type: TaxType
    event_date: dt.date
    reference: str  # unique per taxpayer and tax type, e.g. the contract number
    description: str


class Amounts(msgspec.Struct, frozen=True, kw_only=True):
    """The summary figures of a return, as its lines say (two places each)."""

    income: Decimal = Decimal("0.00")  # 销售额 / 营业收入 / 计税依据 (for queries)
    tax: Decimal = Decimal("0.00")  # 应纳税额
    relief: Decimal = Decimal("0.00")  # 减免税额
    prepaid: Decimal = Decimal("0.00")  # 已缴（预缴）税额
    payable: Decimal = Decimal("0.00")  # 本期应补（退）税额, never negative
    credit: Decimal = Decimal("0.00")  # 期末留抵 / 多缴 carried forward, never negative


class FilingRequest(msgspec.Struct, frozen=True, kw_only=True):
    """What the forms engine hands the ledger when a return is submitted (or corrected)."""

    taxpayer_id: int
    tax_type: TaxType
    form_code: str  # e.g. BDA0610606 (增值税一般纳税人), A200000 (企业所得税 A类)
    form_version: str  # e.g. 2023-01
    period_kind: PeriodKind
    period_start: dt.date
    period_end: dt.date  # for 按次: the event date for both
    event_ref: str = ""  # 按次: the event's reference; "" for periodic taxes
    amounts: Amounts
    lines: dict[str, str]  # line number → value as text ("1234.50", "是", …); zero lines may be left out
    filed_by: str  # the person, as records name them
    channel: Channel = Channel.ONLINE
    agency_taxpayer_id: int | None = None  # an agency filing for its client
    agency_name: str = ""
    submission: str  # idempotency key of the submitted form: a replay returns the same declarations


class Declaration(msgspec.Struct, frozen=True, kw_only=True):
    """One declaration record (a filed return)."""

    id: int
    number: str  # 申报序号 / 申报凭证号, 18 digits
    taxpayer_id: int
    tax_type: TaxType
    form_code: str
    form_version: str
    period_kind: PeriodKind
    period_start: dt.date
    period_end: dt.date
    event_ref: str
    kind: DeclarationKind
    status: DeclarationStatus
    amounts: Amounts
    paid: Decimal  # already paid of ``amounts.payable``
    outstanding: Decimal  # payable − paid (≥ 0)
    deadline: dt.date  # filing deadline (申报期限), extensions applied
    payment_deadline: dt.date  # 缴款期限 (a 延期缴纳 decision moves it)
    late: bool  # filed after the deadline (逾期)
    filed_at: dt.datetime
    filed_by: str
    channel: Channel
    agency_taxpayer_id: int | None
    agency_name: str
    corrects_id: int | None  # the declaration this one corrected
    batch: str  # returns filed together (增值税 with its 附加税费) share it; 作废 voids them together
    data_version: int
    voided_at: dt.datetime | None
    void_reason: str


class DeclarationLines(msgspec.Struct, frozen=True, kw_only=True):
    """The lines of a declaration, one stored version."""

    declaration_id: int
    version: int
    form_code: str
    form_version: str
    lines: dict[str, str]
    saved_at: dt.datetime


class Obligation(msgspec.Struct, frozen=True, kw_only=True):
    """One row of 应申报清册: a return due for a period (or a 按次 event)."""

    taxpayer_id: int
    tax_type: TaxType
    item: str
    period_kind: PeriodKind
    period_start: dt.date
    period_end: dt.date
    event_ref: str
    deadline: dt.date
    status: ObligationStatus
    declaration: Declaration | None  # the live declaration, when filed


class Extension(msgspec.Struct, frozen=True, kw_only=True):
    """延期申报 or 延期缴纳: a decision moving the deadline of one period's return or payment."""

    id: int
    taxpayer_id: int
    kind: ExtensionKind
    tax_type: TaxType
    period_start: dt.date
    new_deadline: dt.date
    reference: str  # the decision's number (文书号)
    decided_at: dt.datetime


class Relief(msgspec.Struct, frozen=True, kw_only=True):
    """A 减免 the taxpayer enjoys (备案/核准), which returns of the tax type apply."""

    id: int
    taxpayer_id: int
    tax_type: TaxType
    code: str  # 减免性质代码
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    reference: str


class FixedAmount(msgspec.Struct, frozen=True, kw_only=True):
    """定期定额: the monthly sales and tax the bureau fixed for a 个体工商户."""

    id: int
    taxpayer_id: int
    tax_type: TaxType
    monthly_sales: Decimal
    monthly_tax: Decimal
    valid_from: dt.date
    valid_to: dt.date | None
    reference: str


class UnpaidItem(msgspec.Struct, frozen=True, kw_only=True):
    """One row of 我要缴税 / 欠税: a declaration with an amount still to pay and its accrued 滞纳金."""

    declaration: Declaration
    amount: Decimal  # outstanding tax
    late_days: int  # days of late fee counted up to ``on`` (0 while not overdue)
    late_fee: Decimal  # 应征滞纳金 accrued up to ``on``
    payment_deadline: dt.date
    in_arrears: bool  # past the payment deadline (欠税)


class PaymentItem(msgspec.Struct, frozen=True, kw_only=True):
    """What one payment paid of one declaration."""

    declaration_id: int
    declaration_number: str
    tax_type: TaxType
    period_start: dt.date
    period_end: dt.date
    tax: Decimal
    late_fee: Decimal
    late_days: int


class Payment(msgspec.Struct, frozen=True, kw_only=True):
    """One payment (扣款) and what it paid."""

    id: int
    key: str  # the idempotency key it was requested with
    taxpayer_id: int
    method: PaymentMethod
    status: PaymentStatus
    amount: Decimal  # tax + late fees
    tax: Decimal
    late_fee: Decimal
    agreement_number: str
    bank_serial: str  # the bank's serial of the deduction ("" until done)
    voucher_number: str  # 电子缴税付款凭证号 ("" unless succeeded)
    message: str  # the bank's answer, in Chinese
    requested_by: str
    requested_at: dt.datetime
    paid_on: dt.date | None  # 缴款日期 (Beijing) — also the 入库日期 of the 完税证明
    items: list[PaymentItem]


class Agreement(msgspec.Struct, frozen=True, kw_only=True):
    """网签三方协议: taxpayer, bank, account and its verification state."""

    id: int
    taxpayer_id: int
    number: str  # 三方协议号
    bank_code: str
    bank_name: str
    account_number: str
    account_name: str
    status: AgreementStatus
    message: str  # the bank's answer to verification
    signed_by: str
    created_at: dt.datetime
    verified_at: dt.datetime | None


class Credit(msgspec.Struct, frozen=True, kw_only=True):
    """A credit of the taxpayer (多缴税款) and what is left of it."""

    id: int
    taxpayer_id: int
    tax_type: TaxType
    kind: CreditKind
    source_declaration_id: int | None
    amount: Decimal
    remaining: Decimal
    created_at: dt.datetime


class Refund(msgspec.Struct, frozen=True, kw_only=True):
    """A use of a credit: refunded to the bank or offset against an unpaid declaration (先抵后退)."""

    id: int
    key: str
    taxpayer_id: int
    credit_id: int
    kind: RefundKind
    amount: Decimal
    offset_declaration_id: int | None
    status: RefundStatus
    requested_by: str
    requested_at: dt.datetime


class LateFee(msgspec.Struct, frozen=True, kw_only=True):
    """滞纳金 of an amount paid on a day."""

    days: int
    fee: Decimal


class LedgerError(Exception):
    """A refused ledger operation; ``message`` is Chinese and shown as is."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class AlreadyFiled(LedgerError):
    """The period already has a live declaration (offer 更正申报)."""

    def __init__(self, existing: Declaration) -> None:
        self.existing = existing
        super().__init__(
            f"{existing.tax_type.label}{existing.period_start:%Y-%m-%d}至{existing.period_end:%Y-%m-%d}"
            f"已申报（申报序号{existing.number}），如需修改请使用更正申报"
        )


class PaymentInProgress(LedgerError):
    """Another payment holds one of the declarations."""
