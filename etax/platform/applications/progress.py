"""办税进度及结果信息查询: the enterprise's applications with filters, each with its history.

The list filters by matter (事项), status and submission date; the detail shows the submitted form,
attachments, every status change with the bureau's comments and, for 需补正, the correction form
(posted to the application's own function, whose permission the guard checks).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import Template

from etax.platform.applications import queries
from etax.platform.applications.common import beijing, current_actor
from etax.platform.applications.functions import PROGRESS
from etax.platform.applications.pages import detail_context
from etax.platform.applications.spec import STATUSES
from etax.platform.ids import RecordId

DateParam = Annotated[str, QueryParameter(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def date_errors(start: dt.date | None, end: dt.date | None, raw_start: str, raw_end: str) -> dict[str, str]:
    """Chinese messages for a bad date range (an impossible date such as 2026-02-30, or end before start)."""
    errors: dict[str, str] = {}
    if raw_start and start is None:
        errors["date_from"] = "开始日期无效"
    if raw_end and end is None:
        errors["date_to"] = "结束日期无效"
    if start and end and start > end:
        errors["date_to"] = "结束日期不能早于开始日期"
    return errors


class ProgressController(Controller):
    """List and detail of the visitor's enterprise's applications."""

    path = PROGRESS.url
    opt = {"function": PROGRESS.code}

    @get("/")
    async def listing(
        self,
        request: Request[Any, Any, Any],
        function: Annotated[str, QueryParameter(max_length=120)] = "",
        status: Annotated[str, QueryParameter(max_length=10)] = "",
        number: Annotated[str, QueryParameter(max_length=12)] = "",
        date_from: DateParam = "",
        date_to: DateParam = "",
        page: Annotated[int, QueryParameter(ge=1, le=100000)] = 1,
    ) -> Template:
        actor = await current_actor(request)
        start, end = parse_date(date_from), parse_date(date_to)
        errors = date_errors(start, end, date_from, date_to)
        flt = queries.ApplicationFilter(
            function=function,
            status=status if status in STATUSES else "",
            number=number.strip(),
            date_from=None if "date_from" in errors else start,
            date_to=None if errors else end,
            page=page,
        )
        result = await queries.list_applications(flt, actor.taxpayer_id)
        return Template(
            "applications/progress.html",
            context={
                "result": result,
                "filter": flt,
                "errors": errors,
                "statuses": STATUSES,
                "functions": await queries.functions_in_use(actor.taxpayer_id),
                "date_from": date_from,
                "date_to": date_to,
                "beijing": beijing,
            },
        )

    @get("/{application_id:int}")
    async def detail(self, request: Request[Any, Any, Any], application_id: RecordId) -> Template:
        actor = await current_actor(request)
        record = await queries.get_record(application_id, actor.taxpayer_id)
        if record is None:
            raise NotFoundException()
        context = await detail_context(request, record, actor)
        return Template("applications/detail.html", context={**context, "back": PROGRESS})
