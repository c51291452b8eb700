"""Server-side sessions whose id is rotated at login (a fixed id would allow session fixation)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig

ROTATE_SCOPE_KEY = "etax_rotated_session_id"
SESSION_COOKIE = "etax_session"


class RotatingSessionBackend(ServerSideSessionBackend):
    """Uses a fresh id once :func:`rotate_session_id` was called during the request."""

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
