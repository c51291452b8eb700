"""代理机构登录 in three steps: the agency's code + password, an agent (SMS or personal password), then a
client that certified the agency and its 协议密码 — after which only the delegated functions are open.

This module is also a tiny plugin (registered in code for one test app): one enterprise function under
我要办税 and one under 我要查询, so a test can prove that an agency acting for a client that delegated
only 我要办税 can open the first and not the second.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from functools import cache

import httpx
import pytest
from litestar import Litestar, get
from litestar.testing import TestClient
from litestar.types import ControllerRouterHandler

from etax.platform import FunctionSpec, hookimpl
from etax.platform.app import create_app
from etax.platform.auth.credentials import reset_counters
from etax.platform.auth.login import messages as msg
from etax.platform.auth.tables import AgencyCertification
from etax.platform.settings import Settings, load_settings
from tests.login_helpers import (
    CAPTCHA,
    HEXIN_PASSWORD,
    HEXIN_TIN,
    ZHENGHENG_PASSWORD,
    ZHENGHENG_TIN,
    Client,
    MadeEnterprise,
    PersonSpec,
    agency_step,
    audit_rows,
    certify,
    choose,
    demo_staff_id,
    identity_text,
    is_logged_in,
    location,
    make_enterprise,
    password_login,
    post,
    run,
    set_password,
    sms_login,
)

FILING = FunctionSpec(
    code="agencytest.filing",
    name="代理测试申报",
    path=("我要办税", "代理测试", "代理测试申报"),
    url="/agencytest/filing",
)
QUERY = FunctionSpec(
    code="agencytest.query",
    name="代理测试查询",
    path=("我要查询", "代理测试", "代理测试查询"),
    url="/agencytest/query",
)


@get(FILING.url, opt={"function": FILING.code})
async def filing_page() -> str:
    return "代理测试申报页面"


@get(QUERY.url, opt={"function": QUERY.code})
async def query_page() -> str:
    return "代理测试查询页面"


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [FILING, QUERY]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [filing_page, query_page]


@cache
def plugin_app(settings: Settings) -> Litestar:
    return create_app(settings, extra_plugins=[sys.modules[__name__]])


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    run(reset_counters(load_settings()))
    yield
    run(reset_counters(load_settings()))


def agency_with_agent(password: str = "Daili#2026") -> tuple[MadeEnterprise, int]:
    agency = make_enterprise(
        PersonSpec("代理人甲", role="tax_officer", personal_password="Geren@2026"),
        PersonSpec("代理人乙", role="tax_officer", personal_password="Geren@2026"),
        is_agency=True,
        password=password,
    )
    return agency, agency.staff_id("代理人甲")


def as_agent(client: Client, tin: str, password: str, staff_id: int, personal: str = "Geren@2026") -> None:
    assert (
        location(password_login(client, tin, password, staff_id, personal, kind="agency"))
        == "/login/agency/client"
    )


def act_for(client: Client, certification_id: int, agreement: str) -> httpx.Response:
    return post(
        client,
        "/login/agency/client",
        {"client": str(certification_id), "agreement_password": agreement, "captcha": CAPTCHA},
    )


def test_demo_agency_three_steps_acting_for_its_client(client: Client) -> None:
    staff_id = demo_staff_id(ZHENGHENG_TIN, "冯雪")
    assert location(agency_step(client, ZHENGHENG_TIN, ZHENGHENG_PASSWORD)) == "/login/agency/staff"
    page = client.get("/login/agency/staff").text
    assert "冯*" in page and "何*" in page and "代理机构登录" in page
    assert location(choose(client, staff_id, "password", "agency")) == "/login/agency/password"
    assert (
        location(post(client, "/login/agency/password", {"password": "Fengxue@2026"}))
        == "/login/agency/client"
    )
    clients = client.get("/login/agency/client").text
    assert "沈阳和信科技有限公司" in clients
    assert "大连海辰贸易有限公司" not in clients  # its certification was cancelled
    cert = run(
        AgencyCertification.select(AgencyCertification.id)
        .where(AgencyCertification.status == "active")
        .first()
    )
    assert cert is not None
    wrong = act_for(client, int(cert["id"]), "Wrong#2026")
    assert wrong.status_code == 400 and "协议密码错误" in wrong.text and "还可以尝试4次" in wrong.text
    assert location(act_for(client, int(cert["id"]), "Xieyi@2026")) == "/"
    assert identity_text(client) == "冯雪（辽宁正衡税务师事务所有限公司）代理 沈阳和信科技有限公司"
    rows = audit_rows("login.agency.client")
    assert rows[-1]["outcome"] == "success" and rows[-1]["acting_for"] == "沈阳和信科技有限公司"


def test_demo_second_agent_logs_in_by_sms(client: Client) -> None:
    staff_id = demo_staff_id(ZHENGHENG_TIN, "何涛")
    response = sms_login(
        client, "13800000033", staff_id, kind="agency", tin=ZHENGHENG_TIN, password=ZHENGHENG_PASSWORD
    )
    assert location(response) == "/login/agency/client"
    assert identity_text(client) == "辽宁正衡税务师事务所有限公司 · 何涛"


def test_an_enterprise_that_is_not_an_agency_is_refused(client: Client) -> None:
    response = agency_step(client, HEXIN_TIN, HEXIN_PASSWORD)
    assert response.status_code == 400 and msg.NOT_AN_AGENCY in response.text
    assert location(client.get("/login/agency/staff", follow_redirects=False)) == "/login?tab=agency"


def test_agency_step_one_needs_agreement_and_right_password(client: Client) -> None:
    data = {"tin": ZHENGHENG_TIN, "password": ZHENGHENG_PASSWORD, "captcha": CAPTCHA}
    assert msg.AGREE_REQUIRED in post(client, "/login/agency", data).text
    agency, _ = agency_with_agent()
    wrong = agency_step(client, agency.tin, "Wrong#2026")
    assert wrong.status_code == 400 and "纳税人识别号或企业密码错误" in wrong.text


def test_only_active_unexpired_certifications_are_offered_and_accepted(client: Client) -> None:
    agency, agent = agency_with_agent()
    active = make_enterprise(PersonSpec("委托甲", role="legal_rep"))
    expired = make_enterprise(PersonSpec("委托乙", role="legal_rep"))
    cancelled = make_enterprise(PersonSpec("委托丙", role="legal_rep"))
    other_agency, _ = agency_with_agent()
    foreign = make_enterprise(PersonSpec("委托丁", role="legal_rep"))
    active_id = certify(active.id, agency.id)
    expired_id = certify(expired.id, agency.id, valid_until=dt.date.today() - dt.timedelta(days=1))
    cancelled_id = certify(cancelled.id, agency.id, status="cancelled")
    foreign_id = certify(foreign.id, other_agency.id)
    as_agent(client, agency.tin, agency.password, agent)
    page = client.get("/login/agency/client").text
    assert active.name in page
    assert expired.name not in page and cancelled.name not in page and foreign.name not in page
    for tampered in (expired_id, cancelled_id, foreign_id):
        response = act_for(client, tampered, "Xieyi#2026")
        assert response.status_code == 400 and "请选择已认定本代理机构的企业" in response.text
    assert location(act_for(client, active_id, "Xieyi#2026")) == "/"
    assert identity_text(client).endswith(f"代理 {active.name}")


def test_switching_and_leaving_a_client(client: Client) -> None:
    agency, agent = agency_with_agent()
    first = make_enterprise(PersonSpec("首家法人", role="legal_rep"))
    second = make_enterprise(PersonSpec("次家法人", role="legal_rep"))
    first_id = certify(first.id, agency.id)
    second_id = certify(second.id, agency.id, password="Second#2026")
    as_agent(client, agency.tin, agency.password, agent)
    act_for(client, first_id, "Xieyi#2026")
    assert identity_text(client).endswith(f"代理 {first.name}")
    switch_page = client.get("/login/agency/clients").text
    assert "当前正在代理" in switch_page and first.name in switch_page
    assert location(act_for(client, second_id, "Second#2026")) == "/"
    assert identity_text(client).endswith(f"代理 {second.name}")
    assert location(post(client, "/login/agency/client/leave")) == "/login/agency/client"
    assert " 代理 " not in identity_text(client)


def test_only_delegated_functions_are_open(settings: Settings) -> None:
    agency, agent = agency_with_agent()
    firm = make_enterprise(PersonSpec("授权法人", role="legal_rep", personal_password="Geren@2026"))
    cert_id = certify(firm.id, agency.id, nodes="我要办税")
    with TestClient(app=plugin_app(settings)) as client:
        as_agent(client, agency.tin, agency.password, agent)
        assert client.get(FILING.url).status_code == 403  # no client chosen yet: nothing delegated
        act_for(client, cert_id, "Xieyi#2026")
        assert client.get(FILING.url).status_code == 200
        assert client.get(QUERY.url).status_code == 403
        run(
            AgencyCertification.update({AgencyCertification.status: "cancelled"}).where(
                AgencyCertification.id == cert_id
            )
        )
        assert client.get(FILING.url).status_code == 403  # cancelled: lost at the very next request
        # The client's own legal representative holds every function.
        post(client, "/logout")
        password_login(client, firm.tin, firm.password, firm.staff_id("授权法人"), "Geren@2026")
        assert client.get(QUERY.url).status_code == 200


def test_agreement_password_locks_after_five_wrong_tries(client: Client) -> None:
    agency, agent = agency_with_agent()
    firm = make_enterprise(PersonSpec("锁协议", role="legal_rep"))
    cert_id = certify(firm.id, agency.id)
    as_agent(client, agency.tin, agency.password, agent)
    for left in (4, 3, 2, 1):
        assert f"还可以尝试{left}次" in act_for(client, cert_id, "Wrong#2026").text
    assert "已锁定30分钟" in act_for(client, cert_id, "Wrong#2026").text
    locked = act_for(client, cert_id, "Xieyi#2026")
    assert locked.status_code == 400 and "已锁定" in locked.text
    assert " 代理 " not in identity_text(client)


def test_first_agent_login_sets_the_personal_password_then_chooses_a_client(client: Client) -> None:
    agency = make_enterprise(PersonSpec("新代理人", role="tax_officer"), is_agency=True)
    staff_id = agency.staff_id("新代理人")
    mobile = agency.people["新代理人"].mobile
    response = sms_login(client, mobile, staff_id, kind="agency", tin=agency.tin, password=agency.password)
    assert location(response) == "/login/set-password"
    assert location(client.get("/login/agency/client", follow_redirects=False)) == "/login/set-password"
    assert location(set_password(client, "Daili#Geren1")) == "/login/agency/client"
    assert "暂无认定本代理机构的企业" in client.get("/login/agency/client").text


def test_client_page_needs_an_agency_login(client: Client) -> None:
    assert location(client.get("/login/agency/client", follow_redirects=False)) == "/login?tab=agency"
    password_login(client, HEXIN_TIN, HEXIN_PASSWORD, demo_staff_id(HEXIN_TIN, "王建国"), "Wangjg@2026")
    assert is_logged_in(client)
    assert location(client.get("/login/agency/client", follow_redirects=False)) == "/login?tab=agency"
    assert location(
        post(client, "/login/agency/client", {"client": "1", "agreement_password": "x", "captcha": CAPTCHA})
    ) == ("/login?tab=agency")
