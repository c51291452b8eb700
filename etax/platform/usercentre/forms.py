"""The user centre's forms, one msgspec Struct each (read with :func:`etax.platform.forms.read_form`).

Checkbox groups arrive as a string when one box is ticked and as a list when several are; such
fields are typed ``str | list[str]`` and read through :func:`as_list`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from etax.platform import clock
from etax.platform.auth.passwords import password_problem
from etax.platform.coresys.validators import normalise_code, resident_id_problem, tin_problem

ID_TYPES: tuple[str, ...] = (
    "居民身份证",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
    "中华人民共和国护照",
    "外国护照",
    "外国人永久居留身份证",
)
MAX_TICKS = 2000
MAX_CERTIFICATION_YEARS = 10

Code = Annotated[str, msgspec.Meta(max_length=300)]
Ticks = Annotated[list[Code], msgspec.Meta(max_length=MAX_TICKS)]
Name = Annotated[str, msgspec.Meta(title="姓名", max_length=50)]
IdType = Annotated[str, msgspec.Meta(title="身份证件类型", max_length=20)]
IdNumber = Annotated[str, msgspec.Meta(title="身份证件号码", max_length=30)]
Secret = Annotated[str, msgspec.Meta(max_length=64)]


def as_list(value: str | list[str]) -> list[str]:
    """The values of a checkbox group, whether one or several boxes were ticked."""
    items = [value] if isinstance(value, str) else value
    return [item.strip() for item in items if item.strip()]


def person_problems(name: str, id_type: str, id_number: str) -> dict[str, str]:
    """Problems with a name + ID type + ID number triple."""
    found: dict[str, str] = {}
    if not name:
        found["name"] = "请填写姓名"
    if id_type not in ID_TYPES:
        found["id_type"] = "请选择身份证件类型"
    number = normalise_code(id_number)
    if not number:
        found["id_number"] = "请填写身份证件号码"
    elif id_type == "居民身份证":
        problem = resident_id_problem(number)
        if problem:
            found["id_number"] = problem
    elif not 5 <= len(number) <= 30 or not number.isalnum():
        found["id_number"] = "身份证件号码格式不正确，请检查后重新输入"
    return found


def new_password_problems(
    new: str, confirm: str, *, old: str = "", field: str = "password"
) -> dict[str, str]:
    """Strength and confirmation problems of a new password typed twice."""
    problem = password_problem(new, old=old)
    if problem:
        return {field: problem}
    if new != confirm:
        return {f"{field}_confirm": "两次输入的新密码不一致，请重新输入"}
    return {}


class IdentityForm(msgspec.Struct, kw_only=True):
    """权限身份信息: 权限身份名称, 权限描述, 勾选功能树."""

    name: Annotated[str, msgspec.Meta(title="权限身份名称", max_length=50)] = ""
    description: Annotated[str, msgspec.Meta(title="权限描述", max_length=200)] = ""
    nodes: Code | Ticks = []

    def problems(self) -> dict[str, str]:
        if not self.name:
            return {"name": "请填写权限身份名称"}
        return {}


class OfficerSearchForm(msgspec.Struct, kw_only=True):
    """添加办税人员 → 搜索: 姓名, 身份证件类型, 身份证件号码."""

    name: Name = ""
    id_type: IdType = "居民身份证"
    id_number: IdNumber = ""

    def problems(self) -> dict[str, str]:
        return person_problems(self.name, self.id_type, self.id_number)

    @property
    def number(self) -> str:
        return normalise_code(self.id_number)


class OfficerDetailsForm(OfficerSearchForm, kw_only=True):
    """添加办税人员 → 下一步: 个人密码, 身份, 管理权限 (the searched person travels along)."""

    password: Annotated[Secret, msgspec.Meta(title="个人登录密码")] = ""
    password_confirm: Annotated[Secret, msgspec.Meta(title="确认个人登录密码")] = ""
    identities: Code | Ticks = []
    manage_rights: Annotated[str, msgspec.Meta(title="管理权限", max_length=5)] = ""

    def problems(self) -> dict[str, str]:
        return person_problems(self.name, self.id_type, self.id_number) or new_password_problems(
            self.password, self.password_confirm
        )


class OfficerPermissionsForm(msgspec.Struct, kw_only=True):
    """修改权限: an officer's identities and 管理权限."""

    identities: Code | Ticks = []
    manage_rights: Annotated[str, msgspec.Meta(title="管理权限", max_length=5)] = ""


class PasswordForm(msgspec.Struct, kw_only=True):
    """修改密码 / 修改企业密码: 旧密码, 新密码, 确认新密码, 验证码."""

    old_password: Annotated[Secret, msgspec.Meta(title="旧密码")] = ""
    password: Annotated[Secret, msgspec.Meta(title="新密码")] = ""
    password_confirm: Annotated[Secret, msgspec.Meta(title="确认新密码")] = ""
    captcha: Annotated[str, msgspec.Meta(title="验证码", max_length=10)] = ""

    def problems(self) -> dict[str, str]:
        if not self.old_password:
            return {"old_password": "请输入旧密码"}
        return new_password_problems(self.password, self.password_confirm, old=self.old_password)


class AgencySyncForm(msgspec.Struct, kw_only=True):
    """同步代理机构: the agency's 纳税人识别号 / 统一社会信用代码."""

    tin: Annotated[str, msgspec.Meta(title="代理机构纳税人识别号", max_length=40)] = ""

    def problems(self) -> dict[str, str]:
        problem = tin_problem(normalise_code(self.tin))
        return {"tin": problem} if problem else {}


class AgencyCertifyForm(msgspec.Struct, kw_only=True):
    """认定代理机构: 协议密码 (twice), 委托功能, 有效期止."""

    tin: Annotated[str, msgspec.Meta(title="代理机构纳税人识别号", max_length=40)] = ""
    password: Annotated[Secret, msgspec.Meta(title="协议密码")] = ""
    password_confirm: Annotated[Secret, msgspec.Meta(title="确认协议密码")] = ""
    valid_until: Annotated[str, msgspec.Meta(title="有效期止", max_length=10)] = ""
    nodes: Code | Ticks = []

    def problems(self) -> dict[str, str]:
        problem = tin_problem(normalise_code(self.tin))
        if problem:
            return {"tin": problem}
        found = new_password_problems(self.password, self.password_confirm)
        if found:
            return found
        date_problem = valid_until_problem(self.valid_until, clock.today())
        return {"valid_until": date_problem} if date_problem else {}

    @property
    def end_date(self) -> dt.date:
        return dt.date.fromisoformat(self.valid_until)


def valid_until_problem(text: str, today: dt.date) -> str | None:
    """Why ``text`` is not a usable 有效期止 (a date after today, within ten years)."""
    if not text:
        return "请选择有效期止"
    try:
        end = dt.date.fromisoformat(text)
    except ValueError:
        return "有效期止格式不正确，请按“年-月-日”填写，如2027-12-31"
    if end <= today:
        return "有效期止必须晚于今天"
    if end > today.replace(year=today.year + MAX_CERTIFICATION_YEARS, day=min(today.day, 28)):
        return f"有效期止不能超过{MAX_CERTIFICATION_YEARS}年"
    return None
