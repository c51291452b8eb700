"""Administrator roles and what each admin page requires.

Every admin route declares ``opt={"admin_role": <requirement>}`` (the login page alone is
``opt={"public": True}``); the platform's access decision (:func:`etax.platform.access.admin_allows`)
enforces it. A requirement is one of the roles or ``any`` (every logged-in administrator).
系统管理员 may do everything.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec


class AdminRole(StrEnum):
    """A bureau administrator's role (stored as its value in ``admin_user.role``)."""

    SYSTEM = "system"
    REVIEWER = "reviewer"
    CONTENT = "content"
    FRONT_DESK = "frontdesk"
    CONSULTANT = "consultant"
    HALL = "hall"
    RIGHTS = "rights"


class Requirement(StrEnum):
    """What a back-office page requires: one of the roles, or ``any`` logged-in administrator."""

    SYSTEM = "system"
    REVIEWER = "reviewer"
    CONTENT = "content"
    FRONT_DESK = "frontdesk"
    CONSULTANT = "consultant"
    HALL = "hall"
    RIGHTS = "rights"
    ANY = "any"


Role = AdminRole
ADMIN_ROLE_OPT = "admin_role"
SYSTEM = AdminRole.SYSTEM
REVIEWER = AdminRole.REVIEWER
CONTENT = AdminRole.CONTENT
FRONT_DESK = AdminRole.FRONT_DESK

ROLES: tuple[AdminRole, ...] = tuple(AdminRole)
REQUIREMENTS: tuple[Requirement, ...] = tuple(Requirement)

ROLE_LABELS: dict[str, str] = {
    "system": "系统管理员",
    "reviewer": "业务审核员",
    "content": "内容管理员",
    "frontdesk": "前台办税员",
    "consultant": "咨询专员",
    "hall": "办税服务厅人员",
    "rights": "权益保护专员",
}

REQUIREMENT_LABELS: dict[str, str] = {
    **ROLE_LABELS,
    "any": "任一管理员",
}

ROLE_DUTIES: dict[str, str] = {
    "system": "系统管理员可以使用后台的全部功能：管理员账户、插件状态，以及审核、消息和内容管理。",
    "reviewer": "业务审核员处理审核队列，向纳税人发送消息和答复。",
    "content": "内容管理员维护菜单和通知公告。",
    "frontdesk": "前台办税员在办税服务厅办理新办纳税人登记、开户（出具办税用户注册凭证）、柜台密码重置和实名采集。",
    "consultant": "咨询专员在线答复纳税人的咨询，可把答复发布到咨询辅导。",
    "hall": "办税服务厅人员查看本日预约并登记纳税人到达。",
    "rights": "权益保护专员处理纳税服务投诉和税收违法行为检举，每次查看都记入审计日志。",
}


def is_role(value: str) -> bool:
    return value in ROLES


class NavItem(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the back-office menu and the role it needs (core areas, or a plugin's)."""

    label: str
    url: str
    requirement: str
    description: str = ""

    @property
    def requirement_label(self) -> str:
        return REQUIREMENT_LABELS[self.requirement]
