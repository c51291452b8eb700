"""Issue 10.14: the demo world can be tried out of the box — registered officers not yet staff, real
套餐业务 and 特色业务 published, and anonymous 常用功能 made of public functions only."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from litestar import Litestar

from etax.platform.auth.principal import SessionAuth
from etax.platform.demo import PERSONS, load_demo
from etax.platform.menus.demo import remove_menus_demo
from etax.platform.runtime import get_runtime
from tests.conftest import new_client
from tests.factories import log_in
from tests.login_helpers import HEXIN_TIN, demo_staff_id, demo_taxpayer_id, post, run
from tests.test_packages_support import home_featured, home_packages


@pytest.fixture()
def demo_menus(app: Litestar) -> Iterator[None]:
    """The demo's 套餐业务, 特色业务 and 定制业务 (as `etax demo load` publishes them), removed afterwards
    so that other tests compose their menus from nothing."""
    registry = get_runtime(app).registry
    run(load_demo(registry))
    yield
    run(remove_menus_demo(registry))


def test_the_demo_publishes_packages_and_featured_services(app: Litestar, demo_menus: None) -> None:
    again = run(load_demo(get_runtime(app).registry))
    assert "packages 0" in again and "featured 0" in again and "custom 0" in again  # idempotent
    with new_client(app) as anonymous:
        home = anonymous.get("/").text
        assert "尚未发布" not in home
        assert "公众查询套餐" in home_packages(anonymous)
        assert ("纳税人状态查询", "输入纳税人识别号或居民身份证号码，查询登记状态") in home_featured(
            anonymous
        )
    hexin = demo_taxpayer_id(HEXIN_TIN)
    with new_client(app) as rep:
        log_in(
            rep,
            SessionAuth(kind="enterprise", taxpayer_id=hexin, staff_id=demo_staff_id(HEXIN_TIN, "王建国")),
        )
        assert "新办纳税人业务" in home_packages(rep)
        featured = [label for label, _ in home_featured(rep)]
        assert "发票票种核定" in featured
        package = re.search(r'<a href="(/packages/\d+)"[^>]*>新办纳税人业务</a>', rep.get("/").text)
        assert package is not None
        first = rep.get(package.group(1)).text
        # 基本信息, 人员维护, 票种核定, 办税进度 — and more as plugins providing the other steps are installed.
        steps = re.search(r"共 (\d+) 步", first)
        assert "纳税人基本信息" in first and steps is not None and int(steps.group(1)) >= 4


def test_registered_officers_who_are_not_staff_can_be_added(app: Litestar) -> None:
    hexin = demo_taxpayer_id(HEXIN_TIN)
    with new_client(app) as rep:
        log_in(
            rep,
            SessionAuth(kind="enterprise", taxpayer_id=hexin, staff_id=demo_staff_id(HEXIN_TIN, "王建国")),
        )
        for name in ("钱进", "郭蕾"):
            found = post(
                rep,
                "/usercentre/staff/add",
                {"name": name, "id_type": "居民身份证", "id_number": str(PERSONS[name]["id_number"])},
            )
            assert found.status_code == 200 and 'data-testid="candidate"' in found.text, found.text[-2000:]


def test_anonymous_favourites_are_public_functions_only(app: Litestar) -> None:
    search = get_runtime(app).search
    for _ in range(500):  # logged-in taxpayers open enterprise functions far more often
        search.opened("history.operations")
        search.opened("usercentre.staff")
    with new_client(app) as anonymous:
        home = anonymous.get("/").text
    favourites = home[home.index('data-testid="favourites"') :]
    favourites = favourites[: favourites.index("</ul>")]
    assert "登录后办理" not in favourites and "历史办税操作查询" not in favourites
    assert "纳税人状态查询" in favourites
