"""Tools for plugin authors: ``etax plugin new NAME`` (a working distribution) and ``etax plugins check``.

``new`` writes a plugin distribution that passes its own tests straight away: a ``pyproject.toml`` with
the ``etax.plugins`` entry point and the pytest settings of :mod:`etax.testing`, one public function, a
controller bound to it, a template and a test. ``check`` runs every start-up check on one plugin without
serving: loading and hook results, FunctionSpecs, route declarations, Piccolo apps and migrations,
templates — and reports each problem with the plugin (and route) named.
"""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from etax.platform.hookapi import HOOK_API_VERSION

NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class PluginToolError(Exception):
    """A problem with the command's input; the message says what to do."""


# --- etax plugin new -----------------------------------------------------------------------------------


def _files(name: str, title: str) -> dict[str, str]:
    major, minor, _ = HOOK_API_VERSION.split(".")
    dist = name.replace("_", "-")
    url = "/" + dist
    return {
        "pyproject.toml": f'''[build-system]
requires = ["hatchling>=1.25"]
build-backend = "hatchling.build"

[project]
name = "{dist}"
version = "0.1.0"
description = "etax plugin: {title}"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["etax"]

# etax loads the plugin through this entry point once the distribution is installed.
[project.entry-points."etax.plugins"]
{name} = "{name}"

[tool.hatch.build.targets.wheel]
packages = ["{name}"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
filterwarnings = ["ignore::DeprecationWarning"]
# etax.testing (installed with etax) builds the portal with this plugin on a temporary SQLite database.
etax_plugins = ["{name}"]
''',
        "README.md": f"""# {dist}

An etax plugin: {title}.

```sh
pytest                      # its tests, with etax's fixtures (etax.testing)
etax plugins check .        # every start-up check, without serving
pip install .               # install next to etax; then etax db migrate && etax serve
```

See etax's docs/plugin-author-guide.md.
""",
        f"{name}/__init__.py": f'''"""{title}: an etax plugin."""

from __future__ import annotations

from pathlib import Path

from litestar import Controller, get
from litestar.response import Template
from litestar.types import ControllerRouterHandler

from etax.platform.api import ActionKind, Audience, FunctionSpec, hookimpl

__version__ = "0.1.0"
ETAX_HOOK_API = ">={major}.{minor},<{int(major) + 1}"

HELLO = FunctionSpec(
    code="{name}.hello",
    name="{title}",
    path=("公众服务", "{title}"),
    url="{url}",
    keywords=("{name}",),
    audiences=frozenset({{Audience.PUBLIC}}),
    description="{title}：由插件 {name} 提供。",
    action=ActionKind.QUERY,
)


class HelloController(Controller):
    path = HELLO.url
    opt = {{"function": HELLO.code}}

    @get("/")
    async def hello(self) -> Template:
        return Template("{name}/hello.html", context={{"function": HELLO}})


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [HELLO]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [HelloController]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]
''',
        f"{name}/templates/{name}/hello.html": """{% extends "base.html" %}
{% block content %}
<section class="panel">
  <h1>{{ function.name }}</h1>
  <p data-testid="hello">{{ function.description }}</p>
</section>
{% endblock %}
""",
        f"tests/test_{name}.py": f'''"""{title}: the page opens, search finds it first, its routes keep the access contract."""

from __future__ import annotations

from collections.abc import Callable

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.runtime import get_runtime


def test_page_opens_for_everybody(etax_client: TestClient[Litestar]) -> None:
    page = etax_client.get("{url}/")
    assert page.status_code == 200
    assert 'data-testid="hello"' in page.text


def test_search_finds_it_first(etax_search: Callable[..., list[str]]) -> None:
    assert etax_search("{title}")[0] == "{name}.hello"


def test_routes_keep_the_access_contract(
    etax_app: Litestar, etax_access_check: Callable[[str], list[str]]
) -> None:
    name = next(c.name for c in get_runtime(etax_app).host.contributions if c.module == "{name}")
    assert etax_access_check(name) == []
''',
    }


def new_plugin(name: str, target: Path, title: str = "") -> list[Path]:
    """Write the distribution of plugin ``name`` into ``target / name``; the files written."""
    if not NAME.match(name):
        raise PluginToolError(
            f"插件名 {name!r} 不合法：须为2至40个小写字母、数字或下划线，以字母开头（例如 demo_plugin）"
        )
    title = title.strip() or f"{name}示例功能"
    if len(title) > 30 or any(ch in title for ch in "\"'\\{}<>\n"):
        raise PluginToolError("功能名称最多30个字符，且不能包含引号、反斜杠、花括号或尖括号")
    root = target / name
    if root.exists():
        raise PluginToolError(f"{root} 已存在，请换一个插件名或目录")
    written: list[Path] = []
    for relative, text in _files(name, title).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# --- etax plugins check ---------------------------------------------------------------------------------


def import_target(target: str) -> ModuleType:
    """The plugin module named by ``target``: a module name, a package directory, a ``.py`` file, or a
    distribution folder (its ``pyproject.toml`` names the module in ``[project.entry-points."etax.plugins"]``)."""
    path = Path(target)
    if path.exists():
        path = path.resolve()
        if path.is_dir() and (path / "pyproject.toml").is_file():
            data = tomllib.loads((path / "pyproject.toml").read_text(encoding="utf-8"))
            points = data.get("project", {}).get("entry-points", {}).get("etax.plugins", {})
            if not points:
                raise PluginToolError(
                    f'{path / "pyproject.toml"} 没有声明 [project.entry-points."etax.plugins"]'
                )
            module = str(next(iter(points.values()))).split(":")[0]
            sys.path.insert(0, str(path))
        elif path.is_dir():
            module = path.name
            sys.path.insert(0, str(path.parent))
        elif path.suffix == ".py":
            module = path.stem
            sys.path.insert(0, str(path.parent))
        else:
            raise PluginToolError(f"{target} 不是插件目录、发行包目录或 .py 文件")
    else:
        module = target
    try:
        return importlib.import_module(module)
    except Exception as exc:
        raise PluginToolError(f"plugin {module!r} failed to import: {type(exc).__name__}: {exc}") from exc


def _template_problems(plugin: str, directories: list[Path], known_dirs: list[Path]) -> list[str]:
    import jinja2
    from jinja2 import meta

    env = jinja2.Environment(autoescape=True)
    known = {
        str(path.relative_to(root)).replace("\\", "/")
        for root in known_dirs
        for path in root.rglob("*")
        if path.is_file()
    }
    problems: list[str] = []
    for root in directories:
        for path in sorted(root.rglob("*.html")):
            name = str(path.relative_to(root)).replace("\\", "/")
            try:
                tree = env.parse(path.read_text(encoding="utf-8"))
            except jinja2.TemplateSyntaxError as exc:
                problems.append(f"plugin {plugin!r}, template {name} line {exc.lineno}: {exc.message}")
                continue
            for referenced in meta.find_referenced_templates(tree):
                if referenced is not None and referenced not in known:
                    problems.append(
                        f"plugin {plugin!r}, template {name}: refers to missing template {referenced!r}"
                    )
    return problems


def _migration_problems(plugin: str, apps: list[str]) -> list[str]:
    problems: list[str] = []
    for dotted in apps:
        try:
            config = importlib.import_module(dotted).APP_CONFIG
        except Exception as exc:
            problems.append(
                f"plugin {plugin!r}, Piccolo app {dotted}: cannot load APP_CONFIG ({type(exc).__name__}: {exc})"
            )
            continue
        folder = Path(config.migrations_folder_path)
        migrations = [p for p in folder.glob("*.py") if p.name != "__init__.py"] if folder.is_dir() else []
        if config.table_classes and not migrations:
            tables = ", ".join(t._meta.tablename for t in config.table_classes)
            problems.append(
                f"plugin {plugin!r}, Piccolo app {dotted}: tables {tables} have no migration in {folder}"
            )
        for migration in migrations:
            try:
                compile(migration.read_text(encoding="utf-8"), str(migration), "exec")
            except SyntaxError as exc:
                problems.append(
                    f"plugin {plugin!r}, migration {migration.name}: {exc.msg} (line {exc.lineno})"
                )
    return problems


class CheckReport:
    """What ``etax plugins check`` found for one plugin."""

    def __init__(self, plugin: str) -> None:
        self.plugin = plugin
        self.problems: list[str] = []
        self.functions = 0
        self.routes = 0
        self.version = ""
        self.api_range = ""


def check_plugin(settings: object, module: ModuleType) -> CheckReport:
    """Every start-up check on ``module`` (loaded beside the installed plugins), without serving."""
    import msgspec

    from etax.platform.app import create_app
    from etax.platform.errors import StartupError
    from etax.platform.plugins import PluginHost
    from etax.platform.registry import FunctionRegistry
    from etax.platform.runtime import get_runtime
    from etax.platform.settings import Settings
    from etax.platform.web.templating import CORE_TEMPLATES

    assert isinstance(settings, Settings)
    settings = msgspec.structs.replace(settings, strict_plugins=False)
    host = PluginHost(settings)
    host.load([module])
    contribution = next((c for c in host.contributions if c.module == module.__name__), None)
    report = CheckReport(contribution.name if contribution else module.__name__)
    report.problems += [
        f"plugin {f.plugin!r}, {f.stage}: {f.error}"
        for f in host.failures
        if f.plugin in (report.plugin, module.__name__)
    ]
    if contribution is None:
        return report
    report.functions, report.version, report.api_range = (
        len(contribution.functions),
        contribution.version,
        contribution.api_range,
    )
    try:
        FunctionRegistry(host.functions())
    except StartupError as exc:
        report.problems.append(str(exc))
    else:
        try:
            app = create_app(settings, extra_plugins=[module], check_db=False)
            report.routes = get_runtime(app).routes_per_plugin.get(report.plugin, 0)
        except StartupError as exc:
            report.problems.append(str(exc))
    report.problems += _migration_problems(report.plugin, contribution.piccolo_apps)
    report.problems += _template_problems(
        report.plugin, contribution.template_dirs, [CORE_TEMPLATES, *host.template_dirs()]
    )
    return report
