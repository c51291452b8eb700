"""定制业务: functions and packages the bureau tailors to one taxpayer or a group of taxpayers.

A 定制业务 is composed in the back office like a package — a name, a description and an ordered list
of entries (functions, or published packages as ``package:<id>``) — and its audience is either a
list of taxpayers (指定纳税人) or a group rule: every taxpayer of an industry (按行业), registered for
a tax (按税种) or under a tax office / region (按地区). Only the taxpayers it is for see it, under
个性化办税 › 定制业务; the entries keep their own access rules (a function the visitor may not open
says so).
"""

from __future__ import annotations

import re

import msgspec

from etax.platform import clock
from etax.platform.coresys.tables import Taxpayer
from etax.platform.coresys.validators import normalise_code
from etax.platform.db.integrity import is_unique_violation
from etax.platform.menus.tables import CUSTOM_RULES, CustomService, CustomServiceItem, CustomServiceTaxpayer

NAME_LENGTH = 60
DESCRIPTION_LENGTH = 500
RULE_VALUE_LENGTH = 100
MAX_ITEMS = 20
MAX_TAXPAYERS = 500
CODE_PATTERN = re.compile(r"^(package:\d{1,9}|[a-z][a-z0-9_]*(\.[a-z0-9_]+)+)$")


class CustomError(Exception):
    """A change that cannot be made; the message says why, in Chinese."""


class CustomRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    description: str
    rule: str
    rule_value: str
    status: str
    items: list[str]
    tins: list[str]

    @property
    def audience_label(self) -> str:
        if self.rule == "taxpayers":
            return f"指定纳税人（{len(self.tins)}户）"
        return f"{CUSTOM_RULES.get(self.rule, self.rule)}：{self.rule_value}"


class CustomForm(msgspec.Struct, kw_only=True):
    """定制业务: 名称, 说明, 适用纳税人 (rule + value, or a list of 纳税人识别号), entries, 发布."""

    name: str = ""
    description: str = ""
    rule: str = "taxpayers"
    rule_value: str = ""
    tins: str = ""
    items: str | list[str] = []
    publish: str = ""

    @property
    def codes(self) -> list[str]:
        values = [self.items] if isinstance(self.items, str) else self.items
        seen: list[str] = []
        for value in values:
            code = value.strip()
            if code and code not in seen:
                seen.append(code)
        return seen

    @property
    def tin_list(self) -> list[str]:
        found: list[str] = []
        for part in re.split(r"[\s,，、;；]+", self.tins):
            code = normalise_code(part)
            if code and code not in found:
                found.append(code)
        return found

    @property
    def status(self) -> str:
        return "published" if self.publish else "draft"

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        name = self.name.strip()
        if not name:
            found["name"] = "请填写定制业务名称"
        elif len(name) > NAME_LENGTH:
            found["name"] = f"定制业务名称不能超过{NAME_LENGTH}个字"
        if len(self.description) > DESCRIPTION_LENGTH:
            found["description"] = f"说明不能超过{DESCRIPTION_LENGTH}个字"
        if self.rule not in CUSTOM_RULES:
            found["rule"] = "请选择适用纳税人的方式"
        elif self.rule == "taxpayers":
            tins = self.tin_list
            if not tins:
                found["tins"] = "请填写至少一个纳税人识别号（每行一个）"
            elif len(tins) > MAX_TAXPAYERS:
                found["tins"] = f"指定纳税人最多{MAX_TAXPAYERS}户，更多纳税人请按行业、税种或地区设置"
        elif not self.rule_value.strip():
            found["rule_value"] = f"请填写{CUSTOM_RULES[self.rule].removeprefix('按')}"
        elif len(self.rule_value.strip()) > RULE_VALUE_LENGTH:
            found["rule_value"] = f"不能超过{RULE_VALUE_LENGTH}个字"
        codes = self.codes
        if not codes:
            found["items"] = "请至少选择一项功能或套餐"
        elif len(codes) > MAX_ITEMS:
            found["items"] = f"一项定制业务最多包含{MAX_ITEMS}项功能或套餐"
        elif any(not CODE_PATTERN.match(code) for code in codes):
            found["items"] = "所选功能格式不正确，请刷新页面后重新选择"
        return found


async def _taxpayer_ids(tins: list[str]) -> tuple[dict[str, int], list[str]]:
    rows = await Taxpayer.select(Taxpayer.id, Taxpayer.tin).where(Taxpayer.tin.is_in(tins)) if tins else []
    found = {str(row["tin"]): int(row["id"]) for row in rows}
    return found, [tin for tin in tins if tin not in found]


async def records(*, published_only: bool = False) -> list[CustomRecord]:
    query = CustomService.select().order_by(CustomService.position).order_by(CustomService.id)
    if published_only:
        query = query.where(CustomService.status == "published")
    rows = await query
    if not rows:
        return []
    ids = [int(row["id"]) for row in rows]
    items: dict[int, list[str]] = {i: [] for i in ids}
    for item in (
        await CustomServiceItem.select(CustomServiceItem.custom, CustomServiceItem.code)
        .where(CustomServiceItem.custom.is_in(ids))
        .order_by(CustomServiceItem.position)
    ):
        items[int(item["custom"])].append(str(item["code"]))
    tins: dict[int, list[str]] = {i: [] for i in ids}
    for link in (
        await CustomServiceTaxpayer.select(CustomServiceTaxpayer.custom, CustomServiceTaxpayer.taxpayer.tin)
        .where(CustomServiceTaxpayer.custom.is_in(ids))
        .order_by(CustomServiceTaxpayer.id)
    ):
        tins[int(link["custom"])].append(str(link["taxpayer.tin"]))
    return [
        CustomRecord(
            id=int(row["id"]),
            name=str(row["name"]),
            description=str(row["description"]),
            rule=str(row["rule"]),
            rule_value=str(row["rule_value"]),
            status=str(row["status"]),
            items=items[int(row["id"])],
            tins=tins[int(row["id"])],
        )
        for row in rows
    ]


async def record(custom_id: int) -> CustomRecord | None:
    return next((r for r in await records() if r.id == custom_id), None)


async def save(form: CustomForm, custom_id: int | None = None) -> int:
    """Create or replace a 定制业务 with its entries and taxpayers (one transaction)."""
    tins = form.tin_list if form.rule == "taxpayers" else []
    found, unknown = await _taxpayer_ids(tins)
    if unknown:
        raise CustomError("以下纳税人识别号未在税务登记中找到，请核对：" + "、".join(unknown[:10]))
    name = form.name.strip()
    fields = {
        "name": name,
        "description": form.description.strip(),
        "rule": form.rule,
        "rule_value": "" if form.rule == "taxpayers" else form.rule_value.strip(),
        "status": form.status,
    }
    try:
        async with CustomService._meta.db.transaction():
            custom_id = await _write(custom_id, fields)
            await CustomServiceItem.delete().where(CustomServiceItem.custom == custom_id)
            for position, code in enumerate(form.codes):
                await CustomServiceItem(
                    key=f"{custom_id}:{position}", custom=custom_id, position=position, code=code
                ).save()
            await CustomServiceTaxpayer.delete().where(CustomServiceTaxpayer.custom == custom_id)
            for tin in tins:
                await CustomServiceTaxpayer(
                    key=f"{custom_id}:{found[tin]}", custom=custom_id, taxpayer=found[tin]
                ).save()
    except Exception as error:
        if is_unique_violation(error):
            raise CustomError(f"已有名为“{name}”的定制业务，请换一个名称") from error
        raise
    return custom_id


async def _write(custom_id: int | None, fields: dict[str, str]) -> int:
    if custom_id is None:
        last = (
            await CustomService.select(CustomService.position)
            .order_by(CustomService.position, ascending=False)
            .first()
        )
        row = CustomService(
            name=fields["name"],
            description=fields["description"],
            rule=fields["rule"],
            rule_value=fields["rule_value"],
            status=fields["status"],
            position=0 if last is None else int(last["position"]) + 1,
        )
        await row.save()
        return int(row.id)
    changed = (
        await CustomService.update(
            {
                **{getattr(CustomService, k): v for k, v in fields.items()},
                CustomService.updated_at: clock.utcnow(),
            }
        )
        .where(CustomService.id == custom_id)
        .returning(CustomService.id)
    )
    if not changed:
        raise CustomError("该定制业务已被删除")
    return custom_id


async def delete(custom_id: int) -> str | None:
    rows = await CustomService.delete().where(CustomService.id == custom_id).returning(CustomService.name)
    return str(rows[0]["name"]) if rows else None


def _matches(custom: CustomRecord, taxpayer: dict[str, object], tin: str) -> bool:
    value = custom.rule_value
    if custom.rule == "taxpayers":
        return tin in custom.tins
    if custom.rule == "industry":
        return bool(value) and value in str(taxpayer["industry"] or "")
    if custom.rule == "tax":
        taxes = {part.strip() for part in str(taxpayer["registered_taxes"] or "").split(",")}
        return value in taxes
    if custom.rule == "region":
        return bool(value) and (
            value in str(taxpayer["tax_office"] or "") or value in str(taxpayer["address"] or "")
        )
    return False


async def for_taxpayer(taxpayer_id: int | None) -> list[CustomRecord]:
    """The published 定制业务 meant for this taxpayer (none for a visitor without one)."""
    if taxpayer_id is None:
        return []
    taxpayer = (
        await Taxpayer.select(
            Taxpayer.tin, Taxpayer.industry, Taxpayer.registered_taxes, Taxpayer.tax_office, Taxpayer.address
        )
        .where(Taxpayer.id == taxpayer_id)
        .first()
    )
    if taxpayer is None:
        return []
    tin = str(taxpayer["tin"])
    return [custom for custom in await records(published_only=True) if _matches(custom, taxpayer, tin)]
