"""纳税信用状态信息查询: the taxpayer's 纳税信用评价 results by year, with the deductions behind each."""

from __future__ import annotations

import datetime as dt

import msgspec

from etax.platform.api import (
    Actor,
    Audience,
    Choice,
    Column,
    FunctionSpec,
    ListFormat,
    Listing,
    ListQuery,
    PageRequest,
    SortKey,
    Tone,
    beijing,
    credit,
)
from etax.plugins.queries.spec import Detail, DetailTable, QuerySpec

CREDIT = FunctionSpec(
    code="queries.credit",
    name="纳税信用状态信息查询",
    short_name="纳税信用查询",
    path=("我要查询", "纳税信用状态信息查询"),
    url="/query/credit",
    keywords=("纳税信用", "信用等级", "A级纳税人", "信用评价", "信用评分", "纳税信用等级", "信用状态"),
    initials=("nsxyztxxcx",),
    audiences=frozenset({Audience.ENTERPRISE}),
    description="查询本企业历年纳税信用评价结果：评价年度、得分、信用级别和扣分情况。",
)
LEVEL_TONES = {"A": Tone.OK, "B": Tone.OK, "M": Tone.INFO, "C": Tone.WAIT, "D": Tone.BAD}


class CreditRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    year: int
    score: int
    level: str
    deducted: int
    evaluated_at: dt.datetime


async def _read(actor: Actor, query: ListQuery[CreditRow], page: PageRequest) -> list[CreditRow]:
    level = query.filters.text("level")
    rows = [
        CreditRow(
            id=item.id,
            year=item.year,
            score=item.score,
            level=item.level.value,
            deducted=sum(d.points for d in item.deductions),
            evaluated_at=item.evaluated_at,
        )
        for item in await credit.evaluations(actor.taxpayer_id)
        if not level or item.level.value == level
    ]
    return page.take(rows)


async def _detail(actor: Actor, record_id: int) -> Detail | None:
    item = await credit.evaluation(actor.taxpayer_id, record_id)
    if item is None:
        return None
    return Detail(
        title=f"{item.year}年度纳税信用评价结果",
        fields=[
            ("评价年度", str(item.year)),
            ("评价得分", str(item.score)),
            ("信用级别", f"{item.level.value}级"),
            ("评价时间", beijing(item.evaluated_at)),
        ],
        sections=[
            DetailTable(
                title="扣分情况",
                headings=["扣分事项", "扣分"],
                rows=[[d.reason, str(d.points)] for d in item.deductions],
            )
        ],
    )


QUERY = QuerySpec(
    function=CREDIT,
    listing=Listing(
        code=CREDIT.code,
        row=CreditRow,
        sort=(SortKey("year"), SortKey("id")),
        filters=(
            Choice("level", "信用级别", tuple((lv.value, f"{lv.value}级") for lv in credit.CreditLevel)),
        ),
    ),
    columns=(
        Column("year", "评价年度"),
        Column("score", "评价得分", ListFormat.NUMBER),
        Column("deducted", "扣分合计", ListFormat.NUMBER),
        Column("level", "信用级别", ListFormat.BADGE, badges=LEVEL_TONES),
        Column("evaluated_at", "评价时间", ListFormat.DATETIME),
    ),
    read=_read,
    detail=_detail,
    detail_label="扣分明细",
    empty="尚无纳税信用评价结果。",
    notes=("纳税信用评价依据评价年度内的申报、缴款和违法违章记录；新设立或无申报记录的年度评为M级。",),
)
