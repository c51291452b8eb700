"""Helpers shared by the back-office tests (no tests here): administrators, logging in, posting."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable
from typing import TypeVar

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.admin.accounts import AdminView, create_admin
from etax.platform.admin.tables import AdminUser
from etax.platform.audit.tables import AuditLog

Client = TestClient[Litestar]
T = TypeVar("T")
ADMIN_PASSWORD = "Admin@2026"


def run(awaitable: Awaitable[T]) -> T:
    """Run a coroutine (a database query) from a synchronous test."""

    async def _wait() -> T:
        return await awaitable

    return asyncio.run(_wait())


def new_username(prefix: str = "adm") -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def make_admin(role: str, *, username: str = "", password: str = ADMIN_PASSWORD) -> AdminView:
    """A new administrator with ``role`` (a fresh username unless given)."""
    return run(create_admin(username or new_username(role[:3]), f"测试{role}", role, password))


def csrf(client: Client) -> str:
    """The CSRF token (the cookie the first page view sets)."""
    if "etax_csrf" not in client.cookies:
        client.get("/admin/login")
    return str(client.cookies["etax_csrf"])


def post(client: Client, url: str, data: dict[str, str] | None = None) -> httpx.Response:
    """POST a form with the CSRF token, without following redirects."""
    return client.post(url, data={**(data or {}), "_csrf_token": csrf(client)}, follow_redirects=False)


def log_in(
    client: Client, username: str, password: str = ADMIN_PASSWORD, next_url: str = "/admin"
) -> httpx.Response:
    """Log in through the real login form (captcha: the test answer)."""
    return post(
        client,
        "/admin/login",
        {"username": username, "password": password, "captcha": "TEST", "next": next_url},
    )


def log_in_as(client: Client, role: str) -> AdminView:
    """A new administrator with ``role``, logged in on ``client``."""
    admin = make_admin(role)
    response = log_in(client, admin.username)
    assert response.status_code == 303, response.text[:2000]
    return admin


def audit_actions(actor: str) -> list[tuple[str, str]]:
    """(action, outcome) of every audit entry of ``actor``, oldest first."""
    rows = run(
        AuditLog.select(AuditLog.action, AuditLog.outcome)
        .where(AuditLog.actor == actor)
        .order_by(AuditLog.id)
    )
    return [(str(row["action"]), str(row["outcome"])) for row in rows]


def set_admin_active(admin_id: int, active: bool) -> None:
    run(AdminUser.update({AdminUser.active: active}).where(AdminUser.id == admin_id))
