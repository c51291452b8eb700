"""Home page and centre menus."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from etax.platform.access import SET_PASSWORD_URL, Decision, decide
from etax.platform.identity import Principal
from etax.platform.menus import favourites
from etax.platform.menus.featured import home_featured
from etax.platform.menus.packages.view import home_packages
from etax.platform.messages import TAB_LABELS, HomeMessage
from etax.platform.runtime import Runtime, get_runtime
from etax.platform.search import login_url
from etax.platform.tree import TreeNode


class MenuEntry:
    """A function as a menu shows it to one visitor."""

    def __init__(self, runtime: Runtime, principal: Principal | None, node: TreeNode) -> None:
        spec = node.function
        assert spec is not None
        decision = decide(principal, spec)
        self.code = spec.code
        self.name = spec.name
        self.label = spec.label
        self.path = " › ".join(spec.path)
        self.requires_login = decision is Decision.LOGIN_REQUIRED
        self.visible = decision is not Decision.FORBIDDEN
        self.url = login_url(spec.url) if self.requires_login else spec.url


class MenuGroup:
    """A group node with the entries a visitor may see (empty groups are hidden)."""

    def __init__(self, runtime: Runtime, principal: Principal | None, node: TreeNode) -> None:
        self.code = node.code
        self.label = node.label
        self.entries: list[MenuEntry] = []
        self.groups: list[MenuGroup] = []
        for child in node.children:
            if child.function is not None:
                entry = MenuEntry(runtime, principal, child)
                if entry.visible:
                    self.entries.append(entry)
            else:
                group = MenuGroup(runtime, principal, child)
                if group.entries or group.groups:
                    self.groups.append(group)


async def collect_messages(runtime: Runtime, principal: Principal | None) -> dict[str, list[HomeMessage]]:
    """Messages of every source, by tab; a failing source is skipped, never breaking the page."""
    tabs: dict[str, list[HomeMessage]] = {tab: [] for tab in TAB_LABELS}
    results = await asyncio.gather(
        *(source.messages(principal) for source in runtime.message_sources), return_exceptions=True
    )
    for result in results:
        if isinstance(result, BaseException):
            continue
        for message in result:
            tabs[message.tab].append(message)
    return tabs


@get("/", name="home")
async def home(request: Request[Any, Any, Any]) -> Template | Redirect:
    runtime = get_runtime(request.app)
    principal = await runtime.principal_of(request)
    if principal is not None and principal.must_change_password:
        return Redirect(SET_PASSWORD_URL)  # nothing else before the personal password is set
    tree = runtime.registry.tree
    centres = [MenuGroup(runtime, principal, node) for node in tree.centres()]
    return Template(
        "home.html",
        context={
            "centres": [c for c in centres if c.label != "个性化办税"],
            # 套餐业务 and 特色业务 are composed by the bureau (/admin/packages, /admin/featured); the
            # functions plugins declare under 个性化办税 stay one "更多" click away.
            "packages": await home_packages(runtime.registry, principal),
            "featured": await home_featured(runtime.registry, principal),
            "more_packages": _more_link(runtime, principal, "个性化办税/套餐及组合业务"),
            "more_featured": _more_link(runtime, principal, "个性化办税/特色业务"),
            "messages": await collect_messages(runtime, principal),
            "tab_labels": TAB_LABELS,
            "popular": await _favourite_entries(runtime, principal),
            "can_edit_favourites": principal is not None,
        },
    )


def _more_link(runtime: Runtime, principal: Principal | None, code: str) -> str:
    """The menu page of a 个性化办税 group when it holds functions the visitor may see, else ""."""
    node = runtime.registry.tree.node(code)
    if node is None or node.function is not None:
        return ""
    group = MenuGroup(runtime, principal, node)
    return f"/menu/{code}" if group.entries or group.groups else ""


async def _favourite_entries(runtime: Runtime, principal: Principal | None) -> list[MenuEntry]:
    """常用功能: a logged-in visitor's own favourites (or defaults); the most opened ones otherwise."""
    if principal is None:
        return _popular_entries(runtime, principal)
    entries: list[MenuEntry] = []
    shown = await favourites.favourites(runtime.registry, principal, runtime.search.popularity)
    owner = favourites.owner_of(principal)
    if await favourites.stored_codes(owner) is None:
        # The defaults a new user first sees become their list, so it does not shift under them.
        await favourites.save(owner, [spec.code for spec in shown])
    for spec in shown:
        node = runtime.registry.tree.node(spec.code)
        if node is not None:
            entries.append(MenuEntry(runtime, principal, node))
    return entries


def _popular_entries(runtime: Runtime, principal: Principal | None, limit: int = 8) -> list[MenuEntry]:
    ranked = sorted(
        runtime.registry, key=lambda spec: (-runtime.search.popularity.get(spec.code, 0), spec.code)
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


@get("/menu/{code:path}", name="menu")
async def menu(request: Request[Any, Any, Any], code: FromPath[str]) -> Template:
    """A centre or group page: its functions the visitor may see, grouped."""
    runtime = get_runtime(request.app)
    principal = await runtime.principal_of(request)
    node = runtime.registry.tree.node(code.strip("/"))
    if node is None or node.function is not None:
        raise NotFoundException()
    group = MenuGroup(runtime, principal, node)
    trail = node.code.split("/")
    return Template("menu.html", context={"group": group, "trail": trail})
