"""Rendering admin pages: the shell's context (who, which role the page needs, the menu) and errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Litestar, Request, Response
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.response import Redirect, Template
from litestar.types import ExceptionHandlersMap

from etax.platform.access import admin_allows as allows
from etax.platform.admin.accounts import AdminView
from etax.platform.admin.common import pop_notice
from etax.platform.admin.guard import ADMIN_STATE, REQUIREMENT_STATE, AdminLoginRequired
from etax.platform.admin.roles import REQUIREMENT_LABELS, NavItem

LOGIN_URL = "/admin/login"


NAV: tuple[NavItem, ...] = (
    NavItem(label="后台首页", url="/admin", requirement="any", description="概况与本角色可办理的事项"),
    NavItem(
        label="消息发送",
        url="/admin/messages",
        requirement="reviewer",
        description="向单个纳税人或某类纳税人发送“我的消息”",
    ),
    NavItem(
        label="通知公告",
        url="/admin/announcements",
        requirement="content",
        description="发布、修改、删除通知公告（Markdown 正文、受众、发布时间、置顶）",
    ),
    NavItem(
        label="插件状态",
        url="/admin/plugins",
        requirement="system",
        description="已加载的插件、其功能和路由，以及加载失败的插件和原因",
    ),
    NavItem(
        label="管理员账户",
        url="/admin/accounts",
        requirement="system",
        description="查看管理员，停用、启用账户，解除锁定",
    ),
)
"""The back office's own areas; features and plugins add theirs through ``etax_admin_nav``. The menu
shows those mounted in the application that the role may open."""

ROUTE_PATHS_STATE = "etax_admin_route_paths"


def page_admin(request: Request[Any, Any, Any]) -> AdminView | None:
    admin = request.state.get(ADMIN_STATE)
    return admin if isinstance(admin, AdminView) else None


def _mounted(app: Litestar) -> frozenset[str]:
    """The paths of the application's routes (computed once per application)."""
    paths = app.state.get(ROUTE_PATHS_STATE)
    if not isinstance(paths, frozenset):
        paths = frozenset(route.path for route in app.routes)
        app.state[ROUTE_PATHS_STATE] = paths
    return paths


def nav_for(request: Request[Any, Any, Any], admin: AdminView | None) -> list[NavItem]:
    """The menu entries ``admin`` may open (of the areas this application mounts)."""
    if admin is None:
        return []
    mounted = _mounted(request.app)
    from etax.platform.runtime import get_runtime

    items = (*NAV, *get_runtime(request.app).host.admin_nav())
    return [item for item in items if allows(admin.role, item.requirement) and item.url in mounted]


def admin_page(
    request: Request[Any, Any, Any],
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> Template:
    """An admin page with the shell's context: the administrator, the page's role, menu and notice."""
    admin = page_admin(request)
    requirement = str(request.state.get(REQUIREMENT_STATE, "any"))
    return Template(
        template,
        context={
            "admin": admin,
            "nav": nav_for(request, admin),
            "requirement": requirement,
            "requirement_label": REQUIREMENT_LABELS.get(requirement, requirement),
            "notice": pop_notice(request) if admin is not None else None,
            **(context or {}),
        },
        status_code=status,
    )


def login_redirect(request: Request[Any, Any, Any], exc: AdminLoginRequired) -> Response[Any]:
    """Anonymous visitors go to the admin login page and come back afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = f"{LOGIN_URL}?{urlencode({'next': target})}"
    if request.headers.get("hx-request"):
        return Response("", status_code=204, headers={"HX-Redirect": url})
    return Redirect(url)


def forbidden(request: Request[Any, Any, Any], exc: PermissionDeniedException) -> Response[Any]:
    """403 in Chinese, inside the admin shell (a failed CSRF check reads as an expired page)."""
    if "CSRF" in str(exc.detail):
        title, detail = "页面已过期", "页面已过期或请求来源无法验证，请刷新页面后重新提交。"
    else:
        title, detail = "没有权限", str(exc.detail)
    return admin_page(request, "admin/error.html", {"title": title, "detail": detail}, status=403)


def not_found(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[Any]:
    detail = str(exc.detail) if exc.detail and exc.detail != "Not Found" else "您访问的页面或记录不存在。"
    return admin_page(request, "admin/error.html", {"title": "页面不存在", "detail": detail}, status=404)


ADMIN_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    AdminLoginRequired: login_redirect,
    PermissionDeniedException: forbidden,
    NotFoundException: not_found,
}
