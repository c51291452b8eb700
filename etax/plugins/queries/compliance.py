"""违法违章信息查询 and 失信行为查询: the records the bureau entered against the taxpayer."""

from __future__ import annotations

from etax.platform.api import (
    Actor,
    AmountRange,
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
    compliance,
    money,
)
from etax.plugins.queries.spec import Detail, QuerySpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})
VIOLATIONS = FunctionSpec(
    code="queries.violations",
    name="违法违章信息查询",
    short_name="违法违章查询",
    path=("我要查询", "违法违章信息查询"),
    url="/query/violations",
    keywords=("违法违章", "违章", "违法", "处罚", "罚款", "税务行政处罚", "违法违章信息查询类"),
    initials=("wfwzxxcx", "wfwzxxcxl"),
    audiences=ENTERPRISE,
    description="查询税务机关登记的本企业违法违章记录、处理依据、罚款金额和处理状态。",
)
DISHONESTY = FunctionSpec(
    code="queries.dishonesty",
    name="失信行为查询",
    path=("我要查询", "失信行为查询"),
    url="/query/dishonesty",
    keywords=("失信", "失信行为", "重大税收违法", "黑名单", "失信主体", "信用修复"),
    initials=("sxxwcx",),
    audiences=ENTERPRISE,
    description="查询本企业被公布的失信行为记录（重大税收违法失信主体等）及其公布、撤出情况。",
)


def _violation_filter(query: ListQuery[compliance.ViolationRow]) -> compliance.ComplianceFilter:
    values = query.filters
    return compliance.ComplianceFilter(
        days=values.dates("found"),
        kind=values.text("kind"),
        status=values.text("status"),
        amount=values.amount("penalty"),
        text=values.text("q"),
    )


async def _violations(
    actor: Actor, query: ListQuery[compliance.ViolationRow], page: PageRequest
) -> list[compliance.ViolationRow]:
    return await compliance.violations(actor.taxpayer_id, _violation_filter(query), page)


async def _count_violations(actor: Actor, query: ListQuery[compliance.ViolationRow]) -> int:
    return await compliance.count_violations(actor.taxpayer_id, _violation_filter(query))


async def _violation(actor: Actor, record_id: int) -> Detail | None:
    row = await compliance.violation(actor.taxpayer_id, record_id)
    if row is None:
        return None
    return Detail(
        title="违法违章信息",
        fields=[
            ("纳税人名称", row.taxpayer_name),
            ("违法违章类型", row.kind.value),
            ("登记日期", row.found_on.isoformat()),
            ("违法违章事实", row.facts),
            ("处理依据", row.basis or "—"),
            ("罚款金额（元）", money(row.penalty)),
            ("处理状态", row.status.value),
            ("处理日期", row.handled_on.isoformat() if row.handled_on else "—"),
            ("处理决定书文号", row.document or "—"),
        ],
    )


VIOLATION_QUERY = QuerySpec(
    function=VIOLATIONS,
    listing=Listing(
        code=VIOLATIONS.code,
        row=compliance.ViolationRow,
        sort=(SortKey("found_on"), SortKey("id")),
        filters=(
            DateRange("found", "登记日期"),
            Choice.of_enum("kind", "违法违章类型", compliance.ViolationKind),
            Choice.of_enum("status", "处理状态", compliance.ViolationStatus),
            AmountRange("penalty", "罚款金额"),
            Text("q", "违法事实", max_length=40),
        ),
    ),
    columns=(
        Column("found_on", "登记日期", ListFormat.DATE),
        Column("kind", "违法违章类型"),
        Column("facts", "违法违章事实"),
        Column("penalty", "罚款金额（元）", ListFormat.MONEY),
        Column("status", "处理状态", ListFormat.BADGE, badges={"已处理": Tone.OK, "未处理": Tone.BAD}),
        Column("handled_on", "处理日期", ListFormat.DATE),
    ),
    read=_violations,
    count=_count_violations,
    detail=_violation,
    empty="没有违法违章记录。",
)


def _dishonesty_filter(query: ListQuery[compliance.DishonestyRow]) -> compliance.ComplianceFilter:
    values = query.filters
    return compliance.ComplianceFilter(
        days=values.dates("published"), kind=values.text("kind"), status=values.text("status")
    )


async def _dishonesty(
    actor: Actor, query: ListQuery[compliance.DishonestyRow], page: PageRequest
) -> list[compliance.DishonestyRow]:
    return await compliance.dishonesty_records(actor.taxpayer_id, _dishonesty_filter(query), page)


async def _count_dishonesty(actor: Actor, query: ListQuery[compliance.DishonestyRow]) -> int:
    return await compliance.count_dishonesty(actor.taxpayer_id, _dishonesty_filter(query))


async def _dishonesty_detail(actor: Actor, record_id: int) -> Detail | None:
    row = await compliance.dishonesty_record(actor.taxpayer_id, record_id)
    if row is None:
        return None
    return Detail(
        title="失信行为信息",
        fields=[
            ("纳税人名称", row.taxpayer_name),
            ("纳税人识别号", row.tin),
            ("失信类型", row.kind.value),
            ("案件性质", row.case_nature),
            ("主要违法事实", row.facts),
            ("法律依据及处理处罚情况", row.penalty or "—"),
            ("公布日期", row.published_on.isoformat()),
            ("状态", row.status.value),
            ("撤出日期", row.removed_on.isoformat() if row.removed_on else "—"),
        ],
    )


DISHONESTY_QUERY = QuerySpec(
    function=DISHONESTY,
    listing=Listing(
        code=DISHONESTY.code,
        row=compliance.DishonestyRow,
        sort=(SortKey("published_on"), SortKey("id")),
        filters=(
            DateRange("published", "公布日期"),
            Choice.of_enum("kind", "失信类型", compliance.DishonestyKind),
            Choice.of_enum("status", "状态", compliance.DishonestyStatus),
        ),
    ),
    columns=(
        Column("published_on", "公布日期", ListFormat.DATE),
        Column("kind", "失信类型"),
        Column("case_nature", "案件性质"),
        Column("facts", "主要违法事实"),
        Column("status", "状态", ListFormat.BADGE, badges={"公布中": Tone.BAD, "已撤出": Tone.OK}),
        Column("removed_on", "撤出日期", ListFormat.DATE),
    ),
    read=_dishonesty,
    count=_count_dishonesty,
    detail=_dishonesty_detail,
    empty="没有失信行为记录。",
)
