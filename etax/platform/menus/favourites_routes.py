"""The 设置 panel of 常用功能 (收藏夹维护): add, remove and reorder without a page reload."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Template

from etax.platform import Audience, FunctionSpec
from etax.platform.context import current_principal
from etax.platform.forms import read_form
from etax.platform.identity import Principal
from etax.platform.menus import favourites as fav
from etax.platform.runtime import Runtime, get_runtime

FAVOURITES = FunctionSpec(
    code="menus.favourites",
    name="收藏夹维护",
    path=("用户中心", "用户管理", "收藏夹维护"),
    url="/favourites",
    keywords=("常用功能", "常用功能设置", "设置", "收藏", "快捷菜单"),
    initials=("scjwh",),
    audiences=frozenset({Audience.ENTERPRISE, Audience.NATURAL_PERSON, Audience.AGENCY}),
    grant="everyone",
    description="添加、移除常用功能并调整顺序。",
)


class FavouriteChange(msgspec.Struct, kw_only=True):
    """One change to the list."""

    action: Literal["add", "remove", "up", "down"]
    code: Annotated[str, msgspec.Meta(title="功能", max_length=120, min_length=1)]


async def _context(request: Request[Any, Any, Any]) -> tuple[Runtime, Principal]:
    return get_runtime(request.app), await current_principal(request)


class FavouritesController(Controller):
    """Full page for a visit, the list partial for htmx changes."""

    path = FAVOURITES.url
    opt = {"function": FAVOURITES.code}

    @get("/")
    async def page(self, request: Request[Any, Any, Any]) -> Template:
        runtime, principal = await _context(request)
        items = await fav.favourites(runtime.registry, principal, runtime.search.popularity)
        return Template(
            "menus/favourites.html", context={"items": items, "error": "", "max": fav.MAX_FAVOURITES}
        )

    @post("/")
    async def change(self, request: Request[Any, Any, Any]) -> Template:
        runtime, principal = await _context(request)
        form, errors = await read_form(request, FavouriteChange)
        error = next(iter(errors.values()), "")
        if form is not None:
            try:
                await fav.change(
                    runtime.registry, principal, runtime.search.popularity, action=form.action, code=form.code
                )
            except fav.FavouriteError as exc:
                error = str(exc)
        items = await fav.favourites(runtime.registry, principal, runtime.search.popularity)
        template = (
            "menus/favourites_list.html" if request.headers.get("hx-request") else "menus/favourites.html"
        )
        return Template(
            template,
            context={"items": items, "error": error, "max": fav.MAX_FAVOURITES},
            status_code=400 if error else 200,
        )

    @get("/candidates")
    async def candidates(
        self, request: Request[Any, Any, Any], q: Annotated[str, QueryParameter(max_length=100)] = ""
    ) -> Template:
        """Functions the user may open matching ``q``, each with an 添加 button (htmx partial)."""
        runtime, principal = await _context(request)
        results = [r for r in runtime.search.search(q, principal, limit=10).results if r.kind == "function"]
        return Template("menus/favourites_candidates.html", context={"results": results})
