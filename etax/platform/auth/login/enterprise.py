"""企业登录: 普通登录 step 1 (and the pure social-security account's direct entry) and 快捷登录."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from litestar import Request, post
from litestar.response import Redirect, Template

from etax.platform import audit
from etax.platform.auth import credentials, sms
from etax.platform.auth.credentials import locked_message
from etax.platform.auth.login import messages as msg
from etax.platform.auth.login.common import (
    clear_flow,
    get_flow,
    new_flow,
    production,
    safe_next,
    spend_captcha,
    start_flow,
)
from etax.platform.auth.login.forms import QuickLoginForm, TaxpayerLoginForm
from etax.platform.auth.login.page import login_page
from etax.platform.auth.login.staff import (
    StaffRow,
    manager_for_direct_login,
    staff_member,
    staff_of,
    staff_problem,
)
from etax.platform.auth.login.taxpayer import check_taxpayer_password, finish_staff_login, refuse_staff
from etax.platform.auth.principal import SessionAuth, store_login
from etax.platform.coresys.registry import TaxpayerRecord, registration_staff, taxpayer_by_id
from etax.platform.coresys.validators import normalise_code
from etax.platform.forms import read_form, submitted, submitted_text, submitted_values
from etax.platform.masking import mask_mobile

SOCIAL_INSURANCE_URL = "/login/social-insurance"

Again = Callable[[dict[str, str]], Awaitable[Template]]
"""Show the login page again with these messages."""


class QuickAgain(Protocol):
    """Show the 快捷登录 form again: messages, status, and the masked number a code was sent to."""

    async def __call__(self, problems: dict[str, str], status: int = 400, sent: str = "") -> Template: ...


@post("/login/enterprise", name="login_enterprise")
async def enterprise_login(request: Request[Any, Any, Any]) -> Template | Redirect:
    """普通登录 step 1: 纳税人识别号 + 企业密码 + 验证码 + 同意协议."""
    values = await submitted_values(request, ("tin", "next"), 60)
    form, errors = await read_form(request, TaxpayerLoginForm)

    async def again(problems: dict[str, str], status: int = 400) -> Template:
        return await login_page(
            request, tab="enterprise", next_url=values["next"], errors=problems, values=values, status=status
        )

    if form is None:
        spend_captcha(request, "login_enterprise")
        return await again(errors)
    taxpayer, verdict = await check_taxpayer_password(
        request,
        form.tin,
        form.password,
        action="login.enterprise.password",
        captcha=("login_enterprise", form.captcha),
    )
    if taxpayer is None:
        return await again({verdict.field: verdict.message}, verdict.status)
    next_url = safe_next(form.next)
    if taxpayer.pure_social_security:
        return await _social_security_login(request, taxpayer, again)
    await start_flow(request, new_flow("enterprise", taxpayer_id=taxpayer.id, next=next_url))
    return Redirect("/login/enterprise/staff", status_code=303)


async def _social_security_login(
    request: Request[Any, Any, Any], taxpayer: TaxpayerRecord, again: Again
) -> Template | Redirect:
    """纯社保户: straight to the social-insurance fee area, no SMS step."""
    staff, problem = await manager_for_direct_login(taxpayer.id)
    if staff is None:
        await audit.record(
            actor=f"企业 {taxpayer.tin}",
            action="login.social_security",
            outcome="refused",
            connection=request,
            taxpayer_id=taxpayer.id,
            detail=problem,
        )
        return await again({"_form": problem})
    auth = SessionAuth(
        kind="enterprise", taxpayer_id=taxpayer.id, staff_id=staff.id, pure_social_security=True
    )
    await store_login(request, auth)
    await audit.record(
        actor=f"{staff.name}（{staff.role_label}）",
        action="login.social_security",
        outcome="success",
        connection=request,
        taxpayer_id=taxpayer.id,
        target=f"staff:{staff.id}",
        detail="纯社保户：企业密码登录，无需短信验证",
    )
    return Redirect(SOCIAL_INSURANCE_URL, status_code=303)


async def _quick_person(taxpayer: TaxpayerRecord, role: str, mobile: str) -> tuple[StaffRow | None, str]:
    """The maintained person of ``role`` whose real-name mobile is ``mobile`` (FAQ 10 otherwise)."""
    staff = await staff_of(taxpayer.id)
    if not staff:
        return None, msg.QUICK_NOT_MAINTAINED
    registration = await registration_staff(taxpayer.id)
    for person in staff:
        if person.role == role and person.person_mobile.strip() == mobile:
            if not person.personal_password_hash:
                return None, msg.QUICK_NOT_MAINTAINED
            problem = staff_problem(person, registration) or locked_message(person.locked_until)
            return (None, problem) if problem else (person, "")
    on_registration = any(
        entry.role == role and entry.person.mobile.strip() == mobile for entry in registration
    )
    return None, msg.QUICK_NOT_MAINTAINED if on_registration else msg.QUICK_MOBILE_MISMATCH


def _purpose(staff_id: int) -> str:
    return f"quick:{staff_id}"


@post("/login/quick", name="login_quick")
async def quick_login(request: Request[Any, Any, Any]) -> Template | Redirect:
    """快捷登录: 发送验证码 checks the enterprise password and the person; 登录 checks the code."""
    values = await submitted_values(request, ("tin", "role", "mobile", "next"), 60)
    form, errors = await read_form(request, QuickLoginForm)
    flow = get_flow(request, "quick")

    async def again(problems: dict[str, str], status: int = 400, sent: str = "") -> Template:
        return await login_page(
            request,
            tab="enterprise",
            mode="quick",
            next_url=values["next"],
            errors=problems,
            values=values,
            quick_sent=sent,
            status=status,
        )

    sent = mask_mobile(flow.mobile) if flow and flow.mobile == values["mobile"] else ""
    if form is None:
        if submitted_text(await submitted(request), "action", 10) == "send":
            spend_captcha(request, "login_quick")
        return await again(errors, sent=sent)
    if form.action == "send":
        return await _quick_send(request, form, again)
    if flow is None or flow.staff_id is None or flow.taxpayer_id is None:
        return await again({"sms_code": "请先点击【发送验证码】获取短信验证码"})
    taxpayer = await taxpayer_by_id(flow.taxpayer_id)
    if taxpayer is None or taxpayer.tin != normalise_code(form.tin) or flow.mobile != form.mobile:
        return await again({"sms_code": "纳税人识别号或手机号码已变更，请重新发送验证码"})
    verdict = await credentials.check_sms_code(
        request,
        mobile=flow.mobile,
        purpose=_purpose(flow.staff_id),
        code=form.sms_code,
        actor=f"企业 {taxpayer.tin}",
        action="login.quick",
        taxpayer_id=taxpayer.id,
    )
    if not verdict.ok:
        return await again({verdict.field: verdict.message}, verdict.status, sent)
    staff = await staff_member(flow.staff_id, flow.taxpayer_id)
    if staff is None:
        return await again({"sms_code": msg.CHOOSE_STAFF}, sent=sent)
    problem = staff_problem(staff, await registration_staff(taxpayer.id)) or locked_message(
        staff.locked_until
    )
    if problem:
        await refuse_staff(request, staff, "login.quick", problem)
        return await again({"_form": problem})
    clear_flow(request, "quick")
    return await finish_staff_login(
        request, kind="enterprise", staff=staff, next_url=flow.next, method="快捷登录（企业密码+短信验证码）"
    )


async def _quick_send(request: Request[Any, Any, Any], form: QuickLoginForm, again: QuickAgain) -> Template:
    taxpayer, verdict = await check_taxpayer_password(
        request, form.tin, form.password, action="login.quick", captcha=("login_quick", form.captcha)
    )
    if taxpayer is None:
        return await again({verdict.field: verdict.message}, verdict.status)
    if taxpayer.pure_social_security:
        return await again({"_form": msg.QUICK_PURE_SOCIAL_SECURITY})
    person, problem = await _quick_person(taxpayer, form.role, form.mobile)
    if person is None:
        if problem == msg.QUICK_MOBILE_MISMATCH:
            await credentials.open_gate(request)  # a wrong mobile number counts against the address
        await audit.record(
            actor=f"企业 {taxpayer.tin}",
            action="login.quick",
            outcome="refused",
            connection=request,
            taxpayer_id=taxpayer.id,
            detail=problem,
        )
        return await again({"_form": problem})
    try:
        await sms.send_code(form.mobile, _purpose(person.id), production=production(request))
    except sms.SmsError as error:
        return await again({"_form": str(error)})
    await start_flow(
        request,
        new_flow(
            "quick",
            taxpayer_id=taxpayer.id,
            staff_id=person.id,
            mobile=form.mobile,
            next=safe_next(form.next),
        ),
    )
    return await again({}, 200, mask_mobile(form.mobile))
