"""The one back-office guard: every admin route states the role it needs, the server enforces it.

Each handler under ``/admin`` carries ``opt={"admin_role": <requirement>}`` (see
:mod:`etax.platform.admin.roles`). The guard fails closed: a handler without a known requirement is
refused. Anonymous visitors are sent to ``/admin/login``; an administrator without the role gets a
403 page in Chinese. The administrator is re-read from the database on every request, so a
deactivated account is logged out at once.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from etax.platform.admin.accounts import AdminView, active_admin
from etax.platform.admin.roles import ADMIN_ROLE_OPT, REQUIREMENT_LABELS, REQUIREMENTS, allows

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


def requirement_of(handler: BaseRouteHandler) -> str | None:
    """The requirement a handler declares, or None when it declares none (or an unknown one)."""
    requirement = handler.opt.get(ADMIN_ROLE_OPT)
    return requirement if isinstance(requirement, str) and requirement in REQUIREMENTS else None


async def admin_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Enforce the handler's ``admin_role``."""
    requirement = requirement_of(handler)
    if requirement is None:
        raise AdminForbidden("该后台页面没有声明所需角色，已拒绝访问")
    connection.state[REQUIREMENT_STATE] = requirement
    admin = await current_admin(connection)
    if requirement == "public":
        return
    if admin is None:
        raise AdminLoginRequired("请先登录管理后台")
    if not allows(admin.role, requirement):
        raise AdminForbidden(
            f"本页面需要“{REQUIREMENT_LABELS[requirement]}”角色，您的角色是“{admin.role_label}”，无权访问"
        )
