"""Who the administrator of a request is, and the refusals the back office renders.

The decision itself (which role opens which page) is the platform's, in
:func:`etax.platform.access.access_guard`: each handler under ``/admin`` carries
``opt={"admin_role": <requirement>}``. Anonymous visitors are sent to ``/admin/login``
(:class:`AdminLoginRequired`); an administrator without the role gets a 403 page in Chinese
(:class:`AdminForbidden`). The administrator is re-read from the database on every request, so a
deactivated account is logged out at once.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from etax.platform.admin.accounts import AdminView, active_admin

SESSION_ADMIN = "admin"
ADMIN_STATE = "etax_admin"
REQUIREMENT_STATE = "etax_admin_requirement"


class AdminLoginRequired(NotAuthorizedException):
    """No administrator is logged in: go to ``/admin/login``."""


class AdminForbidden(PermissionDeniedException):
    """The administrator's role does not allow this page."""


def session_admin_id(connection: ASGIConnection[Any, Any, Any, Any]) -> int | None:
    """The administrator id the session remembers (the session keeps only the id)."""
    session = connection.scope.get("session") or {}
    data = session.get(SESSION_ADMIN) if isinstance(session, dict) else None
    admin_id = data.get("admin_id") if isinstance(data, dict) else None
    return admin_id if isinstance(admin_id, int) and not isinstance(admin_id, bool) else None


async def current_admin(connection: ASGIConnection[Any, Any, Any, Any]) -> AdminView | None:
    """The logged-in, active administrator (read once per request), or None."""
    state = connection.state
    if ADMIN_STATE not in state:
        admin_id = session_admin_id(connection)
        state[ADMIN_STATE] = None if admin_id is None else await active_admin(admin_id)
    admin = state[ADMIN_STATE]
    return admin if isinstance(admin, AdminView) else None
