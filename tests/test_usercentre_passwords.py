"""修改密码 (personal) and 修改企业密码: each bad input gets a Chinese message and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.auth.passwords import RESET_PASSWORD, hash_password, verify_password
from etax.platform.auth.principal import SessionAuth
from etax.platform.auth.tables import EnterpriseAccount, NaturalPersonAccount, StaffMember
from etax.platform.settings import Settings
from tests.usercentre_helpers import (
    CAPTCHA,
    ENTERPRISE_PASSWORD,
    NATURAL_PASSWORD,
    PERSONAL_PASSWORD,
    Enterprise,
    Member,
    add_person,
    audit_actions,
    create_enterprise,
    fetch,
    login,
    login_staff,
    new_client,
    post,
    run,
    staff_row,
    usercentre_app,
)

PERSONAL = "/usercentre/password"
COMPANY = "/usercentre/enterprise-password"
NEW = "Xinmima#2026"


@pytest.fixture(scope="module")
def uc_app(settings: Settings, database: str) -> Litestar:
    return usercentre_app(settings)


@pytest.fixture()
def enterprise() -> Enterprise:
    return run(create_enterprise())


@pytest.fixture()
def officer(enterprise: Enterprise) -> Member:
    return run(add_person(enterprise.taxpayer_id, "卫办税", staff=True))


@pytest.fixture()
def officer_client(
    uc_app: Litestar, enterprise: Enterprise, officer: Member
) -> Iterator[TestClient[Litestar]]:
    with new_client(uc_app) as client:
        login_staff(client, enterprise, officer)
        yield client


@pytest.fixture()
def manager(uc_app: Litestar, enterprise: Enterprise) -> Iterator[TestClient[Litestar]]:
    with new_client(uc_app) as client:
        login_staff(client, enterprise, enterprise.legal_rep)
        yield client


def form(old: str, new: str = NEW, confirm: str | None = None, captcha: str = CAPTCHA) -> dict[str, str]:
    return {
        "old_password": old,
        "password": new,
        "password_confirm": new if confirm is None else confirm,
        "captcha": captcha,
    }


def personal_hash(member: Member) -> str:
    found = run(staff_row(member.staff))
    assert found is not None
    return str(found["personal_password_hash"])


async def _enterprise_hash(taxpayer_id: int) -> str:
    row: dict[str, Any] | None = (
        await EnterpriseAccount.select(EnterpriseAccount.password_hash)
        .where(EnterpriseAccount.taxpayer == taxpayer_id)
        .first()
    )
    assert row is not None
    return str(row["password_hash"])


BAD_PERSONAL = [
    (form("Wrong#2026"), "旧密码不正确"),
    (form(PERSONAL_PASSWORD, "abcdefgh"), "密码须至少包含字母、数字、符号中的两种"),
    (form(PERSONAL_PASSWORD, "Ab1"), "密码长度应为8至20位"),
    (form(PERSONAL_PASSWORD, PERSONAL_PASSWORD), "新密码不能与旧密码相同"),
    (form(PERSONAL_PASSWORD, NEW, "Other#2026"), "两次输入的新密码不一致"),
    (form(PERSONAL_PASSWORD, captcha="ZZZZ"), "验证码"),
    (form(PERSONAL_PASSWORD, captcha=""), "请输入验证码"),
    (form(""), "请输入旧密码"),
    (form(PERSONAL_PASSWORD, ENTERPRISE_PASSWORD), "个人登录密码不能与企业密码相同"),
]


def test_the_personal_password_form(officer_client: TestClient[Litestar]) -> None:
    page = fetch(officer_client, PERSONAL)
    assert page.status_code == 200
    for text in ("旧密码", "新密码", "确认新密码", "验证码", "/captcha.png?form=change_password", "“111111”"):
        assert text in page.text


@pytest.mark.parametrize(("data", "message"), BAD_PERSONAL)
def test_bad_personal_password_changes_are_refused(
    officer_client: TestClient[Litestar], officer: Member, data: dict[str, str], message: str
) -> None:
    before = personal_hash(officer)
    response = post(officer_client, PERSONAL, data)
    assert response.status_code == 400
    assert message in response.text
    assert personal_hash(officer) == before
    assert NEW not in response.text and PERSONAL_PASSWORD not in response.text


def test_an_officer_changes_their_personal_password(
    officer_client: TestClient[Litestar], enterprise: Enterprise, officer: Member
) -> None:
    response = post(officer_client, PERSONAL, form(PERSONAL_PASSWORD))
    assert response.status_code == 200 and "个人登录密码修改成功" in response.text
    assert run(verify_password(personal_hash(officer), NEW))
    actions = run(audit_actions(enterprise.taxpayer_id))
    assert ("usercentre.password.change", "success") in actions


def test_a_wrong_old_password_is_audited(
    officer_client: TestClient[Litestar], enterprise: Enterprise
) -> None:
    post(officer_client, PERSONAL, form("Wrong#2026"))
    assert ("usercentre.password.change", "failure") in run(audit_actions(enterprise.taxpayer_id))


def test_after_a_reset_the_old_password_is_111111(
    uc_app: Litestar, enterprise: Enterprise, officer: Member
) -> None:
    """温馨提示(2): once the forced change is out of the way, 111111 is the old password."""

    async def reset_without_forcing() -> None:
        await StaffMember.update(
            {StaffMember.personal_password_hash: await hash_password(RESET_PASSWORD)}
        ).where(StaffMember.id == officer.staff)

    run(reset_without_forcing())
    with new_client(uc_app) as client:
        login_staff(client, enterprise, officer)
        assert post(client, PERSONAL, form(PERSONAL_PASSWORD)).status_code == 400
        done = post(client, PERSONAL, form(RESET_PASSWORD))
        assert done.status_code == 200 and "修改成功" in done.text
    changed = run(staff_row(officer.staff))
    assert changed is not None and not changed["must_change_password"]
    assert run(verify_password(str(changed["personal_password_hash"]), NEW))


def test_a_bound_officer_changes_the_password_in_the_natural_person_portal(
    uc_app: Litestar, enterprise: Enterprise
) -> None:
    member = run(add_person(enterprise.taxpayer_id, "绑定人", staff=True, natural_account=True))

    async def bind() -> None:
        await StaffMember.update({StaffMember.bound: True}).where(StaffMember.id == member.staff)

    run(bind())
    before = personal_hash(member)
    with new_client(uc_app) as client:
        login_staff(client, enterprise, member)
        page = fetch(client, PERSONAL)
        assert page.status_code == 200 and "请登录自然人电子税务局修改密码" in page.text
        refused = post(client, PERSONAL, form(NATURAL_PASSWORD))
        assert refused.status_code == 400 and "请登录自然人电子税务局修改密码" in refused.text
    assert personal_hash(member) == before


def test_a_natural_person_changes_their_password(uc_app: Litestar, enterprise: Enterprise) -> None:
    member = run(add_person(enterprise.taxpayer_id, "自然人", registered=False, natural_account=True))

    async def account() -> dict[str, Any]:
        row: dict[str, Any] | None = (
            await NaturalPersonAccount.select().where(NaturalPersonAccount.person == member.person_id).first()
        )
        assert row is not None
        return row

    with new_client(uc_app) as client:
        login(client, SessionAuth(kind="natural_person", account_id=int(run(account())["id"])))
        assert post(client, PERSONAL, form(PERSONAL_PASSWORD)).status_code == 400
        done = post(client, PERSONAL, form(NATURAL_PASSWORD))
        assert done.status_code == 200 and "修改成功" in done.text
        # Natural persons have no enterprise to maintain.
        assert fetch(client, "/usercentre/staff").status_code == 403
        assert fetch(client, COMPANY).status_code == 403
    assert run(verify_password(str(run(account())["password_hash"]), NEW))


def test_the_enterprise_password_form(manager: TestClient[Litestar]) -> None:
    page = fetch(manager, COMPANY)
    assert page.status_code == 200
    for text in ("旧密码", "新密码", "确认新密码", "验证码", "/captcha.png?form=change_enterprise_password"):
        assert text in page.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form("Wrong#2026"), "旧密码不正确"),
        (form(ENTERPRISE_PASSWORD, "12345678"), "密码须至少包含字母、数字、符号中的两种"),
        (form(ENTERPRISE_PASSWORD, NEW, "Other#2026"), "两次输入的新密码不一致"),
        (form(ENTERPRISE_PASSWORD, captcha="ZZZZ"), "验证码"),
        (form(ENTERPRISE_PASSWORD, PERSONAL_PASSWORD), "企业密码不能与您的个人登录密码相同"),
    ],
)
def test_bad_enterprise_password_changes_are_refused(
    manager: TestClient[Litestar], enterprise: Enterprise, data: dict[str, str], message: str
) -> None:
    before = run(_enterprise_hash(enterprise.taxpayer_id))
    response = post(manager, COMPANY, data)
    assert response.status_code == 400 and message in response.text
    assert run(_enterprise_hash(enterprise.taxpayer_id)) == before


def test_managers_change_the_enterprise_password(
    manager: TestClient[Litestar], enterprise: Enterprise, officer: Member
) -> None:
    response = post(manager, COMPANY, form(ENTERPRISE_PASSWORD))
    assert response.status_code == 200 and "企业登录密码修改成功" in response.text
    assert run(verify_password(run(_enterprise_hash(enterprise.taxpayer_id)), NEW))
    # The personal passwords are separate and unchanged.
    assert run(verify_password(personal_hash(officer), PERSONAL_PASSWORD))
    assert ("usercentre.enterprise_password.change", "success") in run(audit_actions(enterprise.taxpayer_id))


def test_officers_cannot_change_the_enterprise_password(
    officer_client: TestClient[Litestar], enterprise: Enterprise
) -> None:
    before = run(_enterprise_hash(enterprise.taxpayer_id))
    assert fetch(officer_client, COMPANY).status_code == 403
    assert post(officer_client, COMPANY, form(ENTERPRISE_PASSWORD)).status_code == 403
    assert run(_enterprise_hash(enterprise.taxpayer_id)) == before


def test_each_manager_changes_only_their_own_enterprise(uc_app: Litestar, enterprise: Enterprise) -> None:
    other = run(create_enterprise("另一公司"))
    before = run(_enterprise_hash(other.taxpayer_id))
    with new_client(uc_app) as client:
        login_staff(client, enterprise, enterprise.finance_head)
        assert post(client, COMPANY, form(ENTERPRISE_PASSWORD)).status_code == 200
    assert run(_enterprise_hash(other.taxpayer_id)) == before
    # A session naming another enterprise's staff id resolves to nobody.
    with new_client(uc_app) as client:
        login(
            client,
            SessionAuth(
                kind="enterprise", taxpayer_id=enterprise.taxpayer_id, staff_id=other.legal_rep.staff
            ),
        )
        response = fetch(client, COMPANY)
        assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")
