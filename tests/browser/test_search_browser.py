"""The search-first portal in a real browser: type, see results, press Enter, land on the function."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_type_in_header_search_and_open_function(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    box = page.locator("#search-box")
    box.click()
    box.type("纳税人状态", delay=60)
    first = page.locator("#search-results a.result").first
    expect(first).to_contain_text("纳税人状态查询")
    expect(first).to_have_attribute("title", re.compile("公众服务 › 公众查询 › 纳税人状态查询"))
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/public/taxpayer-status$"))
    expect(page.get_by_test_id("breadcrumb")).to_contain_text("公众服务›公众查询›纳税人状态查询")
    expect(page.locator("h1")).to_have_text("纳税人状态查询")


def test_slash_focuses_search_and_arrows_choose_a_result(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("/")
    expect(page.locator("#search-box")).to_be_focused()
    page.keyboard.type("ybnsr", delay=60)
    expect(page.locator("#search-results a.result").first).to_contain_text("一般纳税人资格查询")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#search-results a.result.active")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/public/general-taxpayer$"))


def test_phone_width_home_page_is_usable(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/")
    expect(page.locator("#search-box")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("公众服务")).first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px wide)"


def test_a_long_question_in_the_header_box_finds_the_function_first(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    box = page.locator("#search-box")
    box.click()
    box.type("我想在网上查一下我们公司现在的纳税人状态是不是正常", delay=30)
    first = page.locator("#search-results a.result").first
    expect(first).to_contain_text("纳税人状态查询")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/public/taxpayer-status$"))
    expect(page.locator("h1")).to_have_text("纳税人状态查询")
