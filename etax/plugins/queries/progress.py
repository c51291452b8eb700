"""办税进度及结果信息查询: the enterprise's applications (涉税事项) with their progress and results.

The detail shows the submitted form, attachments, every status change with the bureau's comments and,
for 需补正, the correction form (posted to the application's own function, which the guard checks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Request
from litestar.response import Template

from etax.platform.api import (
    APPLICATION_STATUSES,
    Actor,
    ApplicationFilter,
    ApplicationRow,
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
    application_detail_page,
    application_functions,
    application_rows,
    count_applications,
)
from etax.plugins.queries.spec import QuerySpec

PROGRESS = FunctionSpec(
    code="applications.progress",
    name="办税进度及结果信息查询",
    short_name="办税进度查询",
    path=("我要查询", "办税进度及结果信息查询"),
    url="/query/progress",
    keywords=(
        "办税进度",
        "进度查询",
        "申请进度",
        "办理进度",
        "办理结果",
        "审批结果",
        "受理",
        "补正",
        "需补正",
        "不予受理",
        "涉税事项",
        "涉税申请办理情况查询",
    ),
    initials=("bsjdjjgxxcx", "bsjdcx"),
    audiences=frozenset({Audience.ENTERPRISE}),
    description="查询本企业提交的涉税事项申请的办理进度、税务机关意见和办理结果，对需补正的申请补正后重新提交。",
)

STATUS_TONES = {"已办结": Tone.OK, "不予受理": Tone.BAD, "需补正": Tone.WAIT}


def application_filter(query: ListQuery[ApplicationRow]) -> ApplicationFilter:
    values = query.filters
    days = values.dates("date")
    return ApplicationFilter(
        function=values.text("function"),
        status=values.text("status"),
        number=values.text("number"),
        date_from=days.start,
        date_to=days.end,
    )


async def _read(actor: Actor, query: ListQuery[ApplicationRow], page: PageRequest) -> list[ApplicationRow]:
    return await application_rows(application_filter(query), actor.taxpayer_id, page)


async def _count(actor: Actor, query: ListQuery[ApplicationRow]) -> int:
    return await count_applications(application_filter(query), actor.taxpayer_id)


async def _matters(actor: Actor) -> Sequence[Choice]:
    return (Choice("function", "事项", tuple(await application_functions(actor.taxpayer_id))),)


async def _detail(request: Request[Any, Any, Any], actor: Actor, application_id: int) -> Template | None:
    return await application_detail_page(request, actor, application_id, PROGRESS)


QUERY = QuerySpec(
    function=PROGRESS,
    listing=Listing(
        code=PROGRESS.code,
        row=ApplicationRow,
        sort=(SortKey("submitted_at"), SortKey("id")),
        filters=(
            Choice("function", "事项", ()),
            Choice("status", "办理状态", tuple((s, s) for s in APPLICATION_STATUSES)),
            Text("number", "申请编号", max_length=12),
            DateRange("date", "提交日期"),
        ),
    ),
    columns=(
        Column("number", "申请编号"),
        Column("function_name", "事项名称"),
        Column("submitted_at", "提交时间", ListFormat.DATETIME),
        Column("updated_at", "最近更新", ListFormat.DATETIME),
        Column("status", "办理状态", ListFormat.BADGE, badges=STATUS_TONES),
    ),
    read=_read,
    count=_count,
    choices=_matters,
    detail_page=_detail,
    detail_label="查看 / 补正",
    empty="没有符合条件的申请。",
)
