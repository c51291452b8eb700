"""Issue 10.10: 纳税人状态查询 says which identifier it expects and accepts both a 纳税人识别号 and the
18-digit 居民身份证号码 individual businesses and natural persons are looked up by."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.demo import PERSONS, TAXPAYERS
from tests.test_public import query

SHOP = str(TAXPAYERS[6]["tin"])  # 个体工商户 registered under 李志刚's ID number
LINXIAO = str(PERSONS["林晓"]["id_number"])


def test_an_individual_business_is_found_by_its_id_number(client: TestClient[Litestar]) -> None:
    status, text = query(client, "/public/taxpayer-status", SHOP)
    assert status == 200, text
    assert "沈阳市和平区李记面食店" in text and "<strong>正常</strong>" in text
    status, text = query(client, "/public/general-taxpayer", SHOP)
    assert status == 200 and "非一般纳税人（小规模纳税人）" in text


def test_a_natural_person_is_found_by_id_number_and_shown_masked(client: TestClient[Litestar]) -> None:
    status, text = query(client, "/public/taxpayer-status", LINXIAO.lower())
    assert status == 200, text
    result = text[text.index('data-testid="result"') :]
    assert "林*" in result and "自然人" in result and "林晓" not in result and LINXIAO not in result


def test_the_form_says_which_identifiers_it_takes_and_errors_name_them(client: TestClient[Litestar]) -> None:
    page = client.get("/public/taxpayer-status").text
    assert "居民身份证号码" in page and "统一社会信用代码" in page
    status, text = query(
        client, "/public/taxpayer-status", LINXIAO[:-1] + ("0" if LINXIAO[-1] != "0" else "1")
    )
    assert status == 400 and "18位居民身份证号码" in text
    status, text = query(client, "/public/taxpayer-status", "110101199003070011")  # valid, nobody's
    assert status == 400 and "未查询到以该居民身份证号码登记的纳税人" in text
