"""Static files that browsers keep: URLs carrying a hash of the file's content, served with a
year-long ``Cache-Control: immutable``; the same file without its hash is revalidated every time.

Templates write ``{{ static_url('css/etax.css') }}`` (``/static/css/etax.css?v=<hash>``): a new
release changes the hash of what changed, so browsers fetch exactly the files that changed.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@lru_cache(maxsize=256)
def content_hash(relative: str) -> str:
    """The first 12 hex digits of the SHA-256 of ``static/<relative>`` ("" when there is no such file)."""
    path = (STATIC_DIR / relative).resolve()
    if STATIC_DIR not in path.parents or not path.is_file():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(relative: str) -> str:
    """The URL of a core static file with its content hash."""
    digest = content_hash(relative)
    return f"/static/{relative}?v={digest}" if digest else f"/static/{relative}"


def static_cache_middleware(app: ASGIApp) -> ASGIApp:
    """Middleware of the static routers: ``immutable`` for a year when the URL carries a hash."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"")
        value = IMMUTABLE if b"v=" in query else REVALIDATE

        async def send_with_cache(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message)["cache-control"] = value
            await send(message)

        await app(scope, receive, send_with_cache)

    return middleware
