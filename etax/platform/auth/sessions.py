"""Server-side sessions whose id the server alone chooses: an id the store does not know is never
adopted, and the id is rotated at every login step that raises privilege (no session fixation)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig

ROTATE_SCOPE_KEY = "etax_rotated_session_id"
SESSION_COOKIE = "etax_session"


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
