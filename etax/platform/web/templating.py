"""Jinja2 set-up: template directories and the page context every template can ask for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from etax.platform import clock
from etax.platform.access import FUNCTION_OPT, Access, decide
from etax.platform.functions import FunctionSpec
from etax.platform.identity import Principal
from etax.platform.runtime import PRINCIPAL_STATE, get_runtime
from etax.platform.tree import TreeNode
from etax.platform.web.assets import static_url

CORE_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def page_function(request: Request[Any, Any, Any]) -> FunctionSpec | None:
    """The function the current route is bound to, for the breadcrumb."""
    handler = request.scope.get("route_handler")  # absent when routing itself failed (404)
    code = handler.opt.get(FUNCTION_OPT) if handler is not None else None
    return None if code is None else get_runtime(request.app).registry.get(str(code))


def page_principal(request: Request[Any, Any, Any]) -> Principal | None:
    principal = request.state.get(PRINCIPAL_STATE)
    return principal if isinstance(principal, Principal) else None


def user_menu(request: Request[Any, Any, Any]) -> list[FunctionSpec]:
    """The 用户中心 functions the visitor may open (the drop-down under their name)."""
    principal = page_principal(request)
    if principal is None:
        return []
    node = get_runtime(request.app).registry.tree.node("用户中心")
    if node is None:
        return []
    return [spec for spec in node.leaves() if decide(principal, spec) is Access.ALLOW]


def centres(request: Request[Any, Any, Any]) -> list[TreeNode]:
    """The header's centres: those holding something the visitor may open (or log in to open)."""
    principal = page_principal(request)
    found = get_runtime(request.app).registry.tree.centres()
    if principal is None:
        return found
    return [c for c in found if any(decide(principal, leaf) is not Access.FORBIDDEN for leaf in c.leaves())]


def bureau_name(request: Request[Any, Any, Any]) -> str:
    return get_runtime(request.app).settings.bureau_name


def dev_mode(request: Request[Any, Any, Any]) -> bool:
    return not get_runtime(request.app).settings.production


beijing_date = clock.beijing_day
beijing_time = clock.beijing_second


def _install_globals(environment: Environment) -> None:
    environment.filters.update(beijing_date=beijing_date, beijing_time=beijing_time)
    environment.globals.update(
        page_function=page_function,
        page_principal=page_principal,
        centre_nodes=centres,
        user_menu=user_menu,
        bureau_name=bureau_name,
        dev_mode=dev_mode,
        static_url=static_url,
    )


def template_config(plugin_dirs: list[Path]) -> TemplateConfig[JinjaTemplateEngine]:
    """Core templates first, then each plugin's directories."""

    def engine_callback(engine: JinjaTemplateEngine) -> None:
        # Compiled once per worker: no file check before each render (restart to see template edits).
        engine.engine.auto_reload = False
        _install_globals(engine.engine)

    return TemplateConfig(
        directory=[CORE_TEMPLATES, *plugin_dirs],
        engine=JinjaTemplateEngine,
        engine_callback=engine_callback,
    )
