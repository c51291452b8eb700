"""Server-side sessions whose id the server alone chooses: an id the store does not know is never
adopted, and the id is rotated at every login step that raises privilege (no session fixation).

A session costs nothing until something needs it: an anonymous visitor who only reads pages gets no
stored session and no session cookie (a captcha, a login step or a form's CSRF binding creates one).
A stored session is written back only when its data changed, or when its expiry must be pushed on
(at most every quarter of the idle timeout, so a session still ends after 22½–30 idle minutes);
expired sessions of the file store are swept at start-up and every ten minutes, Redis expires them
itself.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.stores.base import Store
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

ROTATE_SCOPE_KEY = "etax_rotated_session_id"
LOADED_SCOPE_KEY = "etax_session_loaded"
WRITTEN_KEY = "_written"
SWEEP_INTERVAL_SECONDS = 600
SESSION_COOKIE = "etax_session"
CSRF_COOKIE = "etax_csrf"
SESSION_CSRF = "csrf"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RotatingSessionBackend(ServerSideSessionBackend):
    """Uses a fresh id once :func:`rotate_session_id` was called during the request, and never an id
    the server did not issue."""

    last_sweep: float = 0.0

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        session_id = connection.cookies.get(self.config.key)
        if not session_id or session_id == "null":
            return {}
        store = self.config.get_store_from_app(connection.scope["app"])
        data = await store.get(session_id)  # no renewal here: see store_in_message
        if data is None:
            # Unknown to the store (planted, or expired): whatever this request stores goes under a new
            # id, so a cookie chosen by someone else never carries this visitor's session.
            connection.scope[ROTATE_SCOPE_KEY] = self.generate_session_id()  # type: ignore[literal-required]
            return {}
        loaded: dict[str, Any] = self.deserialize_data(data)
        written = loaded.pop(WRITTEN_KEY, 0.0)
        connection.scope[LOADED_SCOPE_KEY] = (  # type: ignore[literal-required]
            self.serialize_data(loaded),
            float(written) if isinstance(written, int | float) else 0.0,
        )
        return loaded

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        """Write the session only when there is one and it changed (or its expiry is due to be pushed on);
        set or clear the cookie only then."""
        scope = connection.scope
        loaded = scope.get(LOADED_SCOPE_KEY)
        had_cookie = connection.cookies.get(self.config.key) not in (None, "", "null")
        rotated = isinstance(scope.get(ROTATE_SCOPE_KEY), str)
        store = self.config.get_store_from_app(scope["app"])
        cookie_params = dict(
            extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys())
        )
        headers = MutableScopeHeaders.from_message(message)
        session_id = self.get_session_id(connection)
        if scope_session is Empty or not scope_session:
            if loaded is not None:
                await self.delete(session_id, store=store)
            if had_cookie:
                headers.add(
                    "Set-Cookie",
                    Cookie(value="null", key=self.config.key, expires=0, **cookie_params).to_header(
                        header=""
                    ),
                )
            return
        if not isinstance(scope_session, dict):  # etax keeps dicts; anything else is stored as Litestar does
            await super().store_in_message(scope_session, message, connection)
            return
        now = time.time()
        if isinstance(loaded, tuple) and not rotated:
            before, written = loaded
            max_age = self.config.max_age or 0
            if before == self.serialize_data(scope_session) and now - written < max_age / 4:
                return  # unchanged and recently written: no write, the cookie stands
        data = self.serialize_data({**scope_session, WRITTEN_KEY: now}, scope)
        await self.set(session_id=session_id, data=data, store=store)
        headers.add(
            "Set-Cookie", Cookie(value=session_id, key=self.config.key, **cookie_params).to_header(header="")
        )
        if loaded is None:
            await self.sweep(store, now)

    async def sweep(self, store: Store, now: float) -> None:
        """Remove expired sessions of a file store, at most every :data:`SWEEP_INTERVAL_SECONDS`."""
        if now - RotatingSessionBackend.last_sweep < SWEEP_INTERVAL_SECONDS:
            return
        RotatingSessionBackend.last_sweep = now
        delete_expired = getattr(store, "delete_expired", None)
        if delete_expired is not None:
            await delete_expired()

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        rotated = connection.scope.get(ROTATE_SCOPE_KEY)
        if isinstance(rotated, str):
            return rotated
        return super().get_session_id(connection)


@dataclass
class RotatingSessionConfig(ServerSideSessionConfig):
    """:class:`ServerSideSessionConfig` with :class:`RotatingSessionBackend`."""

    _backend_class = RotatingSessionBackend


async def rotate_session_id(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Drop the stored session under the old id and continue this session under a new id."""
    old = connection.cookies.get(SESSION_COOKIE)
    if old and old != "null":
        await connection.app.stores.get("sessions").delete(old)
    connection.scope[ROTATE_SCOPE_KEY] = secrets.token_hex(32)  # type: ignore[literal-required]


def csrf_session_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Tie the CSRF token to the session: a session remembers the token it first saw (on its first
    request that carries state, or its first state change), and a state change with any other token —
    one tossed into the browser by someone else — is refused like a failed CSRF check.

    Litestar's CSRF middleware has already checked that the form or header token matches the cookie
    and is signed with the secret key.
    """
    token = connection.cookies.get(CSRF_COOKIE)
    if not token:
        return
    session = connection.scope.get("session")
    if not isinstance(session, dict):
        return
    bound = session.get(SESSION_CSRF)
    if bound is None:
        if session or connection.scope.get("method") in UNSAFE_METHODS:
            session[SESSION_CSRF] = token
        return
    if bound != token and connection.scope.get("method") in UNSAFE_METHODS:
        raise PermissionDeniedException("CSRF token does not belong to this session")


def carried_over(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
    """What a fresh login session keeps of the old one: only the CSRF binding."""
    session = connection.scope.get("session")
    if isinstance(session, dict) and SESSION_CSRF in session:
        return {SESSION_CSRF: session[SESSION_CSRF]}
    return {}
