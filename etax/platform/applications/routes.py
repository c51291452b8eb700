"""The form routes of one application, mounted by the plugin that declares it.

``application_controller(function, application)`` returns a controller at the function's own url,
bound to its code (so the platform guard decides who may apply):

* ``GET  <url>/`` — the form rendered from the Struct, with a fresh idempotency key;
* ``POST <url>/`` — check and submit; a replayed key answers with the application it created;
* ``GET  <url>/<id>`` — the application (receipt, progress, the 补正 form when 需补正);
* ``POST <url>/<id>/correct`` — resubmit the corrected form (需补正 → 已提交).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException, NotFoundException
from litestar.response import Redirect, Template

from etax.platform.application_spec import CORRECTION, ApplicationSpec
from etax.platform.applications import service
from etax.platform.applications.common import Actor, current_actor, set_notice, token_issued
from etax.platform.applications.pages import detail_context, form_context
from etax.platform.applications.queries import find_by_submission, get_record
from etax.platform.applications.submission import SUBMISSION_FIELD, read_application_form
from etax.platform.applications.uploads import MAX_BYTES, MAX_LABEL, REQUEST_OVERHEAD
from etax.platform.audit import client_ip
from etax.platform.forms import submitted, submitted_text
from etax.platform.functions import FunctionSpec
from etax.platform.ids import RecordId
from etax.platform.runtime import get_runtime


def too_large(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """A request bigger than the upload limit allows, explained in Chinese."""
    return Template(
        "error.html",
        context={
            "status": 413,
            "title": "上传的文件过大",
            "detail": f"上传的文件过大：单个文件不能超过{MAX_LABEL}，请压缩或拆分后重新上传。",
        },
        status_code=413,
    )


def who(request: Request[Any, Any, Any], actor: Actor) -> service.Who:
    return service.Who(actor=actor.name, acting_for=actor.taxpayer_name, ip=client_ip(request))


def application_controller(function: FunctionSpec, application: ApplicationSpec) -> type[Controller]:
    """The controller serving ``application`` at ``function.url``; mount it from ``etax_route_handlers``."""
    if function.code != application.function:
        raise ValueError(f"application {application.function!r} mounted at function {function.code!r}")
    body_limit = max(application.attachments.max_count, 1) * MAX_BYTES + REQUEST_OVERHEAD

    async def _record(request: Request[Any, Any, Any], application_id: int) -> tuple[Actor, Any]:
        actor = await current_actor(request)
        record = await get_record(application_id, actor.taxpayer_id)
        if record is None or record.function != function.code:
            raise NotFoundException()
        return actor, record

    class ApplicationController(Controller):
        path = function.url
        opt = {"function": function.code}
        exception_handlers = {413: too_large}

        @get("/")
        async def new(self, request: Request[Any, Any, Any]) -> Template:
            actor = await current_actor(request)
            context = await form_context(request, application, function, actor)
            return Template("applications/form.html", context=context)

        @post("/", request_max_body_size=body_limit)
        async def submit(self, request: Request[Any, Any, Any]) -> Response[Any]:
            actor = await current_actor(request)
            token = submitted_text(await submitted(request), SUBMISSION_FIELD, 100)
            replay = await find_by_submission(token, actor.taxpayer_id) if token else None
            if replay is not None:
                return Redirect(f"{function.url}/{replay.id}", status_code=303)
            posted = await read_application_form(request, application, actor)
            if not token_issued(request, token):
                posted.errors = {"_form": "表单已过期或已提交，请核对后重新提交", **posted.errors}
                token = ""
            if posted.errors or posted.form is None or posted.attachments is None:
                context = await form_context(
                    request,
                    application,
                    function,
                    actor,
                    values=posted.values,
                    errors=posted.errors,
                    selected=posted.selected,
                    token=token,
                )
                return Template("applications/form.html", context=context, status_code=400)
            application_id, created = await service.submit(
                var_dir=get_runtime(request.app).settings.var_dir,
                spec=application,
                function_name=function.name,
                taxpayer_id=actor.taxpayer_id,
                form=posted.form,
                submission=token,
                files=posted.attachments,
                who=who(request, actor),
            )
            if created:
                set_notice(request, "申请已提交，请留意办理进度。")
            return Redirect(f"{function.url}/{application_id}", status_code=303)

        @get("/{application_id:int}")
        async def show(self, request: Request[Any, Any, Any], application_id: RecordId) -> Template:
            actor, record = await _record(request, application_id)
            context = await detail_context(request, record, actor)
            return Template("applications/detail.html", context={**context, "back": function})

        @post("/{application_id:int}/correct", request_max_body_size=body_limit)
        async def correct(self, request: Request[Any, Any, Any], application_id: RecordId) -> Response[Any]:
            actor, record = await _record(request, application_id)
            target = f"{function.url}/{record.id}"
            if record.status != CORRECTION:
                set_notice(request, f"该申请当前状态为“{record.status}”，无需补正。")
                return Redirect(target, status_code=303)
            posted = await read_application_form(request, application, actor)
            if posted.errors or posted.form is None or posted.attachments is None:
                context = await detail_context(
                    request,
                    record,
                    actor,
                    values=posted.values,
                    errors=posted.errors,
                    selected=posted.selected,
                )
                return Template(
                    "applications/detail.html", context={**context, "back": function}, status_code=400
                )
            done = await service.resubmit(
                var_dir=get_runtime(request.app).settings.var_dir,
                record=record,
                form=posted.form,
                files=posted.attachments,
                who=who(request, actor),
            )
            set_notice(
                request, "补正后的申请已重新提交，请等待税务机关受理。" if done else "该申请已重新提交。"
            )
            return Redirect(target, status_code=303)

    name = "".join(part.title() for part in function.code.replace(".", "_").split("_"))
    ApplicationController.__name__ = ApplicationController.__qualname__ = f"{name}ApplicationController"
    return ApplicationController
