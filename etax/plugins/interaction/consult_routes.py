"""在线交互: 留言咨询 (/interaction/consult, taxpayers), 自助查询 (/interaction/answers, public) and the
consultants' queue (/admin/consultations, role ``consultant``)."""

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
from etax.plugins.interaction.consult import (
    ANSWER_WORKING_DAYS,
    ConsultCategory,
    ConsultError,
    ThreadStatus,
    answer,
    ask,
    publish,
    published_answers,
    queue,
    thread,
    threads_of,
)
from etax.plugins.interaction.functions import ANSWERS, CONSULT

QUEUE_NAV = NavItem(
    label="在线咨询答复",
    url="/admin/consultations",
    requirement="consultant",
    description="按答复期限处理纳税人的留言咨询，逾期标红；可把答复发布到自助查询",
)


class ConsultController(Controller):
    """互动中心 › 在线交互 › 留言咨询."""

    path = CONSULT.url
    opt = {"function": CONSULT.code}
    exception_handlers = {413: upload_too_large}

    @get("/", cache=False)
    async def page(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        return Template(
            "interaction/consult.html",
            context={
                "notice": pop_notice(request),
                "threads": await threads_of(actor.taxpayer_id),
                "categories": list(ConsultCategory),
                "token": issue_token(request),
                "days": ANSWER_WORKING_DAYS,
                "max_files": MAX_FILES,
                "values": {},
            },
        )

    @post("/", request_max_body_size=MAX_BODY)
    async def ask_question(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template | Redirect:
        form = await submitted(request)
        values = {k: submitted_text(form, k, 4000) for k in ("category", "title", "question")}
        submission = submitted_text(form, "submission", 64)
        problem = ""
        if not token_issued(request, submission):
            problem = "页面已过期，请刷新后重新提交"
        else:
            try:
                files = await checked_files(request)
                asked = await ask(
                    taxpayer_id=actor.taxpayer_id,
                    asked_by=actor.name,
                    submission=submission,
                    **values,
                )
            except (ConsultError, AttachmentError) as error:
                problem = error.message
            else:
                await attach(request, AttachmentOwner.CONSULT, asked.id, actor.taxpayer_id, files)
                await record(
                    actor=actor.name,
                    taxpayer_id=actor.taxpayer_id,
                    action="interaction.consult.ask",
                    outcome="success",
                    connection=request,
                    target=str(asked.id),
                    detail=asked.title,
                )
                set_notice(request, f"咨询已提交，答复期限 {asked.due_on.isoformat()}，答复将发到我的消息")
                return Redirect(f"{CONSULT.url}/{asked.id}", status_code=303)
        return Template(
            "interaction/consult.html",
            context={
                "notice": {"text": problem, "error": True},
                "threads": await threads_of(actor.taxpayer_id),
                "categories": list(ConsultCategory),
                "token": issue_token(request),
                "days": ANSWER_WORKING_DAYS,
                "max_files": MAX_FILES,
                "values": values,
            },
            status_code=400,
        )

    @get("/{thread_id:int}", cache=False)
    async def detail(
        self, request: Request[Any, Any, Any], actor: CurrentActor, thread_id: RecordId
    ) -> Template:
        found = await thread(thread_id, actor.taxpayer_id)
        if found is None:
            raise NotFoundException()
        files = await attachments_of(AttachmentOwner.CONSULT, found.id)
        return Template(
            "interaction/consult_thread.html",
            context={"t": found, "files": files, "notice": pop_notice(request)},
        )

    @get("/{thread_id:int}/files/{file_id:int}", cache=False)
    async def file(
        self, request: Request[Any, Any, Any], actor: CurrentActor, thread_id: RecordId, file_id: RecordId
    ) -> File:
        """The asker's own attachment (another taxpayer's thread or file id: 404)."""
        if await thread(thread_id, actor.taxpayer_id) is None:
            raise NotFoundException()
        return (await download(request, AttachmentOwner.CONSULT, thread_id, file_id))[1]


class AnswersController(Controller):
    """互动中心 › 在线交互 › 自助查询: published answers, searchable (open to everyone)."""

    path = ANSWERS.url
    opt = {"function": ANSWERS.code}

    @get("/", cache=False)
    async def listing(self, q: str = "") -> Template:
        words = q.strip()[:40]
        return Template(
            "interaction/answers.html", context={"answers": await published_answers(words), "q": words}
        )

    @get("/{thread_id:int}", cache=False)
    async def one(self, thread_id: RecordId) -> Template:
        found = await thread(thread_id)
        if found is None or not found.published:
            raise NotFoundException()
        return Template("interaction/answer.html", context={"t": found})


class ConsultAdmin(Controller):
    """/admin/consultations — 咨询专员 (系统管理员 too)."""

    path = "/consultations"
    opt = {"admin_role": "consultant"}

    @get("/", cache=False)
    async def listing(self, request: Request[Any, Any, Any], status: str = "waiting") -> Template:
        chosen = ThreadStatus(status) if status in {s.value for s in ThreadStatus} else None
        return admin_page(
            request,
            "interaction/admin_consultations.html",
            {"threads": await queue(chosen), "status": chosen.value if chosen else "all"},
        )

    @get("/{thread_id:int}", cache=False)
    async def detail(self, request: Request[Any, Any, Any], thread_id: RecordId) -> Template:
        found = await thread(thread_id)
        if found is None:
            raise NotFoundException("没有这个咨询")
        await self._audit(request, "view", found.id, found.taxpayer)
        files = await attachments_of(AttachmentOwner.CONSULT, found.id)
        return admin_page(request, "interaction/admin_consultation.html", {"t": found, "files": files})

    @get("/{thread_id:int}/files/{file_id:int}", cache=False)
    async def file(self, request: Request[Any, Any, Any], thread_id: RecordId, file_id: RecordId) -> File:
        """A thread's attachment for the consultant; every download is audited."""
        found = await thread(thread_id)
        if found is None:
            raise NotFoundException("没有这个咨询")
        view, response = await download(request, AttachmentOwner.CONSULT, thread_id, file_id)
        await self._audit(request, "file", found.id, found.taxpayer, f"附件 {view.id} {view.filename}")
        return response

    @post("/{thread_id:int}/answer")
    async def answer_thread(self, request: Request[Any, Any, Any], thread_id: RecordId) -> Redirect:
        if await thread(thread_id) is None:
            raise NotFoundException("没有这个咨询")
        form = await submitted(request)
        admin = current_admin(request)
        try:
            done = await answer(
                thread_id, submitted_text(form, "answer", 8000), by=admin.display_name if admin else ""
            )
        except ConsultError as error:
            set_notice(request, error.message, error=True)
            return Redirect(f"/admin/consultations/{thread_id}", status_code=303)
        await self._audit(request, "answer", done.id, done.taxpayer)
        set_notice(request, "已答复，答复已发到纳税人的我的消息")
        return Redirect(f"/admin/consultations/{thread_id}", status_code=303)

    @post("/{thread_id:int}/publish")
    async def publish_thread(self, request: Request[Any, Any, Any], thread_id: RecordId) -> Redirect:
        if await thread(thread_id) is None:
            raise NotFoundException("没有这个咨询")
        shown = submitted_text(await submitted(request), "published") == "1"
        try:
            done = await publish(thread_id, shown)
        except ConsultError as error:
            set_notice(request, error.message, error=True)
            return Redirect(f"/admin/consultations/{thread_id}", status_code=303)
        await self._audit(request, "publish" if shown else "withdraw", done.id, done.taxpayer)
        set_notice(request, "已发布到自助查询" if shown else "已从自助查询撤下")
        return Redirect(f"/admin/consultations/{thread_id}", status_code=303)

    @staticmethod
    async def _audit(
        request: Request[Any, Any, Any], action: str, thread_id: int, taxpayer_id: int, detail: str = ""
    ) -> None:
        admin = current_admin(request)
        await record(
            actor=admin.actor if admin else "admin:?",
            action=f"admin.consult.{action}",
            outcome="success",
            connection=request,
            taxpayer_id=taxpayer_id,
            target=str(thread_id),
            detail=detail,
        )
