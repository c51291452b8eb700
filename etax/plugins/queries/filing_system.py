"""财务会计制度备案查询: the enterprise's approved 财务会计制度备案 (事项代码 110112) applications."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from etax.platform.api import (
    Actor,
    ApplicationFilter,
    ApplicationRow,
    Audience,
    Column,
    DateRange,
    FunctionSpec,
    ListFormat,
    Listing,
    ListQuery,
    PageRequest,
    SortKey,
    Tone,
    application_detail_page,
    application_rows,
    count_applications,
)
from etax.plugins.queries.spec import QuerySpec

MATTER_CODE = "110112"
"""事项代码 of 财务会计制度备案 (综合信息报告 › 制度信息报告)."""
APPROVED = "已办结"

FILING_SYSTEM = FunctionSpec(
    code="queries.accounting_filing",
    name="财务会计制度备案查询",
    short_name="财务制度备案查询",
    path=("我要查询", "财务会计制度备案查询"),
    url="/query/accounting-filing",
    keywords=("财务会计制度", "会计制度备案", "核算软件", "备案查询", "财务制度", "会计核算软件"),
    initials=("cwkjzdbacx",),
    audiences=frozenset({Audience.ENTERPRISE}),
    description="查询本企业已办结的财务会计制度及核算软件备案。",
)


def _filter(query: ListQuery[ApplicationRow]) -> ApplicationFilter:
    days = query.filters.dates("date")
    return ApplicationFilter(status=APPROVED, date_from=days.start, date_to=days.end)


async def _read(actor: Actor, query: ListQuery[ApplicationRow], page: PageRequest) -> list[ApplicationRow]:
    return await application_rows(_filter(query), actor.taxpayer_id, page, matter_code=MATTER_CODE)


async def _count(actor: Actor, query: ListQuery[ApplicationRow]) -> int:
    return await count_applications(_filter(query), actor.taxpayer_id, matter_code=MATTER_CODE)


async def _detail(request: Request[Any, Any, Any], actor: Actor, record_id: int) -> Template | None:
    return await application_detail_page(request, actor, record_id, FILING_SYSTEM, matter_code=MATTER_CODE)


QUERY = QuerySpec(
    function=FILING_SYSTEM,
    listing=Listing(
        code=FILING_SYSTEM.code,
        row=ApplicationRow,
        sort=(SortKey("updated_at"), SortKey("id")),
        filters=(DateRange("date", "申请日期"),),
    ),
    columns=(
        Column("number", "申请编号"),
        Column("function_name", "备案事项"),
        Column("submitted_at", "申请时间", ListFormat.DATETIME),
        Column("updated_at", "备案时间", ListFormat.DATETIME),
        Column("status", "状态", ListFormat.BADGE, badges={APPROVED: Tone.OK}),
    ),
    read=_read,
    count=_count,
    detail_page=_detail,
    empty="没有已办结的财务会计制度备案。可通过“我要办税 › 综合信息报告 › 财务会计制度备案”办理。",
)
