"""The back office's forms: one msgspec Struct each, with Chinese labels and cross-field rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from etax.platform.admin.common import BEIJING
from etax.platform.announcements import AUDIENCES, CATEGORIES
from etax.platform.coresys.validators import normalise_code, tin_problem

Captcha = Annotated[str, msgspec.Meta(title="验证码", max_length=10)]
Submission = Annotated[str, msgspec.Meta(title="提交标识", max_length=64)]
Title = Annotated[str, msgspec.Meta(title="标题", max_length=200)]
Body = Annotated[str, msgspec.Meta(title="正文", max_length=20000)]

EXPIRED_FORM = "页面已过期，请刷新页面后重新填写提交"
MESSAGE_AUDIENCES: dict[str, str] = {
    "all": "全部纳税人（企业、自然人、代理机构）",
    "enterprise": "全部企业纳税人",
    "natural_person": "全部自然人",
    "agency": "全部涉税专业服务机构",
}
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")


def _required(labels: dict[str, str], **values: str) -> dict[str, str]:
    return {name: labels[name] for name, value in values.items() if not value.strip()}


def parse_beijing(text: str) -> dt.datetime | None:
    """``2026-12-01T09:00`` (the datetime-local input, Beijing time) as an aware datetime, or None."""
    for pattern in DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), pattern).replace(tzinfo=BEIJING)
        except ValueError:
            continue
    return None


def beijing_input(moment: dt.datetime) -> str:
    """``moment`` in the datetime-local input's format, Beijing time."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M")


class AdminLoginForm(msgspec.Struct, kw_only=True):
    """管理后台登录: 用户名 + 密码 + 验证码."""

    username: Annotated[str, msgspec.Meta(title="用户名", max_length=40)] = ""
    password: Annotated[str, msgspec.Meta(title="密码", max_length=64)] = ""
    captcha: Captcha = ""
    next: Annotated[str, msgspec.Meta(title="登录后前往", max_length=500)] = "/admin"

    def problems(self) -> dict[str, str]:
        return _required(
            {"username": "请输入用户名", "password": "请输入密码", "captcha": "请输入验证码"},
            username=self.username,
            password=self.password,
            captcha=self.captcha,
        )


class AnnouncementForm(msgspec.Struct, kw_only=True):
    """通知公告: 标题, 类别, 受众, 发布时间 (北京时间, empty for now), 置顶, 正文 (Markdown)."""

    title: Title = ""
    category: Annotated[str, msgspec.Meta(title="类别", max_length=40)] = ""
    audience: Annotated[str, msgspec.Meta(title="受众", max_length=20)] = "public"
    published_at: Annotated[str, msgspec.Meta(title="发布时间", max_length=25)] = ""
    pinned: Annotated[str, msgspec.Meta(title="置顶", max_length=5)] = ""
    body: Body = ""
    submission: Submission = ""

    def problems(self) -> dict[str, str]:
        found = _required({"title": "请填写标题", "body": "请填写正文"}, title=self.title, body=self.body)
        if self.category not in CATEGORIES:
            found["category"] = "请选择公告类别"
        if self.audience not in AUDIENCES:
            found["audience"] = "请选择受众"
        if self.published_at.strip() and parse_beijing(self.published_at) is None:
            found["published_at"] = "发布时间格式不正确，请按“2026-12-01 09:00”的格式填写"
        if self.pinned not in ("", "on"):
            found["pinned"] = "置顶选项不正确"
        return found

    def publish_time(self, default: dt.datetime) -> dt.datetime:
        """The chosen publish time, or ``default`` when the field was left empty."""
        return parse_beijing(self.published_at) or default


class MessageForm(msgspec.Struct, kw_only=True):
    """我的消息 from the bureau: to one taxpayer (纳税人识别号) or to an audience."""

    target: Annotated[str, msgspec.Meta(title="发送对象", max_length=20)] = "taxpayer"
    tin: Annotated[str, msgspec.Meta(title="纳税人识别号", max_length=40)] = ""
    audience: Annotated[str, msgspec.Meta(title="受众", max_length=20)] = ""
    title: Title = ""
    body: Body = ""
    submission: Submission = ""

    def problems(self) -> dict[str, str]:
        found = _required({"title": "请填写标题", "body": "请填写正文"}, title=self.title, body=self.body)
        if not self.submission:
            found["_form"] = EXPIRED_FORM
        if self.target == "taxpayer":
            problem = tin_problem(normalise_code(self.tin)) if self.tin.strip() else "请输入纳税人识别号"
            if problem:
                found["tin"] = problem
        elif self.target == "audience":
            if self.audience not in MESSAGE_AUDIENCES:
                found["audience"] = "请选择接收消息的纳税人类别"
        else:
            found["target"] = "请选择发送对象"
        return found

    @property
    def normalised_tin(self) -> str:
        return normalise_code(self.tin)


class ActiveForm(msgspec.Struct, kw_only=True):
    """停用 / 启用 an administrator."""

    active: Annotated[str, msgspec.Meta(title="状态", max_length=5)] = ""

    def problems(self) -> dict[str, str]:
        return {} if self.active in ("1", "0") else {"active": "请选择启用或停用"}
