"""添加办税人员 (搜索 → 下一步 → 确定) and what an officer may then open: exactly the union of the
functions of their identities, the same in pages, menus and search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.auth.passwords import verify_password
from etax.platform.auth.tables import StaffIdentity, StaffMember
from etax.platform.settings import Settings
from tests.usercentre_helpers import (
    ALPHA,
    ALPHA_BRANCH,
    BETA,
    ENTERPRISE_PASSWORD,
    PERSONAL_PASSWORD,
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
    usercentre_app,
)

ADD = "/usercentre/staff/add"
TIP = "添加办税人一定是税务登记中办税人员，且经过实名信息采集并与企业关联的自然人才可以，若不是，会无法搜索到该人员信息。"
FAQ4 = "若添加的办税人没有经过实名采集，则无法显示手机号，无法维护其人员身份，办税人也不能正常使用电子税务局"
FAQ5 = "添加办税人员前，需要先进行身份信息维护，即通过【身份维护】维护相应的身份，才可以在添加办税人员时进行勾选身份类型。"
NEW_PASSWORD = "Banshui#2026"


@pytest.fixture(scope="module")
def uc_app(settings: Settings, database: str) -> Litestar:
    return usercentre_app(settings)


@pytest.fixture()
def enterprise() -> Enterprise:
    return run(create_enterprise())


@pytest.fixture()
def manager(uc_app: Litestar, enterprise: Enterprise) -> Iterator[TestClient[Litestar]]:
    with new_client(uc_app) as client:
        login_staff(client, enterprise, enterprise.finance_head)
        yield client


def person_form(member: Member, **extra: Any) -> dict[str, Any]:
    return {"name": member.name, "id_type": "居民身份证", "id_number": member.id_number, **extra}


async def _staff_of(taxpayer_id: int, person_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await StaffMember.select()
        .where((StaffMember.taxpayer == taxpayer_id) & (StaffMember.person == person_id))
        .first()
    )
    return row


async def _identity_ids(staff_id: int) -> list[int]:
    rows = await StaffIdentity.select(StaffIdentity.identity).where(StaffIdentity.staff == staff_id)
    return sorted(int(r["identity"]) for r in rows)


def test_search_finds_a_registered_real_name_officer(
    manager: TestClient[Litestar], enterprise: Enterprise
) -> None:
    officer = run(add_person(enterprise.taxpayer_id, "郑办税"))
    page = fetch(manager, ADD)
    assert page.status_code == 200 and TIP in page.text
    assert "姓名" in page.text and "身份证件类型" in page.text and "身份证件号码" in page.text
    found = post(manager, ADD, person_form(officer))
    assert found.status_code == 200
    assert 'data-testid="candidate"' in found.text and "郑办税" in found.text and "下一步" in found.text
    assert officer.mobile[:3] + "****" + officer.mobile[-4:] in found.text  # real-name mobile, masked
    assert officer.id_number not in found.text.split('name="id_number"')[0]  # the result shows it masked


@pytest.mark.parametrize(
    "case", ["not_registered", "wrong_name", "unknown_number", "legal_rep_only", "other_enterprise"]
)
def test_search_finds_only_tax_officers_of_this_registration(
    manager: TestClient[Litestar], enterprise: Enterprise, case: str
) -> None:
    if case == "not_registered":
        member = run(add_person(enterprise.taxpayer_id, "游离人员", registered=False))
        form = person_form(member)
    elif case == "wrong_name":
        member = run(add_person(enterprise.taxpayer_id, "真名字"))
        form = person_form(member, name="假名字")
    elif case == "unknown_number":
        form = {"name": "无此人", "id_type": "居民身份证", "id_number": "11010519491231002X"}
    elif case == "legal_rep_only":
        member = run(add_person(enterprise.taxpayer_id, "登记法人", "legal_rep"))
        form = person_form(member)
    else:
        other = run(create_enterprise())
        member = run(add_person(other.taxpayer_id, "别家办税"))
        form = person_form(member)
    response = post(manager, ADD, form)
    assert response.status_code == 400
    assert "未搜索到该人员信息" in response.text and TIP in response.text
    assert "下一步" not in response.text
    # Skipping the search and posting the next steps directly finds nobody either.
    assert "未搜索到该人员信息" in post(manager, f"{ADD}/details", form).text
    confirm = post(
        manager, f"{ADD}/confirm", {**form, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    assert confirm.status_code == 400
    assert run(StaffMember.count().where(StaffMember.taxpayer == enterprise.taxpayer_id).run()) == 2


def test_an_officer_without_real_name_collection_gets_the_faq_4_answer(
    manager: TestClient[Litestar], enterprise: Enterprise
) -> None:
    member = run(add_person(enterprise.taxpayer_id, "未采集", real_name=False))
    response = post(manager, ADD, person_form(member))
    assert response.status_code == 400 and FAQ4 in response.text and "实名采集" in response.text
    confirm = post(
        manager, f"{ADD}/confirm", person_form(member, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD)
    )
    assert confirm.status_code == 400 and FAQ4 in confirm.text
    assert run(_staff_of(enterprise.taxpayer_id, member.person_id)) is None


def test_bad_search_input_gets_chinese_messages(manager: TestClient[Litestar]) -> None:
    bad_id = post(manager, ADD, {"name": "某人", "id_type": "居民身份证", "id_number": "210102199001011234"})
    assert bad_id.status_code == 400 and "居民身份证号码校验位不正确" in bad_id.text
    no_name = post(manager, ADD, {"name": "", "id_type": "居民身份证", "id_number": "11010519491231002X"})
    assert no_name.status_code == 400 and "请填写姓名" in no_name.text
    bad_type = post(manager, ADD, {"name": "某人", "id_type": "驾驶证", "id_number": "11010519491231002X"})
    assert bad_type.status_code == 400 and "请选择身份证件类型" in bad_type.text


def test_without_identities_the_next_step_explains_faq_5(
    manager: TestClient[Litestar], enterprise: Enterprise
) -> None:
    member = run(add_person(enterprise.taxpayer_id, "冯办税"))
    details = post(manager, f"{ADD}/details", person_form(member))
    assert details.status_code == 200
    assert FAQ5 in details.text and 'href="/usercentre/staff/identities/new"' in details.text
    assert "个人登录密码" in details.text and "管理权限" in details.text


def test_add_an_officer_with_identities_and_management_rights(
    manager: TestClient[Litestar], enterprise: Enterprise
) -> None:
    member = run(add_person(enterprise.taxpayer_id, "陈办税"))
    first = run(add_identity(enterprise, "查询", [ALPHA.code]))
    second = run(add_identity(enterprise, "申报", [BETA.code]))
    details = post(manager, f"{ADD}/details", person_form(member))
    assert details.status_code == 200 and "查询" in details.text and "申报" in details.text
    assert FAQ5 not in details.text
    done = post(
        manager,
        f"{ADD}/confirm",
        person_form(
            member,
            password=NEW_PASSWORD,
            password_confirm=NEW_PASSWORD,
            identities=[str(first), str(second)],
            manage_rights="1",
        ),
    )
    assert done.status_code == 303 and done.headers["location"] == "/usercentre/staff"
    row = run(_staff_of(enterprise.taxpayer_id, member.person_id))
    assert row is not None
    assert row["key"] == f"{enterprise.taxpayer_id}:{member.person_id}" and row["role"] == "tax_officer"
    assert row["manage_rights"] and not row["frozen"] and not row["must_change_password"]
    assert run(verify_password(row["personal_password_hash"], NEW_PASSWORD))
    assert run(_identity_ids(int(row["id"]))) == sorted([first, second])
    listing = fetch(manager, "/usercentre/staff")
    assert "已添加办税员 陈办税" in listing.text and "查询、申报" in listing.text
    assert ("usercentre.officer.add", "success") in run(audit_actions(enterprise.taxpayer_id))
    # Adding the same person again is refused.
    again = post(manager, ADD, person_form(member))
    assert again.status_code == 400 and "无需重复添加" in again.text


def test_the_officers_password_and_identities_are_checked(
    manager: TestClient[Litestar], enterprise: Enterprise
) -> None:
    member = run(add_person(enterprise.taxpayer_id, "褚办税"))
    identity = run(add_identity(enterprise, "查询", [ALPHA.code]))
    weak = post(
        manager, f"{ADD}/confirm", person_form(member, password="12345678", password_confirm="12345678")
    )
    assert weak.status_code == 400 and "密码须至少包含字母、数字、符号中的两种" in weak.text
    reset_like = post(
        manager, f"{ADD}/confirm", person_form(member, password="111111", password_confirm="111111")
    )
    assert reset_like.status_code == 400 and "密码长度应为8至20位" in reset_like.text
    mismatch = post(
        manager, f"{ADD}/confirm", person_form(member, password=NEW_PASSWORD, password_confirm="Other#2026")
    )
    assert mismatch.status_code == 400 and "两次输入的新密码不一致" in mismatch.text
    assert f'value="{identity}"' in mismatch.text  # the form comes back with the identities
    same = post(
        manager,
        f"{ADD}/confirm",
        person_form(member, password=ENTERPRISE_PASSWORD, password_confirm=ENTERPRISE_PASSWORD),
    )
    assert same.status_code == 400 and "个人登录密码不能与企业密码相同" in same.text
    other = run(create_enterprise())
    foreign = run(add_identity(other, "别家身份", [ALPHA.code]))
    tampered = post(
        manager,
        f"{ADD}/confirm",
        person_form(member, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD, identities=[str(foreign)]),
    )
    assert tampered.status_code == 404
    assert run(_staff_of(enterprise.taxpayer_id, member.person_id)) is None


def test_an_officer_holds_exactly_the_union_of_their_identities(
    uc_app: Litestar, enterprise: Enterprise
) -> None:
    officer = run(add_person(enterprise.taxpayer_id, "蒋办税", staff=True))
    queries_only = run(add_identity(enterprise, "查询", [ALPHA_BRANCH]))
    declare = run(add_identity(enterprise, "申报", [BETA.code, "usercentre.taxpayer_info"]))
    run(grant(officer, queries_only))
    with new_client(uc_app) as client:
        login_staff(client, enterprise, officer)
        assert fetch(client, ALPHA.url).status_code == 200
        assert fetch(client, BETA.url).status_code == 403
        assert fetch(client, "/usercentre/taxpayer-info").status_code == 403
        codes = [r["code"] for r in client.get("/api/search", params={"q": "乙类测试办理"}).json()["results"]]
        assert BETA.code not in codes
        codes = [r["code"] for r in client.get("/api/search", params={"q": "甲类测试查询"}).json()["results"]]
        assert ALPHA.code in codes
        run(grant(officer, declare))  # takes effect at the very next request
        for url in (ALPHA.url, BETA.url, "/usercentre/taxpayer-info"):
            assert fetch(client, url).status_code == 200, url
        codes = [r["code"] for r in client.get("/api/search", params={"q": "乙类测试办理"}).json()["results"]]
        assert BETA.code in codes
        # Officers never hold the managers' functions, whatever their identities.
        assert fetch(client, "/usercentre/staff").status_code == 403
        assert fetch(client, "/usercentre/enterprise-password").status_code == 403
        assert fetch(client, "/usercentre/agencies").status_code == 403
        assert fetch(client, "/usercentre/password").status_code == 200  # everyone's


def test_an_officer_without_identities_sees_no_functions(uc_app: Litestar, enterprise: Enterprise) -> None:
    """FAQ 7: without ticked functions an officer has nothing to use."""
    officer = run(add_person(enterprise.taxpayer_id, "沈办税", staff=True))
    with new_client(uc_app) as client:
        login_staff(client, enterprise, officer)
        for url in (ALPHA.url, BETA.url, "/usercentre/taxpayer-info"):
            assert fetch(client, url).status_code == 403
        for query in ("甲类测试查询", "乙类测试办理", "纳税人基本信息"):
            codes = [r["code"] for r in client.get("/api/search", params={"q": query}).json()["results"]]
            assert not {ALPHA.code, BETA.code, "usercentre.taxpayer_info"} & set(codes)
        menu = client.get("/menu/我要查询")
        assert menu.status_code == 200 and "没有可用的功能" in menu.text
        forbidden = fetch(client, ALPHA.url)
        assert "请联系法定代表人或财务负责人授权" in forbidden.text


def test_managers_hold_every_function(uc_app: Litestar, enterprise: Enterprise) -> None:
    with new_client(uc_app) as client:
        login_staff(client, enterprise, enterprise.legal_rep)
        for url in (
            ALPHA.url,
            BETA.url,
            "/usercentre/taxpayer-info",
            "/usercentre/staff",
            "/usercentre/agencies",
        ):
            assert fetch(client, url).status_code == 200, url


def test_change_an_officers_permissions(manager: TestClient[Litestar], enterprise: Enterprise) -> None:
    officer = run(add_person(enterprise.taxpayer_id, "韩办税", staff=True))
    first = run(add_identity(enterprise, "查询", [ALPHA.code]))
    second = run(add_identity(enterprise, "申报", [BETA.code]))
    run(grant(officer, first))
    form = fetch(manager, f"/usercentre/staff/{officer.staff}/permissions")
    assert form.status_code == 200 and f'value="{first}" checked' in form.text
    saved = post(
        manager,
        f"/usercentre/staff/{officer.staff}/permissions",
        {"identities": str(second), "manage_rights": "1"},
    )
    assert saved.status_code == 303
    assert run(_identity_ids(officer.staff)) == [second]
    row = run(_staff_of(enterprise.taxpayer_id, officer.person_id))
    assert row is not None and row["manage_rights"]
    # Issue 10.3: an officer is never left with no identity (the seed's flow ticks one; 冻结 pauses one).
    emptied = post(manager, f"/usercentre/staff/{officer.staff}/permissions", {})
    assert emptied.status_code == 400 and "请至少勾选一个身份信息" in emptied.text
    assert run(_identity_ids(officer.staff)) == [second]
    assert ("usercentre.officer.permissions", "success") in run(audit_actions(enterprise.taxpayer_id))
    # Managers hold every function; their permissions are not edited.
    refused = post(
        manager, f"/usercentre/staff/{enterprise.legal_rep.staff}/permissions", {"identities": str(first)}
    )
    assert refused.status_code == 400 and "拥有全部功能" in refused.text


def test_taxpayer_information(manager: TestClient[Litestar], enterprise: Enterprise) -> None:
    officer = run(add_person(enterprise.taxpayer_id, "杨办税"))
    page = fetch(manager, "/usercentre/taxpayer-info")
    assert page.status_code == 200
    for text in (enterprise.name, enterprise.tin, "一般纳税人", "正常", "国家税务总局沈阳市和平区税务局"):
        assert text in page.text
    assert "市区（城市维护建设税税率 7%）" in page.text
    assert "增值税" in page.text and "企业所得税" in page.text
    assert "杨办税" in page.text and "办税员" in page.text and "法定代表人" in page.text
    assert officer.id_number not in page.text
    assert officer.id_number[:6] + "********" + officer.id_number[-4:] in page.text
    assert PERSONAL_PASSWORD not in page.text


def test_search_finds_the_user_centre_by_its_keywords(uc_app: Litestar, enterprise: Enterprise) -> None:
    officer = run(add_person(enterprise.taxpayer_id, "许办税", staff=True))

    def codes(client: TestClient[Litestar], query: str) -> list[str]:
        return [r["code"] for r in client.get("/api/search", params={"q": query}).json()["results"]]

    with new_client(uc_app) as client:
        login_staff(client, enterprise, enterprise.legal_rep)
        for query in ("企业人员维护", "办税人员", "冻结", "重置密码", "权限身份"):
            assert "usercentre.staff" in codes(client, query), query
        assert "usercentre.agency" in codes(client, "代理机构")
        assert "usercentre.password" in codes(client, "密码修改")
        assert "usercentre.enterprise_password" in codes(client, "企业密码")
        assert "usercentre.taxpayer_info" in codes(client, "纳税人基本信息")
    with new_client(uc_app) as client:
        login_staff(client, enterprise, officer)
        assert "usercentre.staff" not in codes(client, "企业人员维护")
        assert "usercentre.agency" not in codes(client, "代理机构")
        assert "usercentre.password" in codes(client, "修改密码")


def test_the_function_tree_script_is_served(uc_app: Litestar) -> None:
    with new_client(uc_app) as client:
        script = client.get("/static/plugins/usercentre/function_tree.js")
        assert script.status_code == 200 and "data-function-tree" in script.text
        assert client.get("/static/plugins/usercentre/usercentre.css").status_code == 200


def test_an_officer_without_an_identity_is_refused(
    manager: TestClient[Litestar], enterprise: Enterprise
) -> None:
    """Issue 10.3: the seed's 添加办税人员 ticks 身份信息; saving none is refused, nothing is added."""
    member = run(add_person(enterprise.taxpayer_id, "魏办税"))
    run(add_identity(enterprise, "查询", [ALPHA.code]))
    refused = post(
        manager,
        f"{ADD}/confirm",
        person_form(member, password=NEW_PASSWORD, password_confirm=NEW_PASSWORD, manage_rights="1"),
    )
    assert refused.status_code == 400 and "请至少勾选一个身份信息" in refused.text
    assert run(_staff_of(enterprise.taxpayer_id, member.person_id)) is None
