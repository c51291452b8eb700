"""后台首页: what the administrator's role can do, with counts, and the plugin status page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get
from litestar.response import Template

from etax.platform.access import admin_allows as allows
from etax.platform.admin.common import now
from etax.platform.admin.rendering import admin_page, nav_for, page_admin
from etax.platform.admin.roles import ADMIN_ROLE_OPT, ROLE_DUTIES
from etax.platform.admin.tables import AdminUser
from etax.platform.announcements import Announcement
from etax.platform.messaging.tables import BureauMessage
from etax.platform.runtime import get_runtime


async def _counts(request: Request[Any, Any, Any], role: str) -> list[tuple[str, int, str]]:
    """(label, number, link) for what ``role`` looks after."""
    counts: list[tuple[str, int, str]] = []
    moment = now()
    if allows(role, "content"):
        published = await Announcement.count().where(Announcement.published_at <= moment)
        scheduled = await Announcement.count().where(Announcement.published_at > moment)
        counts += [
            ("已发布的通知公告", int(published), "/admin/announcements"),
            ("待发布的通知公告", int(scheduled), "/admin/announcements"),
        ]
    if allows(role, "reviewer"):
        since = moment - dt.timedelta(days=7)
        counts += [
            ("已发送的消息", int(await BureauMessage.count()), "/admin/messages"),
            (
                "近7天发送的消息",
                int(await BureauMessage.count().where(BureauMessage.sent_at >= since)),
                "/admin/messages",
            ),
        ]
    if allows(role, "system"):
        runtime = get_runtime(request.app)
        counts += [
            ("已加载的插件", len(runtime.host.contributions), "/admin/plugins"),
            ("加载失败的插件", len(runtime.host.failures), "/admin/plugins"),
            ("已注册的功能", len(runtime.registry), "/admin/plugins"),
            ("管理员账户", int(await AdminUser.count()), "/admin/accounts"),
        ]
    return counts


@get("/", name="admin_home", opt={ADMIN_ROLE_OPT: "any"}, cache=False)
async def home(request: Request[Any, Any, Any]) -> Template:
    """后台首页."""
    admin = page_admin(request)
    assert admin is not None  # the guard let only a logged-in administrator through
    return admin_page(
        request,
        "admin/home.html",
        {
            "duties": ROLE_DUTIES.get(admin.role, ""),
            "entries": [item for item in nav_for(request, admin) if item.url != "/admin"],
            "counts": await _counts(request, admin.role),
        },
    )


@get("/plugins", name="admin_plugins", opt={ADMIN_ROLE_OPT: "system"}, cache=False)
async def plugins(request: Request[Any, Any, Any]) -> Template:
    """插件状态: loaded plugins with their functions and routes; failed plugins and why."""
    runtime = get_runtime(request.app)
    infos = runtime.host.info(runtime.routes_per_plugin)
    return admin_page(
        request,
        "admin/plugins.html",
        {
            "plugins": infos,
            "functions": {spec.code: spec for spec in runtime.registry},
            "failures": runtime.host.failures,
        },
    )
