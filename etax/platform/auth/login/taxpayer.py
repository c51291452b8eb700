"""The first step every enterprise and agency login shares: 纳税人识别号 + 企业密码, and finishing a login
as a chosen person (企业人员)."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from litestar import Request
from litestar.response import Redirect

from etax.platform import audit, clock
from etax.platform.access import SET_PASSWORD_URL
from etax.platform.auth import credentials
from etax.platform.auth.credentials import Verdict
from etax.platform.auth.login import messages as msg
from etax.platform.auth.login.common import NEXT_KEY
from etax.platform.auth.login.staff import StaffRow
from etax.platform.auth.principal import SessionAuth, store_login
from etax.platform.auth.tables import EnterpriseAccount, StaffMember
from etax.platform.coresys.registry import TaxpayerRecord, taxpayer_by_tin
from etax.platform.coresys.validators import normalise_code

AGENCY_CLIENT_URL = "/login/agency/client"
WRONG_ENTERPRISE_PASSWORD = "纳税人识别号或企业密码错误"


class EnterpriseAccountRow(msgspec.Struct, frozen=True, kw_only=True):
    """An enterprise's login account (企业密码)."""

    id: int
    password_hash: str


async def enterprise_account(taxpayer_id: int) -> EnterpriseAccountRow | None:
    row = (
        await EnterpriseAccount.select(EnterpriseAccount.id, EnterpriseAccount.password_hash)
        .where(EnterpriseAccount.taxpayer == taxpayer_id)
        .first()
    )
    return None if row is None else msgspec.convert(row, EnterpriseAccountRow)


async def check_taxpayer_password(
    request: Request[Any, Any, Any], tin: str, password: str, *, action: str, captcha: tuple[str, str]
) -> tuple[TaxpayerRecord | None, Verdict]:
    """Check 纳税人识别号 + 企业密码 through the credential check; audited either way.

    Taxpayer identification numbers are public (纳税人状态查询 shows them), so the answers may say
    which of the two was wrong and how many tries are left, as the seed's messages do.
    """
    tin = normalise_code(tin)
    found: list[TaxpayerRecord] = []

    async def lookup() -> credentials.Account | credentials.Refused | None:
        record = await taxpayer_by_tin(tin)
        account = None if record is None else await enterprise_account(record.id)
        if record is None or account is None:
            return None
        if record.status == "注销":
            return credentials.Refused(msg.TAXPAYER_CLOSED, taxpayer_id=record.id)
        found.append(record)
        return credentials.Account(
            lock_table=EnterpriseAccount,
            lock_id=account.id,
            password_hash=account.password_hash,
            actor=f"企业 {tin}",
            target=f"enterprise_account:{account.id}",
            taxpayer_id=record.id,
        )

    verdict = await credentials.check_password(
        request,
        password=password,
        lookup=lookup,
        action=action,
        actor=f"企业 {tin}",
        wording=credentials.Wording(wrong=WRONG_ENTERPRISE_PASSWORD, unknown=msg.UNKNOWN_TAXPAYER),
        captcha=captcha,
        success_detail="企业密码验证通过",
    )
    return (found[0] if verdict.ok else None), verdict


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
        {
            StaffMember.last_login_at: clock.utcnow(),
            StaffMember.failed_attempts: 0,
            StaffMember.locked_until: None,
        }
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
