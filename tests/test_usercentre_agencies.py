"""代理机构认定管理: sync, certify, cancel — and the agency loses its client the moment a certification
is cancelled or expires (proved through HTTP with a logged-in agency session)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import clock
from etax.platform.auth.passwords import verify_password
from etax.platform.auth.principal import SessionAuth
from etax.platform.auth.tables import AgencyCertification
from etax.platform.settings import Settings
from tests.usercentre_helpers import (
    ALPHA,
    BETA,
    PERSONAL_PASSWORD,
    Enterprise,
    Member,
    add_person,
    audit_actions,
    certify,
    create_enterprise,
    fetch,
    login,
    login_staff,
    new_client,
    new_tin,
    post,
    run,
    usercentre_app,
)

AGENCIES = "/usercentre/agencies"
INFO = "/usercentre/taxpayer-info"
AGREEMENT = "Xieyi#2027"


@pytest.fixture(scope="module")
def uc_app(settings: Settings, database: str) -> Litestar:
    return usercentre_app(settings)


@pytest.fixture()
def client_firm() -> Enterprise:
    return run(create_enterprise("委托企业"))


@pytest.fixture()
def agency() -> Enterprise:
    return run(create_enterprise("正衡税务师事务所", is_agency=True))


@pytest.fixture()
def agent(agency: Enterprise) -> Member:
    return run(add_person(agency.taxpayer_id, "代理人", staff=True))


@pytest.fixture()
def manager(uc_app: Litestar, client_firm: Enterprise) -> Iterator[TestClient[Litestar]]:
    with new_client(uc_app) as client:
        login_staff(client, client_firm, client_firm.legal_rep)
        yield client


def future(days: int = 365) -> str:
    return (clock.today() + dt.timedelta(days=days)).isoformat()


def certify_form(agency: Enterprise, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "tin": agency.tin,
        "password": AGREEMENT,
        "password_confirm": AGREEMENT,
        "valid_until": future(),
        "nodes": ["usercentre.taxpayer_info", BETA.code],
    }
    data.update(extra)
    return data


async def _certifications(client_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await AgencyCertification.select()
        .where(AgencyCertification.client == client_id)
        .order_by(AgencyCertification.id)
    )
    return rows


async def _set(cert_id: int, **values: Any) -> None:
    await AgencyCertification.update({getattr(AgencyCertification, k): v for k, v in values.items()}).where(
        AgencyCertification.id == cert_id
    )


def agency_session(
    client: TestClient[Litestar], agency: Enterprise, agent: Member, firm: Enterprise, cert: int
) -> None:
    login(
        client,
        SessionAuth(
            kind="agency",
            taxpayer_id=agency.taxpayer_id,
            staff_id=agent.staff,
            client_taxpayer_id=firm.taxpayer_id,
            certification_id=cert,
        ),
    )


@pytest.mark.parametrize(
    ("tin", "message"),
    [
        ("91210102MA0Y8K3P10", "校验位不正确"),
        ("", "请输入纳税人识别号"),
        ("unknown", "未在核心征管系统中查询到"),
        ("plain", "不是涉税专业服务机构"),
        ("self", "不能认定本企业为自己的代理机构"),
    ],
)
def test_sync_finds_only_agencies(
    manager: TestClient[Litestar], client_firm: Enterprise, tin: str, message: str
) -> None:
    if tin == "unknown":
        tin = new_tin()
    elif tin == "plain":
        tin = run(create_enterprise("普通企业")).tin
    elif tin == "self":
        tin = client_firm.tin
    response = post(manager, f"{AGENCIES}/sync", {"tin": tin})
    assert response.status_code == 400 and message in response.text
    assert "确认协议密码" not in response.text


def test_sync_shows_the_certification_form(manager: TestClient[Litestar], agency: Enterprise) -> None:
    response = post(manager, f"{AGENCIES}/sync", {"tin": agency.tin.lower()})
    assert response.status_code == 200
    for text in (
        agency.name,
        "协议密码",
        "有效期止",
        "委托代理机构办理的功能",
        "未认定",
        'value="usercentre.taxpayer_info"',
    ):
        assert text in response.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password": "12345678", "password_confirm": "12345678"}, "密码须至少包含字母、数字、符号中的两种"),
        ({"password_confirm": "Other#2027"}, "两次输入的新密码不一致"),
        ({"valid_until": clock.today().isoformat()}, "有效期止必须晚于今天"),
        ({"valid_until": "2020-01-01"}, "有效期止必须晚于今天"),
        ({"valid_until": "明年"}, "有效期止格式不正确"),
        ({"valid_until": future(365 * 11)}, "有效期止不能超过10年"),
        ({"nodes": []}, "一定不要忘记勾选功能树"),
        ({"nodes": "usercentre.staff"}, "不能授权"),
    ],
)
def test_bad_certifications_are_refused(
    manager: TestClient[Litestar],
    client_firm: Enterprise,
    agency: Enterprise,
    change: dict[str, Any],
    message: str,
) -> None:
    data = certify_form(agency, **change)
    if data["nodes"] == []:
        del data["nodes"]
    response = post(manager, f"{AGENCIES}/certify", data)
    assert response.status_code == 400 and message in response.text
    assert run(_certifications(client_firm.taxpayer_id)) == []


def test_certify_then_the_agency_acts_for_its_client(
    uc_app: Litestar,
    manager: TestClient[Litestar],
    client_firm: Enterprise,
    agency: Enterprise,
    agent: Member,
) -> None:
    done = post(manager, f"{AGENCIES}/certify", certify_form(agency))
    assert done.status_code == 303
    [cert] = run(_certifications(client_firm.taxpayer_id))
    assert cert["key"] == f"{client_firm.taxpayer_id}:{agency.taxpayer_id}" and cert["status"] == "active"
    assert str(cert["nodes"]).splitlines() == [BETA.code, "usercentre.taxpayer_info"]
    assert run(verify_password(str(cert["agreement_password_hash"]), AGREEMENT))
    listing = fetch(manager, AGENCIES)
    assert f"已认定代理机构“{agency.name}”" in listing.text and "有效" in listing.text
    assert ("usercentre.agency.certify", "success") in run(audit_actions(client_firm.taxpayer_id))
    with new_client(uc_app) as client:
        agency_session(client, agency, agent, client_firm, int(cert["id"]))
        page = fetch(client, INFO)
        assert page.status_code == 200 and client_firm.name in page.text and client_firm.tin in page.text
        assert "代理" in page.text  # the header shows who acts for whom
        assert fetch(client, BETA.url).status_code == 200
        assert fetch(client, ALPHA.url).status_code == 403  # not delegated
        assert fetch(client, AGENCIES).status_code == 403  # an agency never maintains its client's staff
        assert fetch(client, "/usercentre/staff").status_code == 403


def test_cancelling_takes_the_client_away_at_once(
    uc_app: Litestar,
    manager: TestClient[Litestar],
    client_firm: Enterprise,
    agency: Enterprise,
    agent: Member,
) -> None:
    cert = run(
        certify(
            client_firm,
            agency,
            ["usercentre.taxpayer_info"],
            valid_until=clock.today() + dt.timedelta(days=30),
        )
    )
    with new_client(uc_app) as client:
        agency_session(client, agency, agent, client_firm, cert)
        assert fetch(client, INFO).status_code == 200
        confirm = fetch(manager, f"{AGENCIES}/{cert}/cancel")
        assert confirm.status_code == 200 and "确认取消对代理机构" in confirm.text
        assert run(_certifications(client_firm.taxpayer_id))[0]["status"] == "active"
        assert post(manager, f"{AGENCIES}/{cert}/cancel").status_code == 303
        assert run(_certifications(client_firm.taxpayer_id))[0]["status"] == "cancelled"
        assert fetch(client, INFO).status_code == 403
        assert "已取消" in fetch(manager, AGENCIES).text
        assert fetch(manager, f"{AGENCIES}/{cert}/cancel").status_code == 400
        # Certifying again restores it (same row: one certification per client and agency).
        assert post(manager, f"{AGENCIES}/certify", certify_form(agency)).status_code == 303
        rows = run(_certifications(client_firm.taxpayer_id))
        assert len(rows) == 1 and rows[0]["status"] == "active"
        assert fetch(client, INFO).status_code == 200
    actions = run(audit_actions(client_firm.taxpayer_id))
    assert ("usercentre.agency.cancel", "success") in actions


def test_an_expired_certification_gives_no_access(
    uc_app: Litestar,
    manager: TestClient[Litestar],
    client_firm: Enterprise,
    agency: Enterprise,
    agent: Member,
) -> None:
    cert = run(certify(client_firm, agency, ["usercentre.taxpayer_info"], valid_until=clock.today()))
    with new_client(uc_app) as client:
        agency_session(client, agency, agent, client_firm, cert)
        assert fetch(client, INFO).status_code == 200  # valid through its last day
        run(_set(cert, valid_until=clock.today() - dt.timedelta(days=1)))
        assert fetch(client, INFO).status_code == 403
    assert "已过期" in fetch(manager, AGENCIES).text
    edit = fetch(manager, f"{AGENCIES}/{cert}/edit")
    assert edit.status_code == 200 and "已过期" in edit.text


def test_an_agency_cannot_use_another_agencys_certification(
    uc_app: Litestar, client_firm: Enterprise, agency: Enterprise
) -> None:
    cert = run(
        certify(
            client_firm,
            agency,
            ["usercentre.taxpayer_info"],
            valid_until=clock.today() + dt.timedelta(days=9),
        )
    )
    rogue = run(create_enterprise("未认定事务所", is_agency=True))
    rogue_agent = run(add_person(rogue.taxpayer_id, "冒用者", staff=True))
    with new_client(uc_app) as client:
        agency_session(client, rogue, rogue_agent, client_firm, cert)
        assert fetch(client, INFO).status_code == 403
        assert client_firm.name not in fetch(client, "/").text


def test_another_enterprise_cannot_touch_the_certification(
    uc_app: Litestar, client_firm: Enterprise, agency: Enterprise
) -> None:
    cert = run(certify(client_firm, agency, [BETA.code], valid_until=clock.today() + dt.timedelta(days=9)))
    intruder = run(create_enterprise("他人企业"))
    with new_client(uc_app) as client:
        login_staff(client, intruder, intruder.legal_rep)
        assert fetch(client, f"{AGENCIES}/{cert}/cancel").status_code == 404
        assert post(client, f"{AGENCIES}/{cert}/cancel").status_code == 404
        assert fetch(client, f"{AGENCIES}/{cert}/edit").status_code == 404
        assert agency.name not in fetch(client, AGENCIES).text
        # Certifying the same agency for itself makes its own row, never changes the other client's.
        assert post(client, f"{AGENCIES}/certify", certify_form(agency)).status_code == 303
    [row] = run(_certifications(client_firm.taxpayer_id))
    assert row["status"] == "active" and row["nodes"] == BETA.code


def test_officers_cannot_manage_agencies(
    uc_app: Litestar, client_firm: Enterprise, agency: Enterprise
) -> None:
    officer = run(add_person(client_firm.taxpayer_id, "普通办税", staff=True))
    with new_client(uc_app) as client:
        login_staff(client, client_firm, officer)
        assert fetch(client, AGENCIES).status_code == 403
        assert post(client, f"{AGENCIES}/sync", {"tin": agency.tin}).status_code == 403
        assert post(client, f"{AGENCIES}/certify", certify_form(agency)).status_code == 403
    assert run(_certifications(client_firm.taxpayer_id)) == []


def test_agency_staff_change_their_personal_password(
    uc_app: Litestar, agency: Enterprise, agent: Member
) -> None:
    with new_client(uc_app) as client:
        login(client, SessionAuth(kind="agency", taxpayer_id=agency.taxpayer_id, staff_id=agent.staff))
        data = {
            "old_password": PERSONAL_PASSWORD,
            "password": "Daili#2027",
            "password_confirm": "Daili#2027",
            "captcha": "TEST",
        }
        response = post(client, "/usercentre/password", data)
        assert response.status_code == 200 and "修改成功" in response.text
