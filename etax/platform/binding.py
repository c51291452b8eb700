"""Start-up checks of plugin routes: every handler bound to exactly one declared function."""

from __future__ import annotations

from litestar import Litestar
from litestar.handlers.base import BaseRouteHandler
from litestar.routes import HTTPRoute

from etax.platform.access import CORE_OPT, FUNCTION_OPT
from etax.platform.admin.roles import ADMIN_ROLE_OPT, REQUIREMENTS
from etax.platform.errors import StartupError
from etax.platform.registry import FunctionRegistry

PLUGIN_OPT = "etax_plugin"
ADMIN_PLUGIN_OPT = "etax_admin_plugin"
EXEMPTION_OPTS = ("exclude_from_auth", "exclude_from_csrf", "skip_session", "etax_exempt", CORE_OPT)


def check_plugin_routes(app: Litestar, registry: FunctionRegistry) -> dict[str, int]:
    """Raise :class:`StartupError` for an unbound, wrongly bound or exempted plugin route.

    Returns the number of routes each plugin contributed.
    """
    counts: dict[str, int] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            admin_plugin = handler.opt.get(ADMIN_PLUGIN_OPT)
            if admin_plugin is not None and handler.handler_name != "options_handler":
                _check_admin_route(str(admin_plugin), route.path, handler)
                counts[str(admin_plugin)] = counts.get(str(admin_plugin), 0) + 1
                continue
            plugin = handler.opt.get(PLUGIN_OPT)
            if plugin is None or handler.handler_name == "options_handler":
                continue
            where = f"plugin {plugin!r}, route {route.path} ({handler.handler_name})"
            code = handler.opt.get(FUNCTION_OPT)
            if not code:
                raise StartupError(f"{where} is not bound to a function: add opt={{'function': '<code>'}}")
            spec = registry.get(str(code))
            if spec is None:
                raise StartupError(f"{where} is bound to unknown function code {code!r}")
            if spec.plugin != plugin:
                raise StartupError(f"{where} is bound to {code!r}, declared by plugin {spec.plugin!r}")
            for key in EXEMPTION_OPTS:
                if handler.opt.get(key):
                    raise StartupError(f"{where} exempts itself ({key}); only the platform may do that")
            counts[str(plugin)] = counts.get(str(plugin), 0) + 1
    return counts


def _check_admin_route(plugin: str, path: str, handler: BaseRouteHandler) -> None:
    """A plugin's back-office handler names a known admin role (not ``public``) and exempts nothing."""
    where = f"plugin {plugin!r}, admin route {path} ({handler.handler_name})"
    role = handler.opt.get(ADMIN_ROLE_OPT)
    if role not in REQUIREMENTS or role == "public":
        raise StartupError(f"{where} names no admin role: add opt={{'admin_role': '<role>'}}")
    if handler.opt.get(FUNCTION_OPT):
        raise StartupError(f"{where} is a back-office page and cannot also be bound to a function")
    for key in EXEMPTION_OPTS:
        if handler.opt.get(key):
            raise StartupError(f"{where} exempts itself ({key}); only the platform may do that")
