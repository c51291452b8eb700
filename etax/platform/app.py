"""Building the Litestar application: plugins, registry, search, sessions, CSRF, guard, templates."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from litestar import Litestar, Request, Router
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.logging.config import LoggingConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.plugins.flash import FlashConfig, FlashPlugin
from litestar.plugins.htmx import HTMXPlugin, HTMXRequest
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from piccolo.engine import engine_finder

from etax import startup_collector
from etax.platform import caching, usage, warmup
from etax.platform.access import (
    ADMIN_PLUGIN_OPT,
    FUNCTION_OPT,
    PLUGIN_OPT,
    PUBLIC_OPT,
    access_guard,
    check_routes,
)
from etax.platform.admin.rendering import ADMIN_EXCEPTION_HANDLERS
from etax.platform.admin.routes import ADMIN_ROUTE_HANDLERS
from etax.platform.announcements import AnnouncementMessages
from etax.platform.auth.principal import resolve_principal, session_auth
from etax.platform.auth.principal_cache import PrincipalCache
from etax.platform.auth.routes import AUTH_ROUTE_HANDLERS
from etax.platform.auth.sessions import SESSION_COOKIE, RotatingSessionConfig, csrf_session_guard
from etax.platform.context import DEPENDENCIES as CONTEXT_DEPENDENCIES
from etax.platform.db import apps as db_apps
from etax.platform.db.engine import close_pool, open_pool
from etax.platform.db.migrate import check_migrations
from etax.platform.errors import StartupError
from etax.platform.identity import Principal
from etax.platform.ids import bounded_ids_guard
from etax.platform.messaging.source import InboxMessages
from etax.platform.plugins import PluginHost
from etax.platform.registry import FunctionRegistry
from etax.platform.routing import EtaxLitestar, SingleUseRouter
from etax.platform.runtime import STATE_KEY, Runtime, get_runtime
from etax.platform.search import SearchService
from etax.platform.security_headers import add_security_headers, schema_guard
from etax.platform.services import PlatformServices
from etax.platform.settings import Settings, load_settings
from etax.platform.web import captcha_routes, header_routes, pages, search_routes
from etax.platform.web.assets import static_cache_middleware
from etax.platform.web.errors import EXCEPTION_HANDLERS
from etax.platform.web.session_pages import serve_session_pages
from etax.platform.web.shared_pages import serve_shared_pages
from etax.platform.web.templating import template_config

log = logging.getLogger("etax")

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
IDLE_TIMEOUT_SECONDS = 30 * 60


def load_plugins(settings: Settings, extra: Iterable[ModuleType] = ()) -> tuple[PluginHost, FunctionRegistry]:
    """Load the plugins and build the function registry (raises :class:`StartupError`)."""
    host = PluginHost(settings)
    host.load(extra)
    db_apps.set_plugin_apps(host.piccolo_apps())
    return host, FunctionRegistry(host.functions())


def session_store(settings: Settings) -> Store:
    if settings.session_store.startswith(("redis://", "rediss://")):
        from litestar.stores.redis import RedisStore  # the Redis client is loaded only when configured

        return RedisStore.with_client(url=settings.session_store, namespace="etax_sessions")
    return FileStore(settings.var_dir / "sessions")


PUBLIC = {PUBLIC_OPT: True}


def core_route_handlers() -> list[Any]:
    """The platform's own public routes: portal shell, search, login, captcha, static files.

    Every other route is bound to a function (plugins, core features) or to a back-office role
    (:func:`admin_router`); :func:`etax.platform.access.check_routes` checks that at start-up.
    """
    return [
        # Before the home page and search, every plugin's search refresher runs (the menus check their
        # version counter — one read — and rebuild this worker's package documents when it changed).
        SingleUseRouter(
            path="/",
            route_handlers=[
                pages.home,
                search_routes.api_search,
                search_routes.search_suggest,
                search_routes.search_page,
                search_routes.search_go,
            ],
            before_request=pages.refresh_search,
            opt=PUBLIC,
        ),
        SingleUseRouter(
            path="/",
            route_handlers=[
                pages.menu,
                pages.favicon,
                captcha_routes.captcha_image,
                header_routes.header_links,
                warmup.health,
            ],
            opt=PUBLIC,
        ),
        SingleUseRouter(path="/", route_handlers=AUTH_ROUTE_HANDLERS, opt=PUBLIC),
        create_static_files_router(
            path="/static",
            directories=[STATIC_DIR],
            name="static",
            opt=PUBLIC,
            middleware=[static_cache_middleware],
            router_class=SingleUseRouter,
        ),
    ]


def admin_router(host: PluginHost) -> Router:
    """The one ``/admin`` router: the back office's own pages and every plugin's, with its error pages."""
    return SingleUseRouter(
        path="/admin",
        route_handlers=[
            *ADMIN_ROUTE_HANDLERS,
            *[
                SingleUseRouter(
                    path="/", route_handlers=c.admin_route_handlers, opt={ADMIN_PLUGIN_OPT: c.name}
                )
                for c in host.contributions
                if c.admin_route_handlers
            ],
        ],
        exception_handlers=ADMIN_EXCEPTION_HANDLERS,
    )


async def count_function_open(request: Request[Any, Any, Any]) -> None:
    """``before_request``: count an opening of a function's own page (search popularity)."""
    code = request.route_handler.opt.get(FUNCTION_OPT)
    if code is None or request.method != "GET" or request.headers.get("hx-request"):
        return
    runtime = get_runtime(request.app)
    spec = runtime.registry.get(str(code))
    if spec is not None and spec.url == request.url.path:
        runtime.search.opened(spec.code)
        await usage.record_open(spec.code)


async def auth_principal(
    runtime: Runtime, connection: ASGIConnection[Any, Any, Any, Any]
) -> Principal | None:
    """The logged-in principal, re-read from the database (see :mod:`etax.platform.auth.principal`).

    The application resolves through a :class:`PrincipalCache` instead (the same answer, one read on a
    warm cache); this uncached resolver is the reference it is measured against (``bench/bench_logged_in.py``).
    """
    auth = session_auth(connection)
    return None if auth is None else await resolve_principal(runtime.registry, auth)


SyncGuard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]


def inline_guard(
    guard: SyncGuard,
) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]:
    """A plain (non-blocking) guard as a coroutine: Litestar would run a ``def`` guard in a worker thread on
    every request, which costs more than the check itself."""

    @functools.wraps(guard)
    async def run(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        guard(connection, handler)

    return run


def create_app(
    settings: Settings | None = None,
    *,
    extra_plugins: Iterable[ModuleType] = (),
    check_db: bool = True,
) -> Litestar:
    """The etax application. ``extra_plugins`` registers plugin modules in code (used by tests)."""
    settings = settings or load_settings()
    caching.configure(settings.cache_check_seconds)
    usage.configure(settings.usage_flush_seconds)
    host, registry = load_plugins(settings, extra_plugins)

    plugin_routers = [
        SingleUseRouter(path="/", route_handlers=c.route_handlers, opt={PLUGIN_OPT: c.name})
        for c in host.contributions
        if c.route_handlers
    ]
    plugin_static = [
        create_static_files_router(
            path=f"/static/plugins/{s.name}",
            directories=[Path(s.directory)],
            opt=PUBLIC,
            middleware=[static_cache_middleware],
            router_class=SingleUseRouter,
        )
        for s in host.static_dirs()
    ]
    search = SearchService(
        registry, host.search_documents(), host.search_synonyms(), store=settings.var_dir / "search-index"
    )
    runtime = Runtime(
        settings=settings,
        host=host,
        registry=registry,
        search=search,
        message_sources=[AnnouncementMessages(), InboxMessages(), *host.message_sources()],
        resolver=PrincipalCache(),
    )

    session_config = RotatingSessionConfig(
        key=SESSION_COOKIE,
        max_age=IDLE_TIMEOUT_SECONDS,
        renew_on_access=False,  # the backend pushes the expiry on itself, without a write per request
        httponly=True,
        samesite="lax",
        secure=settings.production,
    )
    runtime.session_config = session_config

    async def on_startup(app: Litestar) -> None:
        await open_pool(engine_finder())
        if check_db:
            await check_migrations()
            search.popularity.update(await usage.popularity())
            await search.refresh_clicks(dt.datetime.now(dt.UTC), force=True)
        await host.startup(PlatformServices(settings=settings, registry=registry))
        log.info("etax started: %d plugins, %d functions", len(host.contributions), len(registry))

    async def on_shutdown(app: Litestar) -> None:
        await usage.flush()
        await close_pool(engine_finder())

    templates = template_config(host.template_dirs())
    app = EtaxLitestar(
        route_handlers=[*core_route_handlers(), admin_router(host), *plugin_routers, *plugin_static],
        guards=[inline_guard(bounded_ids_guard), inline_guard(csrf_session_guard), access_guard],
        before_request=count_function_open,
        middleware=[session_config.middleware],
        openapi_config=OpenAPIConfig(
            title="etax",
            version="1",
            render_plugins=[JsonRenderPlugin(), YamlRenderPlugin()],
            # Declared public for the route check; ``schema_guard`` keeps it to dev mode or system administrators.
            openapi_router=Router(
                path="/schema", route_handlers=[], guards=[schema_guard], opt={PUBLIC_OPT: True}
            ),
        ),
        stores={"sessions": session_store(settings)},
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="etax_csrf",
            header_name="x-csrftoken",
            cookie_secure=settings.production,
            cookie_samesite="lax",
        ),
        template_config=templates,
        # HTML and JSON gzipped for browsers that accept it (static files too); small answers as they are.
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024, gzip_compress_level=6),
        plugins=[HTMXPlugin(), FlashPlugin(FlashConfig(template_config=templates))],
        dependencies=CONTEXT_DEPENDENCIES,
        request_class=HTMXRequest,
        exception_handlers=EXCEPTION_HANDLERS,
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        # Expected HTTP errors (404, 403, …) are answered, not logged; unexpected ones are logged by
        # ``web.errors.server_error`` with their traceback.
        logging_config=LoggingConfig(log_exceptions="never", configure_root_logger=False),
    )
    app.state[STATE_KEY] = runtime
    # Inside the security headers: a stored anonymous page carries them like every other answer.
    app.asgi_handler = serve_shared_pages(app, app.asgi_handler)
    # Logged-in pages a route declared storable per session, while nothing they show changed.
    app.asgi_handler = serve_session_pages(app, app.asgi_handler, session_config)
    add_security_headers(app, settings.production)
    runtime.routes_per_plugin = check_routes(app, registry)
    # Outermost: after the first answer, the rest of what traffic loads is loaded in the background.
    warmup.install(app, enabled=settings.warmup)
    startup_collector.settle()  # the collector's usual thresholds again (etax/startup_collector.py)
    return app


__all__ = ["StartupError", "create_app", "load_plugins"]
