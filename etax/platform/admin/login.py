"""管理后台登录 and 退出: username + password + graphic captcha, lockout, rotating session id, audit.

The administrator is kept in the session under its own key (``"admin": {"admin_id": …}``); logging
in starts a fresh session under a new id (no fixation, nothing carried over from a taxpayer login).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from etax.platform import audit, captcha
from etax.platform.access import PUBLIC_OPT
from etax.platform.admin.accounts import WRONG_CREDENTIALS, AdminView, logged_in, login_row
from etax.platform.admin.forms import AdminLoginForm
from etax.platform.admin.guard import SESSION_ADMIN, current_admin
from etax.platform.admin.rendering import admin_page
from etax.platform.admin.roles import ADMIN_ROLE_OPT
from etax.platform.admin.tables import AdminUser
from etax.platform.auth import credentials
from etax.platform.auth.sessions import carried_over, rotate_session_id
from etax.platform.forms import read_form, submitted, submitted_text

CAPTCHA_FORM = "admin_login"
UNIFORM = "用户名或密码错误。连续输错5次账户将被锁定30分钟，如已被锁定请稍后再试"
"""The one answer for an unknown administrator, a wrong password and a locked account."""
HOME = "/admin"


def safe_admin_next(value: str | None) -> str:
    """A back-office path to return to after login; anything else becomes ``/admin``."""
    if not value or not value.startswith("/admin") or value.startswith(("/admin/login", "/admin/logout")):
        return HOME
    if len(value) > 500 or "\\" in value or "//" in value or any(ord(ch) < 32 for ch in value):
        return HOME
    return value


def _login_page(
    request: Request[Any, Any, Any],
    *,
    next_url: str,
    username: str = "",
    errors: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    return admin_page(
        request,
        "admin/login.html",
        {
            "next": safe_admin_next(next_url),
            "username": username,
            "errors": errors or {},
            "login_notice": notice,
            "captcha_form": CAPTCHA_FORM,
        },
        status=status,
    )


@get("/login", name="admin_login", opt={PUBLIC_OPT: True}, cache=False)
async def show_login(
    request: Request[Any, Any, Any],
    next_url: Annotated[str | None, QueryParameter(name="next", max_length=500)] = None,
    notice: Annotated[str | None, QueryParameter(max_length=20)] = None,
) -> Template | Redirect:
    """The login form (an administrator already logged in goes straight on)."""
    if await current_admin(request) is not None:
        return Redirect(safe_admin_next(next_url))
    text = "您已安全退出管理后台。" if notice == "logout" else ""
    return _login_page(request, next_url=next_url or HOME, notice=text)


@post("/login", name="admin_login_submit", opt={PUBLIC_OPT: True})
async def submit_login(request: Request[Any, Any, Any]) -> Template | Redirect:
    """The platform's credential check (address limits, captcha, lockout after 5 wrong passwords, audit);
    on success a new session under a new id."""
    raw = await submitted(request)
    username = submitted_text(raw, "username", 40).strip()
    next_url = submitted_text(raw, "next", 500) if "next" in raw else HOME
    form, errors = await read_form(request, AdminLoginForm)
    if form is None:
        captcha.check(request.session, CAPTCHA_FORM, "-", "")  # a failed attempt uses the captcha up
        return _login_page(request, next_url=next_url, username=username, errors=errors, status=400)

    found: list[AdminView] = []

    async def lookup() -> credentials.Account | None:
        row = await login_row(form.username)
        if row is None:
            return None
        found.append(row.view)
        return credentials.Account(
            lock_table=AdminUser,
            lock_id=row.id,
            password_hash=row.password_hash,
            actor=row.actor,
            target=f"admin:{row.id}",
        )

    verdict = await credentials.check_password(
        request,
        password=form.password,
        lookup=lookup,
        action="admin.login",
        actor=f"admin:{form.username}",
        wording=credentials.Wording(wrong=WRONG_CREDENTIALS, unknown=WRONG_CREDENTIALS, uniform=UNIFORM),
        captcha=(CAPTCHA_FORM, form.captcha),
        back_office=True,
        lock_action="admin.login.lockout",
    )
    if not verdict.ok or verdict.account is None or not found:
        return _login_page(
            request,
            next_url=next_url,
            username=username,
            errors={verdict.field: verdict.message},
            status=verdict.status,
        )
    admin = found[0]
    await logged_in(admin.id)
    kept = carried_over(request)
    await rotate_session_id(request)
    request.scope["session"] = {**kept, SESSION_ADMIN: {"admin_id": admin.id}}
    await audit.record(
        actor=admin.actor,
        action="admin.login",
        outcome="success",
        connection=request,
        target=f"admin:{admin.id}",
        detail=f"角色：{admin.role_label}",
    )
    return Redirect(safe_admin_next(form.next), status_code=303)


@post("/logout", name="admin_logout", opt={ADMIN_ROLE_OPT: "any"})
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    """退出: the audit entry, then the whole session is dropped (store entry and cookie)."""
    admin = await current_admin(request)
    if admin is not None:
        await audit.record(
            actor=admin.actor,
            action="admin.logout",
            outcome="success",
            connection=request,
            target=f"admin:{admin.id}",
        )
    request.clear_session()
    return Redirect("/admin/login?notice=logout", status_code=303)
