"""Helpers shared by the user centre's controllers: who is asking, auditing, masking, notices."""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg
from litestar import Request
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from etax.platform import audit
from etax.platform.identity import Principal
from etax.platform.runtime import get_runtime
from etax.platform.web.notices import pop_notice as pop_notice
from etax.platform.web.notices import set_notice as set_notice


async def current_principal(request: Request[Any, Any, Any]) -> Principal:
    """The logged-in principal (the guard has already let the request through)."""
    principal = await get_runtime(request.app).principal_of(request)
    if principal is None:
        raise NotAuthorizedException("请先登录后再办理该业务")
    return principal


async def manager(request: Request[Any, Any, Any]) -> tuple[Principal, int]:
    """The legal representative or financial head asking, and their enterprise's id.

    The route's function (grant ``managers``) already ensures this; checking again here keeps every
    staff change safe even if a route were bound to the wrong function.
    """
    principal = await current_principal(request)
    if not principal.manages_staff or principal.taxpayer_id is None:
        raise PermissionDeniedException("只有企业法定代表人和财务负责人可以使用该功能")
    return principal, principal.taxpayer_id


async def write_audit(
    request: Request[Any, Any, Any],
    principal: Principal,
    action: str,
    outcome: audit.Outcome,
    *,
    target: str = "",
    detail: str = "",
    taxpayer_id: int | None = None,
) -> None:
    """One audit entry for a user-centre action of ``principal``."""
    await audit.record(
        actor=principal.display_name,
        acting_for=principal.acting_for_name or principal.taxpayer_name,
        taxpayer_id=taxpayer_id if taxpayer_id is not None else principal.taxpayer_id,
        action=action,
        target=target,
        outcome=outcome,
        detail=detail,
        connection=request,
    )


def is_unique_violation(error: BaseException) -> bool:
    """Whether ``error`` is a unique-constraint violation on SQLite or PostgreSQL."""
    return isinstance(error, sqlite3.IntegrityError | asyncpg.exceptions.IntegrityConstraintViolationError)


def mask_id_number(number: str) -> str:
    """``210102********0031``: only the first six and the last four characters stay."""
    if len(number) > 10:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return number[:1] + "*" * max(len(number) - 1, 0)


def mask_mobile(mobile: str) -> str:
    """``138****0001``."""
    return mobile[:3] + "****" + mobile[-4:] if len(mobile) >= 11 else ("*" * len(mobile))


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    """Whether htmx sent the request (an in-place update is wanted)."""
    return bool(request.headers.get("hx-request"))
