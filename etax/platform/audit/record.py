"""The one audit writer: every login, failure and staff change goes through :func:`record`."""

from __future__ import annotations

from typing import Any, Literal

from litestar.connection import ASGIConnection

from etax.platform.audit.tables import AuditLog

Outcome = Literal["success", "failure", "refused"]


def client_ip(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    client = connection.client
    return client.host if client else ""


async def record(
    *,
    actor: str,
    action: str,
    outcome: Outcome,
    connection: ASGIConnection[Any, Any, Any, Any] | None = None,
    ip: str = "",
    acting_for: str = "",
    taxpayer_id: int | None = None,
    target: str = "",
    detail: str = "",
) -> None:
    """Write one audit entry (who, acting for whom, what, when, from where, outcome)."""
    await AuditLog(
        actor=actor[:120],
        acting_for=acting_for[:120],
        taxpayer_id=taxpayer_id,
        action=action[:60],
        target=target[:200],
        ip=ip or (client_ip(connection) if connection is not None else ""),
        outcome=outcome,
        detail=detail,
    ).save()
