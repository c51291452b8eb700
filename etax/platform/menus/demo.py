"""The demo world's 套餐业务, 特色业务 and 定制业务, published as a bureau would compose them.

Steps and entries are named by function name (the catalogue's names, which plugins use), and only
the functions registered now are used: a package grows when ``etax demo load`` runs again after a
plugin adding one of its steps was installed (a package the bureau has edited is left alone), and a
package or entry none of whose functions exist yet is simply not created.
"""

from __future__ import annotations

from etax.platform.menus import custom
from etax.platform.menus.packages.common import bump_version
from etax.platform.menus.tables import CustomService, FeaturedService, MenuPackage, MenuPackageStep
from etax.platform.registry import FunctionRegistry

# name, description, audience, step function names (in order)
PACKAGES: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "新办纳税人业务",
        "新办企业开业后依次办理：核对登记信息、维护办税人员、发票票种核定等，办完一项再办下一项。",
        "enterprise",
        (
            "纳税人基本信息",
            "财务会计制度及核算软件备案",
            "存款账户账号报告",
            "增值税一般纳税人登记",
            "企业人员维护",
            "购票人维护",
            "发票票种核定",
            "增值税专用发票最高开票限额审批",
            "发票领用",
            "办税进度及结果信息查询",
        ),
    ),
    (
        "主附税联合申报缴纳业务",
        "增值税申报后接着申报城市维护建设税、教育费附加和地方教育附加，再缴纳税款。",
        "enterprise",
        ("增值税及附加税费申报", "增值税申报", "附加税费申报", "税费缴纳", "申报信息查询", "缴款信息查询"),
    ),
    (
        "公众查询套餐",
        "不用登录：查询纳税人状态、一般纳税人资格，并阅读最新的通知公告。",
        "all",
        ("纳税人状态查询", "一般纳税人资格查询", "通知公告"),
    ),
]

# audience, function name, description ("" = the function's own)
FEATURED: list[tuple[str, str, str]] = [
    ("all", "纳税人状态查询", "输入纳税人识别号或居民身份证号码，查询登记状态"),
    ("all", "一般纳税人资格查询", ""),
    ("all", "办税地图", "就近查找办税服务厅"),
    ("enterprise", "发票票种核定", "申请或调整发票种类和数量，税务机关审核"),
    ("enterprise", "办税进度及结果信息查询", "查看申请的受理、补正和办结情况"),
    ("natural_person", "通知公告", "税务机关面向自然人的通知"),
]


# name, description, rule, rule value, entries (function names, or "套餐:<package name>")
CUSTOM: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    (
        "软件和信息技术服务业专区",
        "为软件和信息技术服务企业编排：发票业务、研发费用加计扣除等常办事项。",
        "industry",
        "软件和信息技术服务业",
        ("发票票种核定", "发票信息查询", "研发费用加计扣除", "套餐:新办纳税人业务", "办税进度及结果信息查询"),
    ),
]


def _codes(registry: FunctionRegistry, names: tuple[str, ...]) -> list[str]:
    by_name = {spec.name: spec.code for spec in registry}
    return [by_name[name] for name in names if name in by_name]


async def _write_steps(package_id: int, codes: list[str]) -> None:
    await MenuPackageStep.delete().where(MenuPackageStep.package == package_id)
    for position, code in enumerate(codes):
        await MenuPackageStep(
            key=f"{package_id}:{position}", package=package_id, position=position, code=code
        ).save()


async def load_menus_demo(registry: FunctionRegistry) -> dict[str, int]:
    """Publish the demo packages and featured entries that are missing (idempotent)."""
    created = {"packages": 0, "package_steps": 0, "featured": 0, "custom": 0}
    for name, description, audience, names in PACKAGES:
        wanted = _codes(registry, names)
        if not wanted:
            continue
        row = await MenuPackage.select(MenuPackage.id).where(MenuPackage.name == name).first()
        async with MenuPackage._meta.db.transaction():
            if row is None:
                last = (
                    await MenuPackage.select(MenuPackage.position)
                    .order_by(MenuPackage.position, ascending=False)
                    .first()
                )
                package = MenuPackage(
                    name=name,
                    description=description,
                    audience=audience,
                    status="published",
                    position=0 if last is None else int(last["position"]) + 1,
                )
                await package.save()
                await _write_steps(int(package.id), wanted)
                created["packages"] += 1
                created["package_steps"] += len(wanted)
            else:
                package_id = int(row["id"])
                steps = (
                    await MenuPackageStep.select(MenuPackageStep.code)
                    .where(MenuPackageStep.package == package_id)
                    .order_by(MenuPackageStep.position)
                )
                current = [str(step["code"]) for step in steps]
                # Grow only a package still made of demo steps in the demo's order (not one the bureau edited).
                if current != wanted and current == [code for code in wanted if code in current]:
                    await _write_steps(package_id, wanted)
                    created["package_steps"] += len(wanted) - len(current)
            await bump_version()
    for audience, function_name, description in FEATURED:
        codes = _codes(registry, (function_name,))
        if not codes:
            continue
        key = f"{audience}|{codes[0]}"
        if await FeaturedService.exists().where(FeaturedService.key == key):
            continue
        last = (
            await FeaturedService.select(FeaturedService.position)
            .where(FeaturedService.audience == audience)
            .order_by(FeaturedService.position, ascending=False)
            .first()
        )
        await FeaturedService(
            key=key,
            code=codes[0],
            description=description,
            audience=audience,
            position=0 if last is None else int(last["position"]) + 1,
        ).save()
        created["featured"] += 1
    for name, description, rule, value, entries in CUSTOM:
        if await CustomService.exists().where(CustomService.name == name):
            continue
        entry_codes: list[str] = []
        for entry in entries:
            if entry.startswith("套餐:"):
                row = await MenuPackage.select(MenuPackage.id).where(MenuPackage.name == entry[3:]).first()
                if row is not None:
                    entry_codes.append(f"package:{row['id']}")
            else:
                entry_codes += _codes(registry, (entry,))
        if entry_codes:
            await custom.save(
                custom.CustomForm(
                    name=name,
                    description=description,
                    rule=rule,
                    rule_value=value,
                    items=entry_codes,
                    publish="1",
                )
            )
            created["custom"] += 1
    return created


async def remove_menus_demo(registry: FunctionRegistry) -> None:
    """Take the demo packages, featured entries and 定制业务 away again (tests that composed with them)."""
    names = [name for name, _, _, _ in PACKAGES]
    keys = [f"{audience}|{code}" for audience, name, _ in FEATURED for code in _codes(registry, (name,))]
    async with MenuPackage._meta.db.transaction():
        ids = [
            int(r["id"])
            for r in await MenuPackage.select(MenuPackage.id).where(MenuPackage.name.is_in(names))
        ]
        if ids:
            await MenuPackageStep.delete().where(MenuPackageStep.package.is_in(ids))
            await MenuPackage.delete().where(MenuPackage.id.is_in(ids))
        if keys:
            await FeaturedService.delete().where(FeaturedService.key.is_in(keys))
        await CustomService.delete().where(CustomService.name.is_in([c[0] for c in CUSTOM]))
        await bump_version()
