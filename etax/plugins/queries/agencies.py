"""涉税中介机构信息查询: the tax agencies the enterprise certified (委托), their scope and validity."""

from __future__ import annotations

from etax.platform.api import (
    CERTIFICATION_STATUS,
    Actor,
    Audience,
    CertificationRow,
    Choice,
    Column,
    FunctionSpec,
    ListFormat,
    Listing,
    ListQuery,
    PageRequest,
    SortKey,
    Text,
    Tone,
    agency_certification,
    agency_certifications,
    beijing,
    count_agency_certifications,
)
from etax.plugins.queries.spec import Detail, QuerySpec

AGENCIES = FunctionSpec(
    code="queries.agencies",
    name="涉税中介机构信息查询",
    short_name="中介机构查询",
    path=("我要查询", "涉税中介机构信息查询"),
    url="/query/agencies",
    keywords=("涉税中介", "代理机构", "税务代理", "税务师事务所", "代理记账", "委托代理", "中介机构"),
    initials=("sszjjgxxcx",),
    audiences=frozenset({Audience.ENTERPRISE}),
    description="查询本企业认定（委托）的涉税专业服务机构、委托的业务范围、有效期和状态。",
)


async def _read(
    actor: Actor, query: ListQuery[CertificationRow], page: PageRequest
) -> list[CertificationRow]:
    values = query.filters
    return await agency_certifications(
        actor.taxpayer_id, page, status=values.text("status"), text=values.text("q")
    )


async def _count(actor: Actor, query: ListQuery[CertificationRow]) -> int:
    values = query.filters
    return await count_agency_certifications(
        actor.taxpayer_id, status=values.text("status"), text=values.text("q")
    )


async def _detail(actor: Actor, record_id: int) -> Detail | None:
    row = await agency_certification(actor.taxpayer_id, record_id)
    if row is None:
        return None
    return Detail(
        title=f"涉税中介机构：{row.agency_name}",
        fields=[
            ("机构名称", row.agency_name),
            ("统一社会信用代码", row.agency_tin),
            ("认定时间", beijing(row.created_at)),
            ("有效期至", row.valid_until.isoformat()),
            ("状态", CERTIFICATION_STATUS.get(row.status, row.status)),
            ("委托业务范围", "、".join(code.split("/")[-1] for code in row.scope) or "全部"),
        ],
    )


QUERY = QuerySpec(
    function=AGENCIES,
    listing=Listing(
        code=AGENCIES.code,
        row=CertificationRow,
        sort=(SortKey("created_at"), SortKey("id")),
        filters=(
            Choice("status", "状态", tuple(CERTIFICATION_STATUS.items())),
            Text("q", "机构名称", max_length=40),
        ),
    ),
    columns=(
        Column("agency_name", "机构名称"),
        Column("agency_tin", "统一社会信用代码"),
        Column("created_at", "认定时间", ListFormat.DATETIME),
        Column("valid_until", "有效期至", ListFormat.DATE),
        Column(
            "status",
            "状态",
            ListFormat.BADGE,
            labels=CERTIFICATION_STATUS,
            badges={"active": Tone.OK, "cancelled": Tone.BAD},
        ),
    ),
    read=_read,
    count=_count,
    detail=_detail,
    empty="本企业没有认定涉税中介机构。",
    notes=("可在“用户中心 › 代理机构认定管理”中认定或取消涉税中介机构。",),
)
