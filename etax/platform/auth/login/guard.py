"""Password checks with account lockout (5 wrong passwords lock for 30 minutes) and the per-IP limit.

The lock lives on the account's own row (``failed_attempts`` / ``locked_until`` of
EnterpriseAccount, StaffMember and NaturalPersonAccount), so it holds across processes and restarts.
A locked account is not even checked: no password can be guessed while it is locked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Request

from etax.platform.auth import throttle
from etax.platform.auth.login.common import beijing_time, client_ip, now
from etax.platform.auth.passwords import hash_password, verify_password

MAX_FAILURES = 5
LOCK_DURATION = dt.timedelta(minutes=30)

_dummy_hash: list[str] = []


class GateResult(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of one password check."""

    ok: bool
    message: str = ""
    locked: bool = False  # the account is locked now (before or because of this check)
    newly_locked: bool = False  # this check locked it
    left: int = 0  # wrong passwords left before the lock


def lock_message(until: dt.datetime) -> str:
    return (
        f"密码连续输错{MAX_FAILURES}次，该账户已被锁定30分钟，"
        f"请于{beijing_time(until)}（北京时间）后再试，或使用“忘记密码”找回密码"
    )


def locked_message(locked_until: dt.datetime | None) -> str | None:
    """The refusal while an account is locked, or None."""
    if locked_until is not None and locked_until > now():
        return lock_message(locked_until)
    return None


async def count_failure(table: Any, row_id: int, wrong: str) -> GateResult:
    """Count one wrong password on ``table`` row ``row_id``; lock it at the fifth."""
    rows = (
        await table.update({table.failed_attempts: table.failed_attempts + 1})
        .where(table.id == row_id)
        .returning(table.failed_attempts)
    )
    count = int(rows[0]["failed_attempts"]) if rows else MAX_FAILURES
    if count >= MAX_FAILURES:
        until = now() + LOCK_DURATION
        await table.update({table.failed_attempts: 0, table.locked_until: until}).where(table.id == row_id)
        return GateResult(ok=False, message=lock_message(until), locked=True, newly_locked=True)
    left = MAX_FAILURES - count
    return GateResult(ok=False, message=f"{wrong}，{attempts_left(left)}", left=left)


def attempts_left(left: int) -> str:
    return f"连续输错{MAX_FAILURES}次将锁定账户30分钟，您还可以尝试{left}次"


async def clear_failures(table: Any, row_id: int) -> None:
    await table.update({table.failed_attempts: 0, table.locked_until: None}).where(table.id == row_id)


async def check_password(
    table: Any,
    row: dict[str, Any],
    password_hash: str,
    password: str,
    *,
    wrong: str,
) -> GateResult:
    """Check ``password`` for the account ``row`` of ``table`` (which holds the lock columns)."""
    refusal = locked_message(row.get("locked_until"))
    if refusal:
        return GateResult(ok=False, message=refusal, locked=True)
    if await verify_password(password_hash, password):
        if row.get("failed_attempts") or row.get("locked_until"):
            await clear_failures(table, int(row["id"]))
        return GateResult(ok=True)
    return await count_failure(table, int(row["id"]), wrong)


async def burn_time(password: str) -> None:
    """Spend what a real check costs, so unknown accounts answer as slowly as known ones."""
    if not _dummy_hash:
        _dummy_hash.append(await hash_password("etax-dummy-password-1"))
    await verify_password(_dummy_hash[0], password)


def ip_refusal(request: Request[Any, Any, Any]) -> str | None:
    """The refusal for an address that failed too often (see :mod:`etax.platform.auth.throttle`)."""
    return throttle.ip_blocked_message(client_ip(request))


def ip_failure(request: Request[Any, Any, Any]) -> None:
    """Count one failed credential check for the request's address."""
    throttle.IP_FAILURES.failure(client_ip(request))
