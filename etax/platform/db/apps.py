"""Which Piccolo apps exist: the core's (platform services), then each loaded plugin's (core features
such as menus and applications declare theirs through ``etax_piccolo_apps`` like any plugin)."""

from __future__ import annotations

CORE_APPS: tuple[str, ...] = (
    "etax.platform.db.piccolo_app",
    "etax.platform.messaging.piccolo_app",
    "etax.platform.admin.piccolo_app",
    "etax.platform.calendar.piccolo_app",
    "etax.platform.ledger.piccolo_app",
    "etax.platform.certificates.piccolo_app",
    "etax.platform.compliance.piccolo_app",
    "etax.platform.dispatch.piccolo_app",
    "etax.platform.credit.piccolo_app",
    "etax.platform.halls.piccolo_app",
)

_plugin_apps: list[str] = []


def set_plugin_apps(apps: list[str]) -> None:
    """Record the Piccolo apps the loaded plugins declared (called when plugins are loaded)."""
    _plugin_apps[:] = [app for app in apps if app not in CORE_APPS]


def app_modules() -> list[str]:
    """Dotted paths of every Piccolo app module, core first."""
    if not _plugin_apps:
        _discover()
    return [*CORE_APPS, *_plugin_apps]


def _discover() -> None:
    # Imported here: the plugin host imports table modules, which import the Piccolo configuration.
    from etax.platform.plugins import PluginHost
    from etax.platform.settings import load_settings

    host = PluginHost(load_settings())
    host.load()
    set_plugin_apps(host.piccolo_apps())
