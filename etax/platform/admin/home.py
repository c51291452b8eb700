"""后台首页: what the administrator's role can do, with counts, and the plugin status page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from etax.platform import audit, clock, usage
from etax.platform.access import admin_allows as allows
from etax.platform.admin import switches
from etax.platform.admin.common import set_notice
from etax.platform.admin.rendering import admin_page, nav_for, page_admin
from etax.platform.admin.roles import ADMIN_ROLE_OPT, ROLE_DUTIES
from etax.platform.admin.tables import AdminUser
from etax.platform.announcements import Announcement
from etax.platform.forms import submitted, submitted_text
from etax.platform.hookapi import HOOK_API_VERSION
from etax.platform.messaging.tables import BureauMessage
from etax.platform.plugins import CORE_PLUGINS
from etax.platform.runtime import get_runtime


async def _counts(request: Request[Any, Any, Any], role: str) -> list[tuple[str, int, str]]:
    """(label, number, link) for what ``role`` looks after."""
    counts: list[tuple[str, int, str]] = []
    moment = clock.utcnow()
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
    """插件状态: every plugin's version, source, hook API range, functions, routes, open counts and
    failures; a system administrator switches a plugin's functions off for visitors (or back on)."""
    runtime = get_runtime(request.app)
    await switches.refresh(runtime, force=True)
    infos = runtime.host.info(runtime.routes_per_plugin)
    popularity = await usage.popularity()
    return admin_page(
        request,
        "admin/plugins.html",
        {
            "plugins": infos,
            "functions": {spec.code: spec for spec in runtime.registry.every()},
            "opened": {info.name: sum(popularity.get(code, 0) for code in info.functions) for info in infos},
            "off": runtime.registry.hidden_plugins,
            "core": CORE_PLUGINS,
            "failures": runtime.host.failures,
            "hook_api": HOOK_API_VERSION,
            "refresh_seconds": runtime.settings.plugin_refresh_seconds,
        },
    )


@post("/plugins/switch", name="admin_plugin_switch", opt={ADMIN_ROLE_OPT: "system"})
async def switch_plugin(request: Request[Any, Any, Any]) -> Redirect:
    """暂停 or 恢复 a plugin's functions for visitors: audited; every worker follows within the interval."""
    admin = page_admin(request)
    assert admin is not None
    data = await submitted(request)
    name, off = submitted_text(data, "plugin").strip(), submitted_text(data, "off")
    runtime = get_runtime(request.app)
    loaded = {c.name for c in runtime.host.contributions}
    if name not in loaded or name in CORE_PLUGINS or off not in ("0", "1"):
        set_notice(request, "该插件不存在或不能暂停（平台自带功能不能暂停）", error=True)
        return Redirect("/admin/plugins", status_code=303)
    changed = await switches.switch(name, off == "1", admin.actor)
    if changed:
        await audit.record(
            actor=admin.actor,
            action="admin.plugin.switch_off" if off == "1" else "admin.plugin.switch_on",
            outcome="success",
            connection=request,
            target=f"plugin:{name}",
        )
    await switches.refresh(runtime, force=True)
    set_notice(request, f"插件 {name} 的功能{'已暂停' if off == '1' else '已恢复'}办理")
    return Redirect("/admin/plugins", status_code=303)
