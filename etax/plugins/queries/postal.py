"""邮寄信息统计查询 and 物流信息查询: invoices, certificates and documents sent to the taxpayer by post."""

from __future__ import annotations

from etax.platform.api import (
    Actor,
    Audience,
    Choice,
    Column,
    DateRange,
    FunctionSpec,
    ListFormat,
    Listing,
    ListQuery,
    PageRequest,
    SortKey,
    Text,
    Tone,
    beijing,
    dispatch,
    money,
)
from etax.plugins.queries.spec import Detail, DetailTable, QuerySpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})
POSTAL = FunctionSpec(
    code="queries.postal",
    name="邮寄信息统计查询",
    short_name="邮寄信息查询",
    path=("我要查询", "邮寄信息统计查询"),
    url="/query/postal",
    keywords=("邮寄", "邮寄发票", "发票邮寄", "邮寄证明", "寄送", "邮费", "快递", "EMS"),
    initials=("yjxxtjcx",),
    audiences=ENTERPRISE,
    description="统计税务机关向本企业邮寄的发票、税收证明和税务文书：件数、状态和邮费。",
)
LOGISTICS = FunctionSpec(
    code="queries.logistics",
    name="物流信息查询",
    path=("我要查询", "物流信息查询"),
    url="/query/logistics",
    keywords=("物流", "快递", "运单号", "邮件跟踪", "签收", "派送", "发票寄到哪了", "快递单号"),
    initials=("wlxxcx",),
    audiences=ENTERPRISE,
    description="按运单号或单据编号查询邮寄给本企业的发票、证明和文书的物流轨迹。",
)
STATE_TONES = {
    "已签收": Tone.OK,
    "已退回": Tone.BAD,
    "待寄出": Tone.WAIT,
}
FILTERS = (
    DateRange("date", "邮寄登记日期"),
    Choice.of_enum("kind", "邮寄内容", dispatch.DispatchItem),
    Choice.of_enum("state", "物流状态", dispatch.DispatchState),
    Text("q", "运单号/单据编号/收件人", max_length=30),
)


def _filter(query: ListQuery[dispatch.DispatchRow]) -> dispatch.DispatchFilter:
    values = query.filters
    return dispatch.DispatchFilter(
        days=values.dates("date"),
        item_kind=values.text("kind"),
        state=values.text("state"),
        text=values.text("q"),
    )


async def _read(
    actor: Actor, query: ListQuery[dispatch.DispatchRow], page: PageRequest
) -> list[dispatch.DispatchRow]:
    return await dispatch.dispatches(actor.taxpayer_id, _filter(query), page)


async def _count(actor: Actor, query: ListQuery[dispatch.DispatchRow]) -> int:
    return await dispatch.count_dispatches(actor.taxpayer_id, _filter(query))


async def _summary(actor: Actor, query: ListQuery[dispatch.DispatchRow]) -> list[tuple[str, str]]:
    figures = await dispatch.dispatch_summary(actor.taxpayer_id, _filter(query))
    in_transit = (
        sum(figures.by_state[s.value] for s in dispatch.DispatchState if s not in dispatch.FINAL)
        - figures.by_state[dispatch.DispatchState.WAITING.value]
    )
    return [
        ("邮寄件数", str(figures.total)),
        ("待寄出", str(figures.by_state[dispatch.DispatchState.WAITING.value])),
        ("在途", str(in_transit)),
        ("已签收", str(figures.by_state[dispatch.DispatchState.SIGNED.value])),
        ("已退回", str(figures.by_state[dispatch.DispatchState.RETURNED.value])),
        ("邮费合计（元）", money(figures.postage)),
    ]


async def _detail(actor: Actor, record_id: int) -> Detail | None:
    row = await dispatch.dispatch(actor.taxpayer_id, record_id)
    if row is None:
        return None
    events = await dispatch.tracking(row.id)
    return Detail(
        title=f"物流信息：{row.item_kind.value} {row.item_ref}",
        fields=[
            ("邮寄内容", f"{row.item_kind.value}（{row.item_ref}）{row.description}"),
            ("收件人", row.recipient),
            ("联系电话", row.phone),
            ("收件地址", row.address),
            ("快递公司", row.carrier),
            ("运单号", row.tracking_number or "尚未揽收"),
            ("邮费（元）", money(row.postage)),
            ("当前状态", row.state.value),
        ],
        sections=[
            DetailTable(
                title="物流轨迹",
                headings=["时间（北京时间）", "状态", "地点", "说明"],
                rows=[[beijing(e.at), e.state.value, e.place, e.note] for e in reversed(events)],
            )
        ],
    )


COLUMNS = (
    Column("created_at", "登记时间", ListFormat.DATETIME),
    Column("item_kind", "邮寄内容"),
    Column("item_ref", "单据编号"),
    Column("recipient", "收件人"),
    Column("carrier", "快递公司"),
    Column("tracking_number", "运单号"),
    Column("postage", "邮费（元）", ListFormat.MONEY),
    Column("state", "物流状态", ListFormat.BADGE, badges=STATE_TONES),
)

POSTAL_QUERY = QuerySpec(
    function=POSTAL,
    listing=Listing(
        code=POSTAL.code,
        row=dispatch.DispatchRow,
        sort=(SortKey("created_at"), SortKey("id")),
        filters=FILTERS,
    ),
    columns=COLUMNS,
    read=_read,
    count=_count,
    summary=_summary,
    detail=_detail,
    detail_label="物流详情",
    empty="没有邮寄记录。",
)
LOGISTICS_QUERY = QuerySpec(
    function=LOGISTICS,
    listing=Listing(
        code=LOGISTICS.code,
        row=dispatch.DispatchRow,
        sort=(SortKey("updated_at"), SortKey("id")),
        filters=FILTERS,
    ),
    columns=(
        Column("updated_at", "最近更新", ListFormat.DATETIME),
        Column("tracking_number", "运单号"),
        Column("item_kind", "邮寄内容"),
        Column("item_ref", "单据编号"),
        Column("carrier", "快递公司"),
        Column("state", "物流状态", ListFormat.BADGE, badges=STATE_TONES),
    ),
    read=_read,
    count=_count,
    detail=_detail,
    detail_label="物流轨迹",
    empty="没有物流信息。",
    notes=("物流状态由税务机关根据快递公司的揽收、运输、派送和签收信息登记。",),
)
