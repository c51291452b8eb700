"""Loading plugins and calling their hooks through a typed facade.

Plugins come from three places, all loaded the same way: the ``etax.plugins`` entry-point group
(etax's own built-in plugins are declared there too), and the modules named in ``ETAX_PLUGINS``.
``ETAX_DENY_PLUGINS`` drops plugins by name; ``ETAX_ALLOW_PLUGINS``, when set, keeps only those named.

A plugin that fails to import, or whose hook raises or returns something malformed, is recorded as a
:class:`PluginFailure` and left out entirely; with ``ETAX_STRICT_PLUGINS=1`` that stops start-up.
``pm.hook`` is never called directly outside this module: :class:`PluginHost` calls every hook
implementation on its own, validates the result with msgspec and returns typed values.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, TypeVar

import msgspec
import pluggy
from litestar import Router
from litestar.controller import Controller
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ControllerRouterHandler

from etax.platform import hookspecs
from etax.platform.admin.roles import REQUIREMENTS, NavItem
from etax.platform.clicommands import CliCommand
from etax.platform.errors import StartupError
from etax.platform.functions import FunctionSpec
from etax.platform.header import HeaderLink
from etax.platform.home import HomeContent, SearchRefresher
from etax.platform.hookapi import declared_range, incompatibility
from etax.platform.invoice_records import InvoiceRecord, InvoiceRecordDetail, InvoiceRecordQuery
from etax.platform.messages import MessageSource
from etax.platform.prefill import InvoiceFigures
from etax.platform.proposals import PackageProposal
from etax.platform.services import PlatformServices
from etax.platform.settings import Settings
from etax.platform.static import NAME_PATTERN, StaticDir
from etax.search_index import SearchDocument

if TYPE_CHECKING:
    from etax.platform.application_spec import ApplicationRecord, ApplicationSpec, Decision

log = logging.getLogger("etax.plugins")

ENTRY_POINT_GROUP = "etax.plugins"
# The platform's own features that are built as plugins (like Datasette's DEFAULT_PLUGINS): they go
# through exactly the same checks as every other plugin, but cannot be denied.
CORE_PLUGINS: tuple[str, ...] = (
    "etax.platform.usercentre",
    "etax.platform.menus",
    "etax.platform.applications",
    "etax.platform.admin_reports",
    "etax.platform.calendar",
    "etax.platform.halls",
)
PROJECT = "etax"
# The ``etax`` command's own first words; a plugin command may not shadow them (etax/cli.py).
BUILTIN_COMMANDS = frozenset({"serve", "db", "demo", "functions", "plugins", "plugin", "search", "admin"})
T = TypeVar("T")


class PluginFailure(msgspec.Struct, frozen=True, kw_only=True):
    """A plugin left out at start-up, and why."""

    plugin: str
    stage: str
    error: str


class PluginInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A loaded plugin, as ``etax plugins list`` and the admin page show it."""

    name: str
    module: str
    source: str
    functions: tuple[str, ...]
    routes: int
    version: str = ""
    api_range: str = ""


@dataclass
class PluginContribution:
    """Everything one plugin contributed, validated."""

    name: str
    module: str
    source: str
    version: str = ""
    api_range: str = ""
    functions: list[FunctionSpec] = field(default_factory=list)
    route_handlers: list[ControllerRouterHandler] = field(default_factory=list)
    admin_route_handlers: list[ControllerRouterHandler] = field(default_factory=list)
    admin_nav: list[NavItem] = field(default_factory=list)
    template_dirs: list[Path] = field(default_factory=list)
    static_dirs: list[StaticDir] = field(default_factory=list)
    piccolo_apps: list[str] = field(default_factory=list)
    search_documents: list[SearchDocument] = field(default_factory=list)
    message_sources: list[MessageSource] = field(default_factory=list)
    applications: list[ApplicationSpec] = field(default_factory=list)
    home_content: list[HomeContent] = field(default_factory=list)
    search_refreshers: list[SearchRefresher] = field(default_factory=list)
    cli_commands: list[CliCommand] = field(default_factory=list)
    header_links: list[HeaderLink] = field(default_factory=list)
    search_synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    package_proposals: list[PackageProposal] = field(default_factory=list)


class PluginHookError(Exception):
    """A hook of one plugin raised or returned something malformed."""

    def __init__(self, plugin: str, hook: str, error: str) -> None:
        super().__init__(f"plugin {plugin!r}, hook {hook}: {error}")
        self.plugin = plugin
        self.hook = hook
        self.error = error


def _identity(module: ModuleType) -> ModuleType:
    return module


def _is_route_item(item: object) -> bool:
    if isinstance(item, Router | BaseRouteHandler):
        return True
    return isinstance(item, type) and issubclass(item, Controller)


class PluginHost:
    """The plugin manager of one application, behind a typed interface."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pm = pluggy.PluginManager(PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.contributions: list[PluginContribution] = []
        self.failures: list[PluginFailure] = []
        self._sources: dict[str, str] = {}
        self._versions: dict[str, str] = {}

    # -- loading -------------------------------------------------------------------------------

    def _wanted(self, name: str) -> bool:
        if name in CORE_PLUGINS:
            return True
        if name in self.settings.deny_plugins:
            return False
        return not self.settings.allow_plugins or name in self.settings.allow_plugins

    def _fail(self, plugin: str, stage: str, error: str) -> None:
        failure = PluginFailure(plugin=plugin, stage=stage, error=error)
        log.error("plugin %s left out (%s): %s", plugin, stage, error)
        if self.settings.strict_plugins:
            raise StartupError(f"plugin {plugin!r} failed ({stage}): {error} [ETAX_STRICT_PLUGINS=1]")
        self.failures.append(failure)

    def _register(self, name: str, load: Callable[[], object], source: str, version: str = "") -> None:
        if not self._wanted(name) or self.pm.has_plugin(name):
            return
        try:
            module = load()
        except Exception as exc:
            self._fail(name, "import", f"{type(exc).__name__}: {exc}")
            return
        if self.pm.is_registered(module):
            return  # the same module under another name (an installed entry point and ETAX_PLUGINS)
        problem = incompatibility(name, declared_range(module))
        if problem is not None:
            self._fail(name, "hook API", problem)
            return
        try:
            self.pm.register(module, name=name)
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            if self.pm.has_plugin(name):
                self.pm.unregister(name=name)
            self._fail(name, "register", str(exc))
            return
        self._sources[name] = source
        self._versions[name] = version or str(getattr(module, "__version__", ""))

    def load(self, extra: Iterable[ModuleType] = ()) -> None:
        """Load core, entry-point, ``ETAX_PLUGINS`` and ``extra`` plugin modules, then collect."""
        for dotted in CORE_PLUGINS:
            self._register(dotted, partial(importlib.import_module, dotted), "core")
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
            dist = ep.dist
            self._register(ep.name, ep.load, f"entry point {ep.value}", dist.version if dist else "")
        for dotted in self.settings.plugins:
            self._register(dotted, partial(importlib.import_module, dotted), "ETAX_PLUGINS")
        for module in extra:
            self._register(module.__name__, partial(_identity, module), "registered in code")
        for name in [name for name, _ in self.pm.list_name_plugin()]:
            try:
                self.contributions.append(self._collect(name))
            except PluginHookError as exc:
                self.pm.unregister(name=name)
                self._fail(exc.plugin, exc.hook, exc.error)

    # -- calling hooks one plugin at a time ----------------------------------------------------

    def _call(self, plugin: str, hook: str, kind: type[T], **kwargs: object) -> T | None:
        caller = getattr(self.pm.hook, hook)
        for impl in caller.get_hookimpls():
            if impl.plugin_name != plugin:
                continue
            try:
                result = impl.function(**{arg: kwargs[arg] for arg in impl.argnames})
            except Exception as exc:
                raise PluginHookError(plugin, hook, f"{type(exc).__name__}: {exc}") from exc
            if kind is type(None):
                return None
            try:
                return msgspec.convert(result, kind)
            except msgspec.ValidationError as exc:
                raise PluginHookError(plugin, hook, f"malformed result: {exc}") from exc
        return None

    def _call_list(self, plugin: str, hook: str, check: Callable[[object], bool], what: str) -> list[object]:
        caller = getattr(self.pm.hook, hook)
        for impl in caller.get_hookimpls():
            if impl.plugin_name != plugin:
                continue
            try:
                result = impl.function()
            except Exception as exc:
                raise PluginHookError(plugin, hook, f"{type(exc).__name__}: {exc}") from exc
            if not isinstance(result, list):
                raise PluginHookError(plugin, hook, f"expected a list, got {type(result).__name__}")
            for item in result:
                if not check(item):
                    raise PluginHookError(plugin, hook, f"expected {what}, got {item!r}")
            return list(result)
        return []

    def _collect(self, name: str) -> PluginContribution:
        module = self.pm.get_plugin(name)
        contribution = PluginContribution(
            name=name,
            module=getattr(module, "__name__", repr(module)),
            source=self._sources.get(name, ""),
            version=self._versions.get(name, ""),
            api_range=declared_range(module),
        )
        for spec in self._call(name, "etax_functions", list[FunctionSpec]) or []:
            contribution.functions.append(msgspec.structs.replace(spec, plugin=name))
        contribution.route_handlers = [
            item  # type: ignore[misc]
            for item in self._call_list(name, "etax_route_handlers", _is_route_item, "a Litestar controller")
        ]
        contribution.admin_route_handlers = [
            item  # type: ignore[misc]
            for item in self._call_list(
                name, "etax_admin_route_handlers", _is_route_item, "a Litestar controller"
            )
        ]
        for item in self._call(name, "etax_admin_nav", list[NavItem]) or []:
            if item.requirement not in REQUIREMENTS or not item.url.startswith("/admin/"):
                raise PluginHookError(name, "etax_admin_nav", f"bad back-office menu entry {item!r}")
            contribution.admin_nav.append(item)
        for directory in self._call(name, "etax_template_dirs", list[str]) or []:
            if not Path(directory).is_dir():
                raise PluginHookError(name, "etax_template_dirs", f"no such directory: {directory}")
            contribution.template_dirs.append(Path(directory))
        for static in self._call(name, "etax_static_dirs", list[StaticDir]) or []:
            if not NAME_PATTERN.match(static.name) or not Path(static.directory).is_dir():
                raise PluginHookError(name, "etax_static_dirs", f"bad static directory {static!r}")
            contribution.static_dirs.append(static)
        contribution.piccolo_apps = self._call(name, "etax_piccolo_apps", list[str]) or []
        contribution.search_documents = self._call(name, "etax_search_documents", list[SearchDocument]) or []
        contribution.message_sources = [
            item  # type: ignore[misc]
            for item in self._call_list(
                name, "etax_message_sources", lambda x: isinstance(x, MessageSource), "a MessageSource"
            )
        ]
        contribution.home_content = [
            item  # type: ignore[misc]
            for item in self._call_list(
                name, "etax_home_content", lambda x: isinstance(x, HomeContent), "a HomeContent"
            )
        ]
        contribution.search_refreshers = [
            item  # type: ignore[misc]
            for item in self._call_list(
                name, "etax_search_refreshers", inspect.iscoroutinefunction, "an async callable"
            )
        ]
        contribution.header_links = [
            item  # type: ignore[misc]
            for item in self._call_list(
                name, "etax_header_links", lambda x: isinstance(x, HeaderLink), "a HeaderLink"
            )
        ]
        contribution.applications = self._collect_applications(name, contribution.functions)
        contribution.cli_commands = self._collect_cli_commands(name)
        contribution.search_synonyms = (
            self._call(name, "etax_search_synonyms", dict[str, tuple[str, ...]]) or {}
        )
        own = {spec.code for spec in contribution.functions}
        for proposal in self._call(name, "etax_package_proposals", list[PackageProposal]) or []:
            problems = proposal.problems(own)
            if problems:
                raise PluginHookError(name, "etax_package_proposals", "; ".join(problems))
            contribution.package_proposals.append(msgspec.structs.replace(proposal, plugin=name))
        return contribution

    def _collect_cli_commands(self, name: str) -> list[CliCommand]:
        taken = {command.words for c in self.contributions for command in c.cli_commands}
        found: list[CliCommand] = []
        for item in self._call_list(
            name, "etax_cli_commands", lambda x: isinstance(x, CliCommand), "a CliCommand"
        ):
            assert isinstance(item, CliCommand)
            problems = item.problems()
            if item.words[0] in BUILTIN_COMMANDS:
                problems.append(
                    f"command {' '.join(item.words)!r} shadows the built-in 'etax {item.words[0]}'"
                )
            if item.words in taken or any(item.words == other.words for other in found):
                problems.append(f"command {' '.join(item.words)!r} is declared twice")
            if problems:
                raise PluginHookError(name, "etax_cli_commands", "; ".join(problems))
            found.append(item)
        return found

    def _collect_applications(self, name: str, functions: list[FunctionSpec]) -> list[ApplicationSpec]:
        # Imported here: the applications package is itself a core plugin that imports the runtime.
        from etax.platform.application_spec import ApplicationSpec

        own = {spec.code for spec in functions}
        found: list[ApplicationSpec] = []
        for spec in self._call(name, "etax_applications", list[ApplicationSpec]) or []:
            problems = spec.problems()
            if spec.function not in own:
                problems.append(f"application {spec.function!r} is not a function declared by this plugin")
            if any(other.function == spec.function for other in found):
                problems.append(f"application {spec.function!r} is declared twice")
            if problems:
                raise PluginHookError(name, "etax_applications", "; ".join(problems))
            found.append(msgspec.structs.replace(spec, plugin=name))
        return found

    # -- typed views -----------------------------------------------------------------------------

    def functions(self) -> list[FunctionSpec]:
        return [spec for c in self.contributions for spec in c.functions]

    def search_documents(self) -> list[SearchDocument]:
        return [doc for c in self.contributions for doc in c.search_documents]

    def template_dirs(self) -> list[Path]:
        return [d for c in self.contributions for d in c.template_dirs]

    def static_dirs(self) -> list[StaticDir]:
        return [d for c in self.contributions for d in c.static_dirs]

    def piccolo_apps(self) -> list[str]:
        return [a for c in self.contributions for a in c.piccolo_apps]

    def admin_nav(self) -> list[NavItem]:
        return [item for c in self.contributions for item in c.admin_nav]

    def message_sources(self) -> list[MessageSource]:
        return [s for c in self.contributions for s in c.message_sources]

    def home_content(self) -> list[HomeContent]:
        return [h for c in self.contributions for h in c.home_content]

    def search_refreshers(self) -> list[SearchRefresher]:
        return [r for c in self.contributions for r in c.search_refreshers]

    def applications(self) -> list[ApplicationSpec]:
        return [a for c in self.contributions for a in c.applications]

    def header_links(self) -> list[HeaderLink]:
        return [link for c in self.contributions for link in c.header_links]

    def cli_commands(self) -> list[CliCommand]:
        return [command for c in self.contributions for command in c.cli_commands]

    def search_synonyms(self) -> dict[str, tuple[str, ...]]:
        """Every plugin's synonyms, merged (an alias two plugins define expands to both)."""
        merged: dict[str, tuple[str, ...]] = {}
        for c in self.contributions:
            for alias, targets in c.search_synonyms.items():
                merged[alias] = tuple(dict.fromkeys((*merged.get(alias, ()), *targets)))
        return merged

    def package_proposals(self) -> list[PackageProposal]:
        return [p for c in self.contributions for p in c.package_proposals]

    async def demo_load(self) -> list[str]:
        """Run every plugin's ``etax_demo_load`` (awaiting async ones); the summaries they return.

        A plugin that raises stops the demo load with its name (demo data is a development aid: a
        half-loaded demo is better reported than hidden).
        """
        summaries: list[str] = []
        for impl in self.pm.hook.etax_demo_load.get_hookimpls():
            try:
                result = impl.function()
                if inspect.isawaitable(result):
                    result = await result
            except Exception as exc:
                raise PluginHookError(
                    impl.plugin_name, "etax_demo_load", f"{type(exc).__name__}: {exc}"
                ) from exc
            if isinstance(result, str) and result:
                summaries.append(result)
        return summaries

    async def application_decided(self, application: ApplicationRecord, decision: Decision) -> list[str]:
        """Call every plugin's ``etax_application_decided`` (awaiting async ones) after a decision.

        A plugin that raises is logged and skipped: the decision stands. Returns the names of the
        plugins that failed.
        """
        failed: list[str] = []
        kwargs: dict[str, object] = {"application": application, "decision": decision}
        for impl in self.pm.hook.etax_application_decided.get_hookimpls():
            try:
                result = impl.function(**{arg: kwargs[arg] for arg in impl.argnames})
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception(
                    "plugin %s: etax_application_decided failed for application %s (%s)",
                    impl.plugin_name,
                    application.number,
                    decision.status,
                )
                failed.append(impl.plugin_name)
        return failed

    async def invoice_figures(self, taxpayer_id: int, start: dt.date, end: dt.date) -> InvoiceFigures | None:
        """The first plugin answer to ``etax_invoice_figures`` (awaiting async ones), or ``None``.

        A plugin that raises or answers with the wrong type is logged and skipped: a return can always
        be filled in by hand.
        """
        kwargs: dict[str, object] = {"taxpayer_id": taxpayer_id, "start": start, "end": end}
        for impl in self.pm.hook.etax_invoice_figures.get_hookimpls():
            try:
                result = impl.function(**{arg: kwargs[arg] for arg in impl.argnames})
                if inspect.isawaitable(result):
                    result = await result
            except Exception:
                log.exception("plugin %s: etax_invoice_figures failed", impl.plugin_name)
                continue
            if isinstance(result, InvoiceFigures):
                return result
            if result is not None:
                log.error("plugin %s: etax_invoice_figures returned %r", impl.plugin_name, type(result))
        return None

    async def _first_answer(
        self, name: str, kwargs: dict[str, object], check: Callable[[object], bool]
    ) -> object:
        """The first answer of hook ``name`` that passes ``check`` (awaiting async ones), or ``None``;
        a plugin that raises or answers with the wrong type is logged and skipped."""
        for impl in getattr(self.pm.hook, name).get_hookimpls():
            try:
                result = impl.function(**{arg: kwargs[arg] for arg in impl.argnames})
                if inspect.isawaitable(result):
                    result = await result
            except Exception:
                log.exception("plugin %s: %s failed", impl.plugin_name, name)
                continue
            if result is None:
                continue
            if check(result):
                return result
            log.error("plugin %s: %s returned %r", impl.plugin_name, name, type(result))
        return None

    async def invoice_records(self, query: InvoiceRecordQuery) -> list[InvoiceRecord] | None:
        """The first plugin answer to ``etax_invoice_records`` (a list of records), or ``None``."""

        def check(result: object) -> bool:
            return isinstance(result, list) and all(isinstance(r, InvoiceRecord) for r in result)

        answer = await self._first_answer("etax_invoice_records", {"query": query}, check)
        return answer if isinstance(answer, list) else None

    async def invoice_record(self, taxpayer_id: int, invoice_id: int) -> InvoiceRecordDetail | None:
        """The first plugin answer to ``etax_invoice_record``, or ``None`` (not found, or no plugin)."""
        answer = await self._first_answer(
            "etax_invoice_record",
            {"taxpayer_id": taxpayer_id, "invoice_id": invoice_id},
            lambda result: isinstance(result, InvoiceRecordDetail),
        )
        return answer if isinstance(answer, InvoiceRecordDetail) else None

    def info(self, routes_per_plugin: dict[str, int] | None = None) -> list[PluginInfo]:
        counts = routes_per_plugin or {}
        return [
            PluginInfo(
                name=c.name,
                module=c.module,
                source=c.source,
                functions=tuple(spec.code for spec in c.functions),
                routes=counts.get(c.name, 0),
                version=c.version,
                api_range=c.api_range,
            )
            for c in self.contributions
        ]

    async def startup(self, services: PlatformServices) -> None:
        """Run every plugin's ``etax_startup``; a plugin that raises is reported (fatal when strict)."""
        for contribution in list(self.contributions):
            try:
                self._call(contribution.name, "etax_startup", type(None), services=services)
            except PluginHookError as exc:
                self._fail(exc.plugin, exc.hook, exc.error)
