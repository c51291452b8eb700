"""自然人登录, 自然人注册 and 自然人忘记密码."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template

from etax.platform import audit
from etax.platform.auth import credentials, sms
from etax.platform.auth.login import messages as msg
from etax.platform.auth.login.common import (
    LoginFlow,
    check_captcha,
    clear_flow,
    get_flow,
    is_mobile,
    new_flow,
    production,
    safe_next,
    spend_captcha,
    start_flow,
)
from etax.platform.auth.login.forms import (
    IdentityForm,
    NaturalLoginForm,
    NewPasswordForm,
    RegisterConfirmForm,
    RegisterForm,
)
from etax.platform.auth.login.page import login_page
from etax.platform.auth.passwords import hash_password
from etax.platform.auth.principal import SessionAuth, store_login
from etax.platform.auth.tables import NaturalPersonAccount
from etax.platform.coresys.registry import PersonRecord, person_by_id, person_by_id_number
from etax.platform.coresys.validators import normalise_code, resident_id_problem
from etax.platform.forms import read_form, submitted_values
from etax.platform.masking import mask_mobile
from etax.platform.runtime import get_runtime

NO_MATCH = "未查询到与该身份证件号码和姓名一致的实名信息，请核对后重新输入；如尚未实名采集，请先完成实名采集"
WRONG_PASSWORD = "用户名或密码错误"
NATURAL_WRONG = (
    "用户名或密码错误，请核对后重新输入。连续输错5次账户将被锁定30分钟，"
    "如已被锁定请稍后再试，或使用“忘记密码”找回密码"
)
"""The one answer for an unknown account, a wrong password and a locked account (no enumeration)."""
NO_PERSON_MOBILE = (
    "实名采集信息中没有您的移动电话号码，无法发送验证码，请先到税务机关前台或通过移动办税APP补充手机号码"
)

_ACCOUNT_COLUMNS = (
    NaturalPersonAccount.id,
    NaturalPersonAccount.username,
    NaturalPersonAccount.password_hash,
    NaturalPersonAccount.person.id.as_alias("person_id"),
    NaturalPersonAccount.person.name.as_alias("person_name"),
    NaturalPersonAccount.person.real_name_collected.as_alias("real_name_collected"),
)


class NaturalAccountRow(msgspec.Struct, frozen=True, kw_only=True):
    """A natural person's account as the login reads it."""

    id: int
    username: str
    password_hash: str
    person_id: int
    person_name: str
    real_name_collected: bool


async def find_account(text: str) -> tuple[NaturalAccountRow | None, str]:
    """The account for a 用户名, 身份证件号码 or 手机号码 (an ambiguous mobile asks for another)."""
    code = normalise_code(text)
    query = NaturalPersonAccount.select(*_ACCOUNT_COLUMNS)
    if resident_id_problem(code) is None:
        rows = await query.where(NaturalPersonAccount.person.id_number == code)
    elif is_mobile(text):
        rows = await query.where(NaturalPersonAccount.person.mobile == text.strip())
        if len(rows) > 1:
            return None, "该手机号码对应多个账户，请使用用户名或身份证件号码登录"
    else:
        rows = await query.where(NaturalPersonAccount.username == text.strip().lower())
    return (msgspec.convert(rows[0], NaturalAccountRow), "") if rows else (None, "")


@post("/login/natural", name="login_natural")
async def natural_login(request: Request[Any, Any, Any]) -> Template | Redirect:
    """自然人登录: 用户名/身份证件号码/手机号码 + 密码 + 验证码 + 同意协议."""
    values = await submitted_values(request, ("account", "next"), 60)
    form, errors = await read_form(request, NaturalLoginForm)

    async def again(problems: dict[str, str], status: int = 400) -> Template:
        return await login_page(
            request, tab="natural", next_url=values["next"], errors=problems, values=values, status=status
        )

    if form is None:
        spend_captcha(request, "login_natural")
        return await again(errors)

    found: list[NaturalAccountRow] = []

    async def lookup() -> credentials.Account | credentials.Refused | None:
        row, problem = await find_account(form.account)
        if problem:
            return credentials.Refused(problem)
        if row is None:
            return None
        found.append(row)
        return credentials.Account(
            lock_table=NaturalPersonAccount,
            lock_id=row.id,
            password_hash=row.password_hash,
            actor=f"自然人 {row.person_name}（{row.username}）",
            target=f"account:{row.id}",
        )

    verdict = await credentials.check_password(
        request,
        password=form.password,
        lookup=lookup,
        action="login.natural_person",
        actor=f"自然人 {form.account[:40]}",
        wording=credentials.Wording(wrong=WRONG_PASSWORD, unknown=WRONG_PASSWORD, uniform=NATURAL_WRONG),
        captcha=("login_natural", form.captcha),
    )
    if not verdict.ok or verdict.account is None or not found:
        return await again({verdict.field: verdict.message}, verdict.status)
    account = found[0]
    actor = verdict.account.actor
    if not account.real_name_collected:
        await audit.record(
            actor=actor,
            action="login.natural_person",
            outcome="refused",
            connection=request,
            target=f"account:{account.id}",
            detail="未实名采集",
        )
        return await again({"_form": msg.REAL_NAME_REQUIRED})
    await store_login(request, SessionAuth(kind="natural_person", account_id=account.id))
    await audit.record(
        actor=actor,
        action="login.natural_person",
        outcome="success",
        connection=request,
        target=f"account:{account.id}",
    )
    return Redirect(safe_next(form.next), status_code=303)


async def _identity_page(
    request: Request[Any, Any, Any],
    template: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    await get_runtime(request.app).principal_of(request)
    return Template(template, context={"errors": errors or {}, "values": values or {}}, status_code=status)


async def _matching_person(form: IdentityForm) -> tuple[PersonRecord | None, str]:
    person = await person_by_id_number(normalise_code(form.id_number))
    if person is None or person.name != form.name.strip():
        return None, NO_MATCH
    if not person.real_name_collected:
        return None, msg.REAL_NAME_REQUIRED
    if not is_mobile(person.mobile):
        return None, NO_PERSON_MOBILE
    return person, ""


async def _account_of(person_id: int) -> int | None:
    """The id of the person's natural-person account, if they registered one."""
    row = (
        await NaturalPersonAccount.select(NaturalPersonAccount.id)
        .where(NaturalPersonAccount.person == person_id)
        .first()
    )
    return None if row is None else int(row["id"])


@get("/login/register", name="login_register", cache=False)
async def register_page(request: Request[Any, Any, Any]) -> Template:
    """自然人注册 step 1: 身份证件号码 + 姓名 (must match a real-name record)."""
    return await _identity_page(request, "auth/register.html")


async def _identity_step(
    request: Request[Any, Any, Any],
    *,
    form_type: type[IdentityForm],
    form_name: str,
    template: str,
    want_account: bool,
) -> tuple[PersonRecord | None, int | None, Template | None]:
    """Step 1 of registration or recovery: the person, their account, or the page to show again."""
    values = await submitted_values(request, ("id_number", "name"), 60)
    form, errors = await read_form(request, form_type)
    if form is None:
        spend_captcha(request, form_name)
        return None, None, await _identity_page(request, template, errors, values, 400)
    gate = await credentials.open_gate(request)
    if gate.refusal:
        return None, None, await _identity_page(request, template, {"_form": gate.refusal}, values, 429)
    problem = check_captcha(request, form_name, form.captcha)
    if problem:
        await gate.release()
        return None, None, await _identity_page(request, template, {"captcha": problem}, values, 400)
    person, problem = await _matching_person(form)
    if person is None:
        if problem != NO_MATCH:
            await gate.release()  # only a name and ID number that match no record counts as a failure
        return None, None, await _identity_page(request, template, {"_form": problem}, values, 400)
    await gate.release()
    account = await _account_of(person.id)
    if want_account and account is None:
        problem = "该身份证件尚未注册自然人账户，请先注册"
        return None, None, await _identity_page(request, template, {"_form": problem}, values, 400)
    if not want_account and account is not None:
        problem = "该身份证件已注册自然人账户，请直接登录；如忘记密码，请使用“忘记密码”找回"
        return None, None, await _identity_page(request, template, {"_form": problem}, values, 400)
    return person, account, None


@post("/login/register", name="login_register_start")
async def register_start(request: Request[Any, Any, Any]) -> Template | Redirect:
    person, _, page = await _identity_step(
        request,
        form_type=RegisterForm,
        form_name="register",
        template="auth/register.html",
        want_account=False,
    )
    if person is None:
        assert page is not None
        return page
    flow = new_flow("register", person_id=person.id, mobile=person.mobile)
    try:
        await sms.send_code(person.mobile, f"register:{person.id}", production=production(request))
    except sms.SmsError as error:
        return await _identity_page(request, "auth/register.html", {"_form": str(error)}, status=400)
    await start_flow(request, flow)
    return Redirect("/login/register/confirm", status_code=303)


async def _confirm_page(
    request: Request[Any, Any, Any],
    flow: LoginFlow,
    *,
    register: bool,
    errors: dict[str, str] | None = None,
    notice: str = "",
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    await get_runtime(request.app).principal_of(request)
    base = "/login/register/confirm" if register else "/login/natural/forgot/confirm"
    return Template(
        "auth/sms_confirm.html",
        context={
            "title": "自然人注册" if register else "自然人忘记密码",
            "steps": ("验证实名信息", "设置用户名和密码") if register else ("验证实名信息", "设置新密码"),
            "step": 2,
            "action": base,
            "resend": base.replace("/confirm", "/resend"),
            "mobile": mask_mobile(flow.mobile),
            "register": register,
            "errors": errors or {},
            "notice": notice,
            "values": values or {},
            "back": "/login/register" if register else "/login/natural/forgot",
        },
        status_code=status,
    )


@get("/login/register/confirm", name="login_register_confirm", cache=False)
async def register_confirm_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    flow = get_flow(request, "register")
    if flow is None:
        return Redirect("/login/register", status_code=303)
    return await _confirm_page(
        request, flow, register=True, notice=f"验证码已发送至 {mask_mobile(flow.mobile)}"
    )


async def _resend(
    request: Request[Any, Any, Any], flow: LoginFlow, purpose: str, *, register: bool
) -> Template:
    try:
        await sms.send_code(flow.mobile, purpose, production=production(request))
    except sms.SmsError as error:
        return await _confirm_page(request, flow, register=register, errors={"_form": str(error)}, status=400)
    return await _confirm_page(
        request, flow, register=register, notice=f"验证码已重新发送至 {mask_mobile(flow.mobile)}"
    )


@post("/login/register/resend", name="login_register_resend")
async def register_resend(request: Request[Any, Any, Any]) -> Template | Redirect:
    flow = get_flow(request, "register")
    if flow is None or flow.person_id is None:
        return Redirect("/login/register", status_code=303)
    return await _resend(request, flow, f"register:{flow.person_id}", register=True)


@post("/login/register/confirm", name="login_register_finish")
async def register_finish(request: Request[Any, Any, Any]) -> Template | Redirect:
    """自然人注册 step 2: 短信验证码 + 用户名 + 密码."""
    flow = get_flow(request, "register")
    if flow is None or flow.person_id is None:
        return Redirect("/login/register", status_code=303)
    values = await submitted_values(request, ("username",), 60)
    form, errors = await read_form(request, RegisterConfirmForm)
    if form is None:
        return await _confirm_page(request, flow, register=True, errors=errors, values=values, status=400)
    username = form.username.lower()
    if await NaturalPersonAccount.exists().where(NaturalPersonAccount.username == username):
        problem = "该用户名已被使用，请更换"
        return await _confirm_page(
            request, flow, register=True, errors={"username": problem}, values=values, status=400
        )
    verdict = await credentials.check_sms_code(
        request,
        mobile=flow.mobile,
        purpose=f"register:{flow.person_id}",
        code=form.sms_code,
        actor=f"自然人 person:{flow.person_id}",
        action="register.natural_person",
    )
    if not verdict.ok:
        return await _confirm_page(
            request,
            flow,
            register=True,
            errors={verdict.field: verdict.message},
            values=values,
            status=verdict.status,
        )
    person = await person_by_id(flow.person_id)
    if person is None or await _account_of(flow.person_id) is not None:
        clear_flow(request, "register")
        return Redirect("/login?tab=natural", status_code=303)
    try:
        await NaturalPersonAccount(
            person=flow.person_id, username=username, password_hash=await hash_password(form.password)
        ).save()
    except Exception:
        if await _account_of(flow.person_id) is None and not await NaturalPersonAccount.exists().where(
            NaturalPersonAccount.username == username
        ):
            raise
        problem = "该用户名已被使用，请更换"
        return await _confirm_page(
            request, flow, register=True, errors={"username": problem}, values=values, status=400
        )
    clear_flow(request, "register")
    await audit.record(
        actor=f"自然人 {person.name}（{username}）",
        action="register.natural_person",
        outcome="success",
        connection=request,
    )
    return Redirect("/login?tab=natural&notice=registered", status_code=303)


@get("/login/natural/forgot", name="login_natural_forgot", cache=False)
async def forgot_page(request: Request[Any, Any, Any]) -> Template:
    """自然人忘记密码 step 1: 身份证件号码 + 姓名."""
    return await _identity_page(request, "auth/recover_natural.html")


@post("/login/natural/forgot", name="login_natural_forgot_start")
async def forgot_start(request: Request[Any, Any, Any]) -> Template | Redirect:
    person, account, page = await _identity_step(
        request,
        form_type=IdentityForm,
        form_name="np_recover",
        template="auth/recover_natural.html",
        want_account=True,
    )
    if person is None or account is None:
        assert page is not None
        return page
    flow = new_flow("np_recover", person_id=person.id, account_id=account, mobile=person.mobile)
    try:
        await sms.send_code(person.mobile, f"np_recover:{account}", production=production(request))
    except sms.SmsError as error:
        return await _identity_page(request, "auth/recover_natural.html", {"_form": str(error)}, status=400)
    await start_flow(request, flow)
    return Redirect("/login/natural/forgot/confirm", status_code=303)


@get("/login/natural/forgot/confirm", name="login_natural_forgot_confirm", cache=False)
async def forgot_confirm_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    flow = get_flow(request, "np_recover")
    if flow is None:
        return Redirect("/login/natural/forgot", status_code=303)
    return await _confirm_page(
        request, flow, register=False, notice=f"验证码已发送至 {mask_mobile(flow.mobile)}"
    )


@post("/login/natural/forgot/resend", name="login_natural_forgot_resend")
async def forgot_resend(request: Request[Any, Any, Any]) -> Template | Redirect:
    flow = get_flow(request, "np_recover")
    if flow is None or flow.account_id is None:
        return Redirect("/login/natural/forgot", status_code=303)
    return await _resend(request, flow, f"np_recover:{flow.account_id}", register=False)


@post("/login/natural/forgot/confirm", name="login_natural_forgot_finish")
async def forgot_finish(request: Request[Any, Any, Any]) -> Template | Redirect:
    """自然人忘记密码 step 2: 短信验证码 + 新密码; a successful reset also lifts a lock."""
    flow = get_flow(request, "np_recover")
    if flow is None or flow.account_id is None:
        return Redirect("/login/natural/forgot", status_code=303)
    form, errors = await read_form(request, NewPasswordForm)
    if form is None:
        return await _confirm_page(request, flow, register=False, errors=errors, status=400)
    verdict = await credentials.check_sms_code(
        request,
        mobile=flow.mobile,
        purpose=f"np_recover:{flow.account_id}",
        code=form.sms_code,
        actor=f"自然人 account:{flow.account_id}",
        action="password.natural_person.recover",
        target=f"account:{flow.account_id}",
    )
    if not verdict.ok:
        return await _confirm_page(
            request, flow, register=False, errors={verdict.field: verdict.message}, status=verdict.status
        )
    await NaturalPersonAccount.update(
        {
            NaturalPersonAccount.password_hash: await hash_password(form.password),
            NaturalPersonAccount.failed_attempts: 0,
            NaturalPersonAccount.locked_until: None,
        }
    ).where(NaturalPersonAccount.id == flow.account_id)
    clear_flow(request, "np_recover")
    await audit.record(
        actor=f"自然人 account:{flow.account_id}",
        action="password.natural_person.recover",
        outcome="success",
        connection=request,
        target=f"account:{flow.account_id}",
    )
    return Redirect("/login?tab=natural&notice=np_reset", status_code=303)
