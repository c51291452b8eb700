"""What 套餐业务 and 特色业务 share: who an entry is for, and the menus' version counter.

An entry's audience is ``all`` (every visitor), ``enterprise`` or ``natural_person``. Anonymous
visitors see the ``all`` entries only; a logged-in visitor sees the entries for their own audience
first, then the ``all`` entries (an agency acting for a client counts as an enterprise).
"""

from __future__ import annotations

from etax.platform.caching import VersionKey, invalidate
from etax.platform.identity import Principal
from etax.platform.menus.tables import MENU_AUDIENCES, MenuVersion

ALL = "all"
AUDIENCE_HINTS: dict[str, str] = {
    "all": "全部访客（含未登录的访客）",
    "enterprise": "企业纳税人（含代理其业务的涉税专业服务机构）",
    "natural_person": "自然人",
}
PACKAGES_VERSION = "packages"
PACKAGES_CACHE = "menus.packages"


def audiences_for(principal: Principal | None) -> tuple[str, ...]:
    """The menu audiences a visitor sees, their own first (``("all",)`` for anonymous visitors)."""
    if principal is None:
        return (ALL,)
    own = principal.audience.value
    return (own, ALL) if own in MENU_AUDIENCES and own != ALL else (ALL,)


def audience_label(audience: str) -> str:
    return MENU_AUDIENCES.get(audience, audience)


async def menu_version(name: str = PACKAGES_VERSION) -> int:
    """The current value of the menu's change counter (0 before its first change)."""
    row = await MenuVersion.select(MenuVersion.counter).where(MenuVersion.name == name).first()
    return 0 if row is None else int(row["counter"])


async def _packages_version() -> int:
    return await menu_version(PACKAGES_VERSION)


PACKAGES_VERSION_KEY = VersionKey(_packages_version)
"""The packages' version as every worker sees it: read at most once per ``ETAX_CACHE_CHECK_SECONDS``."""


async def bump_version(name: str = PACKAGES_VERSION) -> None:
    """Raise the menu's change counter; call it inside the transaction that changes the menu."""
    PACKAGES_VERSION_KEY.expire()
    invalidate(PACKAGES_CACHE)
    raised = (
        await MenuVersion.update({MenuVersion.counter: MenuVersion.counter + 1})
        .where(MenuVersion.name == name)
        .returning(MenuVersion.id)
    )
    if not raised:  # the menu's first change: create its row (once, however many race), then raise it
        await MenuVersion.insert(MenuVersion(name=name, counter=0)).on_conflict(action="DO NOTHING")
        await MenuVersion.update({MenuVersion.counter: MenuVersion.counter + 1}).where(
            MenuVersion.name == name
        )
