"""The role contract over every /admin route, derived from each handler's ``admin_role`` opt.

anonymous → the admin login page; each role → 200 exactly where its role (or 系统管理员) allows,
403 elsewhere; every page states the role it needs; a route without ``admin_role`` fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from etax.platform.access import access_guard, route_rule
from etax.platform.access import admin_allows as allows
from etax.platform.admin.guard import SESSION_ADMIN
from etax.platform.admin.roles import REQUIREMENT_LABELS, ROLES
from etax.platform.announcements import Announcement
from etax.platform.messaging.tables import BureauMessage
from tests.conftest import new_client
from tests.test_admin_support import Client, csrf, make_admin, run

PARAMETER = re.compile(r"\{(\w+):\w+\}")


@dataclass(frozen=True)
class AdminRoute:
    method: str
    path: str
    requirement: str


def admin_routes(app: Litestar) -> list[AdminRoute]:
    found: list[AdminRoute] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/admin"):
            continue
        for handler in route.route_handlers:
            if handler.handler_name == "options_handler":
                continue
            rule = route_rule(handler)
            assert rule is not None and rule.kind != "function", f"{route.path} ({handler.handler_name})"
            requirement = "public" if rule.kind == "public" else rule.value
            assert access_guard in handler.resolve_guards(), f"{route.path} is not behind the access guard"
            for method in sorted(handler.http_methods):
                found.append(AdminRoute(method=method, path=route.path, requirement=requirement))
    return found


@pytest.fixture(scope="module")
def parameters() -> Iterator[dict[str, str]]:
    """Real ids for the routes' path parameters (records made for this test alone)."""
    import datetime as dt

    announcement = Announcement(
        title="契约测试公告", body="正文", published_at=dt.datetime.now(dt.UTC), category="涉税通知"
    )
    run(announcement.save())
    message = BureauMessage(
        submission=f"contract-{announcement.id}", title="契约测试消息", body="正文", audience="all"
    )
    run(message.save())
    spare = make_admin("content")
    yield {"announcement_id": str(announcement.id), "message_id": str(message.id), "admin_id": str(spare.id)}
    run(Announcement.delete().where(Announcement.id == announcement.id))
    run(BureauMessage.delete().where(BureauMessage.id == message.id))


MISSING_ID = "999999999"


def concrete(path: str, parameters: dict[str, str]) -> tuple[str, bool]:
    """``path`` with its parameters filled in, and whether every one named a real record.

    Parameters of routes other components add (``package_id`` …) get an id that does not exist: the
    guard still decides before the handler looks the record up, so roles are checked all the same.
    """
    real = True

    def value(match: re.Match[str]) -> str:
        nonlocal real
        if match.group(1) in parameters:
            return parameters[match.group(1)]
        real = False
        return MISSING_ID

    return PARAMETER.sub(value, path), real


@pytest.fixture(scope="module")
def role_sessions() -> dict[str, int]:
    return {role: make_admin(role).id for role in ROLES}


@pytest.fixture()
def browser(app: Litestar) -> Iterator[Client]:
    with new_client(app) as client:
        yield client


def request(client: Client, route: AdminRoute, url: str, admin_id: int | None) -> httpx.Response:
    """One request as ``admin_id`` (None: anonymous), with a valid CSRF token for POSTs."""
    client.set_session_data({SESSION_ADMIN: {"admin_id": admin_id}} if admin_id is not None else {})
    if route.method == "GET":
        return client.get(url, follow_redirects=False)
    return client.request(route.method, url, data={"_csrf_token": csrf(client)}, follow_redirects=False)


def is_login_redirect(response: httpx.Response) -> bool:
    return response.status_code in (302, 303) and response.headers["location"].startswith(
        "/admin/login?next="
    )


def test_every_admin_route_declares_a_role_and_there_are_routes_of_each_kind(app: Litestar) -> None:
    requirements = {route.requirement for route in admin_routes(app)}
    assert {"public", "any", "system", "reviewer", "content"} <= requirements


def test_anonymous_visitors_are_sent_to_the_login_page(
    app: Litestar, browser: Client, parameters: dict[str, str]
) -> None:
    for route in admin_routes(app):
        url, _ = concrete(route.path, parameters)
        response = request(browser, route, url, None)
        if route.requirement == "public":
            assert response.status_code in (200, 400), (route, response.status_code)
        else:
            assert is_login_redirect(response), (route, response.status_code)
            if route.method == "GET":
                assert response.headers["location"] == "/admin/login?" + urlencode({"next": url})


def test_each_role_opens_exactly_the_pages_its_role_allows(
    app: Litestar, browser: Client, parameters: dict[str, str], role_sessions: dict[str, int]
) -> None:
    routes = admin_routes(app)
    gets = [r for r in routes if r.method == "GET" and r.requirement != "public"]
    posts = [r for r in routes if r.method != "GET" and r.requirement != "public"]
    assert gets and posts
    for role, admin_id in role_sessions.items():
        for route in gets:
            url, real = concrete(route.path, parameters)
            response = request(browser, route, url, admin_id)
            if allows(role, route.requirement):
                assert response.status_code == (200 if real else 404), (role, route, response.status_code)
                label = REQUIREMENT_LABELS[route.requirement]
                if real and "<html" in response.text:
                    assert f"本页所需角色：<strong>{label}</strong>" in response.text, (role, route)
            else:
                assert response.status_code == 403, (role, route, response.status_code)
                assert "无权访问" in response.text
    # State changes last (they may delete the records above); refused ones must change nothing.
    for role, admin_id in role_sessions.items():
        for route in posts:
            url, _ = concrete(route.path, parameters)
            response = request(browser, route, url, admin_id)
            if allows(role, route.requirement):
                assert response.status_code != 403 and not is_login_redirect(response), (role, route)
                assert response.status_code < 500, (role, route, response.status_code)
            else:
                assert response.status_code == 403, (role, route, response.status_code)


def test_a_refused_post_changes_nothing(
    app: Litestar, browser: Client, parameters: dict[str, str], role_sessions: dict[str, int]
) -> None:
    import datetime as dt

    announcement = Announcement(title="不可删除", body="正文", published_at=dt.datetime.now(dt.UTC))
    run(announcement.save())
    route = AdminRoute(
        method="POST", path="/admin/announcements/{announcement_id:int}/delete", requirement="content"
    )
    response = request(
        browser, route, f"/admin/announcements/{announcement.id}/delete", role_sessions["reviewer"]
    )
    assert response.status_code == 403
    assert run(Announcement.count().where(Announcement.id == announcement.id)) == 1


def test_the_system_administrator_may_do_everything() -> None:
    for requirement in REQUIREMENT_LABELS:
        assert allows("system", requirement)
