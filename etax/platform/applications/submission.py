"""Reading an application form (multipart): the fields into the plugin's Struct, and its attachments.

Text fields go through :func:`etax.platform.forms.parse` (Chinese messages), then
the form's ``check_applicant``; attachments are 电子资料 the taxpayer already holds (ticked by id, each
checked to be theirs) and newly uploaded files (checked by content and size). Nothing is stored here.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile

from etax.platform.application_spec import Applicant, ApplicationSpec
from etax.platform.applications.common import Actor
from etax.platform.applications.documents import DocumentView, owned_documents
from etax.platform.applications.service import Attachments
from etax.platform.applications.uploads import UploadError, check_upload
from etax.platform.forms import form_fields, parse, submitted, submitted_files, submitted_list, submitted_text

SUBMISSION_FIELD = "_submission"
DOCUMENTS_FIELD = "documents"
FILES_FIELD = "attachments"


@runtime_checkable
class ChecksApplicant(Protocol):
    """A form with rules that depend on the applying taxpayer."""

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]: ...


class SubmittedForm(msgspec.Struct, kw_only=True):
    """What one POST of an application form carried, checked."""

    values: dict[str, str]
    selected: list[int]
    submission: str = ""
    form: Any = None
    attachments: Attachments | None = None
    errors: dict[str, str] = msgspec.field(default_factory=dict)


def _ids(values: list[str]) -> list[int] | None:
    ids: list[int] = []
    for value in values:
        if not value.isdigit() or len(value) > 12:
            return None
        if int(value) not in ids:
            ids.append(int(value))
    return ids


async def _attachments(
    uploads: list[UploadFile], spec: ApplicationSpec, actor: Actor, selected: list[int] | None
) -> tuple[Attachments | None, str]:
    rule = spec.attachments
    if selected is None:
        return None, "所选电子资料不存在，请重新选择"
    existing: list[DocumentView] | None = await owned_documents(actor.taxpayer_id, selected)
    if existing is None:
        return None, "所选电子资料不存在，请重新选择"
    wrong = [d.title for d in existing if d.kind not in rule.kinds]
    if wrong:
        return None, f"“{wrong[0]}”不是本事项允许的文件类型（{rule.kinds_label}）"
    count = len(existing) + len(uploads)
    if count > rule.max_count:
        return None, f"{rule.label}最多{rule.max_count}份，您选择了{count}份"
    if rule.required and count == 0:
        return None, f"请上传或选择{rule.label}"
    new = []
    for upload in uploads:
        try:
            new.append(await check_upload(upload, rule.kinds))
        except UploadError as exc:
            return None, str(exc)
    return Attachments(existing=existing, new=new), ""


async def read_application_form(
    request: Request[Any, Any, Any], spec: ApplicationSpec, actor: Actor
) -> SubmittedForm:
    """Read and check the posted form; ``form`` and ``attachments`` are set only when all is well."""
    data = await submitted(request)
    values = {
        field.name: submitted_text(data, field.name, 20_000).strip()[:2000]
        for field in form_fields(spec.form)
    }
    selected = _ids(submitted_list(data, DOCUMENTS_FIELD, 20))
    result = SubmittedForm(
        values=values, selected=selected or [], submission=submitted_text(data, SUBMISSION_FIELD, 20_000)
    )
    form, errors = parse(spec.form, values)
    if form is not None and isinstance(form, ChecksApplicant):
        applicant = Applicant(
            taxpayer_id=actor.taxpayer_id, taxpayer_name=actor.taxpayer_name, actor=actor.name
        )
        errors = dict(await form.check_applicant(applicant))
    attachments, problem = await _attachments(
        await submitted_files(request, FILES_FIELD), spec, actor, selected
    )
    if problem:
        errors[FILES_FIELD] = problem
    if errors:
        result.errors = errors
        return result
    result.form = form
    result.attachments = attachments
    return result
