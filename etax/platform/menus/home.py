"""The menus' part of the home page: 套餐业务, 特色业务 (with their "更多" links) and 常用功能.

Contributed through ``etax_home_content``; the core home page knows nothing of menus.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from etax.platform.caching import cached
from etax.platform.identity import Principal
from etax.platform.menus import favourites
from etax.platform.menus.featured import home_featured
from etax.platform.menus.packages.view import home_packages
from etax.platform.runtime import Runtime, get_runtime
from etax.platform.web.pages import MenuEntry

POPULAR_CACHE = "menus.popular_anonymous"


class MenusHome:
    """A :class:`~etax.platform.home.HomeContent`: the bureau's packages, featured services, favourites."""

    async def context(self, request: Request[Any, Any, Any], principal: Principal | None) -> dict[str, Any]:
        runtime = get_runtime(request.app)
        return {
            # 套餐业务 and 特色业务 are composed by the bureau (/admin/packages, /admin/featured); the
            # functions plugins declare under 个性化办税 stay one "更多" click away.
            "packages": await home_packages(runtime.registry, principal),
            "featured": await home_featured(runtime.registry, principal),
            # The 个性化办税 centre lists them all (and the plugins' own entries under it).
            "more_packages": "/menu/个性化办税/套餐及组合业务",
            "more_featured": "/menu/个性化办税/特色业务",
            "popular": await _favourite_entries(runtime, principal),
            "can_edit_favourites": principal is not None,
        }


async def _favourite_entries(runtime: Runtime, principal: Principal | None) -> list[MenuEntry]:
    """常用功能: a logged-in visitor's own favourites (or defaults); the most opened ones otherwise."""
    if principal is None:

        async def load() -> list[MenuEntry]:
            return _popular_entries(runtime, None)

        # The same for every anonymous visitor; popularity moves slowly: re-ranked once per check interval.
        return await cached(POPULAR_CACHE, id(runtime), load)
    entries: list[MenuEntry] = []
    shown, saved = await favourites.favourites_and_saved(
        runtime.registry, principal, runtime.search.popularity
    )
    if not saved:
        # The defaults a new user first sees become their list, so it does not shift under them.
        await favourites.save(favourites.owner_of(principal), [spec.code for spec in shown])
    for spec in shown:
        node = runtime.registry.tree.node(spec.code)
        if node is not None:
            entries.append(MenuEntry(runtime, principal, node))
    return entries


def _popular_entries(runtime: Runtime, principal: Principal | None, limit: int = 8) -> list[MenuEntry]:
    """The most opened functions; for anonymous visitors only public ones (not "登录后办理" entries
    that drift in from what logged-in taxpayers open)."""
    ranked = sorted(
        (spec for spec in runtime.registry if principal is not None or spec.is_public),
        key=lambda spec: (-runtime.search.popularity.get(spec.code, 0), spec.code),
    )
    entries: list[MenuEntry] = []
    for spec in ranked:
        node = runtime.registry.tree.node(spec.code)
        if node is None:
            continue
        entry = MenuEntry(runtime, principal, node)
        if entry.visible:
            entries.append(entry)
        if len(entries) == limit:
            break
    return entries
