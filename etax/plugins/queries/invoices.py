"""发票信息查询: the taxpayer's issued (开具) and received (取得) 数电发票, read through the
``etax_invoice_records`` / ``etax_invoice_record`` hooks the invoices plugin answers (this plugin never
reads invoice tables). Keyset pages on the invoice id, newest first.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from etax.platform.api import (
    Actor,
    AmountRange,
    Audience,
    Choice,
    Column,
    DateRange,
    FunctionSpec,
    InvoiceKind,
    InvoiceRecord,
    InvoiceRecordQuery,
    InvoiceSide,
    InvoiceState,
    ListFormat,
    Listing,
    ListQuery,
    PageRequest,
    SortKey,
    Text,
    Tone,
    format_money,
    invoice_record,
    invoice_records,
)
from etax.plugins.queries.spec import Detail, DetailTable, QuerySpec

KIND_OPTIONS = (
    (InvoiceKind.SPECIAL.value, "数电发票（增值税专用发票）"),
    (InvoiceKind.ORDINARY.value, "数电发票（普通发票）"),
)

INVOICE_INFO = FunctionSpec(
    code="queries.invoices",
    name="发票信息查询",
    path=("我要查询", "发票信息查询", "发票信息查询"),
    url="/query/invoices",
    keywords=(
        "发票查询",
        "查发票",
        "开具发票",
        "取得发票",
        "销项发票",
        "进项发票",
        "收到的发票",
        "发票明细",
        "红字发票",
        "已红冲",
    ),
    initials=("fpxxcx",),
    audiences=frozenset({Audience.ENTERPRISE}),
    description="查询本企业开具和取得的数电发票：开票日期、对方、票种、状态和价税合计，可导出和打印。",
)

LISTING: Listing[InvoiceRecord] = Listing(
    code=INVOICE_INFO.code,
    row=InvoiceRecord,
    sort=(SortKey("id"),),
    filters=(
        Choice("side", "查询类型", tuple((side.value, side.label) for side in InvoiceSide)),
        DateRange("issue_date", "开票日期"),
        Text("counterparty", "对方名称或纳税人识别号", max_length=60),
        Choice("kind", "发票种类", KIND_OPTIONS),
        Choice("state", "发票状态", tuple((state.value, state.value) for state in InvoiceState)),
        AmountRange("total", "价税合计"),
    ),
)

COLUMNS = (
    Column("number", "发票号码"),
    Column("issue_date", "开票日期", ListFormat.DATE),
    Column("kind_label", "发票种类"),
    Column("counterparty_name", "对方名称"),
    Column("counterparty_tin", "对方纳税人识别号"),
    Column("amount", "金额", ListFormat.MONEY),
    Column("tax", "税额", ListFormat.MONEY),
    Column("total", "价税合计", ListFormat.MONEY),
    Column(
        "state",
        "状态",
        ListFormat.BADGE,
        badges={
            InvoiceState.NORMAL.value: Tone.OK,
            InvoiceState.PARTLY_REVERSED.value: Tone.WAIT,
            InvoiceState.REVERSED.value: Tone.BAD,
            InvoiceState.RED.value: Tone.BAD,
        },
    ),
)


def record_query(actor: Actor, query: ListQuery[InvoiceRecord], page: PageRequest) -> InvoiceRecordQuery:
    """The visitor's filters and page request as the hook's typed query (keyset on the id)."""
    f = query.filters
    days = f.dates("issue_date")
    totals = f.amount("total")
    return InvoiceRecordQuery(
        taxpayer_id=actor.taxpayer_id,
        side=InvoiceSide.RECEIVED if f.text("side") == InvoiceSide.RECEIVED.value else InvoiceSide.ISSUED,
        date_from=days.start,
        date_to=days.end,
        counterparty=f.text("counterparty"),
        kind=InvoiceKind(f.text("kind")) if f.text("kind") else None,
        state=InvoiceState(f.text("state")) if f.text("state") else None,
        total_from=totals.start,
        total_to=totals.end,
        seek_id=int(page.seek[0]) if page.seek is not None else None,
        backward=page.backward,
        limit=page.limit,
    )


async def _read(
    request: Request[Any, Any, Any], actor: Actor, query: ListQuery[InvoiceRecord], page: PageRequest
) -> list[InvoiceRecord]:
    return await invoice_records(request, record_query(actor, query, page)) or []


def _yuan(value: Any) -> str:
    return "" if value is None else format_money(value)


async def _detail(request: Request[Any, Any, Any], actor: Actor, record_id: int) -> Template | None:
    found = await invoice_record(request, actor.taxpayer_id, record_id)
    if found is None:
        return None
    record = found.record
    fields = [
        ("发票号码", record.number),
        ("开票日期", record.issue_date.isoformat()),
        ("发票种类", record.kind_label),
        ("发票状态", record.state.value),
        ("查询类型", found.side.label),
        ("销售方", f"{found.seller_name}（{found.seller_tin}）"),
        ("购买方", f"{found.buyer_name}（{found.buyer_tin}）" if found.buyer_tin else found.buyer_name),
        ("金额合计", format_money(record.amount)),
        ("税额合计", format_money(record.tax)),
        ("价税合计", format_money(record.total)),
        ("开票人", found.issuer),
    ]
    if found.original_number:
        fields.append(("对应蓝字发票号码", found.original_number))
    if found.remark:
        fields.append(("备注", found.remark))
    lines = DetailTable(
        title="发票明细",
        headings=["项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额"],
        rows=[
            [
                line.name,
                line.specification,
                line.unit,
                "" if line.quantity is None else f"{line.quantity.normalize():f}",
                _yuan(line.unit_price),
                format_money(line.amount),
                f"{(line.rate * 100).normalize():f}%",
                format_money(line.tax),
            ]
            for line in found.lines
        ],
    )
    detail = Detail(title=f"发票 {record.number}", fields=fields, sections=[lines])
    return Template("queries/detail.html", context={"spec": QUERY, "detail": detail, "url": INVOICE_INFO.url})


QUERY: QuerySpec[InvoiceRecord] = QuerySpec(
    function=INVOICE_INFO,
    listing=LISTING,
    columns=COLUMNS,
    request_read=_read,
    detail_page=_detail,
    empty="没有符合条件的发票。开具发票请使用“我要办税 › 开票业务 › 蓝字发票开具”。",
    notes=("查询类型默认为开具发票；取得发票为其他纳税人开给本企业的数电发票。",),
)
