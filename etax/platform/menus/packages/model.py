"""套餐业务 storage: a package and its ordered steps, each change in one transaction with the version.

Steps name functions by code. A function that disappears (its plugin removed) stays in the stored
package and is skipped wherever the package is shown, so nothing breaks and nothing is lost if the
plugin comes back; the editor marks such a step, and it must be removed before the package is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import msgspec

from etax.platform import clock
from etax.platform.db.integrity import is_unique_violation
from etax.platform.menus.packages.common import bump_version
from etax.platform.menus.packages.forms import MAX_STEPS, PackageForm
from etax.platform.menus.tables import MenuPackage, MenuPackageStep
from etax.platform.registry import FunctionRegistry


class PackageError(Exception):
    """A change that cannot be made; the message says why, in Chinese."""


class PackageRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A stored package with its step codes in order."""

    id: int
    name: str
    description: str
    audience: str
    status: str
    position: int
    updated_at: dt.datetime
    steps: tuple[str, ...] = ()

    @property
    def published(self) -> bool:
        return self.status == "published"

    def available_steps(self, registry: FunctionRegistry) -> tuple[str, ...]:
        """The steps whose function exists in this process's registry."""
        return tuple(code for code in self.steps if code in registry)


async def _steps_of(package_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = list(package_ids)
    steps: dict[int, list[str]] = {package_id: [] for package_id in ids}
    if not ids:
        return steps
    rows = (
        await MenuPackageStep.select(MenuPackageStep.package, MenuPackageStep.code)
        .where(MenuPackageStep.package.is_in(ids))
        .order_by(MenuPackageStep.position)
    )
    for row in rows:
        steps[int(row["package"])].append(str(row["code"]))
    return steps


def _record(row: dict[str, object], steps: list[str]) -> PackageRecord:
    return msgspec.convert({**row, "steps": steps}, PackageRecord)


COLUMNS = (
    MenuPackage.id,
    MenuPackage.name,
    MenuPackage.description,
    MenuPackage.audience,
    MenuPackage.status,
    MenuPackage.position,
    MenuPackage.updated_at,
)


async def packages(
    *, published_only: bool = False, audiences: Iterable[str] | None = None
) -> list[PackageRecord]:
    """Packages in menu order, with their steps; optionally only published ones for some audiences."""
    query = MenuPackage.select(*COLUMNS).order_by(MenuPackage.position).order_by(MenuPackage.id)
    if published_only:
        query = query.where(MenuPackage.status == "published")
    if audiences is not None:
        query = query.where(MenuPackage.audience.is_in(list(audiences)))
    rows = await query
    steps = await _steps_of(int(row["id"]) for row in rows)
    return [_record(row, steps[int(row["id"])]) for row in rows]


async def package(package_id: int) -> PackageRecord | None:
    row = await MenuPackage.select(*COLUMNS).where(MenuPackage.id == package_id).first()
    if row is None:
        return None
    return _record(row, (await _steps_of([package_id]))[package_id])


def missing_steps(registry: FunctionRegistry, codes: Iterable[str]) -> list[str]:
    return [code for code in codes if code not in registry]


def apply_step_action(
    registry: FunctionRegistry, codes: list[str], action: str, argument: str
) -> tuple[list[str], str]:
    """The steps after one editor action (add a code; move up/down or remove the step at an index).

    Returns the new steps and an error message; on error the steps are returned unchanged.
    """
    if action == "add":
        if argument not in registry:
            return codes, "该功能不存在或已下线，不能加入套餐"
        if argument in codes:
            return codes, "该功能已在套餐步骤中"
        if len(codes) >= MAX_STEPS:
            return codes, f"一个套餐最多{MAX_STEPS}个步骤"
        return [*codes, argument], ""
    if not argument.isdigit() or int(argument) >= len(codes):
        return codes, "该步骤不存在，请刷新页面后重试"
    index = int(argument)
    changed = list(codes)
    if action == "remove":
        del changed[index]
    else:
        target = index - 1 if action == "up" else index + 1
        if 0 <= target < len(changed):
            changed[index], changed[target] = changed[target], changed[index]
    return changed, ""


def _unique_name(name: str) -> PackageError:
    return PackageError(f"已有名为“{name}”的套餐（可能刚刚已经保存过），请换一个名称或到套餐列表中查看")


async def _write_steps(package_id: int, codes: list[str]) -> None:
    await MenuPackageStep.delete().where(MenuPackageStep.package == package_id)
    for position, code in enumerate(codes):
        await MenuPackageStep(
            key=f"{package_id}:{position}", package=package_id, position=position, code=code
        ).save()


async def create(form: PackageForm) -> int:
    """Store a new package with its steps (one transaction); raise :class:`PackageError` on a taken name."""
    try:
        async with MenuPackage._meta.db.transaction():
            last = (
                await MenuPackage.select(MenuPackage.position)
                .order_by(MenuPackage.position, ascending=False)
                .first()
            )
            record = MenuPackage(
                name=form.name,
                description=form.description,
                audience=form.audience,
                status=form.status,
                position=0 if last is None else int(last["position"]) + 1,
                updated_at=clock.utcnow(),
            )
            await record.save()
            await _write_steps(int(record.id), form.codes)
            await bump_version()
    except Exception as error:
        if is_unique_violation(error):
            raise _unique_name(form.name) from error
        raise
    return int(record.id)


async def update(package_id: int, form: PackageForm) -> bool:
    """Replace a package's fields and steps (one transaction); False when it no longer exists."""
    try:
        async with MenuPackage._meta.db.transaction():
            changed = (
                await MenuPackage.update(
                    {
                        MenuPackage.name: form.name,
                        MenuPackage.description: form.description,
                        MenuPackage.audience: form.audience,
                        MenuPackage.status: form.status,
                        MenuPackage.updated_at: clock.utcnow(),
                    }
                )
                .where(MenuPackage.id == package_id)
                .returning(MenuPackage.id)
            )
            if not changed:
                return False
            await _write_steps(package_id, form.codes)
            await bump_version()
    except Exception as error:
        if is_unique_violation(error):
            raise _unique_name(form.name) from error
        raise
    return True


async def set_status(package_id: int, status: str) -> str | None:
    """Publish or withdraw a package; its name, or None when it no longer exists."""
    async with MenuPackage._meta.db.transaction():
        rows = (
            await MenuPackage.update({MenuPackage.status: status, MenuPackage.updated_at: clock.utcnow()})
            .where(MenuPackage.id == package_id)
            .returning(MenuPackage.name)
        )
        if rows:
            await bump_version()
    return str(rows[0]["name"]) if rows else None


async def delete(package_id: int) -> str | None:
    """Delete a package and its steps; its name, or None when it no longer exists."""
    async with MenuPackage._meta.db.transaction():
        await MenuPackageStep.delete().where(MenuPackageStep.package == package_id)
        rows = await MenuPackage.delete().where(MenuPackage.id == package_id).returning(MenuPackage.name)
        if rows:
            await bump_version()
    return str(rows[0]["name"]) if rows else None


async def move(package_id: int, direction: str) -> str | None:
    """Move a package up or down the menu (positions renumbered); its name, or None when it is gone."""
    async with MenuPackage._meta.db.transaction():
        rows = (
            await MenuPackage.select(MenuPackage.id, MenuPackage.name)
            .order_by(MenuPackage.position)
            .order_by(MenuPackage.id)
        )
        ids = [int(row["id"]) for row in rows]
        if package_id not in ids:
            return None
        index = ids.index(package_id)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(ids):
            ids[index], ids[target] = ids[target], ids[index]
        for position, each in enumerate(ids):
            await MenuPackage.update({MenuPackage.position: position}).where(MenuPackage.id == each)
        await bump_version()
    return str(rows[index]["name"])
