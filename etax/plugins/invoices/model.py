"""The 数电发票 domain as typed values: kinds, statuses, the issue input and the invoice as shown."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import msgspec

from etax.plugins.invoices.money import capitals, rate_label

PROVINCE_CODE = "21"  # 辽宁省税务局
CHANNEL = "1"  # 电子发票服务平台


class InvoiceKind(enum.StrEnum):
    SPECIAL = "special"
    ORDINARY = "ordinary"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def short(self) -> str:
        return "专票" if self is InvoiceKind.SPECIAL else "普票"


KIND_LABELS = {
    InvoiceKind.SPECIAL: "数电发票（增值税专用发票）",
    InvoiceKind.ORDINARY: "数电发票（普通发票）",
}
# Which approved 票种核定 types open which 数电发票 kind.
KIND_APPROVALS: dict[InvoiceKind, frozenset[str]] = {
    InvoiceKind.SPECIAL: frozenset({"增值税专用发票", "增值税电子专用发票"}),
    InvoiceKind.ORDINARY: frozenset(
        {"增值税普通发票（折叠票）", "增值税普通发票（卷票）", "增值税电子普通发票"}
    ),
}


class Colour(enum.StrEnum):
    BLUE = "blue"
    RED = "red"


class InvoiceStatus(enum.StrEnum):
    NORMAL = "正常"
    PARTLY_REVERSED = "部分红冲"
    REVERSED = "已红冲"


class SelectionPurpose(enum.StrEnum):
    DEDUCT = "deduct"
    NON_DEDUCT = "non_deduct"

    @property
    def label(self) -> str:
        return "抵扣类勾选" if self is SelectionPurpose.DEDUCT else "不抵扣类勾选"


class RedStatus(enum.StrEnum):
    PENDING = "待对方确认"
    ISSUED = "已开具红字发票"
    REJECTED = "对方已拒绝"
    CANCELLED = "已撤销"


class Party(enum.StrEnum):
    SELLER = "seller"
    BUYER = "buyer"

    @property
    def label(self) -> str:
        return "销售方" if self is Party.SELLER else "购买方"


def invoice_number(year: int, account_id: int, sequence: int) -> str:
    """The 20-digit 发票号码: year (2), 省局 (2), channel (1), issuer (7), issuer's sequence (8)."""
    return f"{year % 100:02d}{PROVINCE_CODE}{CHANNEL}{account_id:07d}{sequence:08d}"


class ItemInput(msgspec.Struct, frozen=True, kw_only=True):
    """One line as typed: the amount is 含税 or 不含税 as the form says."""

    name: str
    specification: str = ""
    unit: str = ""
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal
    rate: Decimal


class IssueInput(msgspec.Struct, frozen=True, kw_only=True):
    kind: InvoiceKind
    buyer_tin: str
    buyer_name: str
    buyer_is_person: bool = False
    price_inclusive: bool = False
    remark: str = ""
    items: tuple[ItemInput, ...]


class ItemView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    line: int
    name: str
    specification: str
    unit: str
    quantity: Decimal | None
    unit_price: Decimal | None
    amount: Decimal
    rate: Decimal
    tax: Decimal
    reversed_amount: Decimal

    @property
    def rate_text(self) -> str:
        return rate_label(self.rate)

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.reversed_amount


class InvoiceView(msgspec.Struct, frozen=True, kw_only=True):
    """An invoice with its lines, as both parties and the public verification see it."""

    id: int
    number: str
    kind: InvoiceKind
    colour: Colour
    seller_id: int
    seller_tin: str
    seller_name: str
    buyer_id: int | None
    buyer_tin: str
    buyer_name: str
    buyer_is_person: bool
    issued_at: dt.datetime
    issue_date: dt.date
    amount: Decimal
    tax: Decimal
    total: Decimal
    reversed_amount: Decimal
    status: InvoiceStatus
    original_id: int | None
    original_number: str
    issuer: str
    remark: str
    items: tuple[ItemView, ...] = ()

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def title(self) -> str:
        base = "电子发票（增值税专用发票）" if self.kind is InvoiceKind.SPECIAL else "电子发票（普通发票）"
        return base

    @property
    def total_capitals(self) -> str:
        return capitals(self.total)

    @property
    def is_red(self) -> bool:
        return self.colour is Colour.RED

    @property
    def remaining_amount(self) -> Decimal:
        """不含税金额 a red-letter invoice may still take back."""
        return self.amount - self.reversed_amount

    def qr_payload(self) -> str:
        """The QR text printed on the face: ``01,32,,<号码>,<价税合计>,<YYYYMMDD>,,``."""
        kind = "32" if self.kind is InvoiceKind.ORDINARY else "31"
        return f"01,{kind},,{self.number},{self.total:.2f},{self.issue_date:%Y%m%d},,"


class AccountView(msgspec.Struct, frozen=True, kw_only=True):
    """授信总额度 / 可用总额度 / 已开票份数."""

    credit_total: Decimal
    available: Decimal
    used: Decimal
    issued_count: int
    kinds: tuple[InvoiceKind, ...]


class InvoiceError(Exception):
    """Bad input or a refused operation: a Chinese message (and the form field it concerns)."""

    def __init__(self, message: str, field: str = "_form") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Who(msgspec.Struct, frozen=True, kw_only=True):
    """Who does something, for the invoice (开票人), the confirmation slip and the audit log."""

    actor: str
    taxpayer_id: int
    acting_for: str = ""
    ip: str = ""
