"""The ``etax`` command: serve, db migrate, demo load, functions list, plugins list, search, admin create,
and the commands plugins add through the ``etax_cli_commands`` hook (e.g. ``etax forms compute``)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

import msgspec

from etax import startup_collector
from etax.platform.admin.roles import ROLES
from etax.platform.clicommands import CliCommand
from etax.platform.errors import StartupError
from etax.platform.plugins import BUILTIN_COMMANDS
from etax.platform.settings import Settings, SettingsError, load_settings


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from etax.platform.app import create_app

    # One worker: serve the application built here (building it twice would double the start-up).
    # Several: build it once to fail fast with a clear message, then each worker imports its own.
    app = create_app(settings)
    if args.workers <= 1:
        startup_collector.settle(freeze=True)  # what start-up built lives as long as the server
    uvicorn.run(
        app if args.workers <= 1 else "etax.platform.asgi:app",
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
        log_level="info",
        ws="none",  # etax has no WebSocket route: uvicorn need not import a WebSocket library
    )
    return 0


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from etax.platform.app import load_plugins
    from etax.platform.db.migrate import migrate, migration_summary

    load_plugins(settings)
    print(migration_summary(asyncio.run(migrate())))
    return 0


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    if settings.production:
        print("etax: demo load is refused in production mode (ETAX_MODE=production)", file=sys.stderr)
        return 2
    from etax.platform.app import load_plugins
    from etax.platform.demo import load_demo

    host, registry = load_plugins(settings)
    summary = asyncio.run(load_demo(registry))
    print(summary)
    for line in asyncio.run(host.demo_load()):
        print(line)
    if args.scale:
        from etax.platform.ledger.demo import load_scale

        report = asyncio.run(load_scale(args.scale))
        print(
            f"规模数据：新增纳税人 {int(report['taxpayers'])} 户，申报 {int(report['declarations'])} 条，"
            f"缴款 {int(report['payments'])} 笔，用时 {report['seconds']} 秒"
        )
    return 0


def _functions(settings: Settings, args: argparse.Namespace) -> int:
    from etax.platform.app import load_plugins

    _, registry = load_plugins(settings)
    specs = sorted(registry, key=lambda s: s.path)
    if args.json:
        sys.stdout.write(msgspec.json.encode(specs).decode() + "\n")
        return 0
    for spec in specs:
        audiences = ",".join(sorted(a.value for a in spec.audiences))
        print(f"{spec.code:40} {' › '.join(spec.path)}  [{audiences}] ({spec.plugin})")
    print(f"共 {len(specs)} 个功能")
    return 0


def _plugins(settings: Settings, args: argparse.Namespace) -> int:
    from etax.platform.app import create_app
    from etax.platform.runtime import get_runtime

    runtime = get_runtime(create_app(settings, check_db=False))
    for info in runtime.host.info(runtime.routes_per_plugin):
        version = f" {info.version}" if info.version else ""
        print(
            f"{info.name:24} loaded{version}  {len(info.functions)} functions, {info.routes} routes, "
            f"hook API {info.api_range}  ({info.source})"
        )
    for failure in runtime.host.failures:
        print(f"{failure.plugin:24} FAILED  {failure.stage}: {failure.error}")
    return 1 if runtime.host.failures else 0


def _plugins_check(settings: Settings, args: argparse.Namespace) -> int:
    from etax.platform.hookapi import HOOK_API_VERSION
    from etax.platform.plugintools import PluginToolError, check_plugin, import_target

    try:
        module = import_target(args.target)
    except PluginToolError as exc:
        print(f"FAILED  {exc}")
        return 1
    report = check_plugin(settings, module)
    for problem in report.problems:
        print(f"FAILED  {problem}")
    if report.problems:
        print(f"{report.plugin}: {len(report.problems)} problem(s)")
        return 1
    version = f" {report.version}" if report.version else ""
    print(
        f"{report.plugin}{version}: OK — {report.functions} functions, {report.routes} routes, hook API "
        f"{report.api_range} (this etax provides {HOOK_API_VERSION}); migrations and templates checked"
    )
    return 0


def _plugin_new(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from etax.platform.plugintools import PluginToolError, new_plugin

    try:
        written = new_plugin(args.name, Path(args.directory), args.title)
    except PluginToolError as exc:
        print(f"etax: {exc}", file=sys.stderr)
        return 2
    root = Path(args.directory) / args.name
    print(f"已创建插件 {args.name}（{len(written)} 个文件）：{root}")
    print(f"下一步：cd {root} && pytest；etax plugins check {root}；pip install {root}")
    return 0


def _search(settings: Settings, args: argparse.Namespace) -> int:
    from etax.platform.app import load_plugins
    from etax.platform.search import SearchService

    host, registry = load_plugins(settings)
    response = SearchService(registry, host.search_documents(), host.search_synonyms()).search(
        " ".join(args.query), None, args.limit
    )
    if args.json:
        sys.stdout.write(msgspec.json.encode(response).decode() + "\n")
        return 0
    for result in response.results:
        flag = " （登录后办理）" if result.requires_login else ""
        print(f"{result.score:8.3f}  {result.name}{flag}  —  {' › '.join(result.path)}  {result.url}")
    if not response.results:
        print(
            "没有找到相关功能。"
            + ("您是不是要找：" + "、".join(response.suggestions) if response.suggestions else "")
        )
    return 0


def _read_new_password(args: argparse.Namespace) -> str | None:
    """The new administrator's password: one line of standard input, or prompted twice (not echoed)."""
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("密码：")
    if getpass.getpass("再次输入密码：") != password:
        print("etax: 两次输入的密码不一致", file=sys.stderr)
        return None
    return password


def _admin_create(settings: Settings, args: argparse.Namespace) -> int:
    from etax.platform.admin.accounts import AdminAccountError, AdminView, create_admin
    from etax.platform.app import load_plugins
    from etax.platform.db.migrate import check_migrations

    password = _read_new_password(args)
    if password is None:
        return 2
    load_plugins(settings)

    async def create() -> AdminView:
        await check_migrations()
        return await create_admin(args.username, args.name, args.role, password)

    try:
        admin = asyncio.run(create())
    except AdminAccountError as exc:
        print(f"etax: {exc}", file=sys.stderr)
        return 2
    print(f"已创建管理员 {admin.username}（{admin.display_name}，{admin.role_label}），登录地址 /admin/login")
    return 0


def _plugin_commands(settings: Settings) -> list[CliCommand]:
    from etax.platform.app import load_plugins

    host, _ = load_plugins(settings)
    return host.cli_commands()


def _add_plugin_commands(
    parser: argparse.ArgumentParser,
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    commands: Sequence[CliCommand],
) -> None:
    groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    for command in commands:
        if len(command.words) == 1:
            target = sub.add_parser(command.words[0], help=command.help)
        else:
            group, word = command.words
            if group not in groups:
                groups[group] = sub.add_parser(group, help=f"{group} commands").add_subparsers(
                    dest=f"{group}_command", required=True
                )
            target = groups[group].add_parser(word, help=command.help)
        if command.arguments is not None:
            command.arguments(target)
        target.set_defaults(run=lambda settings, args, command=command: command.run(args))


def build_parser(plugin_commands: Sequence[CliCommand] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="etax", description="etax 电子税务局门户")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the portal")
    serve.add_argument("--host", default="")
    serve.add_argument("--port", type=int, default=0)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=_serve)
    db = sub.add_parser("db", help="database commands").add_subparsers(dest="db_command", required=True)
    db.add_parser("migrate", help="apply pending migrations").set_defaults(run=_migrate)
    demo = sub.add_parser("demo", help="demo data").add_subparsers(dest="demo_command", required=True)
    demo_load = demo.add_parser("load", help="load the demo world (idempotent; refused in production)")
    demo_load.add_argument(
        "--scale",
        type=int,
        default=0,
        metavar="N",
        help="also add N synthetic taxpayers with 24 months of ledger",
    )
    demo_load.set_defaults(run=_demo)
    functions = sub.add_parser("functions", help="functions").add_subparsers(dest="f_command", required=True)
    listing = functions.add_parser("list", help="list registered functions")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=_functions)
    plugins = sub.add_parser("plugins", help="plugins").add_subparsers(dest="p_command", required=True)
    plugins.add_parser("list", help="list loaded and failed plugins").set_defaults(run=_plugins)
    check = plugins.add_parser("check", help="run every start-up check on one plugin, without serving")
    check.add_argument(
        "target", help="a module name, a package directory, a .py file or a distribution folder"
    )
    check.set_defaults(run=_plugins_check)
    plugin = sub.add_parser("plugin", help="plugin authoring").add_subparsers(
        dest="pl_command", required=True
    )
    scaffold = plugin.add_parser("new", help="write a working plugin distribution (passes its own tests)")
    scaffold.add_argument("name", help="module name: lower-case letters, digits and _ (e.g. demo_plugin)")
    scaffold.add_argument(
        "--title", default="", help="the Chinese name of its function (default: <name>示例功能)"
    )
    scaffold.add_argument("--directory", default=".", help="where to create the distribution folder")
    scaffold.set_defaults(run=_plugin_new)
    search = sub.add_parser("search", help="search functions as an anonymous visitor")
    search.add_argument("query", nargs="+")
    search.add_argument("--json", action="store_true")
    search.add_argument("--limit", type=int, default=10)
    search.set_defaults(run=_search)
    admin = sub.add_parser("admin", help="back-office administrators").add_subparsers(
        dest="admin_command", required=True
    )
    create = admin.add_parser(
        "create", help="create an administrator (password prompted, or --password-stdin)"
    )
    create.add_argument("username", help="login name: lower-case letters, digits, _ . -")
    create.add_argument(
        "--role", required=True, choices=ROLES, help="system, reviewer, content, consultant, hall or rights"
    )
    create.add_argument("--name", required=True, help="the administrator's name as pages show it")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(run=_admin_create)
    _add_plugin_commands(parser, sub, plugin_commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        settings = load_settings()
        # Plugins are loaded for the parser only when the command is not a built-in one (or for help).
        wants_plugins = not words or words[0] not in BUILTIN_COMMANDS
        args = build_parser(_plugin_commands(settings) if wants_plugins else ()).parse_args(words)
        result: int = args.run(settings, args)
        return result
    except (SettingsError, StartupError) as exc:
        print(f"etax: {exc}", file=sys.stderr)
        return 2
