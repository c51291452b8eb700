"""设置个人登录密码: forced after the first (SMS) normal login and after a reset to 111111.

The platform's access guard sends every function request here while
:attr:`Principal.must_change_password` holds, so nothing else can be done before it is set.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template

from etax.platform import audit
from etax.platform.auth.login.common import NEXT_KEY, check_captcha, safe_next, spend_captcha
from etax.platform.auth.login.forms import SetPasswordForm
from etax.platform.auth.login.taxpayer import AGENCY_CLIENT_URL, enterprise_account
from etax.platform.auth.passwords import hash_password, verify_password
from etax.platform.auth.principal import refresh_credential
from etax.platform.auth.tables import StaffMember
from etax.platform.forms import read_form
from etax.platform.identity import Principal
from etax.platform.runtime import get_runtime

FORM = "set_password"


class StaffPasswordRow(msgspec.Struct, frozen=True, kw_only=True):
    """The officer whose personal password is being set."""

    id: int
    personal_password_hash: str | None
    must_change_password: bool


async def _staff(principal: Principal) -> StaffPasswordRow | None:
    row = (
        await StaffMember.select(
            StaffMember.id, StaffMember.personal_password_hash, StaffMember.must_change_password
        )
        .where((StaffMember.id == principal.staff_id) & (StaffMember.taxpayer == principal.taxpayer_id))
        .first()
    )
    return None if row is None else msgspec.convert(row, StaffPasswordRow)


def _after(request: Request[Any, Any, Any], principal: Principal) -> Redirect:
    if principal.kind == "agency" and not principal.acting_for:
        return Redirect(AGENCY_CLIENT_URL, status_code=303)
    target = safe_next(str(request.session.pop(NEXT_KEY, "/") or "/"))
    return Redirect(target, status_code=303)


async def _page(
    request: Request[Any, Any, Any],
    principal: Principal,
    staff: StaffPasswordRow,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    reset = staff.must_change_password and bool(staff.personal_password_hash)
    return Template(
        "auth/set_password.html",
        context={"principal": principal, "reset": reset, "errors": errors or {}},
        status_code=status,
    )


async def _current(request: Request[Any, Any, Any]) -> tuple[Principal | None, StaffPasswordRow | None]:
    principal = await get_runtime(request.app).principal_of(request)
    if principal is None or principal.staff_id is None:
        return None, None
    return principal, await _staff(principal)


@get("/login/set-password", name="login_set_password", cache=False)
async def set_password_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    principal, staff = await _current(request)
    if principal is None or staff is None:
        return Redirect("/login", status_code=303)
    if not principal.must_change_password:
        return _after(request, principal)
    return await _page(request, principal, staff)


@post("/login/set-password", name="login_set_password_save")
async def set_password(request: Request[Any, Any, Any]) -> Template | Redirect:
    """保存: strength rules, different from the enterprise password and from the old one."""
    principal, staff = await _current(request)
    if principal is None or staff is None or principal.taxpayer_id is None:
        return Redirect("/login", status_code=303)
    if not principal.must_change_password:
        return _after(request, principal)
    form, errors = await read_form(request, SetPasswordForm)
    if form is None:
        spend_captcha(request, FORM)
        return await _page(request, principal, staff, errors, 400)
    problem = check_captcha(request, FORM, form.captcha)
    if problem:
        return await _page(request, principal, staff, {"captcha": problem}, 400)
    account = await enterprise_account(principal.taxpayer_id)
    if account is not None and await verify_password(account.password_hash, form.password):
        problem = "个人登录密码不能与企业密码相同，请重新设置（个人密码与企业密码需分别维护）"
        return await _page(request, principal, staff, {"password": problem}, 400)
    old_hash = staff.personal_password_hash or ""
    if old_hash and await verify_password(old_hash, form.password):
        return await _page(request, principal, staff, {"password": "新密码不能与旧密码相同"}, 400)
    await StaffMember.update(
        {
            StaffMember.personal_password_hash: await hash_password(form.password),
            StaffMember.must_change_password: False,
        }
    ).where(StaffMember.id == staff.id)
    await refresh_credential(request)  # this session goes on; any other one made before ends
    await audit.record(
        actor=principal.display_name,
        acting_for=principal.acting_for_name,
        taxpayer_id=principal.taxpayer_id,
        action="password.personal.set",
        outcome="success",
        connection=request,
        target=f"staff:{staff.id}",
        detail="重置后修改个人登录密码" if old_hash else "首次登录设置个人登录密码",
    )
    return _after(request, principal)
