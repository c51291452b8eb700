"""The forms of the 套餐业务 and 特色业务 back office: one msgspec Struct each, Chinese labels and rules."""

from __future__ import annotations

from typing import Annotated

import msgspec

from etax.platform.functions import CODE_PATTERN
from etax.platform.menus.tables import MENU_AUDIENCES

NAME_LENGTH = 60
DESCRIPTION_LENGTH = 500
FEATURED_DESCRIPTION_LENGTH = 100
MAX_STEPS = 20
STATUS_LABELS: dict[str, str] = {"draft": "草稿", "published": "已发布"}
STEP_ACTIONS = ("add", "up", "down", "remove")

Audience = Annotated[str, msgspec.Meta(title="适用对象", max_length=20)]
Code = Annotated[str, msgspec.Meta(title="功能", max_length=120)]


def split_steps(text: str) -> list[str]:
    """The step codes of the editor's hidden ``steps`` field (comma-separated, in order)."""
    return [code.strip() for code in text.split(",") if code.strip()]


class PackageForm(msgspec.Struct, kw_only=True):
    """套餐: 名称, 说明, 适用对象, 状态 and the ordered steps; ``op`` is a step-editor action, not a save."""

    name: Annotated[str, msgspec.Meta(title="套餐名称", max_length=NAME_LENGTH)] = ""
    description: Annotated[str, msgspec.Meta(title="套餐说明", max_length=DESCRIPTION_LENGTH)] = ""
    audience: Audience = "all"
    status: Annotated[str, msgspec.Meta(title="状态", max_length=10)] = "draft"
    steps: Annotated[str, msgspec.Meta(title="办理步骤", max_length=MAX_STEPS * 130)] = ""
    op: Annotated[str, msgspec.Meta(title="步骤操作", max_length=140)] = ""

    @property
    def codes(self) -> list[str]:
        return split_steps(self.steps)

    def step_action(self) -> tuple[str, str] | None:
        """``op`` as (action, argument), e.g. ``("add", "public.announcements")`` or ``("up", "2")``."""
        action, _, argument = self.op.partition(":")
        return (action, argument) if action in STEP_ACTIONS else None

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.op and self.step_action() is None:
            found["op"] = "不支持的步骤操作"
        if any(not CODE_PATTERN.match(code) for code in self.codes):
            found["steps"] = "办理步骤格式不正确，请刷新页面后重新编辑"
        if self.op:
            return found  # editing the steps: the other fields are checked on saving
        if not self.name.strip():
            found["name"] = "请填写套餐名称"
        if self.audience not in MENU_AUDIENCES:
            found["audience"] = "请选择适用对象"
        if self.status not in STATUS_LABELS:
            found["status"] = "请选择保存为草稿或发布"
        if not self.codes:
            found["steps"] = "请至少添加一个办理步骤"
        elif len(self.codes) > MAX_STEPS:
            found["steps"] = f"一个套餐最多{MAX_STEPS}个步骤"
        elif len(set(self.codes)) != len(self.codes):
            found["steps"] = "同一功能在套餐中只能出现一次"
        return found


class StatusForm(msgspec.Struct, kw_only=True):
    """发布 / 撤回 a package."""

    status: Annotated[str, msgspec.Meta(title="状态", max_length=10)] = ""

    def problems(self) -> dict[str, str]:
        return {} if self.status in STATUS_LABELS else {"status": "请选择发布或撤回"}


class MoveForm(msgspec.Struct, kw_only=True):
    """上移 / 下移 an entry."""

    direction: Annotated[str, msgspec.Meta(title="方向", max_length=10)] = ""

    def problems(self) -> dict[str, str]:
        return {} if self.direction in ("up", "down") else {"direction": "请选择上移或下移"}


class FeaturedAddForm(msgspec.Struct, kw_only=True):
    """特色业务: add a function for an audience, with a short description."""

    audience: Audience = ""
    code: Code = ""
    description: Annotated[str, msgspec.Meta(title="简短说明", max_length=FEATURED_DESCRIPTION_LENGTH)] = ""

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.audience not in MENU_AUDIENCES:
            found["audience"] = "请选择适用对象"
        if not self.code:
            found["code"] = "请先搜索并选择要添加的功能"
        return found


class FeaturedDescriptionForm(msgspec.Struct, kw_only=True):
    """Change a featured entry's short description."""

    description: Annotated[str, msgspec.Meta(title="简短说明", max_length=FEATURED_DESCRIPTION_LENGTH)] = ""
