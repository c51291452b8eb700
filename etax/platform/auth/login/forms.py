"""The forms of the login paths: one msgspec Struct each, with Chinese labels and cross-field rules."""

from __future__ import annotations

import re
from typing import Annotated

import msgspec

from etax.platform.auth.login import messages as msg
from etax.platform.auth.passwords import password_problem
from etax.platform.coresys.validators import normalise_code, resident_id_problem, tin_problem

Tin = Annotated[str, msgspec.Meta(title="纳税人识别号", max_length=40)]
Password = Annotated[str, msgspec.Meta(title="密码", max_length=64)]
Captcha = Annotated[str, msgspec.Meta(title="验证码", max_length=10)]
Agree = Annotated[str, msgspec.Meta(title="同意协议", max_length=10)]
Next = Annotated[str, msgspec.Meta(title="登录后前往", max_length=500)]
SmsCode = Annotated[str, msgspec.Meta(title="短信验证码", max_length=10)]
PersonName = Annotated[str, msgspec.Meta(title="姓名", max_length=50)]
IdNumber = Annotated[str, msgspec.Meta(title="身份证件号码", max_length=30)]
Mobile = Annotated[str, msgspec.Meta(title="手机号码", max_length=20)]

USERNAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,19}$")
ROLES = ("legal_rep", "finance_head", "tax_officer")


def _required(**values: str) -> dict[str, str]:
    labels = {
        "tin": "请输入纳税人识别号",
        "password": "请输入密码",
        "captcha": "请输入验证码",
        "sms_code": "请输入短信验证码",
        "name": "请输入姓名",
        "id_number": "请输入身份证件号码",
        "account": "请输入用户名、身份证件号码或手机号码",
        "mobile": "请输入手机号码",
        "username": "请输入用户名",
        "confirm": "请再次输入新密码",
        "agreement_password": "请输入协议密码",
    }
    return {name: labels[name] for name, value in values.items() if not value.strip()}


def _agreed(agree: str) -> dict[str, str]:
    return {} if agree in ("on", "1", "true", "yes") else {"agree": msg.AGREE_REQUIRED}


def _tin(tin: str) -> dict[str, str]:
    problem = tin_problem(normalise_code(tin))
    return {"tin": problem} if problem else {}


def _new_password(password: str, confirm: str) -> dict[str, str]:
    problem = password_problem(password)
    if problem:
        return {"password": problem}
    if password != confirm:
        return {"confirm": "两次输入的新密码不一致"}
    return {}


class TaxpayerLoginForm(msgspec.Struct, kw_only=True):
    """普通登录 (enterprise) and 代理机构登录 step 1: 纳税人识别号 + 密码 + 验证码 + 同意协议."""

    tin: Tin = ""
    password: Password = ""
    captcha: Captcha = ""
    agree: Agree = ""
    next: Next = "/"

    def problems(self) -> dict[str, str]:
        found = _required(tin=self.tin, password=self.password, captcha=self.captcha)
        found = {**_tin(self.tin), **found} if "tin" not in found else found
        return found or _agreed(self.agree)


class QuickLoginForm(msgspec.Struct, kw_only=True):
    """快捷登录: 纳税人识别号 + 企业密码 + 身份 + 实名手机号 (发送验证码), then 短信验证码 + 同意协议."""

    tin: Tin = ""
    password: Password = ""
    role: Annotated[str, msgspec.Meta(title="身份", max_length=20)] = ""
    mobile: Mobile = ""
    sms_code: SmsCode = ""
    captcha: Captcha = ""
    agree: Agree = ""
    action: Annotated[str, msgspec.Meta(title="操作", max_length=10)] = "login"
    next: Next = "/"

    def problems(self) -> dict[str, str]:
        if self.action == "send":
            found = _required(tin=self.tin, password=self.password, mobile=self.mobile, captcha=self.captcha)
            if "tin" not in found:
                found.update(_tin(self.tin))
            if self.role not in ROLES:
                found["role"] = "请选择登录人员的身份"
            if "mobile" not in found and not re.fullmatch(r"1[3-9]\d{9}", self.mobile):
                found["mobile"] = "请输入11位手机号码"
            return found
        if self.action != "login":
            return {"_form": "请求有误，请重新操作"}
        return _required(sms_code=self.sms_code) or _agreed(self.agree)


class StaffChoiceForm(msgspec.Struct, kw_only=True):
    """选择办税人员 and the way to log in as them."""

    staff: Annotated[str, msgspec.Meta(title="办税人员", max_length=12)] = ""
    method: Annotated[str, msgspec.Meta(title="登录方式", max_length=10)] = "sms"

    def problems(self) -> dict[str, str]:
        if not self.staff.isdigit():
            return {"staff": msg.CHOOSE_STAFF}
        if self.method not in ("sms", "password"):
            return {"method": "请选择短信登录或密码登录"}
        return {}

    @property
    def staff_id(self) -> int:
        return int(self.staff)


class SmsCodeForm(msgspec.Struct, kw_only=True):
    sms_code: SmsCode = ""

    def problems(self) -> dict[str, str]:
        return _required(sms_code=self.sms_code)


class PersonalPasswordForm(msgspec.Struct, kw_only=True):
    """密码登录: the chosen person's personal password."""

    password: Annotated[str, msgspec.Meta(title="个人登录密码", max_length=64)] = ""

    def problems(self) -> dict[str, str]:
        return _required(password=self.password)


class SetPasswordForm(msgspec.Struct, kw_only=True):
    """设置个人登录密码 (first login, or after a reset to 111111)."""

    password: Annotated[str, msgspec.Meta(title="新密码", max_length=64)] = ""
    confirm: Annotated[str, msgspec.Meta(title="确认新密码", max_length=64)] = ""
    captcha: Captcha = ""

    def problems(self) -> dict[str, str]:
        found = _required(password=self.password, confirm=self.confirm, captcha=self.captcha)
        return found or _new_password(self.password, self.confirm)


class NaturalLoginForm(msgspec.Struct, kw_only=True):
    """自然人登录: 用户名 / 身份证件号码 / 手机号码 + 密码 + 验证码 + 同意协议."""

    account: Annotated[str, msgspec.Meta(title="用户名/身份证件号码/手机号码", max_length=40)] = ""
    password: Password = ""
    captcha: Captcha = ""
    agree: Agree = ""
    next: Next = "/"

    def problems(self) -> dict[str, str]:
        found = _required(account=self.account, password=self.password, captcha=self.captcha)
        return found or _agreed(self.agree)


class IdentityForm(msgspec.Struct, kw_only=True):
    """身份证件号码 + 姓名 + 验证码: the first step of registration and of password recovery."""

    id_number: IdNumber = ""
    name: PersonName = ""
    captcha: Captcha = ""

    def problems(self) -> dict[str, str]:
        found = _required(id_number=self.id_number, name=self.name, captcha=self.captcha)
        if "id_number" not in found:
            problem = resident_id_problem(normalise_code(self.id_number))
            if problem:
                found["id_number"] = problem
        return found


class RegisterForm(IdentityForm, kw_only=True):
    """Registration step 1: the identity form plus 同意协议."""

    agree: Agree = ""

    def problems(self) -> dict[str, str]:
        return super().problems() or _agreed(self.agree)


class RegisterConfirmForm(msgspec.Struct, kw_only=True):
    """Registration step 2: 短信验证码 + 用户名 + 密码 + 确认密码."""

    sms_code: SmsCode = ""
    username: Annotated[str, msgspec.Meta(title="用户名", max_length=40)] = ""
    password: Password = ""
    confirm: Annotated[str, msgspec.Meta(title="确认密码", max_length=64)] = ""

    def problems(self) -> dict[str, str]:
        found = _required(
            sms_code=self.sms_code, username=self.username, password=self.password, confirm=self.confirm
        )
        if "username" not in found and not USERNAME_PATTERN.match(self.username):
            found["username"] = "用户名须以字母开头，由4至20位字母、数字或下划线组成"
        return found or _new_password(self.password, self.confirm)


class NewPasswordForm(msgspec.Struct, kw_only=True):
    """Recovery step 2: 短信验证码 + 新密码 + 确认新密码."""

    sms_code: SmsCode = ""
    password: Annotated[str, msgspec.Meta(title="新密码", max_length=64)] = ""
    confirm: Annotated[str, msgspec.Meta(title="确认新密码", max_length=64)] = ""

    def problems(self) -> dict[str, str]:
        found = _required(sms_code=self.sms_code, password=self.password, confirm=self.confirm)
        return found or _new_password(self.password, self.confirm)


class EnterpriseRecoverForm(msgspec.Struct, kw_only=True):
    """企业密码 忘记密码: 纳税人识别号 + 法定代表人姓名 + 身份证件号码 + 验证码."""

    tin: Tin = ""
    name: Annotated[str, msgspec.Meta(title="法定代表人姓名", max_length=50)] = ""
    id_number: Annotated[str, msgspec.Meta(title="法定代表人身份证件号码", max_length=30)] = ""
    captcha: Captcha = ""

    def problems(self) -> dict[str, str]:
        found = _required(tin=self.tin, name=self.name, id_number=self.id_number, captcha=self.captcha)
        if "tin" not in found:
            found.update(_tin(self.tin))
        return found


class ClientChoiceForm(msgspec.Struct, kw_only=True):
    """代理机构登录 step 3: the client enterprise and its 协议密码."""

    client: Annotated[str, msgspec.Meta(title="代理企业", max_length=12)] = ""
    agreement_password: Annotated[str, msgspec.Meta(title="协议密码", max_length=64)] = ""
    captcha: Captcha = ""

    def problems(self) -> dict[str, str]:
        if not self.client.isdigit():
            return {"client": "请选择要代理办税的企业"}
        return _required(agreement_password=self.agreement_password, captcha=self.captcha)

    @property
    def certification_id(self) -> int:
        return int(self.client)
