"""常用功能: each person's favourite functions, per person and enterprise, in their chosen order."""

from __future__ import annotations

from etax.platform.access import Access, decide
from etax.platform.functions import FunctionSpec
from etax.platform.identity import Principal
from etax.platform.menus.tables import Favourite
from etax.platform.registry import FunctionRegistry

MAX_FAVOURITES = 12
DEFAULT_COUNT = 6


def owner_of(principal: Principal) -> str:
    """Whose favourites: a staff member of one enterprise, an agent for one client, or a natural person."""
    if principal.kind == "natural_person":
        return f"np:{principal.person_id}"
    if principal.kind == "agency":
        return f"agency:{principal.staff_id}:{principal.acting_for or 0}"
    return f"staff:{principal.staff_id}"


def _openable(registry: FunctionRegistry, principal: Principal, code: str) -> FunctionSpec | None:
    spec = registry.get(code)
    if spec is None or decide(principal, spec) is not Access.ALLOW:
        return None
    return spec


async def stored_codes(owner: str) -> list[str] | None:
    """The owner's saved codes in order, or None when they never edited their favourites."""
    rows = await Favourite.select(Favourite.code).where(Favourite.owner == owner).order_by(Favourite.position)
    if not rows:
        return None
    return [str(row["code"]) for row in rows]


def default_codes(registry: FunctionRegistry, principal: Principal, popularity: dict[str, int]) -> list[str]:
    """Sensible defaults for a new user: the most opened functions they may open."""
    ranked = sorted(registry, key=lambda spec: (-popularity.get(spec.code, 0), spec.path))
    picked = [
        spec.code for spec in ranked if not spec.is_public and _openable(registry, principal, spec.code)
    ]
    picked += [spec.code for spec in ranked if spec.is_public]
    return picked[:DEFAULT_COUNT]


async def favourites_and_saved(
    registry: FunctionRegistry, principal: Principal, popularity: dict[str, int]
) -> tuple[list[FunctionSpec], bool]:
    """:func:`favourites` and whether the owner has a saved list (False: these are the defaults), from
    one read of the saved list."""
    codes = await stored_codes(owner_of(principal))
    saved = codes is not None
    if codes is None:
        codes = default_codes(registry, principal, popularity)
    return [spec for code in codes if (spec := _openable(registry, principal, code)) is not None], saved


async def favourites(
    registry: FunctionRegistry, principal: Principal, popularity: dict[str, int]
) -> list[FunctionSpec]:
    """The functions to show under 常用功能; ones that disappeared or were un-granted are skipped."""
    shown, _ = await favourites_and_saved(registry, principal, popularity)
    return shown


async def save(owner: str, codes: list[str]) -> None:
    """Replace the owner's favourites with ``codes`` in this order (one transaction)."""
    async with Favourite._meta.db.transaction():
        await Favourite.delete().where(Favourite.owner == owner)
        for position, code in enumerate(codes):
            await Favourite(key=f"{owner}|{code}", owner=owner, code=code, position=position).save()


class FavouriteError(Exception):
    """A Chinese message for the user."""


async def change(
    registry: FunctionRegistry,
    principal: Principal,
    popularity: dict[str, int],
    *,
    action: str,
    code: str,
) -> list[FunctionSpec]:
    """Add, remove, or move a function up or down; return the new list."""
    current = [spec.code for spec in await favourites(registry, principal, popularity)]
    if action == "add":
        if _openable(registry, principal, code) is None:
            raise FavouriteError("该功能不存在或您没有使用权限，不能加入常用功能")
        if code in current:
            raise FavouriteError("该功能已在常用功能中")
        if len(current) >= MAX_FAVOURITES:
            raise FavouriteError(f"常用功能最多设置{MAX_FAVOURITES}项，请先移除不常用的功能")
        current.append(code)
    elif code not in current:
        raise FavouriteError("该功能不在常用功能中")
    elif action == "remove":
        current.remove(code)
    elif action in ("up", "down"):
        index = current.index(code)
        target = index - 1 if action == "up" else index + 1
        if 0 <= target < len(current):
            current[index], current[target] = current[target], current[index]
    else:
        raise FavouriteError("不支持的操作")
    await save(owner_of(principal), current)
    return [spec for code in current if (spec := _openable(registry, principal, code)) is not None]
