"""The 业务审核员 review queue in /admin: filter, read, and decide tax-matter applications.

* ``GET  /admin/reviews`` — the queue, by matter (事项), status (待处理 by default, oldest first),
  submission date, number and 纳税人识别号;
* ``GET  /admin/reviews/<id>`` — the taxpayer, the submitted form, the attachments, the history and
  the decisions open in the current status;
* ``GET  /admin/reviews/<id>/attachments/<document id>`` — an attachment, as a download;
* ``POST /admin/reviews/<id>/decision`` — 受理 / 办结 / 不予受理 / 需补正 with a comment.

Every route needs the 业务审核员 role (系统管理员 may too) through the back-office guard. A decision
changes the status only from the one the reviewer saw, and is written with its history event, the
enterprise's 服务提醒 and the audit entry in one transaction; then the plugins' hook
``etax_application_decided`` runs (a failing plugin is logged; the decision stands).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import File, Redirect, Template

from etax.platform import forms
from etax.platform.admin.accounts import AdminView
from etax.platform.admin.common import set_notice
from etax.platform.admin.rendering import admin_page, page_admin
from etax.platform.admin.roles import ADMIN_ROLE_OPT, REVIEWER
from etax.platform.application_spec import (
    ACTION_LABELS,
    COMMENT_REQUIRED,
    STATUSES,
    TRANSITIONS,
    ApplicationRecord,
)
from etax.platform.applications import queries, service, uploads
from etax.platform.applications.common import DateParam, beijing, date_errors, parse_date
from etax.platform.applications.documents import get_document
from etax.platform.applications.pages import application_spec
from etax.platform.audit import client_ip
from etax.platform.ids import RecordId
from etax.platform.runtime import get_runtime

BASE = "/admin/reviews"


class DecisionForm(msgspec.Struct, kw_only=True):
    """A reviewer's decision: what, why, and the status the reviewer saw."""

    action: Annotated[Literal["accept", "complete", "reject", "correct"], msgspec.Meta(title="处理决定")]
    expected: Annotated[
        Literal["已提交", "受理中", "已办结", "不予受理", "需补正"], msgspec.Meta(title="办理状态")
    ]
    comment: Annotated[str, msgspec.Meta(title="处理意见", max_length=500)] = ""


def _admin(request: Request[Any, Any, Any]) -> AdminView:
    admin = page_admin(request)
    assert admin is not None  # the guard let only a logged-in administrator through
    return admin


async def _record(application_id: int) -> ApplicationRecord:
    record = await queries.get_record(application_id)
    if record is None:
        raise NotFoundException("该申请不存在")
    return record


async def _detail_page(
    request: Request[Any, Any, Any],
    record: ApplicationRecord,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    spec = application_spec(request, record.function)
    return admin_page(
        request,
        "applications/review_detail.html",
        {
            "title": f"审核 {record.number}",
            "record": record,
            "rows": forms.display(spec.form if spec else None, record.data),
            "attachments": await queries.attachments(record.id),
            "events": await queries.history(record.id),
            "actions": {code: ACTION_LABELS[code] for code in TRANSITIONS.get(record.status, {})},
            "errors": errors or {},
            "values": values or {},
            "known": spec is not None,
            "beijing": beijing,
            "base": BASE,
        },
        status=status,
    )


class ReviewController(Controller):
    """/admin/reviews — every route needs 业务审核员 (or 系统管理员)."""

    path = "/reviews"
    opt = {ADMIN_ROLE_OPT: REVIEWER}

    @get("/", name="admin_reviews", cache=False)
    async def queue(
        self,
        request: Request[Any, Any, Any],
        function: Annotated[str, QueryParameter(max_length=120)] = "",
        status: Annotated[str, QueryParameter(max_length=10)] = queries.PENDING,
        number: Annotated[str, QueryParameter(max_length=12)] = "",
        tin: Annotated[str, QueryParameter(max_length=20)] = "",
        date_from: DateParam = "",
        date_to: DateParam = "",
        page: Annotated[int, QueryParameter(ge=1, le=100000)] = 1,
    ) -> Template:
        """Applications to review; pending ones oldest first, any other selection newest first."""
        start, end = parse_date(date_from), parse_date(date_to)
        errors = date_errors(start, end, date_from, date_to)
        chosen = status if status in (queries.PENDING, *STATUSES) else ""
        flt = queries.ApplicationFilter(
            function=function,
            status=chosen,
            number=number.strip(),
            tin=tin.strip().upper(),
            date_from=None if "date_from" in errors else start,
            date_to=None if errors else end,
            page=page,
            oldest_first=chosen == queries.PENDING,
        )
        runtime = get_runtime(request.app)
        matters = {
            spec.function: (fn.name if (fn := runtime.registry.get(spec.function)) else spec.function)
            for spec in runtime.host.applications()
        }
        matters.update(dict(await queries.functions_in_use()))
        return admin_page(
            request,
            "applications/review_list.html",
            {
                "title": "审核队列",
                "result": await queries.list_applications(flt),
                "filter": flt,
                "errors": errors,
                "statuses": (queries.PENDING, *STATUSES),
                "matters": sorted(matters.items(), key=lambda item: item[1]),
                "date_from": date_from,
                "date_to": date_to,
                "beijing": beijing,
                "base": BASE,
            },
        )

    @get("/{application_id:int}", name="admin_review", cache=False)
    async def detail(self, request: Request[Any, Any, Any], application_id: RecordId) -> Template:
        return await _detail_page(request, await _record(application_id))

    @get("/{application_id:int}/attachments/{document_id:int}", name="admin_review_attachment")
    async def attachment(
        self, request: Request[Any, Any, Any], application_id: RecordId, document_id: RecordId
    ) -> File:
        """An attachment of this application (and only of this one), as a download."""
        record = await _record(application_id)
        if document_id not in [a.document for a in await queries.attachments(record.id)]:
            raise NotFoundException("该附件不存在")
        found = await get_document(record.taxpayer_id, document_id)
        if found is None:
            raise NotFoundException("该附件不存在")
        view, storage_name = found
        var_dir = get_runtime(request.app).settings.var_dir
        return uploads.download(var_dir, storage_name, view.download_name, view.kind, "该附件的文件已不存在")

    @post("/{application_id:int}/decision", name="admin_review_decide")
    async def decide(self, request: Request[Any, Any, Any], application_id: RecordId) -> Response[Any]:
        """Record the decision; the plugins' hook runs after it is committed."""
        record = await _record(application_id)
        raw = await forms.submitted(request)
        values = {
            name: forms.submitted_text(raw, name, 1000).strip() for name in ("action", "expected", "comment")
        }
        form, errors = forms.parse(DecisionForm, values)
        if form is not None and form.action in COMMENT_REQUIRED and not form.comment:
            label = ACTION_LABELS[form.action]
            form, errors = None, {"comment": f"选择“{label}”时请填写处理意见，告知纳税人原因"}
        if form is None:
            return await _detail_page(request, record, errors=errors, values=values, status=400)
        admin = _admin(request)
        who = service.Who(actor=admin.actor, acting_for=admin.display_name, ip=client_ip(request))
        try:
            decided, decision = await service.decide(
                record.id, form.action, form.comment, who, expected=form.expected
            )
        except service.ApplicationError as exc:
            current = await _record(application_id)
            return await _detail_page(
                request, current, errors={"action": str(exc)}, values=values, status=409
            )
        failed = await get_runtime(request.app).host.application_decided(decided, decision)
        text = f"申请 {decided.number} {DONE_PHRASES[decision.action]}，当前状态：{decided.status}。"
        if failed:
            text += f"（插件 {'、'.join(failed)} 的后续处理失败，已记录日志，请联系系统管理员。）"
        set_notice(request, text, error=bool(failed))
        return Redirect(f"{BASE}/{decided.id}", status_code=303)


DONE_PHRASES: dict[str, str] = {
    "accept": "已受理",
    "complete": "已办结",
    "reject": "已作出不予受理决定",
    "correct": "已退回纳税人补正",
}
"""The notice after a decision, phrased per action (not "已" + the action's label: "已需补正")."""


REVIEW_ROUTE_HANDLERS: list[Any] = [ReviewController]
"""Relative to ``/admin``; contributed through ``etax_admin_route_handlers``."""
