"""The back office's report pages, relative to ``/admin`` (mounted behind the admin guard).

* ``/admin/audit`` (系统管理员): every audit entry, with filters and pagination;
* ``/admin/search-analytics`` (内容管理员, so 系统管理员 too): top queries, queries without a
  result, click-through per function.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from etax.platform.admin.rendering import admin_page
from etax.platform.admin.roles import ADMIN_ROLE_OPT
from etax.platform.admin_reports.analytics import PERIODS, search_report
from etax.platform.admin_reports.audit import (
    OUTCOME_LABELS,
    AuditFilter,
    audit_page,
    known_actions,
    taxpayer_by_tin,
)
from etax.platform.coresys.validators import normalise_code, tin_problem
from etax.platform.runtime import get_runtime

DateParam = Annotated[str, QueryParameter(max_length=10)]
Text = Annotated[str, QueryParameter(max_length=120)]


def _date(text: str, label: str, errors: dict[str, str], name: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = f"{label}格式不正确，请按“2026-12-01”的格式填写"
        return None


@get("/audit", name="admin_audit", opt={ADMIN_ROLE_OPT: "system"}, cache=False)
async def audit_log(
    request: Request[Any, Any, Any],
    actor_name: Annotated[str, QueryParameter(name="actor", max_length=120)] = "",
    tin: Annotated[str, QueryParameter(max_length=40)] = "",
    action: Annotated[str, QueryParameter(max_length=60)] = "",
    outcome: Annotated[str, QueryParameter(max_length=20)] = "",
    date_from: DateParam = "",
    date_to: DateParam = "",
    page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
) -> Template:
    """审计日志: every state change of the portal, whoever made it."""
    errors: dict[str, str] = {}
    start = _date(date_from, "开始日期", errors, "date_from")
    end = _date(date_to, "结束日期", errors, "date_to")
    if start and end and start > end:
        errors["date_to"] = "结束日期不能早于开始日期"
    if outcome and outcome not in OUTCOME_LABELS:
        errors["outcome"] = "请选择结果"
    taxpayer_id: int | None = None
    tin = normalise_code(tin)
    if tin:
        problem = tin_problem(tin)
        if problem:
            errors["tin"] = problem
        else:
            taxpayer_id = await taxpayer_by_tin(tin)
            if taxpayer_id is None:
                errors["tin"] = f"没有纳税人识别号为“{tin}”的纳税人"
    values = {
        "actor": actor_name.strip(),
        "tin": tin,
        "action": action.strip(),
        "outcome": outcome,
        "date_from": date_from,
        "date_to": date_to,
    }
    result = None
    if not errors:
        flt = AuditFilter(
            actor=values["actor"],
            taxpayer_id=taxpayer_id,
            action=values["action"],
            outcome=outcome,
            date_from=start,
            date_to=end,
            page=page,
        )
        result = await audit_page(flt)
    return admin_page(
        request,
        "admin_reports/audit.html",
        {
            "result": result,
            "values": values,
            "errors": errors,
            "outcomes": OUTCOME_LABELS,
            "actions": await known_actions(),
        },
        status=400 if errors else 200,
    )


@get("/search-analytics", name="admin_search_analytics", opt={ADMIN_ROLE_OPT: "content"}, cache=False)
async def search_analytics_page(
    request: Request[Any, Any, Any], days: Annotated[int, QueryParameter(ge=1, le=365)] = 30
) -> Template:
    """搜索分析: what taxpayers search for, what finds nothing, which results they open."""
    if days not in PERIODS:
        days = 30
    report = await search_report(get_runtime(request.app).search, days)
    return admin_page(request, "admin_reports/search.html", {"report": report, "periods": PERIODS})


REPORT_ROUTE_HANDLERS: list[Any] = [audit_log, search_analytics_page]
