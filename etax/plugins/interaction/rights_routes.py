"""权益保护: /interaction/complaints (纳服投诉), /interaction/report (违法举报, open to anonymous
visitors with a captcha) and the back office /admin/rights (role ``rights``, every view audited)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import File, Redirect, Template

from etax.platform.api import (
    CurrentActor,
    NavItem,
    RecordId,
    admin_page,
    check_captcha,
    current_admin,
    issue_token,
    pop_notice,
    record,
    set_notice,
    submitted,
    submitted_text,
    token_issued,
    upload_too_large,
)
from etax.plugins.interaction.attachments import (
    MAX_BODY,
    MAX_FILES,
    AttachmentError,
    AttachmentOwner,
    attach,
    attachments_of,
    checked_files,
    download,
)
from etax.plugins.interaction.functions import COMPLAINT, REPORT
from etax.plugins.interaction.rights import (
    REPORTS_PER_IP_PER_DAY,
    CaseStatus,
    ComplaintKind,
    ReportKind,
    RightsError,
    complaint,
    complaints,
    file_complaint,
    file_report,
    follow_report,
    handle_complaint,
    handle_report,
    report,
    reports,
)

RIGHTS_NAV = NavItem(
    label="投诉与检举",
    url="/admin/rights",
    requirement="rights",
    description="处理纳税服务投诉和税收违法行为检举（每次查看记入审计日志）",
)
REPORT_FORM = "tax_report"
TRACK_FORM = "tax_report_track"


def _ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


class ComplaintController(Controller):
    """互动中心 › 权益保护 › 纳服投诉."""

    path = COMPLAINT.url
    opt = {"function": COMPLAINT.code}
    exception_handlers = {413: upload_too_large}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        values: dict[str, str],
        notice: Any,
        status: int = 200,
    ) -> Template:
        return Template(
            "interaction/complaints.html",
            context={
                "notice": notice,
                "items": await complaints(actor.taxpayer_id),
                "kinds": list(ComplaintKind),
                "token": issue_token(request),
                "values": values,
                "max_files": MAX_FILES,
            },
            status_code=status,
        )

    @get("/", cache=False)
    async def page(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        return await self._page(request, actor, {}, pop_notice(request))

    @post("/", request_max_body_size=MAX_BODY)
    async def file(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template | Redirect:
        form = await submitted(request)
        values = {k: submitted_text(form, k, 4000) for k in ("kind", "office", "staff", "facts")}
        submission = submitted_text(form, "submission", 64)
        if not token_issued(request, submission):
            return await self._page(
                request, actor, values, {"text": "页面已过期，请刷新后重新提交", "error": True}, 400
            )
        try:
            evidence = await checked_files(request)
            filed = await file_complaint(
                taxpayer_id=actor.taxpayer_id, filed_by=actor.name, submission=submission, **values
            )
        except (RightsError, AttachmentError) as error:
            return await self._page(request, actor, values, {"text": error.message, "error": True}, 400)
        await attach(request, AttachmentOwner.COMPLAINT, filed.id, actor.taxpayer_id, evidence)
        await record(
            actor=actor.name,
            taxpayer_id=actor.taxpayer_id,
            action="interaction.complaint.file",
            outcome="success",
            connection=request,
            target=filed.number,
        )
        set_notice(request, f"投诉已受理，编号 {filed.number}，办理期限 {filed.due_on.isoformat()}")
        return Redirect(f"{COMPLAINT.url}/{filed.id}", status_code=303)

    @get("/{complaint_id:int}", cache=False)
    async def detail(
        self, request: Request[Any, Any, Any], actor: CurrentActor, complaint_id: RecordId
    ) -> Template:
        found = await complaint(complaint_id, actor.taxpayer_id)
        if found is None:
            raise NotFoundException()
        files = await attachments_of(AttachmentOwner.COMPLAINT, found.id)
        return Template(
            "interaction/complaint.html", context={"c": found, "files": files, "notice": pop_notice(request)}
        )

    @get("/{complaint_id:int}/files/{file_id:int}", cache=False)
    async def evidence(
        self, request: Request[Any, Any, Any], actor: CurrentActor, complaint_id: RecordId, file_id: RecordId
    ) -> File:
        """The complainant's own evidence (another taxpayer's complaint or file id: 404)."""
        if await complaint(complaint_id, actor.taxpayer_id) is None:
            raise NotFoundException()
        return (await download(request, AttachmentOwner.COMPLAINT, complaint_id, file_id))[1]


class ReportController(Controller):
    """互动中心 › 权益保护 › 违法举报 (open to everyone; captcha on every form)."""

    path = REPORT.url
    opt = {"function": REPORT.code}

    @get("/", cache=False)
    async def page(self, request: Request[Any, Any, Any]) -> Template:
        return Template(
            "interaction/report.html",
            context={
                "kinds": list(ReportKind),
                "values": {},
                "notice": pop_notice(request),
                "form": REPORT_FORM,
            },
        )

    @post("/")
    async def file(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await submitted(request)
        values = {
            k: submitted_text(form, k, 4000)
            for k in ("name", "phone", "accused", "accused_tin", "kind", "facts")
        }
        anonymous = "anonymous" not in form or submitted_text(form, "anonymous") == "1"
        problem = check_captcha(request, REPORT_FORM, submitted_text(form, "captcha", 10))
        filed = None
        if problem is None:
            try:
                filed = await file_report(
                    anonymous=anonymous,
                    password=submitted_text(form, "password", 40),
                    ip=_ip(request),
                    **values,
                )
            except RightsError as error:
                problem = error.message
        if filed is None:
            return Template(
                "interaction/report.html",
                context={
                    "kinds": list(ReportKind),
                    "values": {**values, "anonymous": "1" if anonymous else "0"},
                    "notice": {"text": problem, "error": True},
                    "form": REPORT_FORM,
                },
                status_code=400,
            )
        await record(
            actor="匿名检举人" if anonymous else "实名检举人",
            action="interaction.report.file",
            outcome="success",
            connection=request,
            target=filed.number,
        )
        return Template("interaction/report_done.html", context={"r": filed})

    @get("/track", cache=False)
    async def track_page(self) -> Template:
        return Template(
            "interaction/report_track.html", context={"form": TRACK_FORM, "found": None, "problem": ""}
        )

    @post("/track")
    async def track(self, request: Request[Any, Any, Any]) -> Template:
        form = await submitted(request)
        problem = check_captcha(request, TRACK_FORM, submitted_text(form, "captcha", 10))
        found = None
        if problem is None:
            found = await follow_report(submitted_text(form, "number"), submitted_text(form, "password", 40))
            if found is None:
                problem = "检举编号或查询密码不正确"
        return Template(
            "interaction/report_track.html",
            context={"form": TRACK_FORM, "found": found, "problem": problem or ""},
            status_code=200 if found else 400,
        )


class RightsAdmin(Controller):
    """/admin/rights — 权益保护专员 (系统管理员 too); every list and detail view is audited."""

    path = "/rights"
    opt = {"admin_role": "rights"}

    @get("/", cache=False)
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        await self._audit(request, "list", "")
        return admin_page(
            request,
            "interaction/admin_rights.html",
            {"complaints": await complaints(), "reports": await reports(), "limit": REPORTS_PER_IP_PER_DAY},
        )

    @get("/complaints/{complaint_id:int}", cache=False)
    async def complaint_detail(self, request: Request[Any, Any, Any], complaint_id: RecordId) -> Template:
        found = await complaint(complaint_id)
        if found is None:
            raise NotFoundException("没有这件投诉")
        await self._audit(request, "view_complaint", found.number)
        return admin_page(
            request,
            "interaction/admin_case.html",
            {
                "case": found,
                "kind": "complaints",
                "statuses": list(CaseStatus)[1:],
                "files": await attachments_of(AttachmentOwner.COMPLAINT, found.id),
            },
        )

    @get("/complaints/{complaint_id:int}/files/{file_id:int}", cache=False)
    async def complaint_evidence(
        self, request: Request[Any, Any, Any], complaint_id: RecordId, file_id: RecordId
    ) -> File:
        """A complaint's evidence for the rights handler; every download is audited."""
        found = await complaint(complaint_id)
        if found is None:
            raise NotFoundException("没有这件投诉")
        view, response = await download(request, AttachmentOwner.COMPLAINT, complaint_id, file_id)
        await self._audit(request, "complaint_file", found.number, f"附件 {view.id} {view.filename}")
        return response

    @get("/reports/{report_id:int}", cache=False)
    async def report_detail(self, request: Request[Any, Any, Any], report_id: RecordId) -> Template:
        found = await report(report_id)
        if found is None:
            raise NotFoundException("没有这件检举")
        await self._audit(request, "view_report", found.number)
        return admin_page(
            request,
            "interaction/admin_case.html",
            {"case": found, "kind": "reports", "statuses": list(CaseStatus)[1:]},
        )

    @post("/complaints/{complaint_id:int}")
    async def handle_complaint_case(
        self, request: Request[Any, Any, Any], complaint_id: RecordId
    ) -> Redirect:
        if await complaint(complaint_id) is None:
            raise NotFoundException("没有这件投诉")
        return await self._handle(request, "complaints", complaint_id)

    @post("/reports/{report_id:int}")
    async def handle_report_case(self, request: Request[Any, Any, Any], report_id: RecordId) -> Redirect:
        if await report(report_id) is None:
            raise NotFoundException("没有这件检举")
        return await self._handle(request, "reports", report_id)

    async def _handle(self, request: Request[Any, Any, Any], kind: str, case_id: int) -> Redirect:
        form = await submitted(request)
        admin = current_admin(request)
        by = admin.display_name if admin else ""
        status, reply = submitted_text(form, "status", 12), submitted_text(form, "reply", 4000)
        try:
            if kind == "complaints":
                done = (await handle_complaint(case_id, status, reply, by=by)).number
            else:
                done = (await handle_report(case_id, status, reply, by=by)).number
        except RightsError as error:
            set_notice(request, error.message, error=True)
            return Redirect(f"/admin/rights/{kind}/{case_id}", status_code=303)
        await self._audit(request, f"handle_{kind}", done, status)
        set_notice(request, f"{done} 已更新为{CaseStatus(status).label}")
        return Redirect(f"/admin/rights/{kind}/{case_id}", status_code=303)

    @staticmethod
    async def _audit(request: Request[Any, Any, Any], action: str, target: str, detail: str = "") -> None:
        admin = current_admin(request)
        await record(
            actor=admin.actor if admin else "admin:?",
            action=f"admin.rights.{action}",
            outcome="success",
            connection=request,
            target=target,
            detail=detail,
        )
