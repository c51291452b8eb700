"""`etax plugins check` names each problem with its plugin (and route); `etax plugin new` refuses bad names."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from litestar import get

from etax.cli import main
from etax.platform.functions import Audience, FunctionSpec
from etax.platform.plugintools import PluginToolError, check_plugin, import_target, new_plugin
from etax.platform.settings import Settings
from tests.plugin_factories import make_plugin

BAD = FunctionSpec(
    code="checked.page",
    name="检查页面",
    path=("公众服务", "检查页面"),
    url="/checked",
    audiences=frozenset({Audience.PUBLIC}),
)


@get("/checked/other", opt={"function": "checked.unknown"})
async def stray() -> str:
    return "x"


def test_check_names_the_plugin_and_the_route_of_each_problem(settings: Settings, tmp_path: Path) -> None:
    templates = tmp_path / "templates" / "checked"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text('{% extends "no_such_base.html" %}', encoding="utf-8")
    (templates / "broken.html").write_text("{% if %}", encoding="utf-8")
    plugin = make_plugin(
        "checked",
        etax_functions=lambda: [BAD],
        etax_route_handlers=lambda: [stray],
        etax_template_dirs=lambda: [str(tmp_path / "templates")],
    )
    report = check_plugin(settings, plugin)
    text = "\n".join(report.problems)
    assert (
        "plugin 'checked', route /checked/other (stray) is bound to unknown function code 'checked.unknown'"
        in text
    )
    assert "template checked/page.html: refers to missing template 'no_such_base.html'" in text
    assert "template checked/broken.html line 1" in text
    assert report.functions == 1 and report.api_range == ">=1.0,<2"


def test_check_reports_a_plugin_that_does_not_import(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins", "check", "etax_no_such_plugin_module"]) == 1
    assert "FAILED  plugin 'etax_no_such_plugin_module' failed to import" in capsys.readouterr().out


def test_new_refuses_bad_names_and_existing_folders(tmp_path: Path) -> None:
    for name in ("Demo", "1demo", "demo-plugin", "x"):
        with pytest.raises(PluginToolError, match="插件名"):
            new_plugin(name, tmp_path)
    written = new_plugin("ok_plugin", tmp_path, "好插件")
    assert (tmp_path / "ok_plugin" / "pyproject.toml") in written
    assert 'ok_plugin = "ok_plugin"' in (tmp_path / "ok_plugin" / "pyproject.toml").read_text(
        encoding="utf-8"
    )
    with pytest.raises(PluginToolError, match="已存在"):
        new_plugin("ok_plugin", tmp_path)
    module = import_target(str(tmp_path / "ok_plugin"))  # a distribution folder: its entry point's module
    try:
        assert module.HELLO.name == "好插件"
    finally:
        sys.path.remove(str(tmp_path / "ok_plugin"))
        sys.modules.pop("ok_plugin", None)
