"""Accessibility in a real browser: axe-core finds no serious or critical violation on the pages a taxpayer
meets first (home, login, search results, a function page), and the header search box and the captcha
work from the keyboard alone.

axe-core is vendored for tests only (``tests/browser/vendor/axe-core``, see its README); it is evaluated in
the page through the DevTools protocol, so the portal's CSP stays as it is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
SERIOUS = ("serious", "critical")


def serious_violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            f"{n['target'][0]}: {n.get('failureSummary', '')}".replace("\n", " ") for n in v["nodes"][:3]
        )
        for v in found
        if v.get("impact") in SERIOUS
    ]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", None),
        ("/login", None),
        ("/search?q=%E5%8F%91%E7%A5%A8", None),  # 发票: a results page with many functions
        ("/public/taxpayer-status", "纳税人状态查询"),  # a function page with a form and a captcha
    ],
)
def test_pages_have_no_serious_accessibility_violations(
    page: Page, live_server: str, path: str, heading: str | None
) -> None:
    page.goto(live_server + path)
    if heading:
        expect(page.locator("h1")).to_have_text(heading)
    assert serious_violations(page) == []


def test_header_search_is_a_keyboard_combobox(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    box = page.get_by_role("combobox", name="功能搜索")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.click()
    box.type("fp", delay=40)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    assert options.count() >= 2
    box.press("ArrowDown")
    box.press("ArrowDown")
    second = options.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id") or "-")
    box.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert serious_violations(page) == []  # the open list, too
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox")).to_have_count(0)
    box.press("ArrowDown")  # reopening is typing again; Enter with nothing chosen searches
    box.type("nsrzt", delay=40)
    expect(page.get_by_role("option").first).to_contain_text("纳税人状态")
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/public/taxpayer-status$"))


def test_captcha_refresh_is_a_button_reached_by_tab(page: Page, live_server: str) -> None:
    page.goto(live_server + "/login")
    captcha = page.locator("#f-captcha-login_enterprise")
    image = page.locator("#captcha-image-login_enterprise")
    before = image.get_attribute("src")
    captcha.focus()
    page.keyboard.press("Tab")
    refresh = page.get_by_role("button", name="看不清？换一张").first
    expect(refresh).to_be_focused()
    page.keyboard.press("Enter")
    expect(image).not_to_have_attribute("src", before or "")
    expect(image).to_have_attribute("src", re.compile(r"^/captcha\.png\?form=login_enterprise&t=\d+$"))


def test_invalid_fields_are_marked_for_assistive_technology(page: Page, live_server: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_role("button", name="登录").first.click()
    tin = page.locator("#f-tin")
    expect(tin).to_have_attribute("aria-invalid", "true")
    message = page.locator("#" + (tin.get_attribute("aria-describedby") or "missing"))
    expect(message).to_contain_text("请输入纳税人识别号")
    assert serious_violations(page) == []
