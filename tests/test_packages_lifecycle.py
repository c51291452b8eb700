"""套餐业务 across applications: a function that disappears, and several workers sharing one database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Controller, Litestar, get

from etax.platform import Audience, FunctionSpec
from etax.platform.app import create_app
from etax.platform.settings import Settings
from tests.conftest import new_client
from tests.plugin_factories import make_plugin
from tests.test_admin_support import Client, log_in_as, post
from tests.test_packages_support import (
    PUBLIC_STEPS,
    compose,
    home_featured,
    home_packages,
    package_id,
    search_codes,
    unique_name,
)

REGIONAL = FunctionSpec(
    code="pkgtest.hall_booking",
    name="办税服务厅预约（测试）",
    path=("个性化办税", "特色业务", "办税服务厅预约（测试）"),
    url="/pkgtest/hall-booking",
    keywords=("预约", "办税服务厅"),
    audiences=frozenset({Audience.PUBLIC}),
    description="测试用的地区特色功能。",
)


class HallBooking(Controller):
    path = REGIONAL.url
    opt = {"function": REGIONAL.code}

    @get("/")
    async def booking(self) -> str:
        return "办税服务厅预约"


def regional_plugin() -> Any:
    return make_plugin(
        "pkgtest_regional",
        etax_functions=lambda: [REGIONAL],
        etax_route_handlers=lambda: [HallBooking],
    )


@pytest.fixture(scope="module")
def with_plugin(settings: Settings, database: str) -> Litestar:
    """An application with a regional plugin the session's ``app`` does not load."""
    return create_app(settings, extra_plugins=[regional_plugin()])


@pytest.fixture()
def content_on_plugin_app(with_plugin: Litestar) -> Iterator[Client]:
    with new_client(with_plugin) as client:
        log_in_as(client, "content")
        yield client


def test_a_function_that_disappears_is_skipped_without_breaking_the_pages(
    app: Litestar, with_plugin: Litestar, content_on_plugin_app: Client
) -> None:
    mixed, only_regional = unique_name("地区组合"), unique_name("纯地区套餐")
    assert compose(content_on_plugin_app, mixed, [REGIONAL.code, PUBLIC_STEPS[0]]).status_code == 303
    assert compose(content_on_plugin_app, only_regional, [REGIONAL.code]).status_code == 303
    featured = post(
        content_on_plugin_app,
        "/admin/featured",
        {"audience": "all", "code": REGIONAL.code, "description": "预约到厅办税的时间"},
    )
    assert featured.status_code == 303
    mixed_id, regional_id = package_id(mixed), package_id(only_regional)
    with new_client(with_plugin) as visitor:
        assert {mixed, only_regional} <= set(home_packages(visitor))
        assert (REGIONAL.name, "预约到厅办税的时间") in home_featured(visitor)
        assert 'href="/menu/个性化办税/特色业务">更多</a>' in visitor.get("/").text  # the plugin's own group
        assert "第 1 步 / 共 2 步" in visitor.get(f"/packages/{mixed_id}").text
        assert f"package:{regional_id}" in search_codes(visitor, only_regional)

    # The session's application runs without the regional plugin (as after it was removed).
    with new_client(app) as visitor:
        home = visitor.get("/")
        assert home.status_code == 200
        assert mixed in home_packages(visitor) and only_regional not in home_packages(visitor)
        assert REGIONAL.name not in [label for label, _ in home_featured(visitor)]
        page = visitor.get(f"/packages/{mixed_id}")
        assert page.status_code == 200 and "第 1 步 / 共 1 步" in page.text and REGIONAL.name not in page.text
        empty = visitor.get(f"/packages/{regional_id}")
        assert empty.status_code == 200 and "本套餐包含的功能暂时无法使用" in empty.text
        assert f"package:{mixed_id}" in search_codes(visitor, mixed)
        assert f"package:{regional_id}" not in search_codes(visitor, only_regional)

    with new_client(app) as admin:
        log_in_as(admin, "content")
        listing = admin.get("/admin/packages").text
        assert f"1个步骤的功能已下线：{REGIONAL.code}" in listing
        form = admin.get(f"/admin/packages/{mixed_id}/edit").text
        assert "已下线" in form and REGIONAL.code in form
        resave = post(
            admin,
            f"/admin/packages/{mixed_id}",
            {
                "name": mixed,
                "audience": "all",
                "status": "published",
                "steps": f"{REGIONAL.code},{PUBLIC_STEPS[0]}",
            },
        )
        assert (
            resave.status_code == 400
            and f"以下步骤的功能已下线，请移除后再保存：{REGIONAL.code}" in resave.text
        )
        withdrawn = post(admin, f"/admin/packages/{regional_id}/status", {"status": "draft"})
        assert withdrawn.status_code == 303
        republish = post(admin, f"/admin/packages/{regional_id}/status", {"status": "published"})
        assert republish.status_code == 303
        assert "没有可用的办理步骤，不能发布" in admin.get("/admin/packages").text
        assert "已下线" in admin.get("/admin/featured?audience=all").text


def test_every_worker_sees_a_change_on_its_next_request(app: Litestar, settings: Settings) -> None:
    other_worker = create_app(settings)
    name = unique_name("多进程套餐")
    with new_client(other_worker) as visitor, new_client(app) as admin:
        log_in_as(admin, "content")
        assert name not in home_packages(visitor)
        # Search degrades gracefully (other 套餐 may answer), but not with a package of this name yet.
        before = {code for code in search_codes(visitor, name) if code.startswith("package:")}
        assert compose(admin, name, PUBLIC_STEPS).status_code == 303
        pid = package_id(name)
        assert f"package:{pid}" not in before
        # Nothing told the other worker: it notices the menus' version counter on this request.
        assert f"package:{pid}" in search_codes(visitor, name)
        assert name in home_packages(visitor)
        assert post(admin, f"/admin/packages/{pid}/delete").status_code == 303
        assert f"package:{pid}" not in search_codes(visitor, name)
