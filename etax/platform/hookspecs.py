"""Every hook a plugin can implement, in one file, each with a docstring.

Plugins implement these with ``@etax.platform.hookimpl``. Every hook returns plain, typed values; the
platform calls them through :class:`etax.platform.plugins.PluginHost`, which validates each result
with msgspec and names the plugin at fault. An implementation may take fewer arguments than its spec.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Awaitable

    from litestar.types import ControllerRouterHandler

    from etax.platform.admin.roles import NavItem
    from etax.platform.application_spec import ApplicationRecord, ApplicationSpec, Decision
    from etax.platform.clicommands import CliCommand
    from etax.platform.functions import FunctionSpec
    from etax.platform.header import HeaderLink
    from etax.platform.home import HomeContent, SearchRefresher
    from etax.platform.invoice_records import InvoiceRecord, InvoiceRecordDetail, InvoiceRecordQuery
    from etax.platform.messages import MessageSource
    from etax.platform.prefill import InvoiceFigures
    from etax.platform.proposals import PackageProposal
    from etax.platform.services import PlatformServices
    from etax.platform.static import StaticDir
    from etax.search_index import SearchDocument

hookspec = pluggy.HookspecMarker("etax")


@hookspec
def etax_functions() -> list[FunctionSpec]:
    """Declare the functions this plugin provides (code, name, menu path, keywords, audiences).

    Codes must be unique across all plugins; a duplicate stops start-up. Declare only functions
    whose routes work.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_route_handlers() -> list[ControllerRouterHandler]:
    """Return Litestar controllers, routers or route handlers for this plugin.

    Every handler must carry ``opt={"function": "<code>"}`` (on itself or its controller) naming a
    function declared through :func:`etax_functions`; the platform alone decides who may open it.
    A handler without a code, with an unknown code, or exempting itself from authentication, CSRF
    or sessions stops start-up.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_admin_route_handlers() -> list[ControllerRouterHandler]:
    """Return back-office (后台) controllers or handlers; the platform mounts them under ``/admin``.

    Every handler must carry ``opt={"admin_role": <requirement>}`` (a role of
    :mod:`etax.platform.admin.roles`, or ``any``); the platform's back-office guard enforces it and
    renders refusals. A handler without a known role, or exempting itself, stops start-up.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_admin_nav() -> list[NavItem]:
    """Return entries for the back-office menu (label, ``/admin/...`` url, role, description).

    An entry shows to administrators whose role allows its requirement, once its url is mounted.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_template_dirs() -> list[str]:
    """Return directories of Jinja2 templates; name templates ``<plugin>/...`` to avoid clashes."""
    raise AssertionError("hook specification")


@hookspec
def etax_static_dirs() -> list[StaticDir]:
    """Return static directories, each served under ``/static/plugins/<name>/``."""
    raise AssertionError("hook specification")


@hookspec
def etax_piccolo_apps() -> list[str]:
    """Return dotted paths of Piccolo app modules (``pkg.piccolo_app``) holding tables and migrations."""
    raise AssertionError("hook specification")


@hookspec
def etax_search_documents() -> list[SearchDocument]:
    """Return extra search documents (e.g. knowledge-base articles) beside the declared functions."""
    raise AssertionError("hook specification")


@hookspec
def etax_message_sources() -> list[MessageSource]:
    """Return sources for the home page's message area (我的待办, 服务提醒, 通知公告)."""
    raise AssertionError("hook specification")


@hookspec
def etax_header_links() -> list[HeaderLink]:
    """Return links for the portal header (e.g. 我的消息 with its unread count).

    Each names the function it opens; the header shows it only to logged-in visitors who may open that
    function, so the shell never calls a route of a plugin that is absent or denied. ``count`` (async,
    given the principal) fills the badge; a failing count shows the link without a number.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_applications() -> list[ApplicationSpec]:
    """Declare tax-matter applications (涉税事项): a form Struct, 事项代码 and attachment rules each.

    Each application belongs to a function this plugin declares through :func:`etax_functions` (else
    the plugin is left out at start-up); the plugin mounts the platform's form routes for it with
    ``etax.platform.applications.application_controller``. The platform renders and checks the form,
    numbers and stores the application with its 电子资料, and runs the bureau's review.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_application_decided(application: ApplicationRecord, decision: Decision) -> Awaitable[None] | None:
    """React to a reviewer's decision on any application, after the decision is committed.

    May be ``async``. Called for every decision (受理, 办结, 不予受理, 需补正) of every application:
    check ``application.function`` and ``decision.status``. A raising implementation is logged; the
    decision stands.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_startup(services: PlatformServices) -> None:
    """Called once when the application starts, after the database is reachable."""
    raise AssertionError("hook specification")


@hookspec(firstresult=True)
def etax_invoice_figures(
    taxpayer_id: int, start: dt.date, end: dt.date
) -> InvoiceFigures | Awaitable[InvoiceFigures | None] | None:
    """Return the taxpayer's invoice figures for the period ``start``..``end`` (Beijing dates, inclusive).

    Implemented by the invoices plugin; the filing plugin calls it to pre-fill returns (预填) and works
    without it (``None``: nothing to pre-fill). May be ``async`` (return an awaitable).
    """
    raise AssertionError("hook specification")


@hookspec(firstresult=True)
def etax_invoice_records(
    query: InvoiceRecordQuery,
) -> list[InvoiceRecord] | Awaitable[list[InvoiceRecord] | None] | None:
    """Return one keyset page of the taxpayer's issued or received invoices matching ``query``.

    Rows come in the read order the query names (id descending, ascending when ``backward``), at most
    ``query.limit``. Implemented by the invoices plugin; the query centre's 发票信息查询 calls it through
    ``etax.platform.api.invoice_records``. ``None``: no invoices plugin answers. May be ``async``.
    """
    raise AssertionError("hook specification")


@hookspec(firstresult=True)
def etax_invoice_record(
    taxpayer_id: int, invoice_id: int
) -> InvoiceRecordDetail | Awaitable[InvoiceRecordDetail | None] | None:
    """Return one invoice the taxpayer issued or received, with its lines; ``None`` for anyone else's.

    The detail of 发票信息查询 (``etax.platform.api.invoice_record``). May be ``async``.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_home_content() -> list[HomeContent]:
    """Return parts of the home page: each gives template variables for one visitor.

    The core home page shows the centres and the message area; features fill the rest (the menus'
    套餐业务, 特色业务 and 常用功能). A part that raises is skipped; the page still renders.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_search_refreshers() -> list[SearchRefresher]:
    """Return async callables ``refresh(request)`` run before search, suggestion and home-page requests.

    For search documents that change at run time (the bureau's 套餐业务): compare a cheap version
    counter and rebuild this worker's documents when another worker changed them.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_cli_commands() -> list[CliCommand]:
    """Return commands this plugin adds to the ``etax`` command line (``etax forms compute ...``).

    Each :class:`~etax.platform.clicommands.CliCommand` names its words (one, or a group and a
    command), a help line, a function adding its ``argparse`` arguments and the function running it
    (returns the exit status). A command that shadows a built-in or another plugin's leaves the plugin
    out at start-up.
    """
    raise AssertionError("hook specification")


# --- hook API 1.1 (reg17) ---------------------------------------------------------------------------


@hookspec
def etax_search_synonyms() -> dict[str, tuple[str, ...]]:
    """Return query synonyms: alias → the words it also means (``{"交社保": ("社保费缴纳",)}``).

    They extend the portal's own table (``etax/search_index/synonyms.tsv``) for every search; a query
    containing the alias also finds what its expansions find. Added in hook API 1.1.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_demo_load() -> Awaitable[str] | str | None:
    """Load this plugin's demo data after the core demo world (``etax demo load``); may be ``async``.

    Must be idempotent (running it twice changes nothing) and is never called in production mode.
    Returns a one-line summary to print, or ``None``. Added in hook API 1.1.
    """
    raise AssertionError("hook specification")


@hookspec
def etax_package_proposals() -> list[PackageProposal]:
    """Propose 套餐业务 to the bureau: name, description, audience and steps (function codes).

    Proposals are listed on the back office's 套餐业务 page, where a content administrator may adopt one
    as a draft package; taxpayers see a package only once it is published. Each proposal must include a
    function of the proposing plugin. Added in hook API 1.1.
    """
    raise AssertionError("hook specification")
