"""HTTP response headers that make the browser enforce what the server already does, and the guard
that keeps the OpenAPI schema (``/schema``) to development mode and system administrators.

Every response carries a Content-Security-Policy without ``'unsafe-inline'`` or ``'unsafe-eval'`` for
scripts (the templates hold no inline script or event-handler attribute: behaviour lives in
``/static/js/etax.js`` and plugin static files), ``X-Frame-Options: DENY`` with ``frame-ancestors
'none'``, a ``Referrer-Policy``, ``X-Content-Type-Options: nosniff``; production mode adds HSTS.
Inline *styles* stay allowed (templates and htmx's indicator style use them; they cannot run code).
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from etax.platform.runtime import get_runtime

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(production: bool) -> dict[str, str]:
    """The headers every response carries (HSTS only in production, which is served over HTTPS)."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if production:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def _middleware(app: ASGIApp, production: bool) -> ASGIApp:
    headers = list(security_headers(production).items())

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                mutable = MutableScopeHeaders.from_message(message)
                for name, value in headers:
                    if name not in mutable:
                        mutable[name] = value
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware


def add_security_headers(app: Litestar, production: bool) -> None:
    """Wrap the application's outermost ASGI handler, so that every HTTP response carries
    :func:`security_headers` — error pages and unknown paths included."""
    app.asgi_handler = _middleware(app.asgi_handler, production)


async def schema_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """``/schema``: open in development mode; in production only to a logged-in system administrator
    (anyone else gets 404 — the route map is not advertised)."""
    from etax.platform.admin.guard import current_admin

    if not get_runtime(connection.app).settings.production:
        return
    admin = await current_admin(connection)
    if admin is None or admin.role != "system":
        raise NotFoundException()
