"""Issue 10.7: a natural person sees what a natural person can do — no empty enterprise centres, and
no advice to ask a legal representative in 企业人员维护."""

from __future__ import annotations

from litestar import Litestar

from etax.platform.auth.principal import SessionAuth
from tests.conftest import new_client
from tests.factories import create_enterprise, create_natural_person, log_in, log_in_staff


def office(home: str) -> str:
    return home[home.index('aria-label="办税区"') : home.index('aria-label="消息区"')]


def header(page: str) -> str:
    return page[
        page.index('aria-label="功能中心"') : page.index("</nav>", page.index('aria-label="功能中心"'))
    ]


def test_a_natural_person_gets_natural_person_tiles_and_wording(app: Litestar) -> None:
    account = create_natural_person()
    with new_client(app) as client:
        log_in(client, SessionAuth(kind="natural_person", account_id=account))
        home = client.get("/").text
        tiles = office(home)
        assert "我要查询" not in tiles
        assert "公众服务" in tiles and "互动中心" in tiles
        assert "/menu/我要查询" not in header(home) and "/menu/公众服务" in header(home)
        # 我要办税 holds the one function of a natural person there: 解除相关人员关联关系 (其他服务事项).
        menu = client.get("/menu/我要办税").text
        assert "解除相关人员关联关系" in menu and "发票票种核定" not in menu and "网签三方协议" not in menu
        assert "企业人员维护" not in menu and "法定代表人" not in menu
        refused = client.get("/invoices/type-approval")
        assert refused.status_code == 403
        assert "自然人无需也不能办理" in refused.text and "法定代表人或财务负责人授权" not in refused.text


def test_an_enterprise_officer_still_gets_the_enterprise_advice(app: Litestar) -> None:
    enterprise = create_enterprise(officers=1)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "tax_officer0")  # holds no identity
        assert "企业人员维护" in client.get("/menu/我要查询").text
        assert "请联系法定代表人或财务负责人授权" in client.get("/query/history").text
    with new_client(app) as anonymous:
        tiles = office(anonymous.get("/").text)
        assert "我要办税" in tiles and "我要查询" in tiles  # 登录后办理
