"""Home page and centre menus (the portal shell; features add their home-page parts through hooks)."""

from __future__ import annotations

import logging
import weakref
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File, Redirect, Template

from etax.platform.access import SET_PASSWORD_URL, Access, decide
from etax.platform.identity import Principal
from etax.platform.messages import TAB_LABELS, HomeMessage
from etax.platform.registry import FunctionRegistry
from etax.platform.runtime import Runtime, get_runtime
from etax.platform.search import login_url
from etax.platform.tree import TreeNode
from etax.platform.web.login_end import ended_login_notice, login_url_with_notice
from etax.platform.web.session_pages import SESSION_PAGE_OPT
from etax.platform.web.shared_pages import shared_pages

log = logging.getLogger("etax.web")


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
        self.requires_login = decision is Access.LOGIN_REQUIRED
        self.visible = decision is not Access.FORBIDDEN
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
                if entry.label == self.label:  # never "咨询辅导 / 咨询辅导": the group already says it
                    entry.label = entry.name
                if entry.visible:
                    self.entries.append(entry)
            else:
                group = MenuGroup(runtime, principal, child)
                if group.entries or group.groups:
                    self.groups.append(group)


async def collect_messages(runtime: Runtime, principal: Principal | None) -> dict[str, list[HomeMessage]]:
    """Messages of every source, by tab; a failing source is skipped, never breaking the page.

    The sources run one after another, not side by side: under load, a dozen simultaneous queries per
    page only make every request wait for connections (measured on SQLite, 32 connections: 0.005–0.007 →
    0.009–0.018 of the bare endpoint's rate).
    """
    tabs: dict[str, list[HomeMessage]] = {tab: [] for tab in TAB_LABELS}
    for source in runtime.message_sources:
        try:
            found = await source.messages(principal)
        except Exception:
            continue
        for message in found:
            tabs[message.tab].append(message)
    return tabs


async def collect_home_content(
    request: Request[Any, Any, Any], runtime: Runtime, principal: Principal | None
) -> dict[str, Any]:
    """The template variables every feature's :class:`~etax.platform.home.HomeContent` gives; a part
    that fails is left out (logged), never breaking the page."""
    context: dict[str, Any] = {}
    for part in runtime.host.home_content():
        try:
            context.update(await part.context(request, principal))
        except Exception:
            log.exception("home-page content %r failed", part)
    return context


async def refresh_search(request: Request[Any, Any, Any]) -> None:
    """``before_request`` of the home page and the search routes: the plugin switches, then every plugin's
    search refresher."""
    from etax.platform.admin.switches import refresh_for

    await refresh_for(request)
    for refresher in get_runtime(request.app).host.search_refreshers():
        await refresher(request)


def centre_groups(runtime: Runtime, principal: Principal | None) -> list[MenuGroup]:
    return [MenuGroup(runtime, principal, node) for node in runtime.registry.tree.centres()]


_ANONYMOUS_CENTRES: weakref.WeakKeyDictionary[FunctionRegistry, tuple[frozenset[str], list[MenuGroup]]] = (
    weakref.WeakKeyDictionary()
)


def anonymous_centres(runtime: Runtime) -> list[MenuGroup]:
    """The home page's centres as every anonymous visitor sees them: built once per registry and set of
    plugins a system administrator switched off (nothing else changes them while a worker runs)."""
    hidden = runtime.registry.hidden_plugins
    found = _ANONYMOUS_CENTRES.get(runtime.registry)
    if found is None or found[0] != hidden:
        found = _ANONYMOUS_CENTRES[runtime.registry] = (hidden, centre_groups(runtime, None))
    return found[1]


@get("/", name="home", opt={SESSION_PAGE_OPT: True})
async def home(request: Request[Any, Any, Any]) -> Template | Redirect | Response[bytes]:
    runtime = get_runtime(request.app)
    principal = await runtime.principal_of(request)
    if principal is not None and principal.must_change_password:
        return Redirect(SET_PASSWORD_URL)  # nothing else before the personal password is set
    if principal is None:
        ended = await ended_login_notice(request)
        if ended:
            request.clear_session()
            return Redirect(login_url_with_notice("/login", ended))
    centres = anonymous_centres(runtime) if principal is None else centre_groups(runtime, principal)
    context = {
        # 个性化办税 is shown by the features that fill it (套餐业务, 特色业务), not as a tile.
        "centres": [c for c in centres if c.label != "个性化办税"],
        "messages": await collect_messages(runtime, principal),
        "tab_labels": TAB_LABELS,
        **await collect_home_content(request, runtime, principal),
    }
    if principal is None and not request.scope["query_string"]:
        # The same page for every anonymous visitor: rendered again only when what it shows changed.
        return await shared_pages(request.app).respond(
            request, "home.html", context, depends_on=(id(runtime.registry), runtime.registry.hidden_plugins)
        )
    return Template("home.html", context=context)


FAVICON = Path(__file__).resolve().parents[2] / "static" / "favicon.ico"


@get("/favicon.ico", name="favicon", cache=86400, include_in_schema=False)
async def favicon() -> File:
    """The bureau's icon where browsers look for it by default (every page also links it)."""
    return File(FAVICON, media_type="image/x-icon", content_disposition_type="inline")


@get("/menu/{code:path}", name="menu")
async def menu(request: Request[Any, Any, Any], code: FromPath[str]) -> Template:
    """A centre or group page: its functions the visitor may see, grouped."""
    from etax.platform.admin.switches import refresh_for

    await refresh_for(request)
    runtime = get_runtime(request.app)
    principal = await runtime.principal_of(request)
    wanted = code.strip("/")
    node = runtime.registry.tree.node(wanted)
    if node is None or node.function is not None:
        raise NotFoundException()
    group = MenuGroup(runtime, principal, node)
    trail = node.code.split("/")
    return Template(
        "menu.html",
        context={"group": group, "trail": trail, "empty_note": empty_note(principal, group.label)},
    )


def empty_note(principal: Principal | None, label: str) -> str:
    """What a menu with nothing for this visitor says, in words that fit who they are."""
    if principal is None:
        return f"“{label}”下暂无功能。"
    if principal.kind == "natural_person":
        return (
            f"“{label}”下暂无自然人可以办理的功能。自然人可以办理的业务在首页办税区中列出；"
            "如需为企业办理涉税业务，请使用企业登录。"
        )
    if principal.kind == "agency":
        if principal.acting_for is None:
            return f"请先选择委托企业，再办理“{label}”下的业务。"
        return f"委托企业未将“{label}”下的功能委托给本代理机构。如需代理，请联系委托企业在“代理机构认定管理”中委托。"
    if principal.functions.every:
        return f"“{label}”下暂无可以办理的功能。"
    return (
        f"您当前的身份在“{label}”下没有可用的功能。如需授权，请联系企业的法定代表人或财务负责人"
        "在“企业人员维护”中为您勾选功能。"
    )
