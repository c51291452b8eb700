"""特色业务 in the back office (内容管理员): per audience, pick functions, describe them, order them.

Every action answers an htmx request with the audience's list (the page does not reload) and a
plain form post with a redirect back to the page; every change is written to the audit log.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from etax.platform.admin.common import set_notice
from etax.platform.admin.rendering import admin_page
from etax.platform.admin.roles import ADMIN_ROLE_OPT
from etax.platform.forms import read_form, submitted, submitted_text
from etax.platform.ids import RecordId
from etax.platform.menus import featured as store
from etax.platform.menus.packages.audit import record_edit
from etax.platform.menus.packages.catalogue import catalogue_item, pick
from etax.platform.menus.packages.common import AUDIENCE_HINTS, audience_label
from etax.platform.menus.packages.forms import (
    FEATURED_DESCRIPTION_LENGTH,
    FeaturedAddForm,
    FeaturedDescriptionForm,
    MoveForm,
)
from etax.platform.menus.tables import MENU_AUDIENCES
from etax.platform.runtime import get_runtime

AudienceParam = Annotated[str, QueryParameter(max_length=20)]
Query = Annotated[str, QueryParameter(max_length=100)]


def page_url(audience: str) -> str:
    return "/admin/featured?" + urlencode({"audience": audience})


async def _list_context(
    request: Request[Any, Any, Any], audience: str, error: str = "", done: str = ""
) -> dict[str, Any]:
    registry = get_runtime(request.app).registry
    items = [
        {"record": record, "item": catalogue_item(registry, record.code)}
        for record in await store.entries(audience)
    ]
    return {
        "audience": audience,
        "audience_label": audience_label(audience),
        "items": items,
        "list_error": error,
        "list_done": done,
        "description_length": FEATURED_DESCRIPTION_LENGTH,
    }


async def _answer(
    request: Request[Any, Any, Any], audience: str, *, error: str = "", done: str = ""
) -> Template | Redirect:
    """The list partial for htmx, else a redirect to the page carrying the message."""
    if request.headers.get("hx-request"):
        context = await _list_context(request, audience, error, done)
        return admin_page(request, "menus/featured_list.html", context, status=400 if error else 200)
    set_notice(request, error or done, error=bool(error))
    return Redirect(page_url(audience if audience in MENU_AUDIENCES else "all"), status_code=303)


class FeaturedAdmin(Controller):
    """/admin/featured — every route needs 内容管理员 (or 系统管理员)."""

    path = "/featured"
    opt = {ADMIN_ROLE_OPT: "content"}

    @get("/", name="admin_featured", cache=False)
    async def page(self, request: Request[Any, Any, Any], audience: AudienceParam = "all") -> Template:
        if audience not in MENU_AUDIENCES:
            audience = "all"
        context = await _list_context(request, audience)
        return admin_page(
            request,
            "menus/featured_admin.html",
            {**context, "audiences": MENU_AUDIENCES, "audience_hints": AUDIENCE_HINTS},
        )

    @get("/picker", name="admin_featured_picker", cache=False)
    async def picker(
        self, request: Request[Any, Any, Any], q: Query = "", audience: AudienceParam = "all"
    ) -> Template:
        """Functions matching ``q`` with an 添加 button each (htmx partial)."""
        chosen = (
            {record.code for record in await store.entries(audience)} if audience in MENU_AUDIENCES else set()
        )
        return admin_page(
            request,
            "menus/featured_picker.html",
            {
                "results": pick(get_runtime(request.app).search, q),
                "query": q,
                "audience": audience,
                "chosen": chosen,
            },
        )

    @post("/", name="admin_featured_add")
    async def add(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form, errors = await read_form(request, FeaturedAddForm)
        if form is None:
            raw_audience = submitted_text(await submitted(request), "audience", 20)
            audience = raw_audience if raw_audience in MENU_AUDIENCES else "all"
            return await _answer(request, audience, error=next(iter(errors.values())))
        try:
            featured_id = await store.add(
                get_runtime(request.app).registry, form.audience, form.code, form.description
            )
        except store.FeaturedError as error:
            return await _answer(request, form.audience, error=str(error))
        name = catalogue_item(get_runtime(request.app).registry, form.code).name
        await record_edit(
            request,
            "featured.add",
            f"featured:{featured_id}",
            f"{audience_label(form.audience)}：{name}（{form.code}）",
        )
        return await _answer(
            request, form.audience, done=f"已将“{name}”加入{audience_label(form.audience)}的特色业务。"
        )

    @post("/{featured_id:int}", name="admin_featured_update")
    async def update(self, request: Request[Any, Any, Any], featured_id: RecordId) -> Template | Redirect:
        """Change the short description."""
        current = await store.entry(featured_id)
        if current is None:
            raise NotFoundException("该特色业务不存在或已被移除")
        form, errors = await read_form(request, FeaturedDescriptionForm)
        if form is None:
            return await _answer(request, current.audience, error=next(iter(errors.values())))
        await store.set_description(featured_id, form.description)
        await record_edit(
            request, "featured.update", f"featured:{featured_id}", f"{current.code}：{form.description}"
        )
        return await _answer(request, current.audience, done="简短说明已保存。")

    @post("/{featured_id:int}/move", name="admin_featured_move")
    async def move(self, request: Request[Any, Any, Any], featured_id: RecordId) -> Template | Redirect:
        current = await store.entry(featured_id)
        if current is None:
            raise NotFoundException("该特色业务不存在或已被移除")
        form, errors = await read_form(request, MoveForm)
        if form is None:
            return await _answer(request, current.audience, error=next(iter(errors.values())))
        await store.move(featured_id, form.direction)
        await record_edit(request, f"featured.move_{form.direction}", f"featured:{featured_id}", current.code)
        return await _answer(request, current.audience, done="顺序已调整。")

    @post("/{featured_id:int}/delete", name="admin_featured_delete")
    async def delete(self, request: Request[Any, Any, Any], featured_id: RecordId) -> Template | Redirect:
        removed = await store.remove(featured_id)
        if removed is None:
            raise NotFoundException("该特色业务不存在或已被移除")
        await record_edit(
            request,
            "featured.remove",
            f"featured:{featured_id}",
            f"{audience_label(removed.audience)}：{removed.code}",
        )
        return await _answer(request, removed.audience, done="已从特色业务中移除。")
