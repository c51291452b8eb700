"""Role enforcement on every back-office route of the menus and the reports.

内容管理员 and 系统管理员 may compose 套餐业务 and 特色业务 and read the search analytics; only
系统管理员 reads the audit log; 业务审核员 is refused (403) everywhere here; anonymous visitors are sent
to ``/admin/login``. A refused POST changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from etax.platform.access import access_guard, route_rule
from etax.platform.admin.guard import SESSION_ADMIN
from etax.platform.menus.tables import FeaturedService, MenuPackage
from tests.conftest import new_client
from tests.test_admin_support import Client, csrf, log_in_as, make_admin, run
from tests.test_packages_support import PUBLIC_STEPS, compose, package_count, package_id, unique_name

MODULES = (
    "etax.platform.menus.packages.admin",
    "etax.platform.menus.featured_admin",
    "etax.platform.admin_reports.routes",
)
PARAMETER = re.compile(r"\{(\w+):\w+\}")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    requirement: str


def my_routes(app: Litestar) -> list[Route]:
    found: list[Route] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if getattr(handler.fn, "__module__", "") not in MODULES:
                continue
            rule = route_rule(handler)
            assert rule is not None and rule.kind == "admin_role", f"{route.path} declares no admin_role"
            requirement = rule.value
            assert access_guard in handler.resolve_guards(), f"{route.path} is not behind the access guard"
            found.extend(Route(method, route.path, requirement) for method in sorted(handler.http_methods))
    return found


@pytest.fixture(scope="module")
def parameters(app: Litestar) -> dict[str, str]:
    """Real records for the path parameters: a package and a featured entry made for this module."""
    with new_client(app) as client:
        log_in_as(client, "content")
        name = unique_name("权限测试套餐")
        compose(client, name, PUBLIC_STEPS)
    entry = FeaturedService(key=f"all|roles-{name}", code=PUBLIC_STEPS[0], audience="all", position=99)
    run(entry.save())
    return {"package_id": str(package_id(name)), "featured_id": str(entry.id)}


@pytest.fixture()
def browser(app: Litestar) -> Iterator[Client]:
    with new_client(app) as client:
        yield client


def concrete(path: str, parameters: dict[str, str]) -> str:
    return PARAMETER.sub(lambda match: parameters[match.group(1)], path)


def call(client: Client, route: Route, url: str, admin_id: int | None) -> httpx.Response:
    client.set_session_data({SESSION_ADMIN: {"admin_id": admin_id}} if admin_id is not None else {})
    if route.method == "GET":
        return client.get(url, follow_redirects=False)
    return client.request(route.method, url, data={"_csrf_token": csrf(client)}, follow_redirects=False)


def test_the_routes_are_mounted_with_the_roles_they_need(app: Litestar) -> None:
    routes = my_routes(app)
    paths = {route.path for route in routes}
    assert {"/admin/packages", "/admin/featured", "/admin/audit", "/admin/search-analytics"} <= paths
    assert {route.requirement for route in routes} == {"content", "system"}
    assert [r.requirement for r in routes if r.path == "/admin/audit"] == ["system"]


def test_anonymous_visitors_go_to_the_admin_login(
    app: Litestar, browser: Client, parameters: dict[str, str]
) -> None:
    for route in my_routes(app):
        response = call(browser, route, concrete(route.path, parameters), None)
        assert response.status_code in (302, 303), route
        assert response.headers["location"].startswith("/admin/login?next="), route


def test_reviewers_are_refused_and_content_and_system_administrators_admitted(
    app: Litestar, browser: Client, parameters: dict[str, str]
) -> None:
    admins = {role: make_admin(role).id for role in ("reviewer", "content", "system")}
    routes = my_routes(app)
    for route in [r for r in routes if r.method == "GET"]:
        url = concrete(route.path, parameters)
        for role, admin_id in admins.items():
            response = call(browser, route, url, admin_id)
            allowed = role == "system" or role == route.requirement
            expected = 200 if allowed else 403
            assert response.status_code == expected, (role, route, response.status_code)
            if not allowed:
                assert "无权访问" in response.text
    before = (package_count(), int(run(FeaturedService.count())))
    for route in [r for r in routes if r.method != "GET"]:
        response = call(browser, route, concrete(route.path, parameters), admins["reviewer"])
        assert response.status_code == 403, route
    assert (package_count(), int(run(FeaturedService.count()))) == before
    # State changes last: the content administrator's posts (with no data) are answered, never a crash.
    for route in [r for r in routes if r.method != "GET"]:
        response = call(browser, route, concrete(route.path, parameters), admins["content"])
        assert response.status_code < 500 and response.status_code != 403, (route, response.status_code)


def test_every_page_states_the_role_it_needs(app: Litestar) -> None:
    with new_client(app) as client:
        log_in_as(client, "system")
        for url, label in [
            ("/admin/packages", "内容管理员"),
            ("/admin/packages/new", "内容管理员"),
            ("/admin/featured", "内容管理员"),
            ("/admin/search-analytics", "内容管理员"),
            ("/admin/audit", "系统管理员"),
        ]:
            page = client.get(url)
            assert page.status_code == 200 and f"本页所需角色：<strong>{label}</strong>" in page.text, url
    assert run(MenuPackage.count()) >= 1
