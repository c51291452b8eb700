"""套餐业务 composition in the back office (内容管理员): list, create, edit, publish, order, delete.

The editor keeps the steps in one hidden field; adding (from the search picker), moving and removing
a step re-renders the step list through htmx (or the whole form without JavaScript) and changes
nothing stored. Saving writes the package and all its steps in one transaction, then rebuilds this
worker's search documents; other workers notice the version counter on their next request.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from etax.platform.admin.common import beijing, set_notice
from etax.platform.admin.rendering import admin_page
from etax.platform.admin.roles import ADMIN_ROLE_OPT
from etax.platform.forms import read_form, submitted, submitted_text, submitted_values
from etax.platform.ids import RecordId
from etax.platform.menus.packages import model as store
from etax.platform.menus.packages.audit import record_edit
from etax.platform.menus.packages.catalogue import catalogue_item, pick
from etax.platform.menus.packages.common import AUDIENCE_HINTS, audience_label
from etax.platform.menus.packages.forms import (
    DESCRIPTION_LENGTH,
    MAX_STEPS,
    NAME_LENGTH,
    STATUS_LABELS,
    MoveForm,
    PackageForm,
    StatusForm,
    split_steps,
)
from etax.platform.menus.packages.search import package_url, refresh
from etax.platform.menus.tables import MENU_AUDIENCES
from etax.platform.registry import FunctionRegistry
from etax.platform.runtime import get_runtime

FIELDS = ("name", "description", "audience", "status", "steps")
LIST_URL = "/admin/packages"

Query = Annotated[str, QueryParameter(max_length=100)]
StepsParam = Annotated[str, QueryParameter(max_length=MAX_STEPS * 130)]


def _registry(request: Request[Any, Any, Any]) -> FunctionRegistry:
    return get_runtime(request.app).registry


async def _raw_values(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The submitted values as typed, to show the form again."""
    return await submitted_values(request, FIELDS, 3000)


def _steps_context(request: Request[Any, Any, Any], codes: list[str], error: str = "") -> dict[str, Any]:
    registry = _registry(request)
    return {
        "steps": [catalogue_item(registry, code) for code in codes],
        "steps_value": ",".join(codes),
        "step_error": error,
        "max_steps": MAX_STEPS,
    }


def _form_page(
    request: Request[Any, Any, Any],
    values: dict[str, str],
    *,
    package_id: int | None = None,
    errors: dict[str, str] | None = None,
    step_error: str = "",
    status: int = 200,
) -> Template:
    return admin_page(
        request,
        "menus/packages_form.html",
        {
            "values": values,
            "package_id": package_id,
            "errors": errors or {},
            "audiences": MENU_AUDIENCES,
            "audience_hints": AUDIENCE_HINTS,
            "statuses": STATUS_LABELS,
            "name_length": NAME_LENGTH,
            "description_length": DESCRIPTION_LENGTH,
            **_steps_context(request, split_steps(values.get("steps", "")), step_error),
        },
        status=status,
    )


async def _changed(request: Request[Any, Any, Any]) -> None:
    """Show the change in this worker's search at once."""
    await refresh(get_runtime(request.app).search, force=True)


async def _edit_steps(request: Request[Any, Any, Any], form: PackageForm) -> tuple[list[str], str]:
    action = form.step_action()
    assert action is not None  # PackageForm.problems() refuses an unknown op
    return store.apply_step_action(_registry(request), form.codes, *action)


async def _submit(request: Request[Any, Any, Any], package_id: int | None) -> Template | Redirect:
    """Create (``package_id`` None) or update a package, or apply a step action without saving."""
    values = await _raw_values(request)
    form, errors = await read_form(request, PackageForm)
    if form is None:
        return _form_page(request, values, package_id=package_id, errors=errors, status=400)
    if form.op:
        codes, step_error = await _edit_steps(request, form)
        values["steps"] = ",".join(codes)
        return _form_page(
            request, values, package_id=package_id, step_error=step_error, status=400 if step_error else 200
        )
    missing = store.missing_steps(_registry(request), form.codes)
    if missing:
        errors = {"steps": f"以下步骤的功能已下线，请移除后再保存：{'、'.join(missing)}"}
        return _form_page(request, values, package_id=package_id, errors=errors, status=400)
    try:
        if package_id is None:
            package_id = await store.create(form)
            action = "create"
        else:
            if not await store.update(package_id, form):
                raise NotFoundException("该套餐不存在或已被删除")
            action = "update"
    except store.PackageError as error:
        return _form_page(request, values, package_id=package_id, errors={"name": str(error)}, status=400)
    await _changed(request)
    detail = f"{form.name}（{STATUS_LABELS[form.status]}，{len(form.codes)}步：{'、'.join(form.codes)}）"
    await record_edit(request, f"package.{action}", f"package:{package_id}", detail)
    verb = "已创建" if action == "create" else "已保存"
    published = (
        "并已发布，纳税人现在即可在首页和搜索中看到"
        if form.status == "published"
        else "为草稿，纳税人暂不可见"
    )
    set_notice(request, f"套餐“{form.name}”{verb}，{published}。")
    return Redirect(LIST_URL, status_code=303)


class PackageAdmin(Controller):
    """/admin/packages — every route needs 内容管理员 (or 系统管理员)."""

    path = "/packages"
    opt = {ADMIN_ROLE_OPT: "content"}

    @get("/", name="admin_packages", cache=False)
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        """Every package in menu order, drafts included, with what is wrong with any of them."""
        registry = _registry(request)
        records = await store.packages()
        items = [
            {
                "record": record,
                "audience_label": audience_label(record.audience),
                "status_label": STATUS_LABELS.get(record.status, record.status),
                "updated": beijing(record.updated_at),
                "missing": store.missing_steps(registry, record.steps),
                "url": package_url(record.id),
            }
            for record in records
        ]
        taken = {record.name for record in records}
        proposals = [
            {
                "index": index,
                "proposal": proposal,
                "audience_label": audience_label(proposal.audience),
                "steps": [spec.name for code in proposal.steps if (spec := registry.get(code)) is not None],
                "adopted": proposal.name in taken,
            }
            for index, proposal in enumerate(get_runtime(request.app).host.package_proposals())
        ]
        return admin_page(request, "menus/packages_admin.html", {"items": items, "proposals": proposals})

    @get("/new", name="admin_package_new", cache=False)
    async def new_form(self, request: Request[Any, Any, Any], proposal: int | None = None) -> Template:
        """A new package; ``?proposal=N`` fills it in from a plugin's proposal (saved as a draft)."""
        values = {"name": "", "description": "", "audience": "all", "status": "draft", "steps": ""}
        proposals = get_runtime(request.app).host.package_proposals()
        if proposal is not None and 0 <= proposal < len(proposals):
            chosen = proposals[proposal]
            registry = _registry(request)
            steps = ",".join(code for code in chosen.steps if code in registry)
            values.update(
                name=chosen.name, description=chosen.description, audience=chosen.audience, steps=steps
            )
        return _form_page(request, values)

    @post("/", name="admin_package_create")
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        return await _submit(request, None)

    @get("/{package_id:int}/edit", name="admin_package_edit", cache=False)
    async def edit_form(self, request: Request[Any, Any, Any], package_id: RecordId) -> Template:
        record = await store.package(package_id)
        if record is None:
            raise NotFoundException("该套餐不存在或已被删除")
        values = {
            "name": record.name,
            "description": record.description,
            "audience": record.audience,
            "status": record.status,
            "steps": ",".join(record.steps),
        }
        return _form_page(request, values, package_id=package_id)

    @post("/{package_id:int}", name="admin_package_update")
    async def update(self, request: Request[Any, Any, Any], package_id: RecordId) -> Template | Redirect:
        return await _submit(request, package_id)

    @post("/steps", name="admin_package_steps")
    async def steps(self, request: Request[Any, Any, Any]) -> Template:
        """The step list after one action (htmx partial; nothing is stored)."""
        form, errors = await read_form(request, PackageForm)
        if form is None:
            codes = split_steps(submitted_text(await submitted(request), "steps", 20_000))
            error = next(iter(errors.values()), "步骤操作不正确")
        elif not form.op:
            codes, error = form.codes, ""
        else:
            codes, error = await _edit_steps(request, form)
        return admin_page(
            request,
            "menus/packages_steps.html",
            _steps_context(request, codes, error),
            status=400 if error else 200,
        )

    @get("/picker", name="admin_package_picker", cache=False)
    async def picker(
        self, request: Request[Any, Any, Any], q: Query = "", steps: StepsParam = ""
    ) -> Template:
        """Functions matching ``q`` with an 添加 button each (htmx partial)."""
        results = pick(get_runtime(request.app).search, q)
        return admin_page(
            request,
            "menus/packages_picker.html",
            {"results": results, "query": q, "chosen": set(split_steps(steps))},
        )

    @post("/{package_id:int}/status", name="admin_package_status")
    async def status(self, request: Request[Any, Any, Any], package_id: RecordId) -> Redirect:
        """发布 or 撤回 (back to draft)."""
        form, errors = await read_form(request, StatusForm)
        if form is None:
            return _refused(request, next(iter(errors.values())))
        record = await store.package(package_id)
        if record is None:
            raise NotFoundException("该套餐不存在或已被删除")
        if form.status == "published" and not record.available_steps(_registry(request)):
            return _refused(request, f"套餐“{record.name}”没有可用的办理步骤，不能发布；请先修改套餐")
        name = await store.set_status(package_id, form.status)
        if name is None:
            raise NotFoundException("该套餐不存在或已被删除")
        await _changed(request)
        action = "publish" if form.status == "published" else "unpublish"
        await record_edit(request, f"package.{action}", f"package:{package_id}", name)
        set_notice(
            request,
            f"套餐“{name}”已发布。"
            if form.status == "published"
            else f"套餐“{name}”已撤回为草稿，纳税人不再看到它。",
        )
        return Redirect(LIST_URL, status_code=303)

    @post("/{package_id:int}/move", name="admin_package_move")
    async def move(self, request: Request[Any, Any, Any], package_id: RecordId) -> Redirect:
        """上移 / 下移 in the home page's 套餐业务 list."""
        form, errors = await read_form(request, MoveForm)
        if form is None:
            return _refused(request, next(iter(errors.values())))
        name = await store.move(package_id, form.direction)
        if name is None:
            raise NotFoundException("该套餐不存在或已被删除")
        await _changed(request)
        await record_edit(request, f"package.move_{form.direction}", f"package:{package_id}", name)
        set_notice(request, f"套餐“{name}”已{'上移' if form.direction == 'up' else '下移'}。")
        return Redirect(LIST_URL, status_code=303)

    @post("/{package_id:int}/delete", name="admin_package_delete")
    async def delete(self, request: Request[Any, Any, Any], package_id: RecordId) -> Redirect:
        name = await store.delete(package_id)
        if name is None:
            raise NotFoundException("该套餐不存在或已被删除")
        await _changed(request)
        await record_edit(request, "package.delete", f"package:{package_id}", name)
        set_notice(request, f"套餐“{name}”已删除。")
        return Redirect(LIST_URL, status_code=303)


def _refused(request: Request[Any, Any, Any], message: str) -> Redirect:
    """A refused list action: back to the list with the message, nothing changed."""
    set_notice(request, message, error=True)
    return Redirect(LIST_URL, status_code=303)
