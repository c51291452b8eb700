"""信用等级A类纳税人查询 and 重大税收违法案件查询: public lists from the bureau's records, by year and office."""

from __future__ import annotations

import datetime as dt

from litestar import Litestar

from etax.platform import compliance
from etax.platform.credit.tables import CreditEvaluation
from tests.conftest import new_client
from tests.factories import create_enterprise
from tests.test_admin_support import run

OFFICE = "国家税务总局沈阳市和平区税务局"


def test_a_level_taxpayers_and_major_cases_are_listed_by_year_and_office(app: Litestar) -> None:
    rated = create_enterprise("信用优良科技有限公司")
    row = CreditEvaluation(
        key=f"{rated.taxpayer_id}:2025",
        taxpayer=rated.taxpayer_id,
        year=2025,
        score=96,
        level="A",
        evaluated_by="测试",
    )
    run(CreditEvaluation.insert(row))  # the year's evaluation as the back office stored it
    offender = create_enterprise("虚开发票贸易有限公司")
    run(
        compliance.add_dishonesty(
            compliance.DishonestyInput(
                tin=offender.tin,
                kind=compliance.DishonestyKind.MAJOR,
                case_nature="虚开增值税专用发票",
                facts="2025年对外虚开增值税专用发票<b>120份</b>",
                penalty="追缴税款并处罚款",
                published_on=dt.date(2026, 6, 1),
            ),
            by="测试",
        )
    )
    with new_client(app) as client:
        page = client.get("/public/credit-a/", params={"year": "2025", "office": OFFICE}).text
        assert rated.tin in page and "信用优良科技有限公司" in page
        assert rated.tin not in client.get("/public/credit-a/", params={"year": "2024"}).text
        assert "年度应为2000至2100" in client.get("/public/credit-a/", params={"year": "20x5"}).text
        cases = client.get("/public/major-cases/", params={"year": "2026", "office": "<script>"}).text
        assert offender.tin in cases and "&lt;b&gt;120份&lt;/b&gt;" in cases
        assert offender.tin not in client.get("/public/major-cases/", params={"year": "2025"}).text
        assert rated.tin not in cases  # an A-level taxpayer is no case
