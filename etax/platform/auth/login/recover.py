"""企业密码 忘记密码: recover the enterprise password through the legal representative's SMS.

Step 1 names the taxpayer and its legal representative (name + ID number, as on the registration);
the code goes to the legal representative's mobile (registration, else real-name record — FAQ 3
applies). Step 2 takes the code and the new enterprise password, which also lifts a lock.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from etax.platform import audit, clock
from etax.platform.auth import credentials, sms
from etax.platform.auth.login import messages as msg
from etax.platform.auth.login.common import (
    LoginFlow,
    check_captcha,
    clear_flow,
    get_flow,
    new_flow,
    production,
    spend_captcha,
    start_flow,
)
from etax.platform.auth.login.forms import EnterpriseRecoverForm, NewPasswordForm
from etax.platform.auth.login.staff import login_mobile
from etax.platform.auth.login.taxpayer import enterprise_account
from etax.platform.auth.passwords import hash_password, verify_password
from etax.platform.auth.tables import EnterpriseAccount
from etax.platform.coresys.registry import registration_staff, taxpayer_by_tin
from etax.platform.coresys.validators import normalise_code
from etax.platform.forms import read_form, submitted_values
from etax.platform.masking import mask_mobile
from etax.platform.runtime import get_runtime

FORM = "ent_recover"
START = "/login/enterprise/forgot"
CONFIRM = "/login/enterprise/forgot/confirm"
SAME_AS_CURRENT = "新企业密码不能与当前企业密码相同，请重新设置新密码并重新获取短信验证码"
NO_MATCH = "纳税人识别号与法定代表人姓名、身份证件号码不匹配，请核对税务登记信息后重新输入"


async def _start_page(
    request: Request[Any, Any, Any],
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    await get_runtime(request.app).principal_of(request)
    return Template(
        "auth/recover_enterprise.html",
        context={"errors": errors or {}, "values": values or {}},
        status_code=status,
    )


async def _confirm_page(
    request: Request[Any, Any, Any],
    flow: LoginFlow,
    *,
    errors: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    await get_runtime(request.app).principal_of(request)
    return Template(
        "auth/sms_confirm.html",
        context={
            "title": "找回企业密码",
            "steps": ("验证法定代表人", "设置新企业密码"),
            "step": 2,
            "action": CONFIRM,
            "resend": "/login/enterprise/forgot/resend",
            "mobile": mask_mobile(flow.mobile),
            "register": False,
            "errors": errors or {},
            "notice": notice,
            "values": {},
            "back": START,
            "password_label": "新企业密码",
        },
        status_code=status,
    )


@get(START, name="login_enterprise_forgot", cache=False)
async def forgot_page(request: Request[Any, Any, Any]) -> Template:
    return await _start_page(request)


@post(START, name="login_enterprise_forgot_start")
async def forgot_start(request: Request[Any, Any, Any]) -> Template | Redirect:
    values = await submitted_values(request, ("tin", "name", "id_number"), 60)
    form, errors = await read_form(request, EnterpriseRecoverForm)
    if form is None:
        spend_captcha(request, FORM)
        return await _start_page(request, errors, values, 400)
    gate = await credentials.open_gate(request)
    if gate.refusal:
        return await _start_page(request, {"_form": gate.refusal}, values, 429)
    problem = check_captcha(request, FORM, form.captcha)
    if problem:
        await gate.release()
        return await _start_page(request, {"captcha": problem}, values, 400)
    taxpayer = await taxpayer_by_tin(normalise_code(form.tin))
    if taxpayer is None or await enterprise_account(taxpayer.id) is None:
        return await _start_page(request, {"_form": msg.UNKNOWN_TAXPAYER}, values, 400)
    registration = await registration_staff(taxpayer.id)
    id_number = normalise_code(form.id_number)
    matches = [
        entry
        for entry in registration
        if entry.role == "legal_rep"
        and entry.person.id_number == id_number
        and entry.person.name == form.name
    ]
    if not matches:
        await audit.record(
            actor=f"企业 {taxpayer.tin}",
            action="password.enterprise.recover",
            outcome="failure",
            connection=request,
            taxpayer_id=taxpayer.id,
            detail="法定代表人信息不匹配",
        )
        return await _start_page(request, {"_form": NO_MATCH}, values, 400)
    await gate.release()
    person = matches[0].person
    if not person.real_name_collected:
        return await _start_page(request, {"_form": msg.REAL_NAME_REQUIRED}, values, 400)
    mobile, problem = login_mobile(person.id, person.mobile, person.fixed_phone, registration)
    if problem:
        return await _start_page(request, {"_form": problem}, values, 400)
    flow = new_flow("ent_recover", taxpayer_id=taxpayer.id, person_id=person.id, mobile=mobile)
    try:
        await sms.send_code(mobile, f"ent_recover:{taxpayer.id}", production=production(request))
    except sms.SmsError as error:
        return await _start_page(request, {"_form": str(error)}, values, 400)
    await start_flow(request, flow)
    return Redirect(CONFIRM, status_code=303)


@get(CONFIRM, name="login_enterprise_forgot_confirm", cache=False)
async def confirm_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    flow = get_flow(request, "ent_recover")
    if flow is None:
        return Redirect(START, status_code=303)
    return await _confirm_page(
        request, flow, notice=f"验证码已发送至法定代表人手机 {mask_mobile(flow.mobile)}"
    )


@post("/login/enterprise/forgot/resend", name="login_enterprise_forgot_resend")
async def resend(request: Request[Any, Any, Any]) -> Template | Redirect:
    flow = get_flow(request, "ent_recover")
    if flow is None or flow.taxpayer_id is None:
        return Redirect(START, status_code=303)
    try:
        await sms.send_code(flow.mobile, f"ent_recover:{flow.taxpayer_id}", production=production(request))
    except sms.SmsError as error:
        return await _confirm_page(request, flow, errors={"_form": str(error)}, status=400)
    return await _confirm_page(request, flow, notice=f"验证码已重新发送至 {mask_mobile(flow.mobile)}")


@post(CONFIRM, name="login_enterprise_forgot_finish")
async def finish(request: Request[Any, Any, Any]) -> Template | Redirect:
    flow = get_flow(request, "ent_recover")
    if flow is None or flow.taxpayer_id is None:
        return Redirect(START, status_code=303)
    form, errors = await read_form(request, NewPasswordForm)
    if form is None:
        return await _confirm_page(request, flow, errors=errors, status=400)
    verdict = await credentials.check_sms_code(
        request,
        mobile=flow.mobile,
        purpose=f"ent_recover:{flow.taxpayer_id}",
        code=form.sms_code,
        actor=f"法定代表人 person:{flow.person_id}",
        action="password.enterprise.recover",
        taxpayer_id=flow.taxpayer_id,
    )
    if not verdict.ok:
        return await _confirm_page(
            request, flow, errors={verdict.field: verdict.message}, status=verdict.status
        )
    account = await enterprise_account(flow.taxpayer_id)
    if account is not None and await verify_password(account.password_hash, form.password):
        # The code is used up: a new one is needed with a different password.
        return await _confirm_page(request, flow, errors={"password": SAME_AS_CURRENT}, status=400)
    await EnterpriseAccount.update(
        {
            EnterpriseAccount.password_hash: await hash_password(form.password),
            EnterpriseAccount.failed_attempts: 0,
            EnterpriseAccount.locked_until: None,
            EnterpriseAccount.updated_at: clock.utcnow(),
        }
    ).where(EnterpriseAccount.taxpayer == flow.taxpayer_id)
    clear_flow(request, "ent_recover")
    await audit.record(
        actor=f"法定代表人 person:{flow.person_id}",
        action="password.enterprise.recover",
        outcome="success",
        connection=request,
        taxpayer_id=flow.taxpayer_id,
    )
    return Redirect("/login?tab=enterprise&notice=ent_reset", status_code=303)
