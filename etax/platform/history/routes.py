"""The 历史办税操作查询 page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.exceptions import PermissionDeniedException
from litestar.params import QueryParameter
from litestar.response import Template

from etax.platform import Audience, FunctionSpec
from etax.platform.history.query import OUTCOME_LABELS, HistoryFilter, history_page
from etax.platform.runtime import get_runtime

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

DateParam = Annotated[str, QueryParameter(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


class HistoryController(Controller):
    """Filters (date range, operation, outcome) and a paginated table, newest first."""

    path = HISTORY.url
    opt = {"function": HISTORY.code}

    @get("/")
    async def history(
        self,
        request: Request[Any, Any, Any],
        date_from: DateParam = "",
        date_to: DateParam = "",
        action: Annotated[str, QueryParameter(max_length=60)] = "",
        outcome: Annotated[str, QueryParameter(max_length=20)] = "",
        page: Annotated[int, QueryParameter(ge=1, le=100000)] = 1,
    ) -> Template:
        principal = await get_runtime(request.app).principal_of(request)
        taxpayer_id = principal.client_or_own_taxpayer if principal else None
        if taxpayer_id is None:
            raise PermissionDeniedException("请先选择要办理业务的企业")
        errors: dict[str, str] = {}
        start, end = _date(date_from), _date(date_to)
        if start and end and start > end:
            errors["date_to"] = "结束日期不能早于开始日期"
        flt = HistoryFilter(
            date_from=start,
            date_to=None if errors else end,
            action=action,
            outcome=outcome if outcome in OUTCOME_LABELS else "",
            page=page,
        )
        result = await history_page(
            taxpayer_id, flt, agency=principal is not None and principal.kind == "agency"
        )
        return Template(
            "history/operations.html",
            context={
                "result": result,
                "filter": flt,
                "errors": errors,
                "outcomes": OUTCOME_LABELS,
                "date_from": date_from,
                "date_to": date_to,
            },
        )
