"""Logged-in pages stored per session and answered in front of the application while nothing they show
changed (issue 18: the logged-in home page, the query centre).

*Who decides.* A route declares that its ``GET`` page may be stored per session (``opt={SESSION_PAGE_OPT:
True}``, :data:`etax.platform.api.STORED_PER_SESSION` for plugins): the page depends only on the visitor's
session and login, the path and query string, and data in the database. The platform decides when a stored
page may be answered.

*What a stored page depends on.* It is keyed by the request's whole ``Cookie`` header (the session id and
the CSRF token the page carries among it), path and query string, and kept with: the session's data as it
was loaded (minus its write time), ``auth_principal_version`` and the data version
(:mod:`etax.platform.dataversion`, raised by database triggers on every table a page may show, whoever
writes), :func:`etax.platform.caching.generation`, the platform clock's date, the plugins switched off and
the function registry. At most :data:`STORED_PAGE_SECONDS` old (what changes only with the time of day).

*A request for such a page* (``GET``, a session cookie, no htmx headers) reads the two versions in one
query. If a stored page's dependencies all match, the session is read from the session store (no write):
it must still exist (logout or expiry on any instance ends it), carry the same data (no pending flash or
notice: a page that would take one is never stored) and not be due for the idle-timeout push (the normal
path writes it then, exactly as :class:`etax.platform.auth.sessions.RotatingSessionBackend` does); then the
stored bytes are answered (gzipped when accepted) with the headers the application gave them — the
security headers are added outside, as for every answer. Otherwise the application answers, and its answer
is stored when it was a 200 HTML page of a declaring route that set no cookie and left the session as it
was. The versions read before the application ran are the ones kept: a change committed meanwhile is seen
as a newer version next time.

When this worker sees the data version move it also forgets its in-process cached values
(:func:`etax.platform.caching.expire_all`), so a page re-rendered after another instance's change is not
built from values cached before it.

Bounded: :data:`CAPACITY` pages and :data:`CAPACITY_BYTES` bytes per worker, least recently used first out;
a page is kept gzipped only (a client that does not accept gzip gets it decompressed, tens of microseconds).
"""

from __future__ import annotations

import gzip
import os
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.stores.base import StorageObject, Store
from litestar.stores.file import FileStore
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

from etax.platform import caching, clock, dataversion
from etax.platform.auth.sessions import (
    LOADED_SCOPE_KEY,
    ROTATE_SCOPE_KEY,
    SESSION_COOKIE,
    WRITTEN_KEY,
    RotatingSessionBackend,
)
from etax.platform.runtime import get_runtime
from etax.platform.web.notices import FLASH_KEY

if TYPE_CHECKING:
    from etax.platform.auth.sessions import RotatingSessionConfig

SESSION_PAGE_OPT = "etax_stored_per_session"
"""Route option: this ``GET`` page may be stored per session (see the module text)."""

STATE_KEY = "etax.session_pages"
STORED_PAGE_SECONDS = 60.0
CAPACITY = 2048
CAPACITY_BYTES = 8 * 1024 * 1024
"""Pages (gzipped only: a page of the demo enterprise is ≈ 3 KB so, ≈ 11 KB as HTML) and bytes per worker."""
GZIP_LEVEL = 6
MAX_PATHS = 1024
"""Paths learned as declaring (a declaring route with path parameters could otherwise add without end)."""
PENDING_KEYS = frozenset({FLASH_KEY})
"""Session keys of something a page shows once: a session holding one is never answered from the store."""

_COOKIE_PREFIX = SESSION_COOKIE.encode() + b"="
_DROPPED_HEADERS = frozenset({b"content-length", b"content-encoding", b"vary", b"set-cookie", b"date"})
_HTMX = frozenset({b"hx-request", b"hx-target", b"hx-boosted"})

PageKey = tuple[bytes, str, bytes]


@dataclass(slots=True)
class StoredPage:
    session: bytes
    depends: Hashable
    headers: list[tuple[bytes, bytes]]
    gzipped: bytes
    stored_at: float

    @property
    def size(self) -> int:
        return len(self.gzipped) + len(self.session) + 256


class SessionPages:
    """One application's stored pages, and the paths whose route declared them storable."""

    def __init__(self, capacity: int = CAPACITY, capacity_bytes: int = CAPACITY_BYTES) -> None:
        self.capacity = capacity
        self.capacity_bytes = capacity_bytes
        self.paths: set[str] = set()
        self.entries: OrderedDict[PageKey, StoredPage] = OrderedDict()
        self.size = 0
        self.data_version: int | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: PageKey) -> StoredPage | None:
        page = self.entries.get(key)
        if page is not None:
            self.entries.move_to_end(key)
        return page

    def drop(self, key: PageKey) -> None:
        page = self.entries.pop(key, None)
        if page is not None:
            self.size -= page.size

    def put(self, key: PageKey, page: StoredPage) -> None:
        self.drop(key)
        if page.size > self.capacity_bytes:
            return
        self.entries[key] = page
        self.size += page.size
        while len(self.entries) > self.capacity or self.size > self.capacity_bytes:
            _, oldest = self.entries.popitem(last=False)
            self.size -= oldest.size

    def observe(self, data_version: int) -> None:
        """A data version read from the database: when it moved, this worker's cached values go."""
        if self.data_version is not None and data_version != self.data_version:
            caching.expire_all()
        self.data_version = data_version


def session_pages(app: Litestar) -> SessionPages:
    pages: SessionPages = app.state[STATE_KEY]
    return pages


def _cookie_header(scope: Scope) -> bytes:
    return b";".join(value for name, value in scope["headers"] if name == b"cookie")


def _session_id(cookie: bytes) -> str | None:
    for part in cookie.split(b";"):
        part = part.strip()
        if part.startswith(_COOKIE_PREFIX):
            value = part[len(_COOKIE_PREFIX) :].decode("latin-1")
            return value if value and value != "null" else None
    return None


async def read_session(store: Store, session_id: str) -> bytes | None:
    """The stored session (None when missing or expired), without renewing or writing anything.

    A file store's session file (a few hundred bytes on a local disk) is read right here: handing the
    read to a worker thread and back, as ``FileStore.get`` does, costs more than the read. An expired
    file is left for the normal path, which removes it."""
    if not isinstance(store, FileStore):
        return await store.get(session_id)
    try:
        with open(os.fspath(store._path_from_key(session_id)), "rb") as file:
            stored = StorageObject.from_bytes(file.read())
    except FileNotFoundError:
        return None
    return None if stored.expired else stored.data


def _accepts_gzip(scope: Scope) -> bool:
    return any(name == b"accept-encoding" and b"gzip" in value for name, value in scope["headers"])


def _header(headers: list[tuple[bytes, bytes]], wanted: bytes) -> bytes | None:
    for name, value in headers:
        if name.lower() == wanted:
            return value
    return None


def serve_session_pages(app: Litestar, inner: ASGIApp, config: RotatingSessionConfig) -> ASGIApp:
    """Wrap the application's ASGI handler (inside the security headers): see the module text."""
    store = SessionPages()
    app.state[STATE_KEY] = store
    backend = RotatingSessionBackend(config=config)
    max_age = float(config.max_age or 0)

    def depends_on(versions: tuple[int, int]) -> Hashable:
        runtime = get_runtime(app)
        return (
            versions,
            caching.generation(),
            clock.today(),
            runtime.registry.hidden_plugins,
            id(runtime.registry),
        )

    async def unchanged_session(session_id: str, page: StoredPage) -> bool:
        """The session still exists, holds what it held when the page was stored, and is not due for the
        idle-timeout push (a read of the session store, no write)."""
        raw = await read_session(config.get_store_from_app(app), session_id)
        if raw is None:
            return False
        data = backend.deserialize_data(raw)
        written = data.pop(WRITTEN_KEY, 0.0)
        if not isinstance(written, int | float) or time.time() - written >= max_age / 4:
            return False
        return backend.serialize_data(data) == page.session

    async def answer(scope: Scope, send: Send, page: StoredPage) -> None:
        zipped = _accepts_gzip(scope)
        body = page.gzipped if zipped else gzip.decompress(page.gzipped)  # browsers all accept gzip
        headers = [*page.headers, (b"content-length", str(len(body)).encode()), (b"vary", b"Accept-Encoding")]
        if zipped:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    def keep(
        scope: Scope,
        key: PageKey,
        depends: Hashable,
        start: HTTPResponseStartEvent | None,
        chunks: list[bytes],
    ) -> None:
        """Store the application's answer when it may be answered again (see the module text)."""
        handler = scope.get("route_handler")
        if handler is None or not handler.opt.get(SESSION_PAGE_OPT):
            return
        if start is None or start["status"] != 200:
            return
        headers = [(bytes(name).lower(), bytes(value)) for name, value in start.get("headers", ())]
        content_type = _header(headers, b"content-type") or b""
        if _header(headers, b"set-cookie") is not None or not content_type.startswith(b"text/html"):
            return
        loaded = scope.get(LOADED_SCOPE_KEY)
        session = scope.get("session")
        if not isinstance(loaded, tuple) or not isinstance(session, dict) or scope.get(ROTATE_SCOPE_KEY):
            return
        before = loaded[0]
        if PENDING_KEYS & session.keys() or backend.serialize_data(session) != before:
            return  # the page took a notice, or the request changed the session
        body = b"".join(chunks)
        zipped = _header(headers, b"content-encoding") == b"gzip"
        store.put(
            key,
            StoredPage(
                session=before,
                depends=depends,
                headers=[(n, v) for n, v in headers if n not in _DROPPED_HEADERS],
                gzipped=body if zipped else gzip.compress(body, GZIP_LEVEL, mtime=0),
                stored_at=time.monotonic(),
            ),
        )

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "GET":
            await inner(scope, receive, send)
            return
        path: str = scope["path"]
        if path not in store.paths:
            await inner(scope, receive, send)
            handler_ = scope.get("route_handler")
            if handler_ is not None and handler_.opt.get(SESSION_PAGE_OPT) and len(store.paths) < MAX_PATHS:
                store.paths.add(path)  # a declaring route answers here: stored from the next request on
            return
        cookie = _cookie_header(scope)
        session_id = _session_id(cookie)
        if session_id is None or any(name in _HTMX for name, _ in scope["headers"]):
            await inner(scope, receive, send)
            return
        versions = await dataversion.versions()
        if versions is None:
            await inner(scope, receive, send)
            return
        store.observe(versions[1])
        depends = depends_on(versions)
        key: PageKey = (cookie, path, scope["query_string"])
        page = store.get(key)
        if page is not None:
            if (
                page.depends == depends
                and time.monotonic() - page.stored_at < STORED_PAGE_SECONDS
                and await unchanged_session(session_id, page)
            ):
                await answer(scope, send, page)
                return
            store.drop(key)
        start: HTTPResponseStartEvent | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await inner(scope, receive, capture)
        keep(scope, key, depends, start, chunks)

    return handler
