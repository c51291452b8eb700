"""The back-office shell: the home page per role, the plugin status page, administrator accounts."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import pytest
from litestar import Litestar

from etax.platform.admin.accounts import MAX_FAILURES
from etax.platform.admin.login import UNIFORM
from etax.platform.admin.tables import AdminUser
from etax.platform.app import create_app
from etax.platform.auth.credentials import reset_counters
from etax.platform.runtime import get_runtime
from etax.platform.settings import Settings, load_settings
from tests.conftest import new_client
from tests.test_admin_support import Client, audit_actions, log_in, log_in_as, make_admin, post, run

MISSING_PLUGIN = "etax_tests_no_such_plugin"


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    """Every test starts with the address's login counters at zero (the tests share one address)."""
    run(reset_counters(load_settings()))
    yield
    run(reset_counters(load_settings()))


@pytest.fixture()
def system(app: Litestar) -> Iterator[Client]:
    with new_client(app) as client:
        log_in_as(client, "system")
        yield client


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("system", ["通知公告", "消息发送", "插件状态", "管理员账户", "已加载的插件"], []),
        ("content", ["通知公告", "已发布的通知公告"], ["消息发送", "插件状态", "管理员账户"]),
        ("reviewer", ["消息发送", "已发送的消息"], ['href="/admin/announcements"', "插件状态", "管理员账户"]),
    ],
)
def test_home_shows_what_the_role_can_do(
    app: Litestar, role: str, shown: list[str], hidden: list[str]
) -> None:
    with new_client(app) as client:
        log_in_as(client, role)
        page = client.get("/admin")
    assert page.status_code == 200
    assert "本页所需角色：<strong>任一管理员</strong>" in page.text
    for text in shown:
        assert text in page.text, (role, text)
    for text in hidden:
        assert text not in page.text, (role, text)


def test_plugin_page_lists_plugins_functions_and_routes(app: Litestar, system: Client) -> None:
    page = system.get("/admin/plugins")
    assert page.status_code == 200 and "本页所需角色：<strong>系统管理员</strong>" in page.text
    runtime = get_runtime(app)
    for info in runtime.host.info(runtime.routes_per_plugin):
        assert f"<strong>{info.name}</strong>" in page.text
        for code in info.functions:
            assert f"<code>{code}</code>" in page.text
    assert "inbox.my_messages" in page.text and "没有加载失败的插件" in page.text


def test_plugin_page_shows_failed_plugins_and_why(settings: Settings, database: str) -> None:
    broken = create_app(msgspec.structs.replace(settings, plugins=(MISSING_PLUGIN,)))
    with new_client(broken) as client:
        log_in_as(client, "system")
        page = client.get("/admin/plugins")
    assert page.status_code == 200
    failures = page.text[page.text.index('data-testid="failures"') :]
    assert MISSING_PLUGIN in failures and "ModuleNotFoundError" in failures and "import" in failures


def test_accounts_page_deactivates_and_reactivates(app: Litestar, system: Client) -> None:
    other = make_admin("content")
    page = system.get("/admin/accounts")
    assert page.status_code == 200 and other.username in page.text
    with new_client(app) as victim:
        assert log_in(victim, other.username).status_code == 303
        assert post(system, f"/admin/accounts/{other.id}/active", {"active": "0"}).status_code == 303
        assert "账户已停用" in system.get("/admin/accounts").text
        assert victim.get("/admin", follow_redirects=False).status_code in (302, 303)
    assert post(system, f"/admin/accounts/{other.id}/active", {"active": "1"}).status_code == 303
    assert run(AdminUser.select(AdminUser.active).where(AdminUser.id == other.id).first()) == {"active": True}
    bad = post(system, f"/admin/accounts/{other.id}/active", {"active": "maybe"})
    assert bad.status_code == 303 and "请选择启用或停用" in system.get("/admin/accounts").text
    assert post(system, "/admin/accounts/99999999/active", {"active": "1"}).status_code == 404


def test_an_administrator_cannot_deactivate_themselves(app: Litestar) -> None:
    with new_client(app) as client:
        admin = log_in_as(client, "system")
        assert post(client, f"/admin/accounts/{admin.id}/active", {"active": "0"}).status_code == 303
        assert "不能停用自己的账户" in client.get("/admin/accounts").text
        assert client.get("/admin").status_code == 200


def test_unlock_lifts_a_lockout(app: Litestar, system: Client) -> None:
    locked = make_admin("reviewer")
    with new_client(app) as other:
        for _ in range(MAX_FAILURES):
            log_in(other, locked.username, "Wrong@2026")
        assert UNIFORM in log_in(other, locked.username).text  # the same answer as a wrong password
        assert "锁定至" in system.get("/admin/accounts").text
        assert post(system, f"/admin/accounts/{locked.id}/unlock").status_code == 303
        assert log_in(other, locked.username).status_code == 303
    actions = [action for action, _ in audit_actions(locked.actor)]
    assert "admin.login.lockout" in actions and actions[-1] == "admin.login"
