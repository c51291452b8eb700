"""身份维护: 添加权限身份 (name, description, function tree), edit and delete.

An identity's ticked tree nodes are stored newline-separated in ``PermissionIdentity.nodes``; an
officer holds the union of the functions of their identities, re-read on every request, so edits
take effect at the officers' next request.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform.auth.tables import PermissionIdentity, StaffIdentity
from etax.platform.db.integrity import is_unique_violation
from etax.platform.forms import read_form, submitted, submitted_list, submitted_text
from etax.platform.ids import RecordId
from etax.platform.runtime import get_runtime
from etax.platform.usercentre import grants, queries
from etax.platform.usercentre.common import manager, pop_notice, set_notice, write_audit
from etax.platform.usercentre.forms import IdentityForm, as_list
from etax.platform.usercentre.functions import STAFF

BASE = "/usercentre/staff/identities"


def _tree(request: Request[Any, Any, Any]) -> grants.GrantTree:
    return grants.grant_tree(get_runtime(request.app).registry.tree)


def _form_page(
    request: Request[Any, Any, Any],
    *,
    identity_id: int | None,
    name: str,
    description: str,
    ticked: list[str],
    errors: dict[str, str],
) -> Template:
    tree = _tree(request)
    shown = grants.checked(tree, ticked)
    return Template(
        "usercentre/identity_form.html",
        context={
            "identity_id": identity_id,
            "name": name,
            "description": description,
            "roots": tree.roots,
            "checked": shown,
            "expanded": grants.expanded(tree, shown),
            "errors": errors,
            "action": f"{BASE}/{identity_id}/edit" if identity_id else f"{BASE}/new",
        },
        status_code=400 if errors else 200,
    )


async def _raw_form(request: Request[Any, Any, Any]) -> tuple[str, str, list[str]]:
    raw = await submitted(request)
    return (
        submitted_text(raw, "name", 50),
        submitted_text(raw, "description", 200),
        submitted_list(raw, "nodes"),
    )


class IdentityController(Controller):
    """权限身份: list, add, edit, delete (legal representative and financial head only)."""

    path = BASE
    opt = {"function": STAFF.code}

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        _, taxpayer_id = await manager(request)
        tree = get_runtime(request.app).registry.tree
        rows = await queries.identity_list(taxpayer_id)
        return Template(
            "usercentre/identities.html",
            context={
                "identities": [(row, grants.labels(tree, row.nodes)) for row in rows],
                "notice": pop_notice(request),
            },
        )

    @get("/new")
    async def new_form(self, request: Request[Any, Any, Any]) -> Template:
        await manager(request)
        return _form_page(request, identity_id=None, name="", description="", ticked=[], errors={})

    @post("/new")
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        return await self._save(request, None)

    @get("/{identity_id:int}/edit")
    async def edit_form(self, request: Request[Any, Any, Any], identity_id: RecordId) -> Template:
        _, taxpayer_id = await manager(request)
        row = await queries.identity(taxpayer_id, identity_id)
        if row is None:
            raise NotFoundException()
        return _form_page(
            request,
            identity_id=row.id,
            name=row.name,
            description=row.description,
            ticked=row.nodes,
            errors={},
        )

    @post("/{identity_id:int}/edit")
    async def update(self, request: Request[Any, Any, Any], identity_id: RecordId) -> Template | Redirect:
        return await self._save(request, identity_id)

    async def _save(self, request: Request[Any, Any, Any], identity_id: int | None) -> Template | Redirect:
        principal, taxpayer_id = await manager(request)
        if identity_id is not None and await queries.identity(taxpayer_id, identity_id) is None:
            raise NotFoundException()
        form, errors = await read_form(request, IdentityForm)
        name, description, ticked = await _raw_form(request)
        nodes: list[str] = []
        if form is not None:
            nodes, problem = grants.normalise(_tree(request), as_list(form.nodes))
            if problem:
                errors = {"nodes": problem}
        if form is None or errors:
            return _form_page(
                request,
                identity_id=identity_id,
                name=name,
                description=description,
                ticked=ticked,
                errors=errors,
            )
        key, text = f"{taxpayer_id}:{form.name}", "\n".join(nodes)
        try:
            if identity_id is None:
                await PermissionIdentity(
                    key=key, taxpayer=taxpayer_id, name=form.name, description=form.description, nodes=text
                ).save()
            else:
                await PermissionIdentity.update(
                    {
                        PermissionIdentity.key: key,
                        PermissionIdentity.name: form.name,
                        PermissionIdentity.description: form.description,
                        PermissionIdentity.nodes: text,
                    }
                ).where((PermissionIdentity.id == identity_id) & (PermissionIdentity.taxpayer == taxpayer_id))
        except Exception as error:
            if not is_unique_violation(error):
                raise
            return _form_page(
                request,
                identity_id=identity_id,
                name=name,
                description=description,
                ticked=nodes,
                errors={"name": f"权限身份名称“{form.name}”已存在，请更换名称"},
            )
        action = "usercentre.identity.add" if identity_id is None else "usercentre.identity.edit"
        await write_audit(request, principal, action, "success", target=f"权限身份 {form.name}", detail=text)
        set_notice(request, f"权限身份“{form.name}”已保存")
        return Redirect(BASE, status_code=303)

    @get("/{identity_id:int}/delete")
    async def delete_confirm(self, request: Request[Any, Any, Any], identity_id: RecordId) -> Template:
        _, taxpayer_id = await manager(request)
        row = await queries.identity(taxpayer_id, identity_id)
        if row is None:
            raise NotFoundException()
        held = (
            f"目前有{row.holders}名办税人员持有该身份，删除后他们将失去该身份的功能。" if row.holders else ""
        )
        return Template(
            "usercentre/confirm.html",
            context={
                "title": "删除权限身份",
                "message": f"确认删除权限身份“{row.name}”吗？{held}",
                "action": f"{BASE}/{row.id}/delete",
                "button": "确认删除",
                "cancel": BASE,
            },
        )

    @post("/{identity_id:int}/delete")
    async def delete(self, request: Request[Any, Any, Any], identity_id: RecordId) -> Redirect:
        principal, taxpayer_id = await manager(request)
        row = await queries.identity(taxpayer_id, identity_id)
        if row is None:
            raise NotFoundException()
        async with PermissionIdentity._meta.db.transaction():
            await StaffIdentity.delete().where(StaffIdentity.identity == row.id)
            await PermissionIdentity.delete().where(
                (PermissionIdentity.id == row.id) & (PermissionIdentity.taxpayer == taxpayer_id)
            )
        await write_audit(
            request,
            principal,
            "usercentre.identity.delete",
            "success",
            target=f"权限身份 {row.name}",
            detail=f"持有人数 {row.holders}",
        )
        set_notice(request, f"权限身份“{row.name}”已删除")
        return Redirect(BASE, status_code=303)
