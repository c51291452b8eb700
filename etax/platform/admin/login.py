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
from etax.platform.admin.accounts import authenticate
from etax.platform.admin.forms import AdminLoginForm
from etax.platform.admin.guard import SESSION_ADMIN, current_admin
from etax.platform.admin.rendering import admin_page
from etax.platform.admin.roles import ADMIN_ROLE_OPT
from etax.platform.auth.sessions import rotate_session_id
from etax.platform.forms import read_form
from etax.platform.runtime import get_runtime

CAPTCHA_FORM = "admin_login"
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
    """Check captcha, then password (lockout after 5 wrong ones); on success rotate the session id."""
    raw = await request.form()
    username = str(raw.get("username", ""))[:40].strip()
    next_url = str(raw.get("next", HOME))[:500]
    form, errors = await read_form(request, AdminLoginForm)
    if form is None:
        captcha.check(request.session, CAPTCHA_FORM, "-", "")  # a failed attempt uses the captcha up
        return _login_page(request, next_url=next_url, username=username, errors=errors, status=400)
    settings = get_runtime(request.app).settings
    test_answer = "" if settings.production else settings.captcha_test_answer
    problem = captcha.check(request.session, CAPTCHA_FORM, form.captcha, test_answer)
    if problem:
        return _login_page(
            request, next_url=next_url, username=username, errors={"captcha": problem}, status=400
        )
    actor = f"admin:{form.username}"
    result = await authenticate(form.username, form.password)
    if result.admin is None:
        await audit.record(
            actor=actor,
            action="admin.login.lockout" if result.newly_locked else "admin.login",
            outcome="refused" if result.locked and not result.newly_locked else "failure",
            connection=request,
            detail=result.message,
        )
        return _login_page(
            request, next_url=next_url, username=username, errors={"_form": result.message}, status=400
        )
    await rotate_session_id(request)
    request.scope["session"] = {SESSION_ADMIN: {"admin_id": result.admin.id}}
    await audit.record(
        actor=result.admin.actor,
        action="admin.login",
        outcome="success",
        connection=request,
        target=f"admin:{result.admin.id}",
        detail=f"角色：{result.admin.role_label}",
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
