"""The Content-Security-Policy in a real browser: pages carry the header, Chromium reports no
violation (no inline script or handler is left to block), and behaviour moved out of the templates
into /static/js/etax.js still works."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from etax.platform.admin.accounts import create_admin
from tests.login_helpers import CAPTCHA, run
from tests.test_admin_support import ADMIN_PASSWORD, new_username

pytestmark = pytest.mark.browser


def watch_violations(page: Page) -> list[str]:
    found: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            found.append(message.text)

    page.on("console", seen)
    return found


def test_pages_run_under_the_policy_without_violations(page: Page, live_server: str) -> None:
    violations = watch_violations(page)
    for path in ("/", "/login", "/login?tab=natural", "/admin/login"):
        response = page.goto(live_server + path)
        assert response is not None
        policy = response.headers["content-security-policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )
        assert response.headers["x-frame-options"] == "DENY"
    # The header search box still works (behaviour from /static/js/etax.js and htmx).
    page.goto(live_server + "/")
    page.fill("#search-box", "发票")
    expect(page.locator("#search-results a.result").first).to_be_visible()
    assert violations == []


def test_the_back_office_select_submits_itself_without_an_inline_handler(
    page: Page, live_server: str
) -> None:
    violations = watch_violations(page)
    admin = run(create_admin(new_username("csp"), "浏览管理员", "content", ADMIN_PASSWORD))
    page.goto(live_server + "/admin/login")
    page.fill("input[name=username]", admin.username)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.fill("input[name=captcha]", CAPTCHA)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(live_server + "/admin")
    page.goto(live_server + "/admin/search-analytics")
    options = page.locator("select[name=days] option")
    last = options.nth(options.count() - 1).get_attribute("value")
    assert last is not None
    page.select_option("select[name=days]", last)
    page.wait_for_url(f"**/admin/search-analytics?days={last}")
    assert violations == []
