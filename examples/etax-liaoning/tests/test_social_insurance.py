"""社保费征收 as a 纯社保户 and an enterprise use it, against the installed etax (fixtures: etax.testing)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.api import Taxpayer, ledger
from etax.testing import run

Client = TestClient[Litestar]
DAY = dt.date(2026, 11, 10)  # October's fees are due on the 16th (the 15th is a Sunday)


def csrf(client: Client) -> str:
    if "etax_csrf" not in client.cookies:
        client.get("/login")
    return str(client.cookies["etax_csrf"])


def post(client: Client, url: str, data: dict[str, Any]) -> httpx.Response:
    return client.post(url, data={**data, "_csrf_token": csrf(client)}, follow_redirects=False)


def form_token(page: str) -> str:
    found = re.search(r'name="_token" value="([^"]+)"', page)
    assert found, "the form carries no token"
    return found.group(1)


def pure_social_security_tin() -> str:
    row = run(Taxpayer.select(Taxpayer.tin).where(Taxpayer.pure_social_security == True).first())  # noqa: E712
    assert row is not None, "the demo world has a 纯社保户"
    return str(row["tin"])


@pytest.fixture()
def unit(etax_client: Client, etax_clock: Callable[[dt.date], None]) -> Client:
    """The demo's 纯社保户 after 普通登录 (tin, password, captcha; no SMS step)."""
    etax_clock(DAY)
    answer = post(
        etax_client,
        "/login/enterprise",
        {
            "tin": pure_social_security_tin(),
            "password": "Chenguang@2026",
            "captcha": "TEST",
            "agree": "on",
            "next": "/",
        },
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/login/social-insurance"
    return etax_client


def test_pure_social_security_unit_lands_in_the_fee_area(unit: Client) -> None:
    page = unit.get("/login/social-insurance").text
    assert 'data-testid="no-fee-functions"' not in page  # no more "not installed"
    assert "社保费申报" in page and "社保费缴纳" in page and "社保费缴费记录查询" in page
    assert "增值税" not in page.split('data-testid="functions"')[1]
    home = unit.get("/").text
    assert "社保费（2026-10）未申报" in home  # 我的待办
    assert "社保费待缴纳" in home  # September was declared and not paid


def test_declare_pay_and_find_the_record(unit: Client) -> None:
    page = unit.get("/liaoning/social-insurance/declaration/").text
    assert "基本养老保险费" in page and "16%" in page and "生育保险费" not in page
    assert '<option value="2026-10"' in page
    token = form_token(page)
    data = {"_token": token, "period": "2026-10", "persons": "10", "wages": "50000.00"}
    answer = post(unit, "/liaoning/social-insurance/declaration/", data)
    assert answer.status_code == 303
    again = post(unit, "/liaoning/social-insurance/declaration/", data)  # a double click
    assert again.status_code == 303
    unpaid = unit.get("/liaoning/social-insurance/payment/").text
    assert "2026-10社保费申报成功：4个险种，应缴费额合计12,100.00元" in unpaid
    assert unpaid.count("2026-10</td>") == 4  # filed once: 8000 + 250 + 3750 + 100
    ids = re.findall(r'name="declaration" value="(\d+)"', unpaid)
    assert len(ids) == 8  # September (demo) and October
    paid = post(
        unit, "/liaoning/social-insurance/payment/", {"_token": form_token(unpaid), "declaration": ids}
    )
    assert paid.status_code == 303
    result = unit.get(paid.headers["location"]).text
    assert "缴费成功" in result
    records = unit.get(
        "/liaoning/social-insurance/records/", params={"tax_type": ledger.TaxType.MEDICAL.value}
    )
    assert records.status_code == 200
    assert "共 3 条" in records.text  # August (demo), September and October
    assert "生育保险费" not in records.text  # not registered: not offered as a filter


def test_bad_input_changes_nothing(
    unit: Client, etax_login: Callable[..., Client], etax_clock: Callable[[dt.date], None]
) -> None:
    etax_clock(dt.date(2026, 12, 10))  # November is due, whatever the other tests declared
    page = unit.get("/liaoning/social-insurance/declaration/").text
    low = post(
        unit,
        "/liaoning/social-insurance/declaration/",
        {"_token": form_token(page), "period": "2026-11", "persons": "10", "wages": "100.00"},
    )
    assert low.status_code == 400 and "低于缴费基数下限" in low.text
    wrong = post(
        unit,
        "/liaoning/social-insurance/declaration/",
        {"_token": form_token(low.text), "period": "2025-01", "persons": "x", "wages": "1e5"},
    )
    assert wrong.status_code == 400
    assert "请选择未申报的费款所属期" in wrong.text and "须为金额" in wrong.text
    stale = post(unit, "/liaoning/social-insurance/declaration/", {"_token": "forged", "period": "2026-11"})
    assert stale.status_code == 400 and "表单已失效" in stale.text
    assert '<option value="2026-11"' in stale.text  # still not declared
    other = etax_login("legal_representative")
    assert other.get("/liaoning/social-insurance/declaration/").status_code == 200
    foreign_id = run(ledger.declarations(1, limit=1))  # the first demo enterprise's return
    token = form_token(stale.text)
    foreign = post(
        unit, "/liaoning/social-insurance/payment/", {"_token": token, "declaration": [str(foreign_id[0].id)]}
    )
    assert foreign.status_code == 400 and "不存在或已缴纳" in foreign.text
    assert unit.get("/liaoning/social-insurance/payment/999999").status_code == 404


def test_routes_keep_the_access_contract(
    etax_app: Litestar, etax_access_check: Callable[[str], list[str]]
) -> None:
    from etax.platform.runtime import get_runtime

    name = next(c.name for c in get_runtime(etax_app).host.contributions if c.module == "etax_liaoning")
    assert etax_access_check(name) == []


def test_search_finds_the_distributions_functions(etax_search: Callable[..., list[str]]) -> None:
    assert etax_search("sbfsb")[0] == "liaoning.fee_declaration"
    assert etax_search("交社保")[0] == "liaoning.fee_payment"  # the distribution's own synonym
    assert etax_search("船舶吨税")[0] == "liaoning.port_guide:tonnage"
    assert etax_search("大连港口")[0].startswith("liaoning.port_guide")


def test_port_guide_opens_without_login(etax_client: Client) -> None:
    page = etax_client.get("/liaoning/port-guide/")
    assert page.status_code == 200
    assert page.text.count('data-testid="topic"') == 5 and "出口退（免）税" in page.text
