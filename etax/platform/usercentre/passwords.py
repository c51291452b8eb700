"""修改密码 (the personal login password) and 修改企业密码 (the enterprise login password).

Both ask for 旧密码, 新密码, 确认新密码 and a graphic captcha. The personal password of enterprise and
agency staff is ``StaffMember.personal_password_hash`` (after a reset the old password is 111111, and
changing it clears ``must_change_password``); a natural person's is the natural-person account's.
A staff member bound to their natural-person account (绑定) logs in with that account's password, so
it is changed in 自然人电子税务局 and not here: the page says so and refuses the change. The
enterprise password (``EnterpriseAccount``) can only be changed by the legal representative or the
financial head.

The old password is checked by the platform's one credential check: wrong old passwords count toward
the same lockout as a login. A change ends every other session made with the old password (this one
goes on under a new session id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template

from etax.platform.auth import credentials
from etax.platform.auth.login.common import check_captcha
from etax.platform.auth.passwords import hash_password, verify_password
from etax.platform.auth.principal import refresh_credential
from etax.platform.auth.tables import EnterpriseAccount, NaturalPersonAccount, StaffMember
from etax.platform.forms import read_form, submitted, submitted_text
from etax.platform.identity import PURE_SOCIAL_SECURITY, Principal
from etax.platform.usercentre.common import current_principal, manager, write_audit
from etax.platform.usercentre.forms import PasswordForm
from etax.platform.usercentre.functions import ENTERPRISE_PASSWORD, PASSWORD

PERSONAL_FORM = "change_password"
ENTERPRISE_FORM = "change_enterprise_password"
BOUND = (
    "您的个人登录密码已与自然人电子税务局账户绑定，登录企业电子税务局时的个人登录密码即为自然人电子税务局登录密码，"
    "请登录自然人电子税务局修改密码；如需单独设置个人登录密码，请联系法定代表人或财务负责人解绑。"
)
SAME_AS_ENTERPRISE = "个人登录密码不能与企业密码相同，请重新设置（个人密码与企业密码需分别维护）"
NO_ACCOUNT = "未找到您的登录账户信息，请重新登录后再试"
WRONG_OLD_PASSWORD = "旧密码不正确"


@dataclass
class PasswordTarget:
    """Where a password lives: the hash to check, how to store a new one, and what it must differ from."""

    current_hash: str
    table: Any
    row_id: int
    column: Any
    extra: dict[Any, Any]
    distinct_from: str = ""
    distinct_message: str = ""

    async def store(self, new_password: str) -> None:
        await self.table.update({self.column: await hash_password(new_password), **self.extra}).where(
            self.table.id == self.row_id
        )


async def enterprise_hash(taxpayer_id: int | None) -> str:
    """The enterprise password hash of ``taxpayer_id`` (empty when it has no account)."""
    row = (
        await EnterpriseAccount.select(EnterpriseAccount.password_hash)
        .where(EnterpriseAccount.taxpayer == taxpayer_id)
        .first()
    )
    return "" if row is None else str(row["password_hash"])


async def personal_target(principal: Principal) -> tuple[PasswordTarget | None, str]:
    """The visitor's personal password, or why it cannot be changed here."""
    if principal.kind == "natural_person":
        account = (
            await NaturalPersonAccount.select(NaturalPersonAccount.id, NaturalPersonAccount.password_hash)
            .where(NaturalPersonAccount.person == principal.person_id)
            .first()
        )
        if account is None:
            return None, NO_ACCOUNT
        return (
            PasswordTarget(
                str(account["password_hash"]),
                NaturalPersonAccount,
                int(account["id"]),
                NaturalPersonAccount.password_hash,
                {NaturalPersonAccount.failed_attempts: 0},
            ),
            "",
        )
    staff = (
        await StaffMember.select(StaffMember.id, StaffMember.personal_password_hash, StaffMember.bound)
        .where((StaffMember.id == principal.staff_id) & (StaffMember.taxpayer == principal.taxpayer_id))
        .first()
    )
    if staff is None:
        return None, NO_ACCOUNT
    if staff["bound"]:
        return None, BOUND
    return (
        PasswordTarget(
            str(staff["personal_password_hash"]),
            StaffMember,
            int(staff["id"]),
            StaffMember.personal_password_hash,
            {StaffMember.must_change_password: False, StaffMember.failed_attempts: 0},
            distinct_from=await enterprise_hash(principal.taxpayer_id),
            distinct_message=SAME_AS_ENTERPRISE,
        ),
        "",
    )


async def enterprise_target(principal: Principal, taxpayer_id: int) -> tuple[PasswordTarget | None, str]:
    """The enterprise login password of ``taxpayer_id``, changed by ``principal``."""
    account = (
        await EnterpriseAccount.select(EnterpriseAccount.id, EnterpriseAccount.password_hash)
        .where(EnterpriseAccount.taxpayer == taxpayer_id)
        .first()
    )
    if account is None:
        return None, "本企业尚未开通电子税务局账户，请联系主管税务机关"
    personal = (
        await StaffMember.select(StaffMember.personal_password_hash)
        .where((StaffMember.id == principal.staff_id) & (StaffMember.taxpayer == taxpayer_id))
        .first()
    )
    return (
        PasswordTarget(
            str(account["password_hash"]),
            EnterpriseAccount,
            int(account["id"]),
            EnterpriseAccount.password_hash,
            {EnterpriseAccount.failed_attempts: 0},
            distinct_from=str(personal["personal_password_hash"]) if personal else "",
            distinct_message="企业密码不能与您的个人登录密码相同，请重新设置（企业密码与个人密码需分别维护）",
        ),
        "",
    )


def _page(
    template: str, *, errors: dict[str, str], blocked: str = "", done: str = "", refused: bool = False
) -> Template:
    """The form page; a refused or invalid change answers 400."""
    return Template(
        template,
        context={"errors": errors, "blocked": blocked, "done": done},
        status_code=400 if errors or refused else 200,
    )


async def change(
    request: Request[Any, Any, Any],
    principal: Principal,
    target: PasswordTarget,
    *,
    form_name: str,
    action: str,
) -> dict[str, str]:
    """Check the form, then the old password through the platform's credential check (address limit,
    captcha, the account's lockout shared with its login, audit), then store the new one; the problems."""
    form, errors = await read_form(request, PasswordForm)
    if form is None:
        given = submitted_text(await submitted(request), "captcha", 10) or "-"
        problem = check_captcha(request, form_name, given)
        return {**errors, "captcha": problem} if problem else errors

    async def lookup() -> credentials.Account:
        return credentials.Account(
            lock_table=target.table,
            lock_id=target.row_id,
            password_hash=target.current_hash,
            actor=principal.display_name,
            target=principal.display_name,
            taxpayer_id=principal.taxpayer_id,
        )

    verdict = await credentials.check_password(
        request,
        password=form.old_password,
        lookup=lookup,
        action=action,
        actor=principal.display_name,
        wording=credentials.Wording(wrong=WRONG_OLD_PASSWORD, unknown=NO_ACCOUNT),
        captcha=(form_name, form.captcha),
        password_field="old_password",
        acting_for=principal.acting_for_name or principal.taxpayer_name,
    )
    if not verdict.ok:
        return {verdict.field: verdict.message}
    if target.distinct_from and await verify_password(target.distinct_from, form.password):
        return {"password": target.distinct_message}
    await target.store(form.password)
    await refresh_credential(request)  # this session goes on; every other one of the account ends
    await write_audit(request, principal, action, "success", target=principal.display_name)
    return {}


class PasswordController(Controller):
    """修改密码: every logged-in visitor changes their own personal login password."""

    path = PASSWORD.url
    opt = {"function": PASSWORD.code}

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        target, blocked = await personal_target(await current_principal(request))
        return _page("usercentre/password.html", errors={}, blocked=blocked if target is None else "")

    @post("/")
    async def save(self, request: Request[Any, Any, Any]) -> Template:
        principal = await current_principal(request)
        target, blocked = await personal_target(principal)
        if target is None:
            await write_audit(request, principal, "usercentre.password.change", "refused", detail=blocked)
            return _page("usercentre/password.html", errors={}, blocked=blocked, refused=True)
        errors = await change(
            request, principal, target, form_name=PERSONAL_FORM, action="usercentre.password.change"
        )
        done = "" if errors else "个人登录密码修改成功，下次登录请使用新密码"
        return _page("usercentre/password.html", errors=errors, done=done)


async def enterprise_holder(request: Request[Any, Any, Any]) -> tuple[Principal, int]:
    """Who may change the enterprise password: the legal representative or financial head, and a pure
    social-security login (which is made with the enterprise password alone)."""
    principal = await current_principal(request)
    if principal.role == PURE_SOCIAL_SECURITY and principal.taxpayer_id is not None:
        return principal, principal.taxpayer_id
    return await manager(request)


class EnterprisePasswordController(Controller):
    """修改企业密码: the legal representative or financial head changes the enterprise password."""

    path = ENTERPRISE_PASSWORD.url
    opt = {"function": ENTERPRISE_PASSWORD.code}

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        principal, taxpayer_id = await enterprise_holder(request)
        target, blocked = await enterprise_target(principal, taxpayer_id)
        return _page(
            "usercentre/enterprise_password.html", errors={}, blocked=blocked if target is None else ""
        )

    @post("/")
    async def save(self, request: Request[Any, Any, Any]) -> Template:
        principal, taxpayer_id = await enterprise_holder(request)
        target, blocked = await enterprise_target(principal, taxpayer_id)
        if target is None:
            return _page("usercentre/enterprise_password.html", errors={}, blocked=blocked, refused=True)
        errors = await change(
            request,
            principal,
            target,
            form_name=ENTERPRISE_FORM,
            action="usercentre.enterprise_password.change",
        )
        done = "" if errors else "企业登录密码修改成功，请通知本企业其他办税人员使用新的企业密码登录"
        return _page("usercentre/enterprise_password.html", errors=errors, done=done)
