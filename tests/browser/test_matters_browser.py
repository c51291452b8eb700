"""Done when (issue 14, FAQ 11 of the seed): an officer no longer on the tax registration cannot log in;
the legal representative files 变更税务登记 (办税人员信息), a 业务审核员 受理 and 办结 it in the back
office, 【同步办税人】 is clicked at login, and the officer logs in."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.walk_helpers import admin_login, enterprise_password_login
from tests.login_helpers import CAPTCHA, PersonSpec, make_enterprise
from tests.test_admin_support import ADMIN_PASSWORD, make_admin

pytestmark = pytest.mark.browser
FAQ_11 = "当前办税人与税务登记办税人信息不符"


def choose_officer(page: Page, base: str, tin: str, password: str, *, sync: bool = False) -> None:
    page.goto(base + "/login")
    page.fill("#f-tin", tin)
    page.fill("#f-password", password)
    page.fill("#f-captcha-login_enterprise", CAPTCHA)
    page.check("#agree-enterprise")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/login/enterprise/staff$"))
    if sync:
        page.get_by_test_id("sync").click()
        expect(page.get_by_test_id("people")).to_contain_text("变*员")
    page.get_by_label("变*员").check()
    page.get_by_role("button", name="密码登录").click()


def test_registration_change_lets_the_new_officer_log_in(
    page: Page, browser: Browser, live_server: str
) -> None:
    with ThreadPoolExecutor(1) as pool:  # Playwright's loop runs in this thread
        firm = pool.submit(
            make_enterprise,
            PersonSpec("变更法人", role="legal_rep", personal_password="Geren#Faren1"),
            PersonSpec("变更员", role=None, personal_password="Geren#Biangeng1"),
            password="Biangeng@2026",
        ).result()
        reviewer = pool.submit(make_admin, "reviewer").result()
    officer = firm.people["变更员"]

    choose_officer(page, live_server, firm.tin, firm.password)  # FAQ 11: not on the registration
    expect(page.locator("body")).to_contain_text(FAQ_11)

    enterprise_password_login(page, live_server, firm.tin, firm.password, "变**人", "Geren#Faren1")
    page.goto(live_server + "/matters/registration-change")
    page.select_option("#f-role", "办税员")
    page.select_option("#f-change", "新增或修改")
    page.fill("#f-name", "变更员")
    page.fill("#f-id_number", officer.id_number)
    page.fill("#f-mobile", "13966660001")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("application-status")).to_have_text("已提交")
    number = page.get_by_test_id("application-number").inner_text()

    bureau = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    reviewer_page = bureau.new_page()
    admin_login(reviewer_page, live_server, reviewer.username, ADMIN_PASSWORD)
    reviewer_page.goto(live_server + "/admin/reviews?tin=" + firm.tin)
    expect(reviewer_page.locator("main")).to_contain_text(number)
    reviewer_page.get_by_role("link", name="审核", exact=True).first.click()
    expect(reviewer_page.get_by_test_id("review-status")).to_have_text("已提交")
    for action, status in (("accept", "受理中"), ("complete", "已办结")):
        reviewer_page.locator(f"input[name=action][value={action}]").check()
        reviewer_page.get_by_role("button", name="提交处理决定").click()
        expect(reviewer_page.get_by_test_id("review-status")).to_have_text(status)
    bureau.close()

    page.reload()
    expect(page.get_by_test_id("application-status")).to_have_text("已办结")
    page.context.clear_cookies()
    choose_officer(page, live_server, firm.tin, firm.password, sync=True)
    expect(page).to_have_url(re.compile(r"/login/enterprise/password$"))
    page.locator("input[name=password]").fill("Geren#Biangeng1")
    page.get_by_role("button", name="确定").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("identity")).to_have_text(f"{firm.name} · 变更员")
