"""电子资料查询 and 电子资料报送: list, download, delete and upload an enterprise's documents.

Downloads are served only to the document's enterprise (or an agency acting for it), always as an
attachment with the type the content proved to be; another enterprise's id is simply not found.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import File, Redirect, Template

from etax.platform import audit
from etax.platform.access import can_open
from etax.platform.application_spec import DocumentKind
from etax.platform.applications import documents, uploads
from etax.platform.applications.common import (
    Actor,
    beijing,
    current_actor,
    issue_token,
    pop_notice,
    set_notice,
    token_issued,
)
from etax.platform.applications.functions import DOCUMENTS, DOCUMENTS_SUBMIT
from etax.platform.applications.routes import too_large
from etax.platform.applications.submission import SUBMISSION_FIELD
from etax.platform.forms import parse, submitted, submitted_files, submitted_text
from etax.platform.ids import RecordId
from etax.platform.runtime import get_runtime

ALL_KINDS: tuple[DocumentKind, ...] = ("pdf", "png", "jpeg")


class DocumentForm(msgspec.Struct, kw_only=True):
    """The fields of 电子资料报送 beside the file."""

    title: Annotated[
        str, msgspec.Meta(title="资料名称", max_length=100, description="不填写时使用文件名")
    ] = ""


async def _audit(request: Request[Any, Any, Any], actor: Actor, action: str, target: str) -> None:
    await audit.record(
        actor=actor.principal.display_name,
        acting_for=actor.taxpayer_name,
        taxpayer_id=actor.taxpayer_id,
        action=action,
        target=target,
        outcome="success",
        connection=request,
    )


def _upload_page(
    request: Request[Any, Any, Any], errors: dict[str, str], title: str, token: str = ""
) -> Template:
    return Template(
        "documents/upload.html",
        context={
            "errors": errors,
            "title": title,
            "token": token or issue_token(request),
            "max_label": uploads.MAX_LABEL,
        },
        status_code=400 if errors else 200,
    )


class DocumentController(Controller):
    """Every route binds its own function: reading to 电子资料查询, changing to 电子资料报送."""

    path = DOCUMENTS.url
    exception_handlers = {413: too_large}

    @get("/", opt={"function": DOCUMENTS.code})
    async def listing(
        self,
        request: Request[Any, Any, Any],
        keyword: Annotated[str, QueryParameter(max_length=50)] = "",
        page: Annotated[int, QueryParameter(ge=1, le=100000)] = 1,
    ) -> Template:
        actor = await current_actor(request)
        result = await documents.list_documents(actor.taxpayer_id, keyword=keyword.strip(), page=page)
        return Template(
            "documents/list.html",
            context={
                "result": result,
                "keyword": keyword.strip(),
                "notice": pop_notice(request),
                "can_change": can_open(actor.principal, DOCUMENTS_SUBMIT),
                "beijing": beijing,
            },
        )

    @get("/{document_id:int}/download", opt={"function": DOCUMENTS.code})
    async def download(self, request: Request[Any, Any, Any], document_id: RecordId) -> File:
        actor = await current_actor(request)
        found = await documents.get_document(actor.taxpayer_id, document_id)
        if found is None:
            raise NotFoundException()
        view, storage_name = found
        return uploads.download(
            get_runtime(request.app).settings.var_dir, storage_name, view.download_name, view.kind
        )

    @post("/{document_id:int}/delete", opt={"function": DOCUMENTS_SUBMIT.code})
    async def delete(self, request: Request[Any, Any, Any], document_id: RecordId) -> Response[Any]:
        actor = await current_actor(request)
        var_dir = get_runtime(request.app).settings.var_dir
        try:
            view = await documents.delete_document(var_dir, actor.taxpayer_id, document_id)
        except documents.DocumentInUse as exc:
            set_notice(request, str(exc), error=True)
            return Redirect(DOCUMENTS.url, status_code=303)
        if view is None:
            raise NotFoundException()
        await _audit(request, actor, "document.delete", f"电子资料 {view.title}")
        set_notice(request, f"已删除电子资料“{view.title}”。")
        return Redirect(DOCUMENTS.url, status_code=303)

    @get("/upload", opt={"function": DOCUMENTS_SUBMIT.code})
    async def upload_form(self, request: Request[Any, Any, Any]) -> Template:
        await current_actor(request)
        return _upload_page(request, {}, "")

    @post(
        "/upload",
        opt={"function": DOCUMENTS_SUBMIT.code},
        request_max_body_size=uploads.MAX_BYTES + uploads.REQUEST_OVERHEAD,
    )
    async def upload(self, request: Request[Any, Any, Any]) -> Response[Any]:
        actor = await current_actor(request)
        data = await submitted(request)
        title_text = submitted_text(data, "title", 20_000).strip()[:200]
        token = submitted_text(data, SUBMISSION_FIELD, 20_000)
        if not token_issued(request, token):
            return _upload_page(request, {"_form": "表单已过期，请重新选择文件后提交"}, title_text)
        form, errors = parse(DocumentForm, {"title": title_text})
        files = await submitted_files(request, "file")
        if not files:
            errors["file"] = "请选择要上传的文件"
        if errors or form is None:
            return _upload_page(request, errors, title_text, token)
        upload = files[0]
        try:
            checked = await uploads.check_upload(upload, ALL_KINDS)
        except uploads.UploadError as exc:
            return _upload_page(request, {"file": str(exc)}, title_text, token)
        title = form.title or checked.filename.rsplit(".", 1)[0] or checked.filename
        _, created = await documents.save_document(
            get_runtime(request.app).settings.var_dir,
            actor.taxpayer_id,
            title,
            checked,
            actor.name,
            token,
        )
        if created:
            await _audit(request, actor, "document.upload", f"电子资料 {title}")
            set_notice(request, f"电子资料“{title}”已报送。")
        return Redirect(DOCUMENTS.url, status_code=303)
