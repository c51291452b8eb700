"""Start-up checks of plugin routes: every handler bound to exactly one declared function."""

from __future__ import annotations

from litestar import Litestar
from litestar.routes import HTTPRoute

from etax.platform.access import CORE_OPT, FUNCTION_OPT
from etax.platform.errors import StartupError
from etax.platform.registry import FunctionRegistry

PLUGIN_OPT = "etax_plugin"
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
