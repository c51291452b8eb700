"""An administrator composes a three-step 套餐业务 in a real browser; a visitor finds it and walks it."""

from __future__ import annotations

import re
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.test_admin_support import ADMIN_PASSWORD, make_admin

pytestmark = pytest.mark.browser

STEPS = [
    ("纳税人状态", "public.taxpayer_status", "纳税人状态查询", "/public/taxpayer-status"),
    ("ybnsr", "public.general_taxpayer", "一般纳税人资格查询", "/public/general-taxpayer"),
    ("通知公告", "public.announcements", "通知公告", "/public/announcements"),
]


def add_step(page: Page, query: str, code: str, count: int) -> None:
    """Search the catalogue in the picker and add ``code`` as the next step."""
    picker = page.get_by_test_id("package-picker-q")
    picker.fill("")
    picker.type(query, delay=40)
    button = page.locator(f'#package-picker button[data-code="{code}"]')
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("#package-steps li")).to_have_count(count)


def compose_package(page: Page, base: str, name: str) -> None:
    with ThreadPoolExecutor(1) as pool:  # Playwright's event loop runs in this thread: use another one
        admin = pool.submit(make_admin, "content").result()
    page.goto(base + "/admin/packages")
    expect(page).to_have_url(re.compile(r"/admin/login\?next="))
    page.fill("#f-username", admin.username)
    page.fill("#f-password", ADMIN_PASSWORD)
    page.locator("input[name=captcha]").fill("TEST")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("套餐业务管理")

    page.get_by_role("link", name="新建套餐").click()
    page.fill("#f-name", name)
    page.fill("#f-description", "查询纳税人状态和资格，再阅读通知公告。")
    page.select_option("#f-audience", "all")
    for number, (query, code, _, _) in enumerate(STEPS, start=1):
        add_step(page, query, code, number)
    steps = page.locator("#package-steps li")
    # Reorder without reloading: the last step up, then back down.
    page.get_by_role("button", name="上移第3步").click()
    expect(steps.nth(1)).to_have_attribute("data-code", "public.announcements")
    page.get_by_role("button", name="下移第2步").click()
    expect(steps.nth(2)).to_have_attribute("data-code", "public.announcements")
    expect(page.locator("#package-steps input[name=steps]")).to_have_value(
        ",".join(code for _, code, _, _ in STEPS)
    )
    page.get_by_label("发布（立即显示在首页和搜索中）").check()
    page.get_by_test_id("package-save").click()
    expect(page.get_by_test_id("notice")).to_contain_text(f"套餐“{name}”已创建")
    expect(page.locator(f'tr[data-package="{name}"]')).to_contain_text("已发布")


def test_an_administrator_composes_a_package_and_a_visitor_walks_it(
    page: Page, browser: Browser, live_server: str
) -> None:
    name = f"浏览器套餐{secrets.token_hex(2)}"
    compose_package(page, live_server, name)

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(15_000)
    visitor = context.new_page()
    try:
        visitor.goto(live_server + "/")
        box = visitor.locator("#search-box")
        box.click()
        box.type(name, delay=40)
        expect(visitor.locator("#search-results a.result").first).to_contain_text(name)

        visitor.goto(live_server + "/")
        visitor.get_by_test_id("packages").get_by_role("link", name=name).click()
        expect(visitor.locator("h1")).to_have_text(name)
        for number, (_, _, function_name, url) in enumerate(STEPS, start=1):
            expect(visitor.get_by_test_id("package-progress")).to_have_text(f"第 {number} 步 / 共 3 步")
            expect(visitor.get_by_test_id("package-step")).to_contain_text(function_name)
            with visitor.expect_popup() as opened:
                visitor.get_by_test_id("package-open").click()
            function_page = opened.value
            expect(function_page).to_have_url(re.compile(re.escape(url) + "$"))
            expect(function_page.locator("h1")).to_have_text(function_name)
            function_page.close()
            visitor.get_by_test_id("package-finish" if number == len(STEPS) else "package-next").click()
        expect(visitor.get_by_test_id("package-progress")).to_have_text("已完成全部 3 步")
        expect(visitor.get_by_test_id("package-done")).to_contain_text(f"已完成“{name}”的全部 3 个步骤")
    finally:
        context.close()
