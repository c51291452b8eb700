"""普通登录 and 代理机构登录, step 2: choose a person (or 同步办税人), then 短信登录 or 密码登录.

The same handlers serve ``/login/enterprise/…`` and ``/login/agency/…``; the in-progress login in the
session (never a form field) says which taxpayer the person must belong to.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from litestar import Request, get, post
from litestar.response import Redirect, Template

from etax.platform import audit
from etax.platform.auth import credentials, sms
from etax.platform.auth.credentials import locked_message
from etax.platform.auth.login import messages as msg
from etax.platform.auth.login.common import LoginFlow, clear_flow, get_flow, production, update_flow
from etax.platform.auth.login.forms import PersonalPasswordForm, SmsCodeForm, StaffChoiceForm
from etax.platform.auth.login.staff import (
    StaffRow,
    has_managers,
    login_mobile,
    staff_member,
    staff_of,
    staff_problem,
    sync_staff,
)
from etax.platform.auth.login.taxpayer import enterprise_account, finish_staff_login, refuse_staff
from etax.platform.auth.passwords import verify_password
from etax.platform.auth.tables import NaturalPersonAccount, StaffMember
from etax.platform.coresys.registry import registration_staff, taxpayer_by_id
from etax.platform.forms import read_form
from etax.platform.masking import mask_mobile
from etax.platform.runtime import get_runtime

Kind = Literal["enterprise", "agency"]
KIND_LABELS = {"enterprise": "企业登录", "agency": "代理机构登录"}
STEPS = {
    "enterprise": ("验证企业身份", "选择办税人员", "身份验证"),
    "agency": ("验证代理机构", "选择办税人员", "身份验证", "选择代理企业"),
}


def _kind(request: Request[Any, Any, Any]) -> Kind:
    return "agency" if request.url.path.startswith("/login/agency/") else "enterprise"


def _expired(kind: Kind) -> Redirect:
    tab = "agency" if kind == "agency" else "enterprise"
    return Redirect(f"/login?tab={tab}", status_code=303)


async def _context(request: Request[Any, Any, Any], kind: Kind, flow: LoginFlow) -> dict[str, Any]:
    await get_runtime(request.app).principal_of(request)
    assert flow.taxpayer_id is not None
    return {
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "steps": STEPS[kind],
        "taxpayer": await taxpayer_by_id(flow.taxpayer_id),
        "errors": {},
        "notice": "",
    }


async def _selection(
    request: Request[Any, Any, Any],
    kind: Kind,
    flow: LoginFlow,
    *,
    errors: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    assert flow.taxpayer_id is not None
    staff = await staff_of(flow.taxpayer_id)
    context = await _context(request, kind, flow)
    context.update(
        staff=staff,
        has_managers=has_managers(staff),
        sync_first=msg.SYNC_FIRST,
        errors=errors or {},
        notice=notice,
        step=2,
    )
    return Template("auth/select_staff.html", context=context, status_code=status)


@get(["/login/enterprise/staff", "/login/agency/staff"], name="login_staff", cache=False)
async def choose_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    """选择办税人员 (names masked)."""
    kind = _kind(request)
    flow = get_flow(request, kind)
    if flow is None or flow.taxpayer_id is None:
        return _expired(kind)
    return await _selection(request, kind, flow)


@post(["/login/enterprise/staff/sync", "/login/agency/staff/sync"], name="login_staff_sync")
async def sync(request: Request[Any, Any, Any]) -> Template | Redirect:
    """同步办税人: the registration's legal representative and financial head (FAQ 1)."""
    kind = _kind(request)
    flow = get_flow(request, kind)
    if flow is None or flow.taxpayer_id is None:
        return _expired(kind)
    report = await sync_staff(flow.taxpayer_id)
    await audit.record(
        actor=f"企业 {flow.taxpayer_id}",
        action="staff.sync",
        outcome="success",
        connection=request,
        taxpayer_id=flow.taxpayer_id,
        detail="；".join([report.summary, *report.skipped]),
    )
    errors = {"_form": "；".join(report.skipped)} if report.skipped else None
    return await _selection(request, kind, flow, errors=errors, notice=report.summary)


async def _chosen(
    request: Request[Any, Any, Any], kind: Kind, flow: LoginFlow, staff_id: int | None
) -> tuple[StaffRow | None, str]:
    """The chosen person if they may log in now, else a message (and the refusal is audited)."""
    assert flow.taxpayer_id is not None
    staff = None if staff_id is None else await staff_member(staff_id, flow.taxpayer_id)
    if staff is None:
        return None, msg.CHOOSE_STAFF
    problem = staff_problem(staff, await registration_staff(flow.taxpayer_id))
    problem = problem or locked_message(staff.locked_until)
    if problem:
        await refuse_staff(request, staff, f"login.{kind}.person", problem)
        return None, problem
    return staff, ""


@post(["/login/enterprise/staff", "/login/agency/staff"], name="login_staff_choose")
async def choose(request: Request[Any, Any, Any]) -> Template | Redirect:
    """Choosing a person checks them at once: frozen, registration, real-name collection."""
    kind = _kind(request)
    flow = get_flow(request, kind)
    if flow is None or flow.taxpayer_id is None:
        return _expired(kind)
    form, errors = await read_form(request, StaffChoiceForm)
    if form is None:
        return await _selection(request, kind, flow, errors=errors, status=400)
    staff, problem = await _chosen(request, kind, flow, form.staff_id)
    if staff is None:
        return await _selection(request, kind, flow, errors={"staff": problem}, status=400)
    update_flow(request, flow, staff_id=staff.id)
    return Redirect(f"/login/{kind}/{form.method}", status_code=303)


def _purpose(kind: Kind, staff_id: int) -> str:
    return f"login:{kind}:{staff_id}"


async def _sms_page(
    request: Request[Any, Any, Any],
    kind: Kind,
    flow: LoginFlow,
    staff: StaffRow,
    *,
    errors: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    assert flow.taxpayer_id is not None
    registration = await registration_staff(flow.taxpayer_id)
    mobile, mobile_problem = login_mobile(
        staff.person_id, staff.person_mobile, staff.person_fixed_phone, registration
    )
    context = await _context(request, kind, flow)
    context.update(
        staff=staff,
        mobile=mask_mobile(mobile),
        mobile_problem=mobile_problem,
        errors=errors or {},
        notice=notice,
        step=3,
    )
    return Template("auth/sms_login.html", context=context, status_code=status)


class _Chosen(NamedTuple):
    kind: Kind
    flow: LoginFlow
    staff: StaffRow


async def _flow_staff(request: Request[Any, Any, Any]) -> _Chosen | Template | Redirect:
    """The login in progress and the person chosen, or the page to go back to (expired, choose again)."""
    kind = _kind(request)
    flow = get_flow(request, kind)
    if flow is None or flow.taxpayer_id is None or flow.staff_id is None:
        return _expired(kind)
    staff, problem = await _chosen(request, kind, flow, flow.staff_id)
    if staff is None:
        return await _selection(request, kind, flow, errors={"staff": problem}, status=400)
    return _Chosen(kind, flow, staff)


@get(["/login/enterprise/sms", "/login/agency/sms"], name="login_sms", cache=False)
async def sms_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    """短信登录: the code goes to the registration's (else the real-name record's) mobile number."""
    chosen = await _flow_staff(request)
    if not isinstance(chosen, _Chosen):
        return chosen
    kind, flow, staff = chosen
    return await _sms_page(request, kind, flow, staff)


@post(["/login/enterprise/sms/send", "/login/agency/sms/send"], name="login_sms_send")
async def sms_send(request: Request[Any, Any, Any]) -> Template | Redirect:
    """获取验证码 (FAQ 3 when only a fixed-line number is on file)."""
    chosen = await _flow_staff(request)
    if not isinstance(chosen, _Chosen):
        return chosen
    kind, flow, staff = chosen
    mobile, mobile_problem = login_mobile(
        staff.person_id,
        staff.person_mobile,
        staff.person_fixed_phone,
        await registration_staff(staff.taxpayer_id),
    )
    if mobile_problem:
        return await _sms_page(request, kind, flow, staff, errors={"_form": mobile_problem}, status=400)
    try:
        await sms.send_code(mobile, _purpose(kind, staff.id), production=production(request))
    except sms.SmsError as error:
        return await _sms_page(request, kind, flow, staff, errors={"_form": str(error)}, status=400)
    update_flow(request, flow, mobile=mobile)
    notice = f"验证码已发送至 {mask_mobile(mobile)}，5分钟内有效"
    return await _sms_page(request, kind, flow, staff, notice=notice)


@post(["/login/enterprise/sms", "/login/agency/sms"], name="login_sms_check")
async def sms_check(request: Request[Any, Any, Any]) -> Template | Redirect:
    """确定: check the code and log in."""
    chosen = await _flow_staff(request)
    if not isinstance(chosen, _Chosen):
        return chosen
    kind, flow, staff = chosen
    form, errors = await read_form(request, SmsCodeForm)
    if form is None:
        return await _sms_page(request, kind, flow, staff, errors=errors, status=400)
    if not flow.mobile:
        return await _sms_page(
            request, kind, flow, staff, errors={"sms_code": "请先获取短信验证码"}, status=400
        )
    verdict = await credentials.check_sms_code(
        request,
        mobile=flow.mobile,
        purpose=_purpose(kind, staff.id),
        code=form.sms_code,
        actor=f"{staff.name}（{staff.role_label}）",
        action=f"login.{kind}",
        taxpayer_id=staff.taxpayer_id,
        target=f"staff:{staff.id}",
    )
    if not verdict.ok:
        field = "sms_code" if verdict.status != 429 else "_form"
        return await _sms_page(
            request, kind, flow, staff, errors={field: verdict.message}, status=verdict.status
        )
    clear_flow(request, kind)
    return await finish_staff_login(request, kind=kind, staff=staff, next_url=flow.next, method="短信登录")


async def _password_page(
    request: Request[Any, Any, Any],
    kind: Kind,
    flow: LoginFlow,
    staff: StaffRow,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    context = await _context(request, kind, flow)
    context.update(staff=staff, errors=errors or {}, step=3)
    return Template("auth/password_login.html", context=context, status_code=status)


@get(["/login/enterprise/password", "/login/agency/password"], name="login_password", cache=False)
async def password_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    """密码登录: the personal password (not the enterprise password)."""
    chosen = await _flow_staff(request)
    if not isinstance(chosen, _Chosen):
        return chosen
    kind, flow, staff = chosen
    return await _password_page(request, kind, flow, staff)


async def _personal_hash(staff: StaffRow) -> str:
    """The hash the personal password is checked against (a bound person's natural-person account)."""
    if not staff.bound:
        return staff.personal_password_hash
    row = (
        await NaturalPersonAccount.select(NaturalPersonAccount.password_hash)
        .where(NaturalPersonAccount.person == staff.person_id)
        .first()
    )
    return "" if row is None else str(row["password_hash"])


@post(["/login/enterprise/password", "/login/agency/password"], name="login_password_check")
async def password_check(request: Request[Any, Any, Any]) -> Template | Redirect:
    chosen = await _flow_staff(request)
    if not isinstance(chosen, _Chosen):
        return chosen
    kind, flow, staff = chosen
    form, errors = await read_form(request, PersonalPasswordForm)
    if form is None:
        return await _password_page(request, kind, flow, staff, errors=errors, status=400)
    password_hash = await _personal_hash(staff)
    if not password_hash:
        return await _password_page(
            request, kind, flow, staff, errors={"password": msg.PASSWORD_NOT_SET}, status=400
        )

    async def lookup() -> credentials.Account:
        return credentials.Account(
            lock_table=StaffMember,
            lock_id=staff.id,
            password_hash=password_hash,
            actor=f"{staff.name}（{staff.role_label}）",
            target=f"staff:{staff.id}",
            taxpayer_id=staff.taxpayer_id,
        )

    verdict = await credentials.check_password(
        request,
        password=form.password,
        lookup=lookup,
        action=f"login.{kind}",
        actor=f"{staff.name}（{staff.role_label}）",
        wording=credentials.Wording(wrong="个人登录密码错误", unknown=msg.CHOOSE_STAFF),
        password_field="password",
    )
    if not verdict.ok:
        message = verdict.message
        if verdict.left and await _is_enterprise_password(staff.taxpayer_id, form.password):
            message = f"{msg.ENTERPRISE_PASSWORD_GIVEN}（{credentials.attempts_left(verdict.left)}）"
        field = "_form" if verdict.status == 429 else "password"
        return await _password_page(
            request, kind, flow, staff, errors={field: message}, status=verdict.status
        )
    clear_flow(request, kind)
    method = "密码登录（绑定自然人账户密码）" if staff.bound else "密码登录"
    return await finish_staff_login(request, kind=kind, staff=staff, next_url=flow.next, method=method)


async def _is_enterprise_password(taxpayer_id: int, password: str) -> bool:
    """FAQ 6: was the enterprise password typed where the personal one is asked?"""
    account = await enterprise_account(taxpayer_id)
    return account is not None and await verify_password(account.password_hash, password)
