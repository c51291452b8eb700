"""The portal shell: home layout of the seed's section 五, centre menus, breadcrumbs, errors."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.functions import FunctionSpec
from etax.platform.registry import FunctionRegistry
from etax.platform.runtime import get_runtime
from etax.platform.settings import Settings
from etax.platform.tree import CENTRE_ORDER, FunctionTree


def f(code: str, *path: str) -> FunctionSpec:
    return FunctionSpec(code=code, name=path[-1], path=path, url="/" + code.replace(".", "/"))


def test_tree_puts_centres_in_the_seed_order_with_stable_node_codes() -> None:
    tree = FunctionTree(
        [
            f("a.notice", "公众服务", "通知公告"),
            f("a.sb", "我要办税", "税费申报及缴纳", "增值税申报"),
            f("a.cx", "我要查询", "申报信息查询"),
            f("a.tc", "个性化办税", "特色业务", "税务登记信息查询"),
            f("a.tz", "互动中心", "我的消息"),
        ]
    )
    assert [c.label for c in tree.centres()] == [c for c in CENTRE_ORDER if c not in ("用户中心",)]
    assert tree.node("我要办税/税费申报及缴纳") is not None
    assert tree.expand(["我要办税"]) == frozenset({"a.sb"})
    assert tree.expand(["我要办税/税费申报及缴纳", "a.cx", "不存在"]) == frozenset({"a.sb", "a.cx"})


def test_registry_finds_functions_by_code_and_url() -> None:
    registry = FunctionRegistry([f("a.notice", "公众服务", "通知公告")])
    assert registry.get("a.notice") is not None and "a.notice" in registry
    assert registry.by_url("/a/notice") is registry.get("a.notice")


def test_home_page_has_the_seed_layout(client: TestClient[Litestar]) -> None:
    html = client.get("/").text
    for part in ("常用功能", "套餐业务", "特色业务", "办税区", "我的待办", "服务提醒", "通知公告", "12366"):
        assert part in html, part
    assert 'id="search-box"' in html and 'hx-get="/search/suggest"' in html
    assert "/static/vendor/htmx/htmx.min.js" in html


def test_htmx_is_served_from_the_package_with_its_licence(client: TestClient[Litestar]) -> None:
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200
    assert "Zero-Clause" in client.get("/static/vendor/htmx/LICENSE").text or client.get(
        "/static/vendor/htmx/LICENSE"
    ).text.startswith("Zero")


def test_centre_menu_lists_its_functions_and_hides_empty_groups(client: TestClient[Litestar]) -> None:
    html = client.get("/menu/公众服务").text
    assert "纳税人状态查询" in html and "一般纳税人资格查询" in html and "通知公告" in html
    assert client.get("/menu/不存在的中心").status_code == 404


def test_every_function_page_shows_its_full_path_as_breadcrumb(
    app: Litestar, client: TestClient[Litestar]
) -> None:
    for spec in get_runtime(app).registry:
        if not spec.is_public:
            continue
        html = client.get(spec.url).text
        crumb = html.split('data-testid="breadcrumb"')[1].split("</nav>")[0]
        for part in spec.path:
            assert part in crumb, (spec.code, part)


def test_unknown_page_is_a_chinese_404(client: TestClient[Litestar]) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "页面不存在" in response.text


def test_unexpected_error_is_a_calm_chinese_500_and_is_logged(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    from litestar import Controller, get

    from etax.platform import Audience, FunctionSpec
    from etax.platform.app import create_app
    from tests.conftest import new_client
    from tests.plugin_factories import make_plugin

    spec = FunctionSpec(
        code="demo.broken",
        name="故障演示",
        path=("公众服务", "故障演示"),
        url="/demo/broken",
        audiences=frozenset({Audience.PUBLIC}),
    )

    class Broken(Controller):
        path = "/demo/broken"
        opt = {"function": "demo.broken"}

        @get("/")
        async def boom(self) -> str:
            raise RuntimeError("数据库连接中断")

    plugin = make_plugin("broken_page", etax_functions=lambda: [spec], etax_route_handlers=lambda: [Broken])
    with new_client(create_app(settings, extra_plugins=[plugin])) as client, caplog.at_level("ERROR"):
        response = client.get("/demo/broken")
    assert response.status_code == 500
    assert "系统繁忙" in response.text and "数据库连接中断" not in response.text
    assert any("数据库连接中断" in str(record.exc_info) for record in caplog.records)
