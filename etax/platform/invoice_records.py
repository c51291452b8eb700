"""A taxpayer's invoices as typed records, for plugins that read invoices they do not own.

The query centre's 发票信息查询 reads invoices through the ``etax_invoice_records`` and
``etax_invoice_record`` hooks; the invoices plugin answers. Neither imports the other: both use these
Structs. Pages are keyset pages on the invoice id (newest first), so a deep page costs what page 1 costs.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import msgspec

from etax.platform.prefill import InvoiceKind


class InvoiceSide(enum.StrEnum):
    """Whether the taxpayer issued (开具) or received (取得) the invoices asked for."""

    ISSUED = "issued"
    RECEIVED = "received"

    @property
    def label(self) -> str:
        return "开具发票" if self is InvoiceSide.ISSUED else "取得发票"


class InvoiceState(enum.StrEnum):
    """An invoice's status as taxpayers see it (a red-letter invoice is 红字发票)."""

    NORMAL = "正常"
    PARTLY_REVERSED = "部分红冲"
    REVERSED = "已红冲"
    RED = "红字发票"


class InvoiceRecordQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Which invoices of one taxpayer to read: filters, then one keyset page on the id.

    ``seek_id``: rows strictly after this id in the read order. The read order is newest first (id
    descending), or oldest first when ``backward`` (the previous page, read in reverse). ``limit`` rows
    at most (1 … 1001).
    """

    taxpayer_id: int
    side: InvoiceSide = InvoiceSide.ISSUED
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    counterparty: str = ""
    """Part of the other party's name or 纳税人识别号."""
    kind: InvoiceKind | None = None
    state: InvoiceState | None = None
    total_from: Decimal | None = None
    total_to: Decimal | None = None
    seek_id: int | None = None
    backward: bool = False
    limit: int = 21


class InvoiceRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One invoice as a list row: 发票号码, 开票日期, the other party, amounts and status."""

    id: int
    number: str
    issue_date: dt.date
    kind: InvoiceKind
    kind_label: str
    state: InvoiceState
    counterparty_name: str
    counterparty_tin: str
    amount: Decimal
    tax: Decimal
    total: Decimal


class InvoiceRecordLine(msgspec.Struct, frozen=True, kw_only=True):
    """One line of an invoice (项目名称, 规格型号, 单位, 数量, 单价, 金额, 税率 as a fraction, 税额)."""

    name: str
    specification: str = ""
    unit: str = ""
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal
    rate: Decimal
    tax: Decimal


class InvoiceRecordDetail(msgspec.Struct, frozen=True, kw_only=True):
    """One invoice with both parties, its lines, 备注 and the blue invoice a red one reverses."""

    record: InvoiceRecord
    side: InvoiceSide
    seller_name: str
    seller_tin: str
    buyer_name: str
    buyer_tin: str
    issued_at: dt.datetime
    issuer: str
    remark: str = ""
    original_number: str = ""
    lines: list[InvoiceRecordLine] = msgspec.field(default_factory=list)
