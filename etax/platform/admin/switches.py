"""Plugins a system administrator switched off for visitors, and every worker following the switch.

The switch is a row per plugin (``admin_plugin_switch``). Each worker re-reads the switched-off plugins
at most every ``ETAX_PLUGIN_REFRESH_SECONDS`` (before a request) and hides their functions in its
registry: the access guard answers 404 "暂停办理", search and menus leave them out. Nothing is
uninstalled; switching back on restores everything at the next refresh.
"""

from __future__ import annotations

import time
from typing import Any

from litestar.connection import ASGIConnection

from etax.platform import clock
from etax.platform.admin.tables import PluginSwitch
from etax.platform.runtime import Runtime, get_runtime


async def switched_off() -> frozenset[str]:
    rows = await PluginSwitch.select(PluginSwitch.plugin).where(PluginSwitch.is_off == True)  # noqa: E712
    return frozenset(str(row["plugin"]) for row in rows)


async def refresh(runtime: Runtime, *, force: bool = False) -> None:
    """Hide the functions of the plugins switched off now, if the interval has passed."""
    moment = time.monotonic()
    last = runtime.switches_checked_at
    interval = runtime.settings.plugin_refresh_seconds
    if not force and last is not None and interval and moment - last < interval:
        return
    runtime.switches_checked_at = moment
    runtime.registry.hide_plugins(await switched_off())


async def refresh_for(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Before the access decision of a function route, the home page, search and menus."""
    await refresh(get_runtime(connection.app))


async def switch(plugin: str, off: bool, by: str) -> bool:
    """Switch ``plugin``'s functions off (or on); ``True`` when that changed anything (an upsert)."""
    current = await PluginSwitch.select(PluginSwitch.is_off).where(PluginSwitch.plugin == plugin).first()
    if current is not None and bool(current["is_off"]) == off:
        return False
    await PluginSwitch.raw(
        "INSERT INTO admin_plugin_switch (plugin, is_off, changed_by, changed_at) VALUES ({}, {}, {}, {}) "
        "ON CONFLICT (plugin) DO UPDATE SET is_off = excluded.is_off, changed_by = excluded.changed_by, "
        "changed_at = excluded.changed_at",
        plugin,
        off,
        by,
        clock.utcnow(),
    )
    return True
