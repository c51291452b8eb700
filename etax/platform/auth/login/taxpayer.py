"""The first step every enterprise and agency login shares: 纳税人识别号 + 企业密码, and finishing a login
as a chosen person (企业人员)."""

from __future__ import annotations

from typing import Any, Literal

from litestar import Request
from litestar.response import Redirect

from etax.platform import audit
from etax.platform.access import SET_PASSWORD_URL
from etax.platform.auth.login import messages as msg
from etax.platform.auth.login.common import NEXT_KEY, now
from etax.platform.auth.login.guard import burn_time, check_password, ip_failure
from etax.platform.auth.login.staff import StaffRow
from etax.platform.auth.principal import SessionAuth, store_login
from etax.platform.auth.tables import EnterpriseAccount, StaffMember
from etax.platform.coresys.registry import TaxpayerRecord, taxpayer_by_tin
from etax.platform.coresys.validators import normalise_code

AGENCY_CLIENT_URL = "/login/agency/client"
WRONG_ENTERPRISE_PASSWORD = "纳税人识别号或企业密码错误"


async def enterprise_account(taxpayer_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await EnterpriseAccount.select(
            EnterpriseAccount.id,
            EnterpriseAccount.password_hash,
            EnterpriseAccount.failed_attempts,
            EnterpriseAccount.locked_until,
        )
        .where(EnterpriseAccount.taxpayer == taxpayer_id)
        .first()
    )
    return row


async def check_taxpayer_password(
    request: Request[Any, Any, Any], tin: str, password: str, *, action: str
) -> tuple[TaxpayerRecord | None, str]:
    """Check 纳税人识别号 + 企业密码: ``(taxpayer, "")`` or ``(None, message)``; audited either way."""
    tin = normalise_code(tin)
    record = await taxpayer_by_tin(tin)
    account = None if record is None else await enterprise_account(record.id)
    actor = f"企业 {tin}"
    if record is None or account is None:
        await burn_time(password)
        ip_failure(request)
        await audit.record(
            actor=actor, action=action, outcome="failure", connection=request, detail="unknown"
        )
        return None, msg.UNKNOWN_TAXPAYER
    if record.status == "注销":
        await audit.record(
            actor=actor, action=action, outcome="refused", connection=request, taxpayer_id=record.id
        )
        return None, msg.TAXPAYER_CLOSED
    result = await check_password(
        EnterpriseAccount, account, str(account["password_hash"]), password, wrong=WRONG_ENTERPRISE_PASSWORD
    )
    if not result.ok:
        ip_failure(request)
        await audit.record(
            actor=actor,
            action="account.locked" if result.newly_locked else action,
            outcome="refused" if result.locked else "failure",
            connection=request,
            taxpayer_id=record.id,
            target=f"enterprise_account:{account['id']}",
            detail=result.message,
        )
        return None, result.message
    await audit.record(
        actor=actor,
        action=action,
        outcome="success",
        connection=request,
        taxpayer_id=record.id,
        target=f"enterprise_account:{account['id']}",
        detail="企业密码验证通过",
    )
    return record, ""


async def finish_staff_login(
    request: Request[Any, Any, Any],
    *,
    kind: Literal["enterprise", "agency"],
    staff: StaffRow,
    next_url: str,
    method: str,
) -> Redirect:
    """Log in as ``staff`` (new session id), audit it, and send them where they must go next."""
    await store_login(request, SessionAuth(kind=kind, taxpayer_id=staff.taxpayer_id, staff_id=staff.id))
    request.session[NEXT_KEY] = next_url
    await StaffMember.update(
        {StaffMember.last_login_at: now(), StaffMember.failed_attempts: 0, StaffMember.locked_until: None}
    ).where(StaffMember.id == staff.id)
    await audit.record(
        actor=f"{staff.name}（{staff.role_label}）",
        action=f"login.{kind}",
        outcome="success",
        connection=request,
        taxpayer_id=staff.taxpayer_id,
        target=f"staff:{staff.id}",
        detail=method,
    )
    if staff.must_change_password or not staff.personal_password_hash:
        return Redirect(SET_PASSWORD_URL, status_code=303)
    if kind == "agency":
        return Redirect(AGENCY_CLIENT_URL, status_code=303)
    request.session.pop(NEXT_KEY, None)
    return Redirect(next_url, status_code=303)


async def refuse_staff(request: Request[Any, Any, Any], staff: StaffRow, action: str, message: str) -> None:
    """Audit a refused login as ``staff`` (frozen, off the registration, no real-name record, locked)."""
    await audit.record(
        actor=f"{staff.name}（{staff.role_label}）",
        action=action,
        outcome="refused",
        connection=request,
        taxpayer_id=staff.taxpayer_id,
        target=f"staff:{staff.id}",
        detail=message,
    )
