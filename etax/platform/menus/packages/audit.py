"""The audit entry of every menu edit in the back office, written as ``admin:<username>``."""

from __future__ import annotations

from typing import Any

from litestar import Request

from etax.platform import audit
from etax.platform.admin.accounts import AdminView
from etax.platform.admin.rendering import page_admin


def admin_of(request: Request[Any, Any, Any]) -> AdminView:
    """The administrator the back-office guard let through."""
    admin = page_admin(request)
    assert admin is not None  # the admin guard admits only a logged-in administrator here
    return admin


async def record_edit(request: Request[Any, Any, Any], action: str, target: str, detail: str) -> None:
    """Write one menu edit to the audit log, as ``admin:<username>``."""
    await audit.record(
        actor=admin_of(request).actor,
        action=f"admin.{action}",
        outcome="success",
        connection=request,
        target=target,
        detail=detail,
    )
