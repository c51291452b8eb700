"""Issue 10.13: the main pages at 390×844 (a phone). No element's box extends beyond the viewport
unless it sits inside a container that scrolls horizontally (wide tables scroll in their own
container), and the page does not hide its overflow to get there."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from etax.platform.app import load_plugins
from etax.platform.applications.tables import Application
from etax.platform.audit.tables import AuditLog
from etax.platform.functions import Audience
from etax.platform.messaging.tables import BureauMessage
from etax.platform.settings import Settings
from tests.browser.walk_helpers import admin_login, enterprise_password_login
from tests.login_helpers import PersonSpec, make_enterprise, run

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}

OVERFLOW_CHECK = """
() => {
  const vw = document.documentElement.clientWidth;
  const hidden = (el) => ["hidden", "clip"].includes(getComputedStyle(el).overflowX);
  const bad = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left >= -0.5 && box.right <= vw + 0.5) continue;
    let scroller = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const ox = getComputedStyle(up).overflowX;
      if (ox === "auto" || ox === "scroll") { scroller = true; break; }
    }
    if (!scroller) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      bad.push(name + " [" + Math.round(box.left) + ", " + Math.round(box.right) + "]");
    }
  }
  return {
    viewport: vw,
    pageWidth: document.documentElement.scrollWidth,
    hidesOverflow: hidden(document.documentElement) || hidden(document.body),
    outside: bad.slice(0, 15),
  };
}
"""


def check(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found: dict[str, Any] = page.evaluate(OVERFLOW_CHECK)
    assert not found["hidesOverflow"], f"{url} hides its overflow"
    assert found["outside"] == [], f"{url}: {found['outside']}"
    assert found["pageWidth"] <= found["viewport"], f"{url} is {found['pageWidth']} px wide"


@pytest.fixture()
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


async def _fill(taxpayer_id: int, tin: str) -> None:
    """Long rows for the tables: an application, audit entries, a message."""
    number = f"2099{secrets.randbelow(10**6):06d}"
    await Application(
        number=number,
        submission=secrets.token_hex(16),
        function="invoices.type_approval",
        function_name="发票票种核定",
        matter_code="110201",
        taxpayer=taxpayer_id,
        status="需补正",
        data="{}",
        submitted_by="手机测试法人（法定代表人）",
        comment="请补充经营场所证明并调整每月购票数量",
    ).save()
    for index in range(3):
        await AuditLog(
            actor="手机测试法人（法定代表人）",
            acting_for="辽宁正衡税务师事务所有限公司",
            taxpayer_id=taxpayer_id,
            action="usercentre.officer.freeze",
            target="办税员 手机测试办税员（210102********0054）",
            ip="203.208.60.101",
            outcome="success",
            at=dt.datetime(2026, 11, 20, 2, index, tzinfo=dt.UTC),
        ).save()
    await BureauMessage(
        submission=secrets.token_hex(16),
        title="关于做好2026年度企业所得税汇算清缴准备工作的提醒（请于次年5月31日前完成）",
        body="请按时办理。",
        taxpayer=taxpayer_id,
    ).save()


def test_main_pages_fit_a_phone(phone: Page, live_server: str) -> None:
    firm = make_enterprise(
        PersonSpec("手机测试法人", role="legal_rep", personal_password="Geren#Phone26"),
        PersonSpec("手机测试办税员", role="tax_officer", personal_password="Geren#Phone27"),
        PersonSpec("手机测试办税员乙", role="tax_officer", personal_password="Geren#Phone28"),
    )
    run(_fill(firm.id, firm.tin))
    for url in ("/", "/login", "/search?q=发票"):
        check(phone, live_server + url)
    enterprise_password_login(phone, live_server, firm.tin, firm.password, "手****人", "Geren#Phone26")
    for url in ("/", "/usercentre/staff", "/query/history", "/query/progress", "/inbox"):
        check(phone, live_server + url)


def test_an_admin_list_page_fits_a_phone(phone: Page, live_server: str) -> None:
    admin_login(phone, live_server, "admin", "Admin@2026")
    for url in ("/admin/audit", "/admin/announcements"):
        check(phone, live_server + url)


NEW_AREAS = ("matters", "refunds", "supervision", "interaction", "public")


def test_every_enterprise_and_public_page_of_the_business_plugins_fits_a_phone(
    phone: Page, live_server: str, settings: Settings
) -> None:
    """Every page of 涉税事项, 退抵税, 信用与风险, 互动中心 and 公众服务 that an enterprise's legal
    representative may open (read from the registry, so new functions are checked too) fits 390 px."""
    _, registry = load_plugins(settings)
    urls = sorted(
        {
            spec.url
            for spec in registry
            if spec.plugin.rsplit(".", 1)[-1] in NEW_AREAS
            and (Audience.ENTERPRISE in spec.audiences or spec.is_public)
            and "{" not in spec.url
        }
    )
    assert len(urls) > 20, urls
    firm = make_enterprise(PersonSpec("手机办事法人", role="legal_rep", personal_password="Geren#Phone29"))
    enterprise_password_login(phone, live_server, firm.tin, firm.password, "手****人", "Geren#Phone29")
    for url in urls:
        check(phone, live_server + url)
