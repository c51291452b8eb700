"""Server-side sessions whose id the server alone chooses: an id the store does not know is never
adopted, and the id is rotated at every login step that raises privilege (no session fixation)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig

ROTATE_SCOPE_KEY = "etax_rotated_session_id"
SESSION_COOKIE = "etax_session"
CSRF_COOKIE = "etax_csrf"
SESSION_CSRF = "csrf"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RotatingSessionBackend(ServerSideSessionBackend):
    """Uses a fresh id once :func:`rotate_session_id` was called during the request, and never an id
    the server did not issue."""

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        session_id = connection.cookies.get(self.config.key)
        if not session_id or session_id == "null":
            return {}
        data = await self.get(session_id, store=self.config.get_store_from_app(connection.scope["app"]))
        if data is None:
            # Unknown to the store (planted, or expired): whatever this request stores goes under a new
            # id, so a cookie chosen by someone else never carries this visitor's session.
            connection.scope[ROTATE_SCOPE_KEY] = self.generate_session_id()  # type: ignore[literal-required]
            return {}
        loaded: dict[str, Any] = self.deserialize_data(data)
        return loaded

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
