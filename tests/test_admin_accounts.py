"""Administrator accounts: ``etax admin create``, login with captcha and CSRF, lockout, logout."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from litestar import Litestar

from etax.cli import main
from etax.platform.admin.accounts import MAX_FAILURES
from etax.platform.admin.login import UNIFORM
from etax.platform.admin.tables import AdminUser
from etax.platform.auth.credentials import reset_counters
from etax.platform.auth.passwords import verify_password
from etax.platform.auth.sessions import SESSION_COOKIE
from etax.platform.settings import load_settings
from tests.conftest import new_client
from tests.test_admin_support import (
    ADMIN_PASSWORD,
    Client,
    audit_actions,
    csrf,
    log_in,
    make_admin,
    new_username,
    post,
    run,
    set_admin_active,
)


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    """Every test starts with the address's login counters at zero (the tests share one address)."""
    run(reset_counters(load_settings()))
    yield
    run(reset_counters(load_settings()))


def cli_create(monkeypatch: pytest.MonkeyPatch, *args: str, password: str = ADMIN_PASSWORD) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["admin", "create", *args, "--password-stdin"])


def test_cli_creates_an_administrator_with_an_argon2id_hash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    username = new_username("cli")
    assert cli_create(monkeypatch, username, "--role", "content", "--name", "王编辑") == 0
    assert "已创建管理员" in capsys.readouterr().out
    row = run(AdminUser.select().where(AdminUser.username == username).first())
    assert row is not None
    assert row["role"] == "content" and row["display_name"] == "王编辑" and row["active"]
    assert str(row["password_hash"]).startswith("$argon2id$")
    assert run(verify_password(str(row["password_hash"]), ADMIN_PASSWORD))


def test_cli_refuses_bad_details_in_chinese(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    username = new_username("cli")
    assert cli_create(monkeypatch, username, "--role", "system", "--name", "张三", password="12345678") == 2
    assert "密码须至少包含字母、数字、符号中的两种" in capsys.readouterr().err
    assert cli_create(monkeypatch, "Bad Name", "--role", "system", "--name", "张三") == 2
    assert "用户名须以小写字母开头" in capsys.readouterr().err
    assert run(AdminUser.count().where(AdminUser.username == username)) == 0


def test_cli_refuses_a_taken_username(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    username = new_username("cli")
    assert cli_create(monkeypatch, username, "--role", "reviewer", "--name", "李四") == 0
    assert cli_create(monkeypatch, username, "--role", "system", "--name", "李四") == 2
    assert f"用户名 {username} 已被使用" in capsys.readouterr().err
    assert run(AdminUser.count().where(AdminUser.username == username)) == 1


def test_cli_rejects_an_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["admin", "create", "someone", "--role", "root", "--name", "x", "--password-stdin"])
    assert "invalid choice" in capsys.readouterr().err


def test_login_page_has_a_captcha_and_needs_no_login(client: Client) -> None:
    page = client.get("/admin/login")
    assert page.status_code == 200
    assert 'src="/captcha.png?form=admin_login"' in page.text and "管理后台登录" in page.text


def test_login_rotates_the_session_and_logout_ends_it(client: Client) -> None:
    admin = make_admin("system")
    client.get("/admin/login")
    before = client.cookies.get(SESSION_COOKIE)
    response = log_in(client, admin.username, next_url="/admin/plugins")
    assert response.status_code == 303 and response.headers["location"] == "/admin/plugins"
    assert client.cookies.get(SESSION_COOKIE) not in (None, before)
    home = client.get("/admin")
    assert home.status_code == 200 and admin.display_name in home.text and "系统管理员" in home.text
    assert post(client, "/admin/logout").headers["location"] == "/admin/login?notice=logout"
    assert client.get("/admin", follow_redirects=False).headers["location"].startswith("/admin/login")
    assert audit_actions(admin.actor) == [("admin.login", "success"), ("admin.logout", "success")]


def test_login_goes_only_to_back_office_pages(client: Client) -> None:
    admin = make_admin("content")
    response = log_in(client, admin.username, next_url="https://evil.example/admin")
    assert response.headers["location"] == "/admin"


def test_wrong_captcha_is_refused_before_the_password_is_checked(client: Client) -> None:
    admin = make_admin("content")
    response = post(
        client, "/admin/login", {"username": admin.username, "password": "wrong-1A", "captcha": "XXXX"}
    )
    assert response.status_code == 400 and "验证码" in response.text
    assert run(AdminUser.select(AdminUser.failed_attempts).where(AdminUser.id == admin.id).first()) == {
        "failed_attempts": 0
    }


def test_missing_fields_are_explained(client: Client) -> None:
    response = post(client, "/admin/login", {"username": "", "password": "", "captcha": ""})
    assert response.status_code == 400 and "请输入用户名" in response.text


def test_unknown_username_and_wrong_password_read_the_same(client: Client) -> None:
    admin = make_admin("reviewer")
    unknown = log_in(client, new_username("nobody"))
    wrong = log_in(client, admin.username, "Wrong@2026")
    assert unknown.status_code == wrong.status_code == 400
    assert "用户名或密码错误" in unknown.text and "用户名或密码错误" in wrong.text
    assert UNIFORM in unknown.text and UNIFORM in wrong.text and "您还可以尝试" not in wrong.text
    assert audit_actions(admin.actor) == [("admin.login", "failure")]


def test_five_wrong_passwords_lock_the_account_for_thirty_minutes(client: Client) -> None:
    admin = make_admin("system")
    for _ in range(MAX_FAILURES - 1):
        assert log_in(client, admin.username, "Wrong@2026").status_code == 400
    locked = log_in(client, admin.username, "Wrong@2026")
    assert UNIFORM in locked.text  # the same answer as for an unknown user name
    row = run(AdminUser.select(AdminUser.locked_until).where(AdminUser.id == admin.id).first())
    assert row is not None and row["locked_until"] is not None
    still = log_in(client, admin.username)  # the right password does not help while locked
    assert still.status_code == 400 and UNIFORM in still.text
    actions = audit_actions(admin.actor)
    assert actions[-2:] == [("admin.login.lockout", "refused"), ("admin.login", "refused")]
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)  # the 30 minutes pass
    run(AdminUser.update({AdminUser.locked_until: past}).where(AdminUser.id == admin.id))
    assert log_in(client, admin.username).status_code == 303


def test_login_without_the_csrf_token_is_refused(client: Client) -> None:
    admin = make_admin("system")
    csrf(client)
    response = client.post(
        "/admin/login",
        data={"username": admin.username, "password": ADMIN_PASSWORD, "captcha": "TEST"},
        follow_redirects=False,
    )
    assert response.status_code == 403 and "页面已过期" in response.text
    assert audit_actions(admin.actor) == []


def test_a_deactivated_administrator_is_logged_out_at_once(app: Litestar) -> None:
    admin = make_admin("content")
    with new_client(app) as client:
        assert log_in(client, admin.username).status_code == 303
        assert client.get("/admin").status_code == 200
        set_admin_active(admin.id, False)
        assert (
            client.get("/admin", follow_redirects=False).headers["location"] == "/admin/login?next=%2Fadmin"
        )
        assert log_in(client, admin.username).status_code == 400  # nor can it log in again
        set_admin_active(admin.id, True)
        assert log_in(client, admin.username).status_code == 303


def test_a_taxpayer_session_is_not_an_admin_session(app: Litestar) -> None:
    from tests.factories import create_enterprise, log_in_staff

    enterprise = create_enterprise()
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        assert client.get("/admin", follow_redirects=False).headers["location"].startswith("/admin/login")


def test_a_forged_admin_id_of_another_type_is_ignored(app: Litestar) -> None:
    with new_client(app) as client:
        client.set_session_data({"admin": {"admin_id": "1"}})
        assert client.get("/admin", follow_redirects=False).status_code in (302, 303)
