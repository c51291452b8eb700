"""特色业务: functions the bureau features (typically from regional plugins), in order, per audience.

Each entry is one function for one audience (``all``, ``enterprise`` or ``natural_person``) with a
short description; the pair is unique. A visitor sees the entries of their own audience, then those
for everyone, leaving out functions that no longer exist and functions they may not open.
"""

from __future__ import annotations

import msgspec

from etax.platform.access import Access, decide
from etax.platform.caching import cached, invalidate
from etax.platform.db.integrity import is_unique_violation
from etax.platform.identity import Principal
from etax.platform.menus.packages.common import audience_label, audiences_for
from etax.platform.menus.tables import FeaturedService
from etax.platform.registry import FunctionRegistry
from etax.platform.search import login_url


class FeaturedError(Exception):
    """A change that cannot be made; the message says why, in Chinese."""


class FeaturedRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    code: str
    description: str
    audience: str
    position: int


class FeaturedLink(msgspec.Struct, frozen=True, kw_only=True):
    """An entry of the home page's 特色业务 area for one visitor."""

    code: str
    name: str
    label: str
    path: str
    url: str
    description: str
    requires_login: bool


COLUMNS = (
    FeaturedService.id,
    FeaturedService.code,
    FeaturedService.description,
    FeaturedService.audience,
    FeaturedService.position,
)


async def entries(audience: str) -> list[FeaturedRecord]:
    """The entries for one audience, in order."""
    rows = (
        await FeaturedService.select(*COLUMNS)
        .where(FeaturedService.audience == audience)
        .order_by(FeaturedService.position)
        .order_by(FeaturedService.id)
    )
    return [msgspec.convert(row, FeaturedRecord) for row in rows]


FEATURED_CACHE = "menus.featured"


async def cached_entries(audience: str) -> list[FeaturedRecord]:
    """:func:`entries`, read at most once per ``ETAX_CACHE_CHECK_SECONDS`` (see :mod:`etax.platform.caching`)."""
    return await cached(FEATURED_CACHE, audience, lambda: entries(audience))


async def entry(featured_id: int) -> FeaturedRecord | None:
    row = await FeaturedService.select(*COLUMNS).where(FeaturedService.id == featured_id).first()
    return None if row is None else msgspec.convert(row, FeaturedRecord)


async def add(registry: FunctionRegistry, audience: str, code: str, description: str) -> int:
    """Feature ``code`` for ``audience`` at the end of its list; :class:`FeaturedError` if refused."""
    invalidate(FEATURED_CACHE)
    spec = registry.get(code)
    if spec is None:
        raise FeaturedError("该功能不存在或已下线，不能加入特色业务")
    try:
        async with FeaturedService._meta.db.transaction():
            last = (
                await FeaturedService.select(FeaturedService.position)
                .where(FeaturedService.audience == audience)
                .order_by(FeaturedService.position, ascending=False)
                .first()
            )
            record = FeaturedService(
                key=f"{audience}|{code}",
                code=code,
                description=description,
                audience=audience,
                position=0 if last is None else int(last["position"]) + 1,
            )
            await record.save()
    except Exception as error:
        if is_unique_violation(error):
            raise FeaturedError(
                f"“{spec.name}”已在“{audience_label(audience)}”的特色业务中，无需重复添加"
            ) from error
        raise
    return int(record.id)


async def set_description(featured_id: int, description: str) -> FeaturedRecord | None:
    """Change an entry's description; the entry, or None when it no longer exists."""
    invalidate(FEATURED_CACHE)
    changed = (
        await FeaturedService.update({FeaturedService.description: description})
        .where(FeaturedService.id == featured_id)
        .returning(FeaturedService.id)
    )
    return await entry(featured_id) if changed else None


async def remove(featured_id: int) -> FeaturedRecord | None:
    """Remove an entry; the removed entry, or None when it no longer exists."""
    invalidate(FEATURED_CACHE)
    async with FeaturedService._meta.db.transaction():
        found = await entry(featured_id)
        if found is not None:
            await FeaturedService.delete().where(FeaturedService.id == featured_id)
    return found


async def move(featured_id: int, direction: str) -> FeaturedRecord | None:
    """Move an entry up or down its audience's list (positions renumbered in one transaction)."""
    invalidate(FEATURED_CACHE)
    async with FeaturedService._meta.db.transaction():
        found = await entry(featured_id)
        if found is None:
            return None
        ids = [record.id for record in await entries(found.audience)]
        index = ids.index(featured_id)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(ids):
            ids[index], ids[target] = ids[target], ids[index]
        for position, each in enumerate(ids):
            await FeaturedService.update({FeaturedService.position: position}).where(
                FeaturedService.id == each
            )
    return found


async def home_featured(registry: FunctionRegistry, principal: Principal | None) -> list[FeaturedLink]:
    """The visitor's 特色业务: their audience's entries, then everyone's, each function once."""
    links: list[FeaturedLink] = []
    seen: set[str] = set()
    for audience in audiences_for(principal):
        for record in await cached_entries(audience):
            spec = registry.get(record.code)
            if spec is None or record.code in seen:
                continue
            decision = decide(principal, spec)
            if decision is Access.FORBIDDEN:
                continue
            seen.add(record.code)
            needs_login = decision is Access.LOGIN_REQUIRED
            links.append(
                FeaturedLink(
                    code=spec.code,
                    name=spec.name,
                    label=spec.label,
                    path=" › ".join(spec.path),
                    url=login_url(spec.url) if needs_login else spec.url,
                    description=record.description or spec.description,
                    requires_login=needs_login,
                )
            )
    return links
