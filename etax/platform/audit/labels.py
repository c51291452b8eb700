"""The catalogue of audit actions with their Chinese labels, and readable audit entries for taxpayers.

The audit log stores stable codes (``application.complete``, ``login.enterprise.password``) and
references (``staff:13``); people read Chinese. :data:`ACTION_LABELS` names every action the portal
writes; a new action gets its line here (an uncatalogued one reads as its family, e.g. 发票业务, never
as a code). :func:`readable_entries` turns entries into what a taxpayer
reads in 历史办税操作查询: 申请 2026000001, 办税员 张*, and 税务机关 for the bureau's staff, whose
back-office user names are never shown to taxpayers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from etax.platform.auth.tables import StaffMember
from etax.platform.coresys.tables import ROLE_LABELS
from etax.platform.masking import mask_name

BUREAU = "税务机关"
ADMIN_PREFIX = "admin:"

ACTION_LABELS: dict[str, str] = {
    # 登录与退出
    "login.enterprise": "企业登录",
    "login.enterprise.password": "企业登录（企业密码）",
    "login.enterprise.person": "企业登录（选择办税人）",
    "login.agency": "代理机构登录",
    "login.agency.password": "代理机构登录（企业密码）",
    "login.agency.person": "代理机构登录（选择代理人）",
    "login.agency.client": "代理机构选择委托企业",
    "login.agency.client_leave": "代理机构结束代理",
    "login.natural_person": "自然人登录",
    "login.quick": "快捷登录",
    "login.social_security": "纯社保户登录",
    "logout.enterprise": "退出登录",
    "logout.agency": "退出登录（代理机构）",
    "logout.natural_person": "退出登录（自然人）",
    "account.locked": "密码多次输错，账户锁定",
    # 密码与注册
    "password.personal.set": "设置个人登录密码",
    "password.enterprise.recover": "找回企业密码",
    "password.natural_person.recover": "找回自然人登录密码",
    "register.natural_person": "自然人注册",
    "staff.sync": "同步办税人",
    # 用户中心
    "usercentre.password.change": "修改个人登录密码",
    "usercentre.enterprise_password.change": "修改企业密码",
    "usercentre.identity.add": "添加权限身份",
    "usercentre.identity.edit": "修改权限身份",
    "usercentre.identity.delete": "删除权限身份",
    "usercentre.officer.add": "添加办税人员",
    "usercentre.officer.permissions": "修改办税人员权限",
    "usercentre.officer.delete": "删除办税人员",
    "usercentre.officer.freeze": "冻结办税人员",
    "usercentre.officer.unfreeze": "解冻办税人员",
    "usercentre.officer.bind": "绑定办税人员",
    "usercentre.officer.unbind": "解绑办税人员",
    "usercentre.officer.reset": "重置办税人员密码",
    "usercentre.agency.certify": "认定代理机构",
    "usercentre.agency.cancel": "取消代理机构认定",
    # 涉税事项申请
    "application.submit": "提交申请",
    "application.resubmit": "补正后重新提交申请",
    "application.accept": "税务机关受理申请",
    "application.complete": "税务机关办结申请",
    "application.reject": "税务机关不予受理",
    "application.correct": "税务机关要求补正",
    # 发票
    "invoice.issue": "开具发票",
    # 税务机关（后台）
    "admin.message.send": "税务机关发送消息",
    "admin.login": "后台登录",
    "admin.login.lockout": "后台账户锁定",
    "admin.logout": "后台退出",
    "admin.account.activate": "启用管理员账户",
    "admin.account.deactivate": "停用管理员账户",
    "admin.account.unlock": "解锁管理员账户",
    "admin.announcement.create": "发布通知公告",
    "admin.announcement.update": "修改通知公告",
    "admin.announcement.delete": "删除通知公告",
    "admin.package.create": "新建套餐业务",
    "admin.package.update": "修改套餐业务",
    "admin.package.publish": "发布套餐业务",
    "admin.package.unpublish": "撤回套餐业务",
    "admin.package.move_up": "上移套餐业务",
    "admin.package.move_down": "下移套餐业务",
    "admin.package.delete": "删除套餐业务",
    "admin.featured.add": "添加特色业务",
    "admin.featured.update": "修改特色业务",
    "admin.featured.move_up": "上移特色业务",
    "admin.featured.move_down": "下移特色业务",
    "admin.featured.remove": "移除特色业务",
    "admin.custom.create": "新建定制业务",
    "admin.custom.update": "修改定制业务",
    "admin.custom.delete": "删除定制业务",
    # --- tax14b: 退抵税、纳税信用、涉税专业服务、服务事项、风险管理、办税服务厅前台 ---
    "refund.grant": "税务机关办理退抵税",
    "refund.refused": "退抵税未能办理",
    "export.filing": "出口退（免）税备案生效",
    "credit.reevaluate": "纳税信用复评（补评）",
    "agency.agreement.report": "涉税专业服务协议要素信息报告生效",
    "relation.unlink": "解除相关人员关联关系",
    "risk.answer.result": "风险疑点说明审核结果",
    "admin.risk.send": "税务机关发送风险提示",
    "admin.frontdesk.person": "前台实名采集",
    "admin.frontdesk.register": "前台新办纳税人登记",
    "admin.frontdesk.open": "前台开户（出具注册凭证）",
    "admin.frontdesk.reset": "前台重置企业密码",
}
"""Every audit action the portal writes, with the Chinese name people read."""

FAMILY_LABELS: tuple[tuple[str, str], ...] = (
    ("login.", "登录"),
    ("logout.", "退出登录"),
    ("password.", "密码操作"),
    ("usercentre.", "用户中心操作"),
    ("application.", "涉税事项申请"),
    ("invoice.", "发票业务"),
    ("admin.", "税务机关操作"),
    ("refund.", "退抵税业务"),
    ("credit.", "纳税信用业务"),
    ("risk.", "风险管理"),
)
"""Fallbacks for an action a plugin writes before it has its own line above (never the code itself)."""

TARGET_KINDS: dict[str, str] = {
    "enterprise_account": "企业账户",
    "account": "自然人账户",
    "certification": "代理机构认定",
    "message": "税务机关消息",
    "package": "套餐业务",
    "featured": "特色业务",
    "announcement": "通知公告",
    "custom": "定制业务",
}
_REFERENCE = re.compile(r"^([a-z_]+):(\d+)$")
_PERSON = re.compile(r"^(办税员|法定代表人|财务负责人) ([^（\s]+)")
_APPLICATION = re.compile(r"^(.+) (\d{10})$")


def action_label(action: str) -> str:
    """The Chinese name of an audit action (a family name for an uncatalogued one, never a code)."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    for prefix, label in FAMILY_LABELS:
        if action.startswith(prefix):
            return label
    return action if not action.isascii() else "其他操作"


def is_bureau(actor: str) -> bool:
    return actor.startswith(ADMIN_PREFIX)


class ReadableEntry(msgspec.Struct, frozen=True, kw_only=True):
    """An audit entry's who / what / on what, as a taxpayer reads them."""

    actor: str
    acting_for: str
    action: str
    target: str


async def _staff_labels(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await StaffMember.select(StaffMember.id, StaffMember.role, StaffMember.person.name).where(
        StaffMember.id.is_in(sorted(ids))
    )
    return {
        int(
            row["id"]
        ): f"{ROLE_LABELS.get(str(row['role']), '办税人员')} {mask_name(str(row['person.name']))}"
        for row in rows
    }


def _target(action: str, target: str, staff: dict[int, str]) -> str:
    reference = _REFERENCE.match(target)
    if reference:
        kind, number = reference.group(1), int(reference.group(2))
        if kind == "staff":
            return staff.get(number, "办税人员")
        return TARGET_KINDS.get(kind, "")
    if action.startswith("application."):
        found = _APPLICATION.match(target)
        if found:
            return f"申请 {found.group(2)}（{found.group(1)}）"
    person = _PERSON.match(target)
    if person:
        return f"{person.group(1)} {mask_name(person.group(2))}{target[person.end() :]}"
    return target


async def readable_entries(entries: Iterable[tuple[str, str, str, str]]) -> list[ReadableEntry]:
    """``(actor, acting_for, action, target)`` of audit entries, made readable, in the same order."""
    rows = list(entries)
    staff_ids = {
        int(found.group(2))
        for _, _, _, target in rows
        if (found := _REFERENCE.match(target)) and found.group(1) == "staff"
    }
    staff = await _staff_labels(staff_ids)
    return [
        ReadableEntry(
            actor=BUREAU if is_bureau(actor) else actor,
            acting_for="" if is_bureau(actor) else acting_for,
            action=action_label(action),
            target=_target(action, target, staff),
        )
        for actor, acting_for, action, target in rows
    ]
