"""企业人员维护: the staff table and the per-officer actions, each behind a confirmation step.

删除, 冻结/解冻, 绑定/解绑 and 重置密码 are offered per row. ``GET /usercentre/staff/<id>/<action>``
shows the confirmation (inline through htmx, or as a page of its own without JavaScript) and only the
``POST`` of that confirmation changes anything. Every id is looked up within the manager's own
enterprise: another enterprise's id is answered with 404 and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from etax.platform.audit import Outcome
from etax.platform.auth.passwords import RESET_PASSWORD, hash_password
from etax.platform.auth.tables import StaffIdentity, StaffMember
from etax.platform.forms import read_form
from etax.platform.identity import Principal
from etax.platform.ids import RecordId
from etax.platform.usercentre import queries
from etax.platform.usercentre.common import (
    identities_page,
    is_htmx,
    manager,
    pop_notice,
    set_notice,
    write_audit,
)
from etax.platform.usercentre.forms import OfficerPermissionsForm, as_list
from etax.platform.usercentre.functions import STAFF
from etax.platform.usercentre.queries import StaffRow
from etax.platform.usercentre.wording import NO_IDENTITY_TICKED

BASE = "/usercentre/staff"
REGISTRATION_ONLY = (
    "法定代表人、财务负责人的人员信息来自税务登记，不能删除、冻结、解冻或重置密码；"
    "如有变化，请通过变更税务登记维护后重新同步办税人。"
)


@dataclass(frozen=True)
class Action:
    """A per-officer action: its button label, confirmation question and result message."""

    code: str
    label: str
    question: str
    done: str


ACTIONS: dict[str, Action] = {
    action.code: action
    for action in (
        Action(
            "delete",
            "删除",
            "确认删除{who}吗？删除后该办税员的身份和权限即被删除，被删除的办税人不能作为本企业人员登录电子税务局办理涉税业务。",
            "已删除{who}",
        ),
        Action(
            "freeze",
            "冻结",
            "确认冻结{who}吗？冻结后该办税员的身份即被锁定，不能登录本企业电子税务局，已登录的也将立即退出；"
            "如需恢复，请为其“解冻”。",
            "已冻结{who}",
        ),
        Action("unfreeze", "解冻", "确认解冻{who}吗？解冻后该办税员的身份即恢复正常。", "已解冻{who}"),
        Action(
            "bind",
            "绑定",
            "确认绑定{who}吗？绑定后，该人员登录企业电子税务局时，个人登录密码即为其自然人电子税务局登录密码。",
            "已绑定{who}，其个人登录密码即为自然人电子税务局登录密码",
        ),
        Action(
            "unbind",
            "解绑",
            "确认解绑{who}吗？解绑后，该人员需使用原个人登录密码登录企业电子税务局。",
            "已解绑{who}，其需使用原个人登录密码登录企业电子税务局",
        ),
        Action(
            "reset",
            "重置密码",
            f"确认重置{{who}}的个人登录密码吗？重置后的密码为{RESET_PASSWORD}，该人员下次登录后须先修改个人登录密码才能办理其他业务。",
            f"已重置{{who}}的个人登录密码为{RESET_PASSWORD}，其下次登录后须先修改密码",
        ),
    )
}


def refusal(action: str, row: StaffRow) -> str | None:
    """Why ``action`` cannot be done to ``row`` now, or None."""
    if action in ("delete", "freeze", "unfreeze", "reset") and not row.is_officer:
        return REGISTRATION_ONLY
    if action == "freeze" and row.frozen:
        return f"{row.label}已处于冻结状态"
    if action == "unfreeze" and not row.frozen:
        return f"{row.label}未被冻结，无需解冻"
    if action == "bind":
        if row.bound:
            return f"{row.label}已绑定自然人电子税务局账户"
        if not row.has_natural_person_account:
            return (
                f"{row.name}尚未注册自然人电子税务局账户，无法绑定。"
                "请其先在自然人电子税务局完成注册（身份证件号码和姓名须与实名信息一致）后再绑定。"
            )
    if action == "unbind" and not row.bound:
        return f"{row.label}尚未绑定自然人电子税务局账户，无需解绑"
    if action == "reset" and row.bound:
        return (
            f"{row.label}已绑定自然人电子税务局账户，个人登录密码即为其自然人登录密码。"
            "请其通过自然人电子税务局的“忘记密码”找回，或先解绑后再重置。"
        )
    return None


async def apply(action: str, row: StaffRow, taxpayer_id: int) -> None:
    """Carry out a confirmed ``action`` on ``row`` of enterprise ``taxpayer_id``."""
    mine = (StaffMember.id == row.id) & (StaffMember.taxpayer == taxpayer_id)
    if action == "delete":
        async with StaffMember._meta.db.transaction():
            await StaffIdentity.delete().where(StaffIdentity.staff == row.id)
            await StaffMember.delete().where(mine)
    elif action in ("freeze", "unfreeze"):
        await StaffMember.update({StaffMember.frozen: action == "freeze"}).where(mine)
    elif action in ("bind", "unbind"):
        await StaffMember.update({StaffMember.bound: action == "bind"}).where(mine)
    elif action == "reset":
        await StaffMember.update(
            {
                StaffMember.personal_password_hash: await hash_password(RESET_PASSWORD),
                StaffMember.must_change_password: True,
                StaffMember.failed_attempts: 0,
                StaffMember.locked_until: None,
            }
        ).where(mine)


async def _area(
    request: Request[Any, Any, Any], taxpayer_id: int, notice: dict[str, Any] | None, status: int = 200
) -> Template:
    """The staff table with its message: the whole page, or the part htmx swaps in."""
    template = "usercentre/_staff_area.html" if is_htmx(request) else "usercentre/staff.html"
    return Template(
        template,
        context={"rows": await queries.staff_list(taxpayer_id), "notice": notice, "actions": ACTIONS},
        status_code=200 if is_htmx(request) else status,
    )


async def _row(taxpayer_id: int, staff_id: RecordId) -> StaffRow:
    row = await queries.staff_member(taxpayer_id, staff_id)
    if row is None:
        raise NotFoundException()
    return row


class StaffController(Controller):
    """The staff table and per-officer actions (legal representative and financial head only)."""

    path = BASE
    opt = {"function": STAFF.code}

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        _, taxpayer_id = await manager(request)
        return await _area(request, taxpayer_id, pop_notice(request))

    @get("/{staff_id:int}/permissions")
    async def permissions_form(self, request: Request[Any, Any, Any], staff_id: RecordId) -> Template:
        _, taxpayer_id = await manager(request)
        row = await _row(taxpayer_id, staff_id)
        return await _permissions_page(
            row, taxpayer_id, {str(i) for i in row.identity_ids}, row.manage_rights, {}
        )

    @post("/{staff_id:int}/permissions")
    async def permissions_save(
        self, request: Request[Any, Any, Any], staff_id: RecordId
    ) -> Template | Redirect:
        principal, taxpayer_id = await manager(request)
        row = await _row(taxpayer_id, staff_id)
        form, errors = await read_form(request, OfficerPermissionsForm)
        if form is None:
            return await _permissions_page(row, taxpayer_id, set(), row.manage_rights, errors)
        if not row.is_officer:
            return await _permissions_page(
                row,
                taxpayer_id,
                set(),
                row.manage_rights,
                {"_form": "法定代表人、财务负责人拥有全部功能，无需授权"},
            )
        ids = await queries.own_identity_ids(taxpayer_id, as_list(form.identities))
        if ids is None:
            raise NotFoundException()
        manage_rights = bool(form.manage_rights)
        if not ids:
            errors = {"identities": NO_IDENTITY_TICKED}
            return await _permissions_page(row, taxpayer_id, set(), manage_rights, errors)
        async with StaffMember._meta.db.transaction():
            await StaffIdentity.delete().where(StaffIdentity.staff == row.id)
            for identity_id in ids:
                await StaffIdentity(key=f"{row.id}:{identity_id}", staff=row.id, identity=identity_id).save()
            await StaffMember.update({StaffMember.manage_rights: manage_rights}).where(
                (StaffMember.id == row.id) & (StaffMember.taxpayer == taxpayer_id)
            )
        await write_audit(
            request,
            principal,
            "usercentre.officer.permissions",
            "success",
            target=row.label,
            detail=f"权限身份 {ids}；管理权限 {'有' if manage_rights else '无'}",
        )
        set_notice(request, f"已保存{row.label}的权限身份和管理权限")
        return Redirect(BASE, status_code=303)

    @get("/{staff_id:int}/{action:str}")
    async def confirm(
        self, request: Request[Any, Any, Any], staff_id: RecordId, action: FromPath[str]
    ) -> Template:
        _, taxpayer_id = await manager(request)
        spec = ACTIONS.get(action)
        if spec is None:
            raise NotFoundException()
        row = await _row(taxpayer_id, staff_id)
        problem = refusal(action, row)
        context = {
            "title": f"{spec.label}{row.role_label}",
            "message": problem or spec.question.format(who=row.label),
            "refused": problem is not None,
            "action": f"{BASE}/{row.id}/{action}",
            "button": f"确认{spec.label}",
            "cancel": BASE,
            "htmx_target": "#staff-area",
        }
        if is_htmx(request):
            return Template("usercentre/_confirm_box.html", context=context)
        return Template("usercentre/confirm.html", context=context, status_code=400 if problem else 200)

    @post("/{staff_id:int}/{action:str}")
    async def act(
        self, request: Request[Any, Any, Any], staff_id: RecordId, action: FromPath[str]
    ) -> Response[Any]:
        principal, taxpayer_id = await manager(request)
        spec = ACTIONS.get(action)
        if spec is None:
            raise NotFoundException()
        row = await _row(taxpayer_id, staff_id)
        problem = refusal(action, row)
        if problem:
            await _audit(request, principal, action, row, "refused", problem)
            return await _area(request, taxpayer_id, {"text": problem, "error": True}, status=400)
        await apply(action, row, taxpayer_id)
        await _audit(request, principal, action, row, "success")
        text = spec.done.format(who=row.label)
        if is_htmx(request):
            return await _area(request, taxpayer_id, {"text": text, "error": False})
        set_notice(request, text)
        return Redirect(BASE, status_code=303)


async def _audit(
    request: Request[Any, Any, Any],
    principal: Principal,
    action: str,
    row: StaffRow,
    outcome: Outcome,
    detail: str = "",
) -> None:
    await write_audit(
        request, principal, f"usercentre.officer.{action}", outcome, target=row.label, detail=detail
    )


async def _permissions_page(
    row: StaffRow, taxpayer_id: int, chosen: set[str], manage_rights: bool, errors: dict[str, str]
) -> Template:
    return await identities_page(
        "usercentre/officer_permissions.html", taxpayer_id, chosen, manage_rights, errors, row=row
    )
