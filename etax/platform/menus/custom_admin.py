"""定制业务 in the back office (内容管理员): list, compose (entries + the taxpayers it is for), delete.

Composed like a package: a name, a description, the functions and published packages it offers, and
its audience — a list of taxpayers, or every taxpayer of an industry, a tax or a region. Every change
is written to the audit log as ``admin:<username>`` (``admin.custom.*``).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from etax.platform.admin.common import set_notice
from etax.platform.admin.rendering import admin_page
from etax.platform.admin.roles import ADMIN_ROLE_OPT
from etax.platform.forms import read_form, submitted, submitted_list, submitted_values
from etax.platform.menus import custom as store
from etax.platform.menus.packages import model as packages
from etax.platform.menus.packages.audit import record_edit
from etax.platform.menus.tables import CUSTOM_RULES
from etax.platform.runtime import get_runtime

LIST_URL = "/admin/custom"
FIELDS = ("name", "description", "rule", "rule_value", "tins", "publish")


async def _choices(request: Request[Any, Any, Any]) -> list[tuple[str, str, str]]:
    """``(code, label, group)`` of everything a 定制业务 may offer: functions, then published packages."""
    registry = get_runtime(request.app).registry
    found = [
        (spec.code, spec.name, " › ".join(spec.path[:-1]) or spec.path[0])
        for spec in sorted(registry, key=lambda spec: spec.path)
    ]
    found += [(f"package:{p.id}", p.name, "套餐业务") for p in await packages.packages(published_only=True)]
    return found


async def _form_page(
    request: Request[Any, Any, Any],
    values: dict[str, str],
    chosen: list[str],
    *,
    custom_id: int | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    return admin_page(
        request,
        "menus/custom_form.html",
        {
            "values": values,
            "chosen": chosen,
            "custom_id": custom_id,
            "errors": errors or {},
            "rules": CUSTOM_RULES,
            "choices": await _choices(request),
            "max_items": store.MAX_ITEMS,
        },
        status=status,
    )


def _values(record: store.CustomRecord | None) -> dict[str, str]:
    if record is None:
        return {
            "name": "",
            "description": "",
            "rule": "taxpayers",
            "rule_value": "",
            "tins": "",
            "publish": "",
        }
    return {
        "name": record.name,
        "description": record.description,
        "rule": record.rule,
        "rule_value": record.rule_value,
        "tins": "\n".join(record.tins),
        "publish": "1" if record.status == "published" else "",
    }


class CustomAdmin(Controller):
    """/admin/custom — every route needs 内容管理员 (or 系统管理员)."""

    path = "/custom"
    opt = {ADMIN_ROLE_OPT: "content"}

    @get("/", name="admin_custom", cache=False)
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        names = {code: name for code, name, _ in await _choices(request)}
        items = [
            {"record": record, "entries": [names.get(code, "已下线或未发布") for code in record.items]}
            for record in await store.records()
        ]
        return admin_page(request, "menus/custom_admin.html", {"items": items})

    @get("/new", cache=False)
    async def new_form(self, request: Request[Any, Any, Any]) -> Template:
        return await _form_page(request, _values(None), [])

    @get("/{custom_id:int}/edit", cache=False)
    async def edit_form(self, request: Request[Any, Any, Any], custom_id: FromPath[int]) -> Template:
        record = await store.record(custom_id)
        if record is None:
            raise NotFoundException()
        return await _form_page(request, _values(record), record.items, custom_id=custom_id)

    @post("/new")
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        return await self._save(request, None)

    @post("/{custom_id:int}/edit")
    async def update(self, request: Request[Any, Any, Any], custom_id: FromPath[int]) -> Template | Redirect:
        if await store.record(custom_id) is None:
            raise NotFoundException()
        return await self._save(request, custom_id)

    async def _save(self, request: Request[Any, Any, Any], custom_id: int | None) -> Template | Redirect:
        values = await submitted_values(request, FIELDS)
        chosen = submitted_list(await submitted(request), "items")
        form, errors = await read_form(request, store.CustomForm)
        if form is not None:
            registry = get_runtime(request.app).registry
            published = {f"package:{p.id}" for p in await packages.packages(published_only=True)}
            unknown = [c for c in form.codes if registry.get(c) is None and c not in published]
            if unknown:
                errors = {"items": "所选功能或套餐已下线或未发布，请刷新页面后重新选择"}
        if form is None or errors:
            return await _form_page(request, values, chosen, custom_id=custom_id, errors=errors, status=400)
        try:
            saved = await store.save(form, custom_id)
        except store.CustomError as error:
            return await _form_page(
                request, values, chosen, custom_id=custom_id, errors={"_form": str(error)}, status=400
            )
        action = "custom.create" if custom_id is None else "custom.update"
        await record_edit(request, action, f"custom:{saved}", f"{form.name.strip()}（{form.status}）")
        set_notice(request, f"定制业务“{form.name.strip()}”已保存{'并发布' if form.publish else '为草稿'}。")
        return Redirect(LIST_URL, status_code=303)

    @post("/{custom_id:int}/delete")
    async def delete(self, request: Request[Any, Any, Any], custom_id: FromPath[int]) -> Redirect:
        name = await store.delete(custom_id)
        if name is None:
            raise NotFoundException()
        await record_edit(request, "custom.delete", f"custom:{custom_id}", name)
        set_notice(request, f"定制业务“{name}”已删除。")
        return Redirect(LIST_URL, status_code=303)
