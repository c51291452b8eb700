"""The live Markdown preview beside the announcement and message editors (htmx partial)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, post
from litestar.response import Template

from etax.platform.admin.roles import ADMIN_ROLE_OPT
from etax.platform.forms import read_form
from etax.platform.web.markdown import render_markdown


class PreviewForm(msgspec.Struct, kw_only=True):
    """The body being written."""

    body: Annotated[str, msgspec.Meta(title="正文", max_length=20000)] = ""


@post("/preview", name="admin_preview", opt={ADMIN_ROLE_OPT: "any"})
async def preview(request: Request[Any, Any, Any]) -> Template:
    """The body as it will be shown: rendered and sanitised exactly like the published page."""
    form, _ = await read_form(request, PreviewForm)
    html = render_markdown(form.body) if form is not None else ""
    return Template("admin/_preview.html", context={"preview": html})
