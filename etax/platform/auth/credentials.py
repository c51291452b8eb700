"""The one credential check: every login, recovery and agency step, the old-password checks of
修改密码 / 修改企业密码 and the back-office login go through here, in one order:

1. **throttle** — reserve an attempt on the client address's counters (20 failures per 15 minutes
   for everyone; the back office has its own stricter limit on top); refused → HTTP 429;
2. **captcha** — checked and used up (a wrong captcha gives the address's attempt back);
3. **look-up** — the account; an unknown one costs one dummy argon2 check;
4. **lockout** — reserve one of the account's 5 tries with a single ``UPDATE … RETURNING`` *before*
   the password is checked; a locked account costs one dummy check too and is not checked at all;
   the password check; a wrong password keeps the try (the fifth locks the account for 30 minutes,
   kept until that time passes), a right one gives back the tries and the address's attempt;
5. **audit** — failures, refusals and locks (and, when asked, the success).

Counters are shared by every worker and instance (:mod:`etax.platform.auth.counters`; the account
lock on the account's own row), so simultaneous requests cannot run more than 5 password checks.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from etax.platform import audit, clock
from etax.platform.auth import sms
from etax.platform.auth.counters import Counters, counters_for
from etax.platform.auth.login.common import beijing_time, check_captcha, client_ip
from etax.platform.auth.passwords import hash_password, verify_password
from etax.platform.runtime import get_runtime
from etax.platform.settings import Settings

MAX_FAILURES = 5
LOCK_DURATION = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class AddressLimit:
    """At most ``limit`` failed checks per client address within ``window`` seconds."""

    name: str
    limit: int
    window: int


IP_LIMIT = AddressLimit("ip", 20, 15 * 60)
"""Every login, recovery, registration and agency step, and the old-password checks."""
BACK_OFFICE_IP_LIMIT = AddressLimit("admin-ip", 10, 15 * 60)
"""The back-office login, on top of :data:`IP_LIMIT`."""
AGREEMENT_LIMIT = 5
AGREEMENT_WINDOW = 30 * 60


def wait_text(seconds: int) -> str:
    """``seconds`` as a short Chinese duration (rounded up to minutes above one minute)."""
    if seconds <= 60:
        return f"{seconds}秒"
    return f"{math.ceil(seconds / 60)}分钟"


def ip_blocked_message(wait: int) -> str:
    return f"您的网络地址登录失败次数过多，为保护账户安全，请于{wait_text(wait)}后再试"


def lock_message(until: dt.datetime) -> str:
    return (
        f"密码连续输错{MAX_FAILURES}次，该账户已被锁定30分钟，"
        f"请于{beijing_time(until)}（北京时间）后再试，或使用“忘记密码”找回密码"
    )


def locked_message(locked_until: dt.datetime | None) -> str | None:
    """The refusal while an account is locked, or None."""
    if locked_until is not None and locked_until > clock.utcnow():
        return lock_message(locked_until)
    return None


def attempts_left(left: int) -> str:
    return f"连续输错{MAX_FAILURES}次将锁定账户30分钟，您还可以尝试{left}次"


def counters(request: Request[Any, Any, Any]) -> Counters:
    return counters_for(get_runtime(request.app).settings)


# ---- 1. throttle: the client address ------------------------------------------------------------


@dataclass
class Gate:
    """Attempts reserved on the client address's counters for one check.

    Kept (counted as a failure) unless :meth:`release` is called after the check succeeded.
    """

    store: Counters
    keys: list[str] = field(default_factory=list)
    refusal: str = ""

    async def release(self) -> None:
        for key in self.keys:
            await self.store.release(key)
        self.keys = []


async def open_gate(request: Request[Any, Any, Any], *, back_office: bool = False) -> Gate:
    """Reserve one attempt per address limit; ``gate.refusal`` says why not (nothing is then kept)."""
    store = counters(request)
    gate = Gate(store)
    address = client_ip(request)
    for limit in (IP_LIMIT, BACK_OFFICE_IP_LIMIT) if back_office else (IP_LIMIT,):
        key = f"{limit.name}:{address}"
        slot = await store.reserve(key, limit.limit, limit.window)
        if not slot.ok:
            await gate.release()
            gate.refusal = ip_blocked_message(slot.wait)
            return gate
        gate.keys.append(key)
    return gate


# ---- 4. lockout: the account's own row -----------------------------------------------------------


async def reserve_try(table: Any, row_id: int) -> tuple[int, dt.datetime | None]:
    """Reserve one of the account's tries: ``(tries used, None)`` or ``(0, locked until)``.

    One conditional ``UPDATE … RETURNING``: of any number of simultaneous requests, at most
    :data:`MAX_FAILURES` get a try until a right password gives them back or the lock's time passes.
    """
    moment = clock.utcnow()
    # A lock whose time has passed is lifted, with its count (one request of several matches).
    await table.update({table.failed_attempts: 0, table.locked_until: None}).where(
        (table.id == row_id) & (table.locked_until <= moment)
    )
    rows = (
        await table.update({table.failed_attempts: table.failed_attempts + 1})
        .where((table.id == row_id) & (table.failed_attempts < MAX_FAILURES) & table.locked_until.is_null())
        .returning(table.failed_attempts)
    )
    if rows:
        return int(rows[0]["failed_attempts"]), None
    row = await table.select(table.locked_until).where(table.id == row_id).first()
    until = row["locked_until"] if row is not None else None
    # The fifth try may still be running: the lock is about to be set.
    return 0, until if isinstance(until, dt.datetime) and until > moment else moment + LOCK_DURATION


async def lock_if_spent(table: Any, row_id: int, used: int) -> dt.datetime | None:
    """After a wrong password: lock the account when its tries are spent; the time if this locked it."""
    if used < MAX_FAILURES:
        return None
    until = clock.utcnow() + LOCK_DURATION
    rows = (
        await table.update({table.locked_until: until})
        .where((table.id == row_id) & table.locked_until.is_null() & (table.failed_attempts >= MAX_FAILURES))
        .returning(table.id)
    )
    return until if rows else None


async def clear_tries(table: Any, row_id: int) -> None:
    await table.update({table.failed_attempts: 0, table.locked_until: None}).where(table.id == row_id)


_dummy_hash: list[str] = []


async def burn_time(password: str) -> None:
    """Spend what a real check costs, so unknown and locked accounts answer as slowly as others."""
    if not _dummy_hash:
        _dummy_hash.append(await hash_password("etax-dummy-password-1"))
    await verify_password(_dummy_hash[0], password)


# ---- the whole check ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """What the look-up found: where the lock lives, the hash to check, and how the audit names it."""

    lock_table: Any  # a Piccolo table with ``failed_attempts`` and ``locked_until``
    lock_id: int
    password_hash: str
    actor: str
    target: str
    taxpayer_id: int | None = None


@dataclass(frozen=True)
class Refused:
    """The look-up found the account but it may not log in (closed, …): no password is checked."""

    message: str
    taxpayer_id: int | None = None


@dataclass(frozen=True)
class Wording:
    """The answers of one check. With ``uniform`` set, unknown, wrong and locked all get that one
    answer (no account enumeration); otherwise each says what happened and how many tries are left."""

    wrong: str
    unknown: str
    uniform: str = ""


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check."""

    ok: bool
    message: str = ""
    field: str = "_form"  # the form field the message belongs to
    status: int = 200
    account: Account | None = None
    locked: bool = False
    newly_locked: bool = False
    left: int = 0


Lookup = Callable[[], Awaitable[Account | Refused | None]]


async def check_password(
    request: Request[Any, Any, Any],
    *,
    password: str,
    lookup: Lookup,
    action: str,
    actor: str,
    wording: Wording,
    captcha: tuple[str, str] | None = None,
    back_office: bool = False,
    lock_action: str = "account.locked",
    password_field: str = "_form",
    success_detail: str | None = None,
    acting_for: str = "",
) -> Verdict:
    """Throttle → captcha → look-up → lockout → password → audit (see the module docstring).

    ``captcha`` is ``(form name, given answer)``; ``success_detail`` set audits the success too.
    """
    gate = await open_gate(request, back_office=back_office)
    if gate.refusal:
        return Verdict(ok=False, message=gate.refusal, status=429)
    if captcha is not None:
        problem = check_captcha(request, *captcha)
        if problem:
            await gate.release()  # not a credential check
            return Verdict(ok=False, message=problem, field="captcha", status=400)
    found = await lookup()
    if found is None:
        await burn_time(password)
        await audit.record(
            actor=actor, action=action, outcome="failure", connection=request, detail="unknown"
        )
        return Verdict(ok=False, message=wording.uniform or wording.unknown, field=password_field, status=400)
    if isinstance(found, Refused):
        await gate.release()
        await audit.record(
            actor=actor,
            action=action,
            outcome="refused",
            connection=request,
            taxpayer_id=found.taxpayer_id,
            detail=found.message,
        )
        return Verdict(ok=False, message=found.message, status=400)
    account = found

    async def write(outcome: audit.Outcome, detail: str, what: str = action) -> None:
        await audit.record(
            actor=account.actor,
            acting_for=acting_for,
            action=what,
            outcome=outcome,
            connection=request,
            taxpayer_id=account.taxpayer_id,
            target=account.target,
            detail=detail,
        )

    used, locked_until = await reserve_try(account.lock_table, account.lock_id)
    if locked_until is not None:
        await burn_time(password)
        message = wording.uniform or lock_message(locked_until)
        await write("refused", lock_message(locked_until))
        return Verdict(
            ok=False, message=message, field=password_field, status=400, account=account, locked=True
        )
    if await verify_password(account.password_hash, password):
        await clear_tries(account.lock_table, account.lock_id)
        await gate.release()
        if success_detail is not None:
            await write("success", success_detail)
        return Verdict(ok=True, account=account)
    newly = await lock_if_spent(account.lock_table, account.lock_id, used)
    if newly is not None:
        await write("refused", lock_message(newly), lock_action)
        message = wording.uniform or lock_message(newly)
        return Verdict(
            ok=False,
            message=message,
            field=password_field,
            status=400,
            account=account,
            locked=True,
            newly_locked=True,
        )
    left = MAX_FAILURES - used
    detail = f"{wording.wrong}，{attempts_left(left)}"
    await write("failure", detail)
    return Verdict(
        ok=False,
        message=wording.uniform or detail,
        field=password_field,
        status=400,
        account=account,
        left=left,
    )


async def check_sms_code(
    request: Request[Any, Any, Any],
    *,
    mobile: str,
    purpose: str,
    code: str,
    actor: str,
    action: str,
    taxpayer_id: int | None = None,
    target: str = "",
) -> Verdict:
    """Throttle → the code (at most 5 tries per code, reserved atomically) → audit a wrong one."""
    gate = await open_gate(request)
    if gate.refusal:
        return Verdict(ok=False, message=gate.refusal, status=429)
    problem = await sms.check_code(mobile, purpose, code)
    if problem:
        await audit.record(
            actor=actor,
            action=action,
            outcome="failure",
            connection=request,
            taxpayer_id=taxpayer_id,
            target=target,
            detail=problem,
        )
        return Verdict(ok=False, message=problem, field="sms_code", status=400)
    await gate.release()
    return Verdict(ok=True)


@dataclass(frozen=True)
class Agreement:
    """The certification an agent chose, with its 协议密码 hash."""

    certification_id: int
    password_hash: str
    client_name: str


async def check_agreement_password(
    request: Request[Any, Any, Any],
    *,
    password: str,
    lookup: Callable[[], Awaitable[Agreement | None]],
    captcha: tuple[str, str],
    actor: str,
    taxpayer_id: int | None,
) -> Verdict:
    """协议密码: throttle → captcha → the certification → its 5 tries per 30 minutes (reserved
    before the check, on a shared counter) → audit."""
    gate = await open_gate(request)
    if gate.refusal:
        return Verdict(ok=False, message=gate.refusal, status=429)
    problem = check_captcha(request, *captcha)
    if problem:
        await gate.release()
        return Verdict(ok=False, message=problem, field="captcha", status=400)
    agreement = await lookup()
    if agreement is None:
        await gate.release()
        return Verdict(ok=False, message="请选择已认定本代理机构的企业", field="client", status=400)
    store = counters(request)
    key = f"agreement:{agreement.certification_id}"
    slot = await store.reserve(key, AGREEMENT_LIMIT, AGREEMENT_WINDOW)

    async def write(outcome: audit.Outcome, detail: str) -> None:
        await audit.record(
            actor=actor,
            acting_for=agreement.client_name,
            taxpayer_id=taxpayer_id,
            action="login.agency.client",
            outcome=outcome,
            connection=request,
            target=f"certification:{agreement.certification_id}",
            detail=detail,
        )

    if not slot.ok:
        await burn_time(password)
        message = f"协议密码连续输错{AGREEMENT_LIMIT}次，已锁定，请于{wait_text(slot.wait)}后再试"
        await write("refused", message)
        return Verdict(ok=False, message=message, field="agreement_password", status=400, locked=True)
    if await verify_password(agreement.password_hash, password):
        await store.clear(key)
        await gate.release()
        return Verdict(ok=True)
    left = AGREEMENT_LIMIT - slot.count
    if left == 0:
        message = f"协议密码连续输错{AGREEMENT_LIMIT}次，已锁定30分钟，请稍后再试"
        await write("refused", message)
        return Verdict(
            ok=False, message=message, field="agreement_password", status=400, locked=True, newly_locked=True
        )
    await write("failure", "协议密码错误")
    message = (
        "协议密码错误，请输入委托企业认定代理机构时设置的协议密码"
        f"（连续输错{AGREEMENT_LIMIT}次将锁定30分钟，您还可以尝试{left}次）"
    )
    return Verdict(ok=False, message=message, field="agreement_password", status=400, left=left)


async def reset_counters(settings: Settings) -> None:
    """Forget every address and certification counter (tests that start from a clean slate)."""
    await counters_for(settings).reset_all()
