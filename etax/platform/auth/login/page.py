"""The one login page (three kinds as tabs), the service agreement, and logout."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from etax.platform import audit
from etax.platform.auth.login.common import safe_next
from etax.platform.auth.principal import session_auth
from etax.platform.runtime import get_runtime

TABS = ("enterprise", "natural", "agency")
MODES = ("normal", "quick")
NOTICES = {
    "logout": "您已安全退出电子税务局。",
    "registered": "注册成功，请使用用户名和密码登录。",
    "np_reset": "密码已重置，请使用新密码登录。",
    "ent_reset": "企业密码已重置，请使用新的企业密码登录。",
}

OptionalQuery = Annotated[str | None, QueryParameter()]


async def login_page(
    request: Request[Any, Any, Any],
    *,
    tab: str = "enterprise",
    mode: str = "normal",
    next_url: str = "/",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    notice: str = "",
    quick_sent: str = "",
    status: int = 200,
) -> Template:
    """The login page with ``tab`` (and, for enterprises, ``mode``) open."""
    await get_runtime(request.app).principal_of(request)
    return Template(
        "auth/login.html",
        context={
            "tab": tab if tab in TABS else "enterprise",
            "mode": mode if mode in MODES else "normal",
            "next": safe_next(next_url),
            "errors": errors or {},
            "values": values or {},
            "notice": notice,
            "quick_sent": quick_sent,
        },
        status_code=status,
    )


@get("/login", name="login", cache=False)
async def show_login(
    request: Request[Any, Any, Any],
    next_url: Annotated[str | None, QueryParameter(name="next")] = None,
    tab: OptionalQuery = None,
    mode: OptionalQuery = None,
    notice: OptionalQuery = None,
) -> Template:
    """登录: 企业登录 (普通登录 / 快捷登录), 自然人登录, 代理机构登录."""
    return await login_page(
        request,
        tab=tab or "enterprise",
        mode=mode or "normal",
        next_url=next_url or "/",
        notice=NOTICES.get(notice or "", ""),
    )


@get("/login/agreement", name="login_agreement")
async def agreement(request: Request[Any, Any, Any]) -> Template:
    """《电子税务局用户服务协议》 on a page of its own."""
    await get_runtime(request.app).principal_of(request)
    return Template("auth/agreement.html", context={})


@post("/logout", name="logout")
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    """退出: write the audit entry, then drop the whole session (store entry and cookie)."""
    principal = await get_runtime(request.app).principal_of(request)
    auth = session_auth(request)
    if principal is not None and auth is not None:
        await audit.record(
            actor=principal.display_name,
            acting_for=principal.acting_for_name,
            taxpayer_id=principal.taxpayer_id,
            action=f"logout.{auth.kind}",
            outcome="success",
            connection=request,
            target=f"staff:{principal.staff_id}" if principal.staff_id else f"account:{auth.account_id}",
        )
    request.clear_session()
    return Redirect("/login?notice=logout", status_code=303)
