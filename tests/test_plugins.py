"""Plugin loading and the start-up checks: entry points, ETAX_PLUGINS, deny/allow lists, failures."""

from __future__ import annotations

import argparse
import ast
import asyncio
import datetime as dt
import inspect
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import msgspec
import pluggy
import pytest
from litestar import Controller, Litestar, get
from litestar.testing import TestClient

from etax.platform import Audience, FunctionSpec, StaticDir, hookspecs
from etax.platform.app import create_app, load_plugins
from etax.platform.applications import (
    ApplicationRecord,
    ApplicationSpec,
    Decision,
    application_controller,
    queries,
)
from etax.platform.clicommands import CliCommand
from etax.platform.db.migrate import migrate
from etax.platform.errors import StartupError
from etax.platform.hookapi import HOOK_API_VERSION
from etax.platform.identity import Principal
from etax.platform.invoice_records import (
    InvoiceRecord,
    InvoiceRecordDetail,
    InvoiceRecordQuery,
    InvoiceSide,
    InvoiceState,
)
from etax.platform.messages import HomeMessage
from etax.platform.prefill import InvoiceFigures, InvoiceKind
from etax.platform.proposals import PackageProposal
from etax.platform.runtime import get_runtime
from etax.platform.services import PlatformServices
from etax.platform.settings import Settings
from etax.search_index import SearchDocument
from tests.plugin_factories import make_plugin

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "etax-liaoning"
HERE = Path(__file__)


def spec(code: str = "demo.hello", name: str = "问候服务", **extra: Any) -> FunctionSpec:
    return FunctionSpec(
        code=code,
        name=name,
        path=("公众服务", "测试", name),
        url="/demo/" + code.split(".")[-1],
        audiences=frozenset({Audience.PUBLIC}),
        **extra,
    )


def controller(code: str | None, path: str = "/demo/hello", **opt: bool) -> type[Controller]:
    options: dict[str, Any] = dict(opt)
    if code is not None:
        options["function"] = code

    class HelloController(Controller):
        @get(path, opt=options)
        async def hello(self) -> str:
            return "你好"

    return HelloController


def with_settings(settings: Settings, **changes: Any) -> Settings:
    return msgspec.structs.replace(settings, **changes)


# -- loading ---------------------------------------------------------------------------------------


def test_builtin_plugin_loads_through_its_entry_point(app: Litestar) -> None:
    info = {i.name: i for i in get_runtime(app).host.info(get_runtime(app).routes_per_plugin)}
    assert info["public"].source.startswith("entry point etax.plugins.public")
    assert "public.taxpayer_status" in info["public"].functions
    assert info["public"].routes >= 6


def test_plugin_outside_the_package_named_in_etax_plugins_adds_a_function_and_route(
    settings: Settings,
) -> None:
    sys.path.insert(0, str(EXAMPLES))
    try:
        with_liaoning = with_settings(settings, plugins=("etax_liaoning",))
        load_plugins(with_liaoning)
        asyncio.run(migrate())  # the distribution's own table (its migration comes with it)
        app = create_app(with_liaoning)
        with TestClient(app) as client:
            page = client.get("/liaoning/port-guide/")
            assert page.status_code == 200
            assert "船舶吨税" in page.text
            assert "公众服务" in page.text and "大连港口涉税指引" in page.text  # breadcrumb
            results = client.get("/api/search", params={"q": "dlgksszy"}).json()["results"]
            assert results[0]["code"] == "liaoning.port_guide"
            topics = client.get("/api/search", params={"q": "吨税执照"}).json()["results"]
            assert topics[0]["code"] == "liaoning.port_guide:tonnage"
            assert (
                client.get("/liaoning/social-insurance/declaration/", follow_redirects=False).status_code
                == 302
            )
        info = {i.name: i for i in get_runtime(app).host.info()}
        assert info["etax_liaoning"].version == "1.0.0" and info["etax_liaoning"].api_range == ">=1.2,<2"
    finally:
        load_plugins(settings)  # the process's Piccolo apps without the distribution again
        sys.path.remove(str(EXAMPLES))
        for name in [m for m in sys.modules if m == "etax_liaoning" or m.startswith("etax_liaoning.")]:
            sys.modules.pop(name, None)


def test_deny_list_drops_a_plugin(settings: Settings) -> None:
    runtime = get_runtime(create_app(with_settings(settings, deny_plugins=("public",)), check_db=False))
    assert runtime.registry.get("public.taxpayer_status") is None
    assert "public" not in {i.name for i in runtime.host.info()}


def test_allow_list_keeps_only_named_plugins(settings: Settings) -> None:
    runtime = get_runtime(create_app(with_settings(settings, allow_plugins=("nothing",)), check_db=False))
    assert runtime.registry.get("public.taxpayer_status") is None
    assert "etax.platform.usercentre" in {i.name for i in runtime.host.info()}  # core plugins stay


def test_plugin_that_fails_to_import_is_reported_and_the_portal_starts(settings: Settings) -> None:
    app = create_app(with_settings(settings, plugins=("etax_no_such_plugin",)), check_db=False)
    failures = get_runtime(app).host.failures
    assert [(f.plugin, f.stage) for f in failures] == [("etax_no_such_plugin", "import")]
    assert get_runtime(app).registry.get("public.taxpayer_status") is not None


def test_plugin_whose_hook_raises_is_left_out_by_name(settings: Settings) -> None:
    def etax_functions() -> list[FunctionSpec]:
        raise RuntimeError("数据库不可用")

    broken = make_plugin("broken_plugin", etax_functions=etax_functions)
    runtime = get_runtime(create_app(settings, extra_plugins=[broken], check_db=False))
    assert [(f.plugin, f.stage) for f in runtime.host.failures] == [("broken_plugin", "etax_functions")]
    assert "数据库不可用" in runtime.host.failures[0].error


def test_malformed_hook_result_names_the_plugin(settings: Settings) -> None:
    def etax_functions() -> list[str]:
        return ["不是功能"]

    bad = make_plugin("bad_result", etax_functions=etax_functions)
    runtime = get_runtime(create_app(settings, extra_plugins=[bad], check_db=False))
    assert runtime.host.failures[0].plugin == "bad_result"
    assert "malformed result" in runtime.host.failures[0].error


def test_strict_mode_turns_a_plugin_failure_into_a_startup_error(settings: Settings) -> None:
    with pytest.raises(StartupError, match="etax_no_such_plugin"):
        create_app(
            with_settings(settings, plugins=("etax_no_such_plugin",), strict_plugins=True), check_db=False
        )


def test_hook_with_unknown_name_is_refused_at_registration(settings: Settings) -> None:
    typo = make_plugin("typo_plugin", etax_function=lambda: [])
    runtime = get_runtime(create_app(settings, extra_plugins=[typo], check_db=False))
    assert runtime.host.failures[0].plugin == "typo_plugin"
    assert runtime.host.failures[0].stage == "register"


# -- start-up checks -------------------------------------------------------------------------------


def test_route_without_function_code_stops_startup_naming_plugin_and_route(settings: Settings) -> None:
    plugin = make_plugin(
        "unbound", etax_functions=lambda: [spec()], etax_route_handlers=lambda: [controller(None)]
    )
    with pytest.raises(
        StartupError, match=r"plugin 'unbound', route /demo/hello \(hello\) declares no access rule"
    ):
        create_app(settings, extra_plugins=[plugin], check_db=False)


def test_route_declaring_two_rules_stops_startup(settings: Settings) -> None:
    """A route bound to a function that also claims an admin role is ambiguous: refused, naming both."""
    plugin = make_plugin(
        "doubly",
        etax_functions=lambda: [spec()],
        etax_route_handlers=lambda: [controller("demo.hello", admin_role=True)],
    )
    with pytest.raises(StartupError, match=r"route /demo/hello \(hello\) declares function and admin_role"):
        create_app(settings, extra_plugins=[plugin], check_db=False)


def test_a_plugin_route_may_not_be_public(settings: Settings) -> None:
    """Only the platform's own routes (login, search, static …) are public; plugins use Audience.PUBLIC."""
    plugin = make_plugin(
        "opener", etax_functions=lambda: [spec()], etax_route_handlers=lambda: [controller(None, public=True)]
    )
    with pytest.raises(StartupError, match="is public: only the platform's own routes may be public"):
        create_app(settings, extra_plugins=[plugin], check_db=False)


def test_route_bound_to_unknown_code_stops_startup(settings: Settings) -> None:
    plugin = make_plugin(
        "unknown_code", etax_functions=lambda: [spec()], etax_route_handlers=lambda: [controller("demo.nope")]
    )
    with pytest.raises(StartupError, match=r"unknown function code 'demo\.nope'"):
        create_app(settings, extra_plugins=[plugin], check_db=False)


def test_route_bound_to_another_plugins_function_stops_startup(settings: Settings) -> None:
    plugin = make_plugin("thief", etax_route_handlers=lambda: [controller("public.taxpayer_status", "/x")])
    with pytest.raises(StartupError, match="declared by plugin 'public'"):
        create_app(settings, extra_plugins=[plugin], check_db=False)


def test_two_functions_with_one_code_stop_startup(settings: Settings) -> None:
    first = make_plugin("first", etax_functions=lambda: [spec()])
    second = make_plugin("second", etax_functions=lambda: [spec(name="另一个")])
    with pytest.raises(StartupError, match="declared twice: by plugin 'first' and by plugin 'second'"):
        create_app(settings, extra_plugins=[first, second], check_db=False)


@pytest.mark.parametrize("exemption", ["exclude_from_auth", "exclude_from_csrf", "skip_session"])
def test_plugin_route_may_not_exempt_itself(settings: Settings, exemption: str) -> None:
    plugin = make_plugin(
        "sneaky",
        etax_functions=lambda: [spec()],
        etax_route_handlers=lambda: [controller("demo.hello", "/demo/hello", **{exemption: True})],
    )
    with pytest.raises(StartupError, match=f"exempts itself \\({exemption}\\)"):
        create_app(settings, extra_plugins=[plugin], check_db=False)


def test_malformed_function_declaration_stops_startup(settings: Settings) -> None:
    bad = FunctionSpec(code="Bad Code", name="坏", path=("公众服务",), url="x")
    plugin = make_plugin("malformed", etax_functions=lambda: [bad])
    with pytest.raises(StartupError, match="not a dotted lower-case identifier"):
        create_app(settings, extra_plugins=[plugin], check_db=False)


# -- every hook ------------------------------------------------------------------------------------


class Messages:
    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        return [HomeMessage(tab="notice", title="插件公告：办税服务厅春节安排", url="/demo/hello")]


def test_hooks_contribute_to_the_running_portal(settings: Settings, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    static = tmp_path / "static"
    static.mkdir()
    (static / "hello.txt").write_text("静态文件", encoding="utf-8")
    started: list[PlatformServices] = []
    plugin = make_plugin(
        "complete",
        etax_functions=lambda: [spec()],
        etax_route_handlers=lambda: [controller("demo.hello")],
        etax_template_dirs=lambda: [str(templates)],
        etax_static_dirs=lambda: [StaticDir(name="complete", directory=str(static))],
        etax_piccolo_apps=lambda: [],
        etax_search_documents=lambda: [
            SearchDocument(
                key="doc:complete:1",
                kind="article",
                title="春节办税安排",
                short_title="春节办税",
                path=("公众服务", "测试"),
                url="/demo/hello",
            )
        ],
        etax_message_sources=lambda: [Messages()],
        etax_startup=lambda services: started.append(services),
    )
    app = create_app(settings, extra_plugins=[plugin])
    with TestClient(app) as client:
        assert client.get("/demo/hello").text == "你好"
        assert client.get("/static/plugins/complete/hello.txt").text == "静态文件"
        assert (
            client.get("/api/search", params={"q": "春节"}).json()["results"][0]["code"] == "doc:complete:1"
        )
        assert "插件公告：办税服务厅春节安排" in client.get("/").text
    assert len(started) == 1 and started[0].registry.get("demo.hello") is not None
    assert templates in get_runtime(app).host.template_dirs()


def test_cli_commands_hook_adds_a_command_to_etax_and_shadowing_is_refused(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plugin's ``etax_cli_commands`` becomes ``etax <group> <command>``; shadowing a built-in is refused."""
    from etax.cli import build_parser

    def greet(args: argparse.Namespace) -> int:
        print(f"你好，{args.name}")
        return 3

    def arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("name")

    def etax_cli_commands() -> list[CliCommand]:
        return [CliCommand(words=("hello", "greet"), help="say hello", run=greet, arguments=arguments)]

    def shadowing() -> list[CliCommand]:
        return [CliCommand(words=("serve",), help="not allowed", run=greet)]

    good = make_plugin("cli_good", etax_cli_commands=etax_cli_commands)
    bad = make_plugin("cli_bad", etax_cli_commands=shadowing)
    host = get_runtime(create_app(settings, extra_plugins=[good, bad])).host
    commands = [c for c in host.cli_commands() if c.words[0] == "hello"]
    assert [c.words for c in commands] == [("hello", "greet")]
    args = build_parser(commands).parse_args(["hello", "greet", "张伟"])
    assert args.run(settings, args) == 3
    assert capsys.readouterr().out == "你好，张伟\n"
    failure = next(f for f in host.failures if f.plugin == "cli_bad")
    assert failure.stage == "etax_cli_commands" and "shadows the built-in" in failure.error


def test_startup_hook_that_raises_is_reported(settings: Settings) -> None:
    def etax_startup(services: PlatformServices) -> None:
        raise RuntimeError("启动失败")

    plugin = make_plugin("bad_start", etax_startup=etax_startup)
    app = create_app(settings, extra_plugins=[plugin])
    with TestClient(app) as client:
        assert client.get("/").status_code == 200
    assert ("bad_start", "etax_startup") in {(f.plugin, f.stage) for f in get_runtime(app).host.failures}


def test_invoice_figures_hook_answers_through_the_host(settings: Settings) -> None:
    """A plugin's async ``etax_invoice_figures`` answer reaches a caller; a raising one is skipped."""
    figures = InvoiceFigures(
        start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31), deductible_tax=Decimal("13.00")
    )

    async def etax_invoice_figures(taxpayer_id: int, start: dt.date, end: dt.date) -> InvoiceFigures | None:
        return figures if taxpayer_id == 999_000_007 else None

    def broken(taxpayer_id: int) -> InvoiceFigures:
        raise RuntimeError("发票服务不可用")

    good = make_plugin("figures_good", etax_invoice_figures=etax_invoice_figures)
    bad = make_plugin("figures_bad", etax_invoice_figures=broken)
    # The built-in invoices plugin answers too (first); leave it out to see these two.
    app = create_app(with_settings(settings, deny_plugins=("invoices",)), extra_plugins=[good, bad])
    host = get_runtime(app).host
    # ids no real taxpayer has: the invoices plugin has nothing for them and lets this plugin answer
    assert asyncio.run(host.invoice_figures(999_000_007, figures.start, figures.end)) == figures
    assert asyncio.run(host.invoice_figures(999_000_008, figures.start, figures.end)) is None


def hook_specs() -> dict[str, tuple[str, ...]]:
    """Every hook specification, read the way pluggy reads it: name → argument names."""
    manager = pluggy.PluginManager("etax")
    manager.add_hookspecs(hookspecs)
    found: dict[str, tuple[str, ...]] = {}
    for name, caller in vars(manager.hook).items():
        spec = getattr(caller, "spec", None)
        if spec is not None:
            found[name] = tuple(spec.argnames)
    return found


def implemented_here() -> set[str]:
    """The hooks some test of this module implements: the keywords of its ``make_plugin(...)`` calls."""
    tree = ast.parse(HERE.read_text(encoding="utf-8"))
    return {
        keyword.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "make_plugin"
        for keyword in node.keywords
        if keyword.arg is not None
    }


def test_invoice_record_hooks_answer_through_the_host(settings: Settings) -> None:
    """``etax_invoice_records`` / ``etax_invoice_record`` answers reach the caller as typed records; a
    plugin answering with the wrong type or raising is skipped, and no answer is ``None``."""
    record = InvoiceRecord(
        id=7,
        number="26211000000100000007",
        issue_date=dt.date(2026, 10, 9),
        kind=InvoiceKind.SPECIAL,
        kind_label="数电发票（增值税专用发票）",
        state=InvoiceState.NORMAL,
        counterparty_name="康平县兴农",
        counterparty_tin="91210123MA0U5XQW1K",
        amount=Decimal("100.00"),
        tax=Decimal("13.00"),
        total=Decimal("113.00"),
    )
    detail = InvoiceRecordDetail(
        record=record,
        side=InvoiceSide.ISSUED,
        seller_name="沈阳和信科技有限公司",
        seller_tin="91210100MA0XXXXXX1",
        buyer_name="康平县兴农",
        buyer_tin="91210123MA0U5XQW1K",
        issued_at=dt.datetime(2026, 10, 9, 2, tzinfo=dt.UTC),
        issuer="张会计",
    )

    async def etax_invoice_records(query: InvoiceRecordQuery) -> list[InvoiceRecord] | None:
        return [record] if query.taxpayer_id == 999_000_007 else None

    async def etax_invoice_record(taxpayer_id: int, invoice_id: int) -> InvoiceRecordDetail | None:
        return detail if (taxpayer_id, invoice_id) == (999_000_007, 7) else None

    def wrong(query: InvoiceRecordQuery) -> list[str]:
        return ["不是发票"]

    def broken(taxpayer_id: int, invoice_id: int) -> InvoiceRecordDetail:
        raise RuntimeError("发票服务不可用")

    good = make_plugin(
        "records_good", etax_invoice_records=etax_invoice_records, etax_invoice_record=etax_invoice_record
    )
    bad = make_plugin("records_bad", etax_invoice_records=wrong, etax_invoice_record=broken)
    app = create_app(with_settings(settings, deny_plugins=("invoices",)), extra_plugins=[good, bad])
    host = get_runtime(app).host
    assert asyncio.run(host.invoice_records(InvoiceRecordQuery(taxpayer_id=999_000_007))) == [record]
    assert asyncio.run(host.invoice_records(InvoiceRecordQuery(taxpayer_id=999_000_008))) is None
    assert asyncio.run(host.invoice_record(999_000_007, 7)) == detail
    assert asyncio.run(host.invoice_record(999_000_008, 7)) is None


def test_every_hook_has_a_test() -> None:
    """Fails when a hook specification is added without a test here that registers an implementation."""
    specs = hook_specs()
    assert len(specs) >= 10, f"pluggy found too few hook specifications: {sorted(specs)}"
    implemented = implemented_here()
    misspelt = {"etax_function"}  # test_hook_with_unknown_name_is_refused_at_registration
    assert implemented - specs.keys() == misspelt, f"unknown hooks implemented: {implemented - specs.keys()}"
    assert not specs.keys() - implemented, f"hooks without a test: {sorted(specs.keys() - implemented)}"


def test_every_hook_has_a_docstring() -> None:
    guide = (HERE.parents[1] / "docs" / "plugins.md").read_text(encoding="utf-8")
    for name in hook_specs():
        assert inspect.getdoc(getattr(hookspecs, name)), f"hook {name} has no docstring"
        assert f"`{name}" in guide, f"hook {name} is not documented in docs/plugins.md"


# -- tax-matter applications -------------------------------------------------------------------------


class ApplyForm(msgspec.Struct, kw_only=True):
    """A small application form: every field titled in Chinese."""

    purpose: Annotated[str, msgspec.Meta(title="申请事由", max_length=50)]
    copies: Annotated[int, msgspec.Meta(title="份数", ge=1, le=10)] = 1


class UntitledForm(msgspec.Struct, kw_only=True):
    purpose: str


def enterprise_spec(code: str = "demo.apply", name: str = "证明开具申请") -> FunctionSpec:
    return FunctionSpec(code=code, name=name, path=("我要办税", "测试", name), url="/demo/apply")


def test_application_hook_declares_an_application_and_its_form_routes(settings: Settings) -> None:
    function = enterprise_spec()
    application = ApplicationSpec(function=function.code, matter_code="110601", form=ApplyForm)
    plugin = make_plugin(
        "apply_demo",
        etax_functions=lambda: [function],
        etax_route_handlers=lambda: [application_controller(function, application)],
        etax_applications=lambda: [application],
    )
    runtime = get_runtime(create_app(settings, extra_plugins=[plugin], check_db=False))
    declared = [a for a in runtime.host.applications() if a.plugin == "apply_demo"]
    assert [(a.function, a.matter_code, a.form) for a in declared] == [("demo.apply", "110601", ApplyForm)]
    assert runtime.routes_per_plugin["apply_demo"] == 4  # form, submit, detail, correction


@pytest.mark.parametrize(
    ("application", "message"),
    [
        (
            ApplicationSpec(function="invoices.type_approval", matter_code="110207", form=ApplyForm),
            "not a function",
        ),
        (ApplicationSpec(function="demo.apply", matter_code="110601", form=UntitledForm), "no Chinese title"),
        (ApplicationSpec(function="demo.apply", matter_code="abc", form=ApplyForm), "事项代码"),
    ],
)
def test_malformed_application_leaves_the_plugin_out_by_name(
    settings: Settings, application: ApplicationSpec, message: str
) -> None:
    plugin = make_plugin(
        "bad_apply", etax_functions=lambda: [enterprise_spec()], etax_applications=lambda: [application]
    )
    runtime = get_runtime(create_app(settings, extra_plugins=[plugin], check_db=False))
    [failure] = [f for f in runtime.host.failures if f.plugin == "bad_apply"]
    assert failure.stage == "etax_applications" and message in failure.error
    assert runtime.registry.get("demo.apply") is None


def test_application_decided_hook_runs_after_a_decision_and_a_raising_plugin_is_only_logged(
    settings: Settings,
) -> None:
    from tests.factories import log_in_staff
    from tests.test_applications_support import application_id, decide, new_enterprise, run, submit

    seen: list[tuple[str, str, str]] = []

    async def etax_application_decided(application: ApplicationRecord, decision: Decision) -> None:
        seen.append((application.number, decision.status_before, decision.status))

    def failing(application: ApplicationRecord, decision: Decision) -> None:
        raise RuntimeError("下游系统不可用")

    recorder = make_plugin("decision_recorder", etax_application_decided=etax_application_decided)
    broken = make_plugin("broken_decider", etax_application_decided=failing)
    app = create_app(settings, extra_plugins=[recorder, broken])
    enterprise = new_enterprise()
    with TestClient(app, session_config=get_runtime(app).session_config) as client:
        log_in_staff(client, enterprise, "legal_rep")
        created = application_id(submit(client))
        assert decide(app, created, "accept") == ["broken_decider"]
    record = run(queries.get_record(created))
    assert record.status == "受理中"  # the decision stands
    assert seen == [(record.number, "已提交", "受理中")]


# -- back-office pages of plugins --------------------------------------------------------------------


def test_plugin_back_office_page_is_guarded_by_its_admin_role(settings: Settings) -> None:
    """A plugin's ``/admin`` page and menu entry: reviewers open it, content admins get 403, visitors log in."""
    from etax.platform.admin.roles import NavItem
    from tests.test_admin_support import log_in_as

    @get("/plugin-desk", opt={"admin_role": "reviewer"}, sync_to_thread=False)
    def desk() -> str:
        return "服务厅窗口管理"

    def etax_admin_nav() -> list[NavItem]:
        return [NavItem(label="服务厅窗口", url="/admin/plugin-desk", requirement="reviewer")]

    plugin = make_plugin(
        "desk_plugin", etax_admin_route_handlers=lambda: [desk], etax_admin_nav=etax_admin_nav
    )
    app = create_app(settings, extra_plugins=[plugin])
    with TestClient(app) as client:
        assert (
            client.get("/admin/plugin-desk", follow_redirects=False)
            .headers["location"]
            .startswith("/admin/login")
        )
        log_in_as(client, "reviewer")
        assert client.get("/admin/plugin-desk").text == "服务厅窗口管理"
        assert "服务厅窗口" in client.get("/admin").text
    with TestClient(app) as client:
        log_in_as(client, "content")
        assert client.get("/admin/plugin-desk").status_code == 403
        assert "服务厅窗口" not in client.get("/admin").text


def test_plugin_back_office_page_without_a_role_stops_startup(settings: Settings) -> None:
    @get("/no-role", sync_to_thread=False)
    def no_role() -> str:
        return "x"

    plugin = make_plugin("desk_no_role", etax_admin_route_handlers=lambda: [no_role])
    with pytest.raises(StartupError, match=r"route /admin/no-role \(no_role\) declares no access rule"):
        create_app(settings, extra_plugins=[plugin])


# -- home-page parts and search refreshers ------------------------------------------------------------


def test_plugins_fill_the_home_page_and_refresh_search_before_it_is_used(settings: Settings) -> None:
    """``etax_home_content`` parts give template variables (a failing part is left out, the page still
    renders); ``etax_search_refreshers`` run before every search and home-page request."""
    asked: list[Principal | None] = []
    refreshed: list[str] = []

    class MoreLink:
        async def context(self, request: object, principal: Principal | None) -> dict[str, Any]:
            asked.append(principal)
            return {"more_featured": "/menu/公众服务"}

    class Broken:
        async def context(self, request: object, principal: Principal | None) -> dict[str, Any]:
            raise RuntimeError("plugin bug")

    async def refresh(request: Any) -> None:
        refreshed.append(str(request.url.path))

    plugin = make_plugin(
        "home_parts",
        etax_home_content=lambda: [MoreLink(), Broken()],
        etax_search_refreshers=lambda: [refresh],
    )
    app = create_app(settings, extra_plugins=[plugin])
    with TestClient(app) as client:
        home = client.get("/")
        assert home.status_code == 200 and 'href="/menu/公众服务">更多</a>' in home.text
        assert asked == [None]
        client.get("/api/search", params={"q": "发票"})
        client.get("/search/suggest", params={"q": "fp"})
    assert refreshed == ["/", "/api/search", "/search/suggest"]


def test_a_search_refresher_that_is_not_async_leaves_the_plugin_out(settings: Settings) -> None:
    plugin = make_plugin("sync_refresher", etax_search_refreshers=lambda: [lambda request: None])
    app = create_app(settings, extra_plugins=[plugin])
    failures = get_runtime(app).host.failures
    assert [(f.plugin, f.stage) for f in failures] == [("sync_refresher", "etax_search_refreshers")]


# -- header links ------------------------------------------------------------------------------------


def test_header_links_come_through_the_hook_and_only_for_functions_the_visitor_may_open(
    settings: Settings,
) -> None:
    """``etax_header_links``: the shell loads only its own ``/shell/header-links``; a link shows for a
    function the visitor may open, with its count; a failing count shows the link without a number; with
    the interaction plugin denied, 我的消息 is simply absent (no call to a missing ``/inbox`` route)."""
    from etax.platform.header import HeaderLink
    from tests.conftest import new_client
    from tests.factories import create_enterprise, log_in_staff

    async def seven(principal: Principal) -> int:
        return 7

    async def broken(principal: Principal) -> int:
        raise RuntimeError("plugin bug")

    enterprise_only = FunctionSpec(
        code="demo.tasks",
        name="待办任务",
        path=("互动中心", "待办任务"),
        url="/demo/tasks",
        audiences=frozenset({Audience.ENTERPRISE}),
        grant="everyone",
    )
    agencies_only = msgspec.structs.replace(
        enterprise_only,
        code="demo.agency",
        name="代理任务",
        path=("互动中心", "代理任务"),
        url="/demo/agency",
        audiences=frozenset({Audience.AGENCY}),
    )
    plugin = make_plugin(
        "header_links",
        etax_functions=lambda: [enterprise_only, agencies_only],
        etax_route_handlers=lambda: [
            controller("demo.tasks", "/demo/tasks"),
            controller("demo.agency", "/demo/agency"),
        ],
        etax_header_links=lambda: [
            HeaderLink(
                function="demo.tasks",
                label="待办任务",
                url="/demo/tasks",
                count=seven,
                badge_label="{n}项待办",
            ),
            HeaderLink(
                function="demo.tasks", label="任务提醒", url="/demo/tasks?view=reminders", count=broken
            ),
            HeaderLink(function="demo.agency", label="代理任务", url="/demo/agency"),
        ],
    )
    enterprise = create_enterprise("页头链接测试有限公司")
    app = create_app(with_settings(settings, deny_plugins=("interaction",)), extra_plugins=[plugin])
    with new_client(app) as client:
        assert client.get("/shell/header-links").text.count("<a ") == 0  # anonymous: nothing
        log_in_staff(client, enterprise, "legal_rep")
        home = client.get("/").text
        assert 'hx-get="/shell/header-links"' in home and "/inbox" not in home
        links = client.get("/shell/header-links").text
        assert 'href="/demo/tasks"' in links and 'aria-label="7项待办"' in links
        assert 'data-testid="header-link-demo.tasks">任务提醒</a>' in links  # its count failed: no badge
        assert "/demo/agency" not in links and "/inbox" not in links
    bad = make_plugin("bad_header_links", etax_header_links=lambda: ["/inbox"])
    failures = get_runtime(create_app(settings, extra_plugins=[bad], check_db=False)).host.failures
    assert [(f.plugin, f.stage) for f in failures] == [("bad_header_links", "etax_header_links")]


# -- hook API 1.1: versions, synonyms, demo data, package proposals (reg17) ---------------------------


def test_a_plugin_for_another_major_hook_api_is_refused_by_name_with_both_versions(
    settings: Settings,
) -> None:
    future = make_plugin("made_for_etax_3", etax_functions=lambda: [spec("future.hello", "未来服务")])
    future.ETAX_HOOK_API = ">=3.0,<4"  # type: ignore[attr-defined]
    runtime = get_runtime(create_app(settings, extra_plugins=[future], check_db=False))
    assert [(f.plugin, f.stage) for f in runtime.host.failures] == [("made_for_etax_3", "hook API")]
    message = runtime.host.failures[0].error
    assert ">=3.0,<4" in message and HOOK_API_VERSION in message
    assert runtime.registry.get("future.hello") is None  # isolated like a failing plugin
    assert runtime.registry.get("public.taxpayer_status") is not None
    with pytest.raises(StartupError, match="made_for_etax_3"):
        create_app(with_settings(settings, strict_plugins=True), extra_plugins=[future], check_db=False)


def test_a_plugin_declaring_a_supported_range_or_nothing_loads(settings: Settings) -> None:
    current = make_plugin("made_for_1_1", etax_functions=lambda: [spec("current.hello", "当前服务")])
    current.ETAX_HOOK_API = ">=1.1,<2"  # type: ignore[attr-defined]
    legacy = make_plugin("undeclared", etax_functions=lambda: [spec("legacy.hello", "旧版服务")])
    garbled = make_plugin("garbled", etax_functions=lambda: [spec("garbled.hello", "乱写服务")])
    garbled.ETAX_HOOK_API = "version one"  # type: ignore[attr-defined]
    runtime = get_runtime(create_app(settings, extra_plugins=[current, legacy, garbled], check_db=False))
    info = {i.name: i for i in runtime.host.info()}
    assert info["made_for_1_1"].api_range == ">=1.1,<2" and info["undeclared"].api_range == ">=1.0,<2"
    assert [(f.plugin, f.stage) for f in runtime.host.failures] == [("garbled", "hook API")]
    assert "not a version range" in runtime.host.failures[0].error


def test_plugin_synonyms_extend_search(settings: Settings) -> None:
    def etax_search_synonyms() -> dict[str, tuple[str, ...]]:
        return {"打招呼": ("问候服务",)}

    plugin = make_plugin(
        "synonyms", etax_functions=lambda: [spec()], etax_search_synonyms=etax_search_synonyms
    )
    runtime = get_runtime(create_app(settings, extra_plugins=[plugin], check_db=False))
    assert runtime.search.search("打招呼", None).results[0].code == "demo.hello"
    plain = get_runtime(
        create_app(
            settings, extra_plugins=[make_plugin("plain", etax_functions=lambda: [spec()])], check_db=False
        )
    )
    assert not [r for r in plain.search.search("打招呼", None).results if r.code == "demo.hello"]


def test_demo_load_runs_every_plugins_loader_sync_or_async(settings: Settings) -> None:
    async def loader() -> str:
        return "异步演示数据"

    first = make_plugin("demo_async", etax_demo_load=lambda: loader())
    second = make_plugin("demo_sync", etax_demo_load=lambda: "同步演示数据")
    runtime = get_runtime(create_app(settings, extra_plugins=[first, second], check_db=False))
    assert sorted(asyncio.run(runtime.host.demo_load())) == ["同步演示数据", "异步演示数据"]


def test_package_proposals_are_checked_and_named_after_their_plugin(settings: Settings) -> None:
    good = PackageProposal(
        name="问候套餐",
        description="先问候再告别",
        audience="all",
        steps=("demo.hello", "public.taxpayer_status"),
    )
    bad = PackageProposal(
        name="别人的套餐", description="", audience="all", steps=("public.taxpayer_status", "public.faq")
    )
    proposer = make_plugin("proposer", etax_functions=lambda: [spec()], etax_package_proposals=lambda: [good])
    stranger = make_plugin(
        "stranger",
        etax_functions=lambda: [spec("stranger.hi", "陌生服务")],
        etax_package_proposals=lambda: [bad],
    )
    runtime = get_runtime(create_app(settings, extra_plugins=[proposer, stranger], check_db=False))
    assert [(p.name, p.plugin) for p in runtime.host.package_proposals()] == [("问候套餐", "proposer")]
    assert [(f.plugin, f.stage) for f in runtime.host.failures] == [("stranger", "etax_package_proposals")]
