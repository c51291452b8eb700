"""At 390 px (a phone): 发票信息查询 (list and detail), 海关缴款书采集 used through its form, the 勾选 page
with a 缴款书, 发票代开, 发票挂失、损毁报告, 购票信息查询 — no element outside the viewport unless inside a
container that scrolls sideways (the shared check of ``test_phone_width_browser``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from etax.plugins.invoices.clock import beijing_today, now
from etax.plugins.invoices.tables import Invoice, InvoiceItem
from tests.browser.test_phone_width_browser import PHONE, check
from tests.browser.walk_helpers import enterprise_password_login
from tests.invoice_helpers import approve_types
from tests.login_helpers import MadeEnterprise, PersonSpec, make_enterprise, run

pytestmark = pytest.mark.browser


@pytest.fixture()
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


async def _invoice(seller: MadeEnterprise, buyer: MadeEnterprise) -> int:
    """An issued 专票 with a long buyer name and item, as the query and detail show it."""
    moment = now()
    rows = await Invoice.insert(
        Invoice(
            number=f"{moment:%y}211{seller.id:07d}99999999",
            kind="special",
            colour="blue",
            seller=seller.id,
            seller_tin=seller.tin,
            seller_name=seller.name,
            buyer=buyer.id,
            buyer_tin=buyer.tin,
            buyer_name=buyer.name,
            issued_at=moment,
            issue_date=beijing_today(moment),
            amount=Decimal("1234567.89"),
            tax=Decimal("160493.83"),
            total=Decimal("1395061.72"),
            issuer="手机测试法人",
        )
    ).returning(Invoice.id)
    invoice_id = int(rows[0]["id"])
    await InvoiceItem(
        invoice=invoice_id,
        line=1,
        name="*信息技术服务*软件开发及系统集成实施服务（含三年运维）",
        specification="企业版V3.2",
        unit="项",
        quantity=Decimal(1),
        unit_price=Decimal("1234567.89"),
        amount=Decimal("1234567.89"),
        rate=Decimal(13),
        tax=Decimal("160493.83"),
    ).save()
    return invoice_id


def _world() -> tuple[MadeEnterprise, int]:
    firm = make_enterprise(PersonSpec("手机发票法人", role="legal_rep", personal_password="Geren#Fapiao26"))
    customer = make_enterprise(
        PersonSpec("手机购买方法人", role="legal_rep", personal_password="Geren#Fapiao27")
    )
    approve_types(firm.id, "增值税普通发票（卷票）", monthly=10)
    return firm, int(run(_invoice(firm, customer)))


def test_invoice_and_query_pages_fit_a_phone(phone: Page, live_server: str) -> None:
    with ThreadPoolExecutor(1) as pool:  # the sync Playwright API owns this thread's event loop
        firm, invoice_id = pool.submit(_world).result()
    enterprise_password_login(phone, live_server, firm.tin, firm.password, "手****人", "Geren#Fapiao26")
    # record a 海关缴款书 through its form at phone width
    phone.goto(live_server + "/invoices/customs")
    phone.fill("#customs-number", f"2101{firm.id % 10**14:014d}-L01")
    phone.fill("#customs-issue_date", (beijing_today() - dt.timedelta(days=3)).isoformat())
    phone.fill("#customs-customs", "中华人民共和国大连海关驻大窑湾港区办事处")
    phone.fill("#customs-amount", "8888888.88")
    phone.fill("#customs-tax", "1155555.55")
    phone.get_by_role("button", name="采集").click()
    expect(phone.get_by_test_id("notice")).to_contain_text("采集成功")
    pages: list[str] = [
        "/query/invoices",
        f"/query/invoices/{invoice_id}",
        "/query/invoices/print",
        "/invoices/customs",
        "/invoices/selection/deduct",
        "/invoices/agent-issue",
        "/invoices/loss-report",
        "/query/invoice-purchases",
    ]
    for url in pages:
        check(phone, live_server + url)
    found: Any = phone.goto(live_server + "/query/invoices")
    assert found is not None and found.status == 200
    expect(phone.get_by_test_id("query-results")).to_contain_text("1,395,061.72")
