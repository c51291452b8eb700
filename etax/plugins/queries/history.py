"""历史办税操作查询: the taxpayer's own audit trail (logins, staff changes, applications, exports)."""

from __future__ import annotations

from collections.abc import Sequence

from etax.platform.api import (
    AUDIT_OUTCOMES,
    Actor,
    Audience,
    AuditEntry,
    AuditFilter,
    Choice,
    Column,
    DateRange,
    FunctionSpec,
    ListFormat,
    Listing,
    ListQuery,
    PageRequest,
    SortKey,
    Tone,
    audit_actions,
    audit_entries,
    count_audit_entries,
)
from etax.plugins.queries.spec import QuerySpec

HISTORY = FunctionSpec(
    code="history.operations",
    name="历史办税操作查询",
    path=("我要查询", "历史办税操作查询"),
    url="/query/history",
    keywords=("操作记录", "登录记录", "办税记录", "日志", "审计"),
    initials=("lsbsczcx",),
    audiences=frozenset({Audience.ENTERPRISE}),
    description="查询本企业办税人员的登录、人员维护和涉税操作记录。",
)


def _agency(actor: Actor) -> bool:
    """An agency acting for the client sees only the operations on its tax matters, without addresses."""
    return actor.principal.kind == "agency"


def _filter(actor: Actor, query: ListQuery[AuditEntry]) -> AuditFilter:
    values = query.filters
    return AuditFilter(
        days=values.dates("date"),
        action=values.text("action"),
        outcome=values.text("outcome"),
        agency=_agency(actor),
    )


async def _read(actor: Actor, query: ListQuery[AuditEntry], page: PageRequest) -> list[AuditEntry]:
    return await audit_entries(actor.taxpayer_id, _filter(actor, query), page)


async def _count(actor: Actor, query: ListQuery[AuditEntry]) -> int:
    return await count_audit_entries(actor.taxpayer_id, _filter(actor, query))


async def _actions(actor: Actor) -> Sequence[Choice]:
    actions = await audit_actions(actor.taxpayer_id, agency=_agency(actor))
    return (Choice("action", "操作", tuple((a, a) for a in actions)),)


QUERY = QuerySpec(
    function=HISTORY,
    listing=Listing(
        code=HISTORY.code,
        row=AuditEntry,
        sort=(SortKey("at"), SortKey("id")),
        filters=(
            DateRange("date", "操作日期"),
            Choice("action", "操作", ()),
            Choice("outcome", "结果", tuple(AUDIT_OUTCOMES.items())),
        ),
    ),
    columns=(
        Column("at", "时间", ListFormat.DATETIME),
        Column("actor", "操作人"),
        Column("acting_for", "代理/代办"),
        Column("action", "操作"),
        Column("target", "对象"),
        Column("ip", "IP地址"),
        Column(
            "outcome",
            "结果",
            ListFormat.BADGE,
            labels=AUDIT_OUTCOMES,
            badges={"success": Tone.OK, "failure": Tone.BAD, "refused": Tone.WAIT},
        ),
    ),
    read=_read,
    count=_count,
    choices=_actions,
    empty="没有符合条件的操作记录。",
    notes=("时间均为北京时间；操作日期按北京时间的自然日筛选。",),
)
