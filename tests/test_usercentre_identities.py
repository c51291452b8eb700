"""身份维护: add a permission identity with the function tree, refuse one without ticks, edit, delete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.auth.tables import PermissionIdentity, StaffIdentity
from etax.platform.settings import Settings
from tests.usercentre_helpers import (
    ALPHA,
    ALPHA_BRANCH,
    BETA,
    Enterprise,
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

BASE = "/usercentre/staff/identities"


@pytest.fixture(scope="module")
def uc_app(settings: Settings, database: str) -> Litestar:
    return usercentre_app(settings)


@pytest.fixture()
def enterprise() -> Enterprise:
    return run(create_enterprise())


@pytest.fixture()
def manager(uc_app: Litestar, enterprise: Enterprise) -> Iterator[TestClient[Litestar]]:
    with new_client(uc_app) as client:
        login_staff(client, enterprise, enterprise.legal_rep)
        yield client


async def _identities(taxpayer_id: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = (
        await PermissionIdentity.select()
        .where(PermissionIdentity.taxpayer == taxpayer_id)
        .order_by(PermissionIdentity.id)
    )
    return rows


async def _links(staff_id: int) -> int:
    count: int = await StaffIdentity.count().where(StaffIdentity.staff == staff_id)
    return count


def test_the_form_shows_the_grantable_function_tree(manager: TestClient[Litestar]) -> None:
    page = fetch(manager, f"{BASE}/new")
    assert page.status_code == 200
    assert "权限身份名称" in page.text and "权限描述" in page.text and "勾选功能树" in page.text
    assert "data-function-tree" in page.text
    assert f'value="{ALPHA_BRANCH}"' in page.text  # a branch can be ticked
    assert f'value="{ALPHA.code}"' in page.text and f'value="{BETA.code}"' in page.text
    assert 'value="usercentre.taxpayer_info"' in page.text
    # Functions not granted through identities are not offered: public ones, managers' ones, everyone's.
    assert 'value="usercentre.staff"' not in page.text
    assert 'value="usercentre.password"' not in page.text
    assert 'value="public.taxpayer_status"' not in page.text


def test_create_an_identity_with_a_branch_and_a_function(
    manager: TestClient[Litestar], enterprise: Enterprise
) -> None:
    response = post(
        manager,
        f"{BASE}/new",
        {"name": "全量办税", "description": "申报和查询", "nodes": [ALPHA_BRANCH, ALPHA.code, BETA.code]},
    )
    assert response.status_code == 303
    rows = run(_identities(enterprise.taxpayer_id))
    assert len(rows) == 1
    assert rows[0]["name"] == "全量办税" and rows[0]["description"] == "申报和查询"
    # The function under the ticked branch is already granted by the branch: only the branch is kept,
    # and the codes are stored in tree order (我要办税 comes before 我要查询).
    assert str(rows[0]["nodes"]).splitlines() == [BETA.code, ALPHA_BRANCH]
    listing = fetch(manager, BASE)
    assert "权限身份“全量办税”已保存" in listing.text
    assert "我要查询 › 人员维护测试" in listing.text and "乙类测试办理" in listing.text
    assert ("usercentre.identity.add", "success") in run(audit_actions(enterprise.taxpayer_id))


def test_saving_without_ticking_the_tree_is_refused(
    manager: TestClient[Litestar], enterprise: Enterprise
) -> None:
    response = post(manager, f"{BASE}/new", {"name": "空身份", "description": "没有功能"})
    assert response.status_code == 400
    assert "一定不要忘记勾选功能树" in response.text
    assert 'value="空身份"' in response.text  # what was typed is kept
    assert run(_identities(enterprise.taxpayer_id)) == []


def test_single_ticked_box_and_bad_input(manager: TestClient[Litestar], enterprise: Enterprise) -> None:
    assert post(manager, f"{BASE}/new", {"name": "", "nodes": BETA.code}).status_code == 400
    response = post(manager, f"{BASE}/new", {"name": "X" * 51, "nodes": BETA.code})
    assert response.status_code == 400 and "权限身份名称不能超过50个字" in response.text
    response = post(manager, f"{BASE}/new", {"name": "伪造", "nodes": "usercentre.staff"})
    assert response.status_code == 400 and "不能授权" in response.text
    response = post(manager, f"{BASE}/new", {"name": "伪造", "nodes": "不存在/的节点"})
    assert response.status_code == 400
    assert run(_identities(enterprise.taxpayer_id)) == []
    assert post(manager, f"{BASE}/new", {"name": "单选", "nodes": BETA.code}).status_code == 303
    assert [str(r["nodes"]) for r in run(_identities(enterprise.taxpayer_id))] == [BETA.code]


def test_names_are_unique_per_enterprise(
    manager: TestClient[Litestar], enterprise: Enterprise, uc_app: Litestar
) -> None:
    assert post(manager, f"{BASE}/new", {"name": "发票办理", "nodes": BETA.code}).status_code == 303
    again = post(manager, f"{BASE}/new", {"name": "发票办理", "nodes": ALPHA.code})
    assert again.status_code == 400 and "权限身份名称“发票办理”已存在" in again.text
    assert len(run(_identities(enterprise.taxpayer_id))) == 1
    # Another enterprise may use the same name.
    other = run(create_enterprise())
    with new_client(uc_app) as client:
        login_staff(client, other, other.finance_head)
        assert post(client, f"{BASE}/new", {"name": "发票办理", "nodes": BETA.code}).status_code == 303


def test_edit_an_identity(manager: TestClient[Litestar], enterprise: Enterprise) -> None:
    identity_id = run(add_identity(enterprise, "查询专员", [ALPHA.code]))
    other_id = run(add_identity(enterprise, "申报专员", [BETA.code]))
    form = fetch(manager, f"{BASE}/{identity_id}/edit")
    assert form.status_code == 200 and 'value="查询专员"' in form.text
    assert f'value="{ALPHA.code}" checked' in form.text
    response = post(
        manager, f"{BASE}/{identity_id}/edit", {"name": "查询申报", "nodes": [ALPHA.code, BETA.code]}
    )
    assert response.status_code == 303
    rows = {r["id"]: r for r in run(_identities(enterprise.taxpayer_id))}
    assert rows[identity_id]["name"] == "查询申报"
    assert str(rows[identity_id]["nodes"]).splitlines() == [BETA.code, ALPHA.code]
    clash = post(manager, f"{BASE}/{identity_id}/edit", {"name": "申报专员", "nodes": [ALPHA.code]})
    assert clash.status_code == 400 and "已存在" in clash.text
    refused = post(manager, f"{BASE}/{identity_id}/edit", {"name": "查询申报"})
    assert refused.status_code == 400 and "一定不要忘记勾选功能树" in refused.text
    rows = {r["id"]: r for r in run(_identities(enterprise.taxpayer_id))}
    assert rows[identity_id]["name"] == "查询申报" and rows[other_id]["name"] == "申报专员"
    assert ("usercentre.identity.edit", "success") in run(audit_actions(enterprise.taxpayer_id))


def test_delete_an_identity_removes_it_from_its_officers(
    manager: TestClient[Litestar], enterprise: Enterprise
) -> None:
    officer = run(add_person(enterprise.taxpayer_id, "周办税", staff=True))
    identity_id = run(add_identity(enterprise, "临时身份", [ALPHA.code]))
    run(grant(officer, identity_id))
    confirm = fetch(manager, f"{BASE}/{identity_id}/delete")
    assert confirm.status_code == 200
    assert "确认删除权限身份“临时身份”吗" in confirm.text and "1名办税人员" in confirm.text
    assert run(_identities(enterprise.taxpayer_id))  # the confirmation page changes nothing
    response = post(manager, f"{BASE}/{identity_id}/delete")
    assert response.status_code == 303
    assert run(_identities(enterprise.taxpayer_id)) == []
    assert run(_links(officer.staff)) == 0
    assert ("usercentre.identity.delete", "success") in run(audit_actions(enterprise.taxpayer_id))


def test_another_enterprises_identity_cannot_be_reached(
    manager: TestClient[Litestar], enterprise: Enterprise
) -> None:
    other = run(create_enterprise())
    foreign = run(add_identity(other, "别人的身份", [ALPHA.code]))
    assert fetch(manager, f"{BASE}/{foreign}/edit").status_code == 404
    assert post(manager, f"{BASE}/{foreign}/edit", {"name": "篡改", "nodes": BETA.code}).status_code == 404
    assert fetch(manager, f"{BASE}/{foreign}/delete").status_code == 404
    assert post(manager, f"{BASE}/{foreign}/delete").status_code == 404
    rows = run(_identities(other.taxpayer_id))
    assert [(r["name"], r["nodes"]) for r in rows] == [("别人的身份", ALPHA.code)]
    assert "别人的身份" not in fetch(manager, BASE).text


def test_officers_cannot_maintain_identities(uc_app: Litestar, enterprise: Enterprise) -> None:
    officer = run(add_person(enterprise.taxpayer_id, "吴办税", staff=True))
    identity_id = run(add_identity(enterprise, "已有身份", [ALPHA.code]))
    with new_client(uc_app) as client:
        login_staff(client, enterprise, officer)
        assert fetch(client, BASE).status_code == 403
        assert fetch(client, f"{BASE}/new").status_code == 403
        assert post(client, f"{BASE}/new", {"name": "越权", "nodes": BETA.code}).status_code == 403
        assert (
            post(client, f"{BASE}/{identity_id}/edit", {"name": "越权", "nodes": BETA.code}).status_code
            == 403
        )
        assert post(client, f"{BASE}/{identity_id}/delete").status_code == 403
    assert [r["name"] for r in run(_identities(enterprise.taxpayer_id))] == ["已有身份"]


def test_the_grant_is_exactly_what_was_ticked(manager: TestClient[Litestar], enterprise: Enterprise) -> None:
    """Issue 10.1: ticking one function never grants its parent; a branch with only part of what is
    below it ticked (an indeterminate box submitted as ticked) is refused."""
    partly = post(manager, f"{BASE}/new", {"name": "部分", "nodes": ["我要查询", "history.operations"]})
    assert partly.status_code == 400 and "“我要查询”只勾选了其下部分功能" in partly.text
    assert run(_identities(enterprise.taxpayer_id)) == []
    leaf = post(manager, f"{BASE}/new", {"name": "只查历史", "nodes": ["history.operations"]})
    assert leaf.status_code == 303
    assert [str(r["nodes"]) for r in run(_identities(enterprise.taxpayer_id))] == ["history.operations"]
