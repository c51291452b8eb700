"""Page contexts shared by the application form, the receipt and the progress query."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from etax.platform import forms
from etax.platform.access import can_open
from etax.platform.application_spec import CORRECTION, ApplicationRecord, ApplicationSpec
from etax.platform.applications import queries
from etax.platform.applications.common import Actor, beijing, issue_token, pop_notice
from etax.platform.applications.documents import recent_documents
from etax.platform.applications.uploads import MAX_LABEL
from etax.platform.functions import FunctionSpec
from etax.platform.runtime import get_runtime


def application_spec(request: Request[Any, Any, Any], function_code: str) -> ApplicationSpec | None:
    """The application a loaded plugin declares for ``function_code`` (None once the plugin is gone)."""
    for spec in get_runtime(request.app).host.applications():
        if spec.function == function_code:
            return spec
    return None


def function_of(request: Request[Any, Any, Any], code: str) -> FunctionSpec | None:
    return get_runtime(request.app).registry.get(code)


async def form_context(
    request: Request[Any, Any, Any],
    spec: ApplicationSpec,
    function: FunctionSpec,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    selected: list[int] | None = None,
    token: str = "",
) -> dict[str, Any]:
    """The new-application page: the fields with their values, attachments and a fresh key."""
    return {
        "function": function,
        "spec": spec,
        "rule": spec.attachments,
        "fields": forms.form_fields(spec.form),
        "values": values if values is not None else forms.initial_values(spec.form),
        "errors": errors or {},
        "documents": await recent_documents(actor.taxpayer_id, spec.attachments.kinds),
        "selected": selected or [],
        "token": token or issue_token(request),
        "action": function.url,
        "max_label": MAX_LABEL,
        "taxpayer_name": actor.taxpayer_name,
        "beijing": beijing,
    }


async def detail_context(
    request: Request[Any, Any, Any],
    record: ApplicationRecord,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    selected: list[int] | None = None,
) -> dict[str, Any]:
    """An application's detail: data, attachments, history and, for 需补正, the correction form."""
    spec = application_spec(request, record.function)
    function = function_of(request, record.function)
    attachments = await queries.attachments(record.id)
    context: dict[str, Any] = {
        "record": record,
        "rows": forms.display(spec.form if spec else None, record.data),
        "events": await queries.history(record.id),
        "attachments": attachments,
        "notice": pop_notice(request),
        "beijing": beijing,
        "correction": None,
        "errors": errors or {},
    }
    may_correct = (
        record.status == CORRECTION
        and spec is not None
        and function is not None
        and can_open(actor.principal, function)
    )
    if may_correct and spec is not None and function is not None:
        context["correction"] = {
            "rule": spec.attachments,
            "fields": forms.form_fields(spec.form),
            "data": values if values is not None else forms.values_from_data(spec.form, record.data),
            "documents": await recent_documents(actor.taxpayer_id, spec.attachments.kinds),
            "selected": selected
            if selected is not None
            else [a.document for a in attachments if a.document is not None],
            "action": f"{function.url}/{record.id}/correct",
            "max_label": MAX_LABEL,
        }
    return context


async def application_detail_page(
    request: Request[Any, Any, Any],
    actor: Actor,
    application_id: int,
    back: FunctionSpec,
    *,
    matter_code: str = "",
) -> Template | None:
    """The taxpayer's application (data, attachments, history, the 补正 form when 需补正) as a page with a
    link back to ``back``; ``None`` when it is not the taxpayer's (or not of ``matter_code``)."""
    record = await queries.get_record(application_id, actor.taxpayer_id)
    if record is None or (matter_code and record.matter_code != matter_code):
        return None
    context = await detail_context(request, record, actor)
    return Template("applications/detail.html", context={**context, "back": back})
