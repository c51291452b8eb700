"""常用功能 and its 设置 panel: defaults, add, remove, reorder, per person and enterprise."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import new_client
from tests.factories import create_enterprise, log_in_staff


def favourites_on_home(client: TestClient[Litestar]) -> list[str]:
    html = client.get("/").text
    block = html.split('data-testid="favourites"')[1].split("</ul>")[0]
    return [part.split('"')[0] for part in block.split('href="')[1:]]


def change(client: TestClient[Litestar], action: str, code: str) -> tuple[int, str]:
    response = client.post(
        "/favourites",
        data={"action": action, "code": code},
        headers={"x-csrftoken": client.cookies.get("etax_csrf") or "", "HX-Request": "true"},
    )
    return response.status_code, response.text


def test_new_user_gets_defaults_and_can_edit_without_reload(app: Litestar) -> None:
    enterprise = create_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        defaults = favourites_on_home(client)
        assert defaults, "a new user has default favourites"
        assert 'data-testid="favourites-settings"' in client.get("/").text
        client.get("/favourites")
        if "/query/history" in defaults:
            status, html = change(client, "remove", "history.operations")
            assert status == 200 and "<html" not in html  # an htmx partial, no page reload
            assert "/query/history" not in favourites_on_home(client)
        status, _ = change(client, "add", "history.operations")
        assert status == 200
        assert favourites_on_home(client)[-1] == "/query/history"
        change(client, "up", "history.operations")
        assert favourites_on_home(client)[-2] == "/query/history"


def test_refusals_are_explained_and_change_nothing(app: Litestar) -> None:
    enterprise = create_enterprise(officers=1)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "tax_officer0")
        client.get("/favourites")
        before = favourites_on_home(client)
        status, html = change(client, "add", "history.operations")  # not granted to this officer
        assert status == 400 and "没有使用权限" in html
        status, html = change(client, "add", "no.such_function")
        assert status == 400 and "不存在" in html
        status, html = change(client, "explode", "public.knowledge")
        assert status == 400
        assert favourites_on_home(client) == before


def test_favourites_are_per_person(app: Litestar) -> None:
    enterprise = create_enterprise(officers=0)
    with new_client(app) as rep, new_client(app) as head:
        log_in_staff(rep, enterprise, "legal_rep")
        log_in_staff(head, enterprise, "finance_head")
        rep.get("/favourites")
        change(rep, "remove", _code_of(rep))
        assert favourites_on_home(rep) != favourites_on_home(head)


def _code_of(client: TestClient[Litestar]) -> str:
    html = client.get("/favourites").text
    return html.split('name="code" value="')[1].split('"')[0]


def test_anonymous_visitor_sees_popular_functions_without_settings(client: TestClient[Litestar]) -> None:
    html = client.get("/").text
    assert 'data-testid="favourites-settings"' not in html
    assert client.get("/favourites", follow_redirects=False).status_code in (302, 303)
