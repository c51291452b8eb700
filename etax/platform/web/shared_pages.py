"""Pages every anonymous visitor gets alike (the home page), rendered and compressed once, not per request.

An anonymous page is the same for everyone who has no session: what it shows comes from data that changes
rarely (published 套餐业务 and 特色业务, 通知公告, the most opened functions, the plugins a system
administrator switched off), all read through :mod:`etax.platform.caching`. Two layers:

* the route handler still gathers the page's template variables (cheap: they come from those caches) and
  takes their *fingerprint*; while it matches the stored page's, the stored bytes are answered, else the
  page is rendered again (and gzipped once). So a change shows at the first request that sees the changed
  data — with ``ETAX_CACHE_CHECK_SECONDS=0`` (the tests) at the very next request.
* :func:`serve_shared_pages` answers in front of the application, without routing, session, CSRF or
  template work, a visitor who carries no session cookie, while the stored page was confirmed by the
  handler less than ``ETAX_CACHE_CHECK_SECONDS`` ago — the same staleness every cached value already has.

Nothing per-visitor is stored: the page is rendered with an empty CSRF token (``etax.js`` sends the
visitor's own token from the ``etax_csrf`` cookie with htmx requests), never for a logged-in visitor, a
session with a notice, or an address with a query string; and the fast path sets no cookie.
"""

from __future__ import annotations

import datetime as dt
import gzip
import time
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import msgspec
from litestar import Litestar, Request, Response
from litestar.enums import MediaType, ScopeType
from litestar.types import ASGIApp, Empty, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from etax.platform import caching, clock

STATE_KEY = "etax.shared_pages"
SESSION_COOKIE_PREFIX = b"etax_session="
GZIP_LEVEL = 6
_PLAIN = (str, int, float, bool, bytes, Decimal, dt.date, dt.datetime, dt.time, Enum, type(None))


def fingerprint(value: Any, holds: list[Any]) -> Hashable:
    """A hashable picture of a template variable: plain values, msgspec structs and plain objects (their
    attributes) by content; anything else by identity (kept alive in ``holds``, so its id is not reused
    while the picture is kept)."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, msgspec.Struct):
        return (type(value), tuple(fingerprint(getattr(value, f), holds) for f in value.__struct_fields__))
    if isinstance(value, Mapping):
        return tuple((key, fingerprint(item, holds)) for key, item in value.items())
    if isinstance(value, (list, tuple, frozenset, set)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return (type(value), tuple(fingerprint(item, holds) for item in items))
    if hasattr(value, "__dict__") and not callable(value):
        return (type(value), fingerprint(vars(value), holds))
    holds.append(value)
    return ("object", id(value))


@dataclass
class SharedPage:
    """One stored page: its fingerprint, the bytes as sent and gzipped, when a handler last confirmed it."""

    key: Hashable
    holds: list[Any]
    html: bytes
    gzipped: bytes
    confirmed: float
    generation: int


class SharedPages:
    """The stored pages of one application, by path."""

    def __init__(self) -> None:
        self.pages: dict[str, SharedPage] = {}

    def fresh(self, path: str) -> SharedPage | None:
        """The stored page of ``path`` if a handler confirmed it within the cache interval."""
        page = self.pages.get(path)
        interval = caching.check_seconds()
        if page is None or interval <= 0 or time.monotonic() - page.confirmed >= interval:
            return None
        if page.generation != caching.generation():
            return None  # this worker changed what pages show: the handler looks again
        return page

    async def respond(
        self, request: Request[Any, Any, Any], template: str, context: dict[str, Any], *, depends_on: Hashable
    ) -> Response[bytes]:
        """The page of ``request.url.path`` rendered from ``template`` and ``context``: the stored one when
        nothing it shows changed (``depends_on`` adds what the template reads besides ``context``)."""
        path = request.url.path
        holds: list[Any] = []
        key = (template, clock.today(), depends_on, fingerprint(context, holds))
        page = self.pages.get(path)
        if page is not None and page.key == key:
            page.confirmed = time.monotonic()
            page.generation = caching.generation()
        else:
            html = render_shared(request, template, context).encode()
            page = SharedPage(
                key=key,
                holds=holds,
                html=html,
                gzipped=gzip.compress(html, GZIP_LEVEL, mtime=0),
                confirmed=time.monotonic(),
                generation=caching.generation(),
            )
            self.pages[path] = page
        return Response(content=page.html, media_type=MediaType.HTML)


def render_shared(request: Request[Any, Any, Any], template: str, context: dict[str, Any]) -> str:
    """``template`` rendered as every anonymous visitor sees it: no CSRF token of this visitor in it."""
    engine = request.app.template_engine
    assert engine is not None
    state = ScopeState.from_scope(request.scope)
    token = state.csrf_token
    state.csrf_token = Empty
    try:
        rendered: str = engine.get_template(template).render(**context, request=request, csrf_input="")
    finally:
        state.csrf_token = token
    return rendered


def shared_pages(app: Litestar) -> SharedPages:
    pages: SharedPages = app.state[STATE_KEY]
    return pages


def _cookie_header(scope: Scope) -> bytes:
    return b";".join(value for name, value in scope["headers"] if name == b"cookie")


def _accepts_gzip(scope: Scope) -> bool:
    return any(name == b"accept-encoding" and b"gzip" in value for name, value in scope["headers"])


def serve_shared_pages(app: Litestar, inner: ASGIApp) -> ASGIApp:
    """Wrap the application's ASGI handler: a fresh stored page answers a session-less ``GET`` at once."""
    store = SharedPages()
    app.state[STATE_KEY] = store

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != ScopeType.HTTP
            or scope["method"] != "GET"
            or scope["query_string"]
            or not store.pages
            or SESSION_COOKIE_PREFIX in _cookie_header(scope)
        ):
            await inner(scope, receive, send)
            return
        page = store.fresh(scope["path"])
        if page is None:
            await inner(scope, receive, send)
            return
        zipped = _accepts_gzip(scope)
        body = page.gzipped if zipped else page.html
        headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"vary", b"Accept-Encoding"),
        ]
        if zipped:
            headers.append((b"content-encoding", b"gzip"))
        start: Message = {"type": "http.response.start", "status": 200, "headers": headers}
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return handler
