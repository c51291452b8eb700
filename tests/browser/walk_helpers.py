"""Browser helpers for the portal-walk tests: log in through the real forms."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.login_helpers import CAPTCHA


def enterprise_password_login(
    page: Page, base: str, tin: str, password: str, person: str, personal: str
) -> None:
    """普通登录 → choose ``person`` (as shown, masked) → 密码登录 with the personal password → home."""
    page.goto(base + "/login")
    page.fill("#f-tin", tin)
    page.fill("#f-password", password)
    page.fill("#f-captcha-login_enterprise", CAPTCHA)
    page.check("#agree-enterprise")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/login/enterprise/staff$"))
    page.get_by_label(person).check()
    page.get_by_role("button", name="密码登录").click()
    expect(page).to_have_url(re.compile(r"/login/enterprise/password$"))
    page.locator("input[name=password]").fill(personal)
    page.get_by_role("button", name="确定").click()
    expect(page).to_have_url(re.compile(r"/$"))


def admin_login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/admin/login")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.locator("input[name=captcha]").fill(CAPTCHA)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/?$"))
