"""Per-officer actions of 企业人员维护: 删除, 冻结/解冻, 绑定/解绑, 重置密码 — each confirmed first, each
only for the legal representative and financial head, never reaching another enterprise."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.access import SET_PASSWORD_URL
from etax.platform.auth.passwords import RESET_PASSWORD, verify_password
from etax.platform.auth.tables import StaffIdentity
from etax.platform.settings import Settings
from tests.usercentre_helpers import (
    ALPHA,
    Enterprise,
    Member,
    add_identity,
    add_person,
    audit_actions,
    create_enterprise,
    fetch,
    grant,
    login_staff,
    new_client,
    post,
    run,
    staff_row,
    usercentre_app,
)

STAFF = "/usercentre/staff"
ACTIONS = ("delete", "freeze", "unfreeze", "bind", "unbind", "reset")


@pytest.fixture(scope="module")
def uc_app(settings: Settings, database: str) -> Litestar:
    return usercentre_app(settings)


@pytest.fixture()
def enterprise() -> Enterprise:
    return run(create_enterprise())


@pytest.fixture()
def officer(enterprise: Enterprise) -> Member:
    member = run(add_person(enterprise.taxpayer_id, "张办税", staff=True))
    run(grant(member, run(add_identity(enterprise, "查询", [ALPHA.code]))))
    return member


@pytest.fixture()
def manager(uc_app: Litestar, enterprise: Enterprise) -> Iterator[TestClient[Litestar]]:
    with new_client(uc_app) as client:
        login_staff(client, enterprise, enterprise.legal_rep)
        yield client


@pytest.fixture()
def officer_client(
    uc_app: Litestar, enterprise: Enterprise, officer: Member
) -> Iterator[TestClient[Litestar]]:
    with new_client(uc_app) as client:
        login_staff(client, enterprise, officer)
        yield client


def row(member: Member) -> dict[str, Any]:
    found = run(staff_row(member.staff))
    assert found is not None
    return found


async def _links(staff_id: int) -> int:
    count: int = await StaffIdentity.count().where(StaffIdentity.staff == staff_id)
    return count


def test_the_staff_table(manager: TestClient[Litestar], enterprise: Enterprise, officer: Member) -> None:
    page = fetch(manager, STAFF)
    assert page.status_code == 200
    for text in (
        "钱法人",
        "孙财务",
        "张办税",
        "法定代表人",
        "财务负责人",
        "办税员",
        "查询",
        "添加办税人员",
        "身份维护",
    ):
        assert text in page.text
    assert officer.id_number not in page.text and officer.id_number[-4:] in page.text
    officer_row = page.text.split(f'data-staff-id="{officer.staff}"')[1].split("</tr>")[0]
    for action in ("freeze", "bind", "reset", "delete"):
        assert f'data-action="{action}"' in officer_row
    # The legal representative's and financial head's rows are shown but cannot be deleted or frozen.
    for manager_member in (enterprise.legal_rep, enterprise.finance_head):
        manager_row = page.text.split(f'data-staff-id="{manager_member.staff}"')[1].split("</tr>")[0]
        assert 'data-action="delete"' not in manager_row and 'data-action="freeze"' not in manager_row


def test_every_action_is_confirmed_before_anything_changes(
    manager: TestClient[Litestar], officer: Member
) -> None:
    before = row(officer)
    for action, question in (
        ("delete", "确认删除办税员 张办税"),
        ("freeze", "确认冻结办税员 张办税"),
        ("reset", "确认重置办税员 张办税"),
    ):
        page = fetch(manager, f"{STAFF}/{officer.staff}/{action}")
        assert page.status_code == 200 and question in page.text
        assert f'action="{STAFF}/{officer.staff}/{action}"' in page.text
        inline = fetch(manager, f"{STAFF}/{officer.staff}/{action}", htmx=True)
        assert inline.status_code == 200 and "<html" not in inline.text and question in inline.text
        assert f'hx-post="{STAFF}/{officer.staff}/{action}"' in inline.text
    assert row(officer) == before
    assert fetch(manager, f"{STAFF}/{officer.staff}/explode").status_code == 404


def test_freeze_logs_the_officer_out_and_unfreeze_restores(
    manager: TestClient[Litestar],
    officer_client: TestClient[Litestar],
    enterprise: Enterprise,
    officer: Member,
) -> None:
    assert fetch(officer_client, ALPHA.url).status_code == 200
    done = post(manager, f"{STAFF}/{officer.staff}/freeze")
    assert done.status_code == 303
    assert row(officer)["frozen"]
    assert "已冻结办税员 张办税" in fetch(manager, STAFF).text
    # The officer's existing session ends at once, and the login page says why.
    response = fetch(officer_client, ALPHA.url)
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")
    assert "notice=frozen" in response.headers["location"]
    told = fetch(officer_client, response.headers["location"])
    assert "您的办税人员身份已被企业冻结" in told.text and "解冻" in told.text
    assert 'data-testid="identity"' not in fetch(officer_client, "/").text  # logged out, not told again
    again = post(manager, f"{STAFF}/{officer.staff}/freeze")
    assert again.status_code == 400 and "已处于冻结状态" in again.text
    assert post(manager, f"{STAFF}/{officer.staff}/unfreeze").status_code == 303
    assert not row(officer)["frozen"]
    login_staff(officer_client, enterprise, officer)  # unfrozen: the officer logs in again
    assert fetch(officer_client, ALPHA.url).status_code == 200
    assert post(manager, f"{STAFF}/{officer.staff}/unfreeze").status_code == 400
    actions = run(audit_actions(enterprise.taxpayer_id))
    assert ("usercentre.officer.freeze", "success") in actions
    assert ("usercentre.officer.freeze", "refused") in actions
    assert ("usercentre.officer.unfreeze", "success") in actions


def test_freeze_in_place_with_htmx(manager: TestClient[Litestar], officer: Member) -> None:
    response = post(manager, f"{STAFF}/{officer.staff}/freeze", htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="staff-area">') and "<html" not in response.text
    assert "已冻结办税员 张办税" in response.text and "已冻结" in response.text
    assert row(officer)["frozen"]
    refused = post(manager, f"{STAFF}/{officer.staff}/freeze", htmx=True)
    assert refused.status_code == 200 and "alert-error" in refused.text and "已处于冻结状态" in refused.text


def test_bind_needs_a_natural_person_account(
    manager: TestClient[Litestar], enterprise: Enterprise, officer: Member
) -> None:
    confirm = fetch(manager, f"{STAFF}/{officer.staff}/bind")
    assert confirm.status_code == 400 and "尚未注册自然人电子税务局账户，无法绑定" in confirm.text
    refused = post(manager, f"{STAFF}/{officer.staff}/bind")
    assert refused.status_code == 400 and "尚未注册自然人电子税务局账户，无法绑定" in refused.text
    assert not row(officer)["bound"]
    assert post(manager, f"{STAFF}/{officer.staff}/unbind").status_code == 400


def test_bind_and_unbind(manager: TestClient[Litestar], enterprise: Enterprise) -> None:
    member = run(add_person(enterprise.taxpayer_id, "李自然", staff=True, natural_account=True))
    confirm = fetch(manager, f"{STAFF}/{member.staff}/bind")
    assert confirm.status_code == 200 and "个人登录密码即为其自然人电子税务局登录密码" in confirm.text
    assert post(manager, f"{STAFF}/{member.staff}/bind").status_code == 303
    bound = row(member)
    assert bound["bound"] and bound["personal_password_hash"]  # the original password is kept for unbinding
    page = fetch(manager, STAFF)
    assert "已绑定自然人账户" in page.text
    assert post(manager, f"{STAFF}/{member.staff}/bind").status_code == 400
    reset = post(manager, f"{STAFF}/{member.staff}/reset")
    assert reset.status_code == 400 and "已绑定自然人电子税务局账户" in reset.text
    assert post(manager, f"{STAFF}/{member.staff}/unbind").status_code == 303
    assert not row(member)["bound"]
    assert "需使用原个人登录密码登录企业电子税务局" in fetch(manager, STAFF).text
    actions = run(audit_actions(enterprise.taxpayer_id))
    assert ("usercentre.officer.bind", "success") in actions and (
        "usercentre.officer.unbind",
        "success",
    ) in actions
    # Binding is not limited to officers: the legal representative's row can be bound too.
    legal = fetch(manager, f"{STAFF}/{enterprise.legal_rep.staff}/bind")
    assert "尚未注册自然人电子税务局账户" in legal.text and "来自税务登记" not in legal.text


def test_reset_password_forces_a_change_at_next_login(
    manager: TestClient[Litestar],
    officer_client: TestClient[Litestar],
    enterprise: Enterprise,
    officer: Member,
) -> None:
    assert post(manager, f"{STAFF}/{officer.staff}/reset").status_code == 303
    reset = row(officer)
    assert reset["must_change_password"]
    assert run(verify_password(reset["personal_password_hash"], RESET_PASSWORD))
    assert f"为{RESET_PASSWORD}" in fetch(manager, STAFF).text
    # Before anything else the platform sends the officer to set a new password.
    response = fetch(officer_client, ALPHA.url)
    assert response.status_code in (302, 303) and response.headers["location"] == SET_PASSWORD_URL
    assert fetch(officer_client, "/usercentre/password").headers["location"] == SET_PASSWORD_URL
    assert ("usercentre.officer.reset", "success") in run(audit_actions(enterprise.taxpayer_id))


def test_delete_an_officer(
    manager: TestClient[Litestar],
    officer_client: TestClient[Litestar],
    enterprise: Enterprise,
    officer: Member,
) -> None:
    assert post(manager, f"{STAFF}/{officer.staff}/delete").status_code == 303
    assert run(staff_row(officer.staff)) is None
    assert run(_links(officer.staff)) == 0
    response = fetch(officer_client, ALPHA.url)
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")
    assert "已删除办税员 张办税" in fetch(manager, STAFF).text
    assert post(manager, f"{STAFF}/{officer.staff}/delete").status_code == 404
    assert ("usercentre.officer.delete", "success") in run(audit_actions(enterprise.taxpayer_id))


@pytest.mark.parametrize("action", ["delete", "freeze", "reset", "unfreeze"])
def test_the_legal_representative_and_financial_head_cannot_be_deleted_or_frozen(
    manager: TestClient[Litestar], enterprise: Enterprise, action: str
) -> None:
    for member in (enterprise.legal_rep, enterprise.finance_head):
        before = row(member)
        response = post(manager, f"{STAFF}/{member.staff}/{action}")
        assert response.status_code == 400 and "来自税务登记" in response.text
        assert row(member) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_officers_are_refused_every_action(
    officer_client: TestClient[Litestar], enterprise: Enterprise, officer: Member, action: str
) -> None:
    target = run(add_person(enterprise.taxpayer_id, "被操作", staff=True, natural_account=True))
    before = row(target)
    assert fetch(officer_client, f"{STAFF}/{target.staff}/{action}").status_code == 403
    assert post(officer_client, f"{STAFF}/{target.staff}/{action}").status_code == 403
    assert post(officer_client, f"{STAFF}/{officer.staff}/{action}").status_code == 403
    assert row(target) == before
    assert fetch(officer_client, STAFF).status_code == 403
    assert fetch(officer_client, "/usercentre/staff/add").status_code == 403
    assert post(officer_client, f"{STAFF}/{target.staff}/permissions", {}).status_code == 403


@pytest.mark.parametrize("action", ACTIONS)
def test_another_enterprises_staff_cannot_be_reached(uc_app: Litestar, officer: Member, action: str) -> None:
    intruder = run(create_enterprise("他人公司"))
    before = row(officer)
    with new_client(uc_app) as client:
        login_staff(client, intruder, intruder.legal_rep)
        assert fetch(client, f"{STAFF}/{officer.staff}/{action}").status_code == 404
        assert post(client, f"{STAFF}/{officer.staff}/{action}").status_code == 404
        assert post(client, f"{STAFF}/{officer.staff}/{action}", htmx=True).status_code == 404
        assert fetch(client, f"{STAFF}/{officer.staff}/permissions").status_code == 404
        assert post(client, f"{STAFF}/{officer.staff}/permissions", {}).status_code == 404
        assert "张办税" not in fetch(client, STAFF).text
    assert row(officer) == before
    assert run(_links(officer.staff)) == 1


def test_state_changes_need_the_csrf_token(manager: TestClient[Litestar], officer: Member) -> None:
    response = manager.post(f"{STAFF}/{officer.staff}/freeze", follow_redirects=False)
    assert response.status_code == 403
    assert not row(officer)["frozen"]


def test_anonymous_visitors_go_to_the_login_page(uc_app: Litestar, officer: Member) -> None:
    with new_client(uc_app) as client:
        response = fetch(client, f"{STAFF}/{officer.staff}/freeze")
        assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")


def test_a_frozen_officer_opening_the_home_page_is_told_why(
    manager: TestClient[Litestar], officer_client: TestClient[Litestar], officer: Member
) -> None:
    assert post(manager, f"{STAFF}/{officer.staff}/freeze").status_code == 303
    home = fetch(officer_client, "/")
    assert home.status_code in (302, 303) and home.headers["location"] == "/login?notice=frozen"
    assert "已被企业冻结" in fetch(officer_client, home.headers["location"]).text
