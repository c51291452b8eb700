"""Login paths in a real browser: a first normal login through to the personal password and the home page,
and an agency acting for its client."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.login_helpers import CAPTCHA, PersonSpec, certify, make_enterprise

pytestmark = pytest.mark.browser


def outbox_code(base: str, mobile: str) -> str:
    """The newest code the dev gateway 'sent' to ``mobile`` (the dev-only outbox as JSON)."""
    with urllib.request.urlopen(f"{base}/dev/sms.json", timeout=10) as response:
        for message in json.load(response):
            if message["mobile"] == mobile:
                return str(message["code"])
    raise AssertionError(f"no SMS to {mobile}")


def test_first_normal_login_sets_the_personal_password_and_lands_home(page: Page, live_server: str) -> None:
    firm = make_enterprise(
        PersonSpec("浏览法人", role="legal_rep", staff=False),
        PersonSpec("浏览财务", role="finance_head", staff=False),
        password="Liulan@2026",
    )
    page.goto(live_server + "/login")
    expect(page.get_by_test_id("tab-enterprise")).to_have_class(re.compile("active"))
    page.fill("#f-tin", firm.tin)
    page.fill("#f-password", firm.password)
    page.fill("#f-captcha-login_enterprise", CAPTCHA)
    page.check("#agree-enterprise")
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/login/enterprise/staff$"))
    expect(page.get_by_test_id("sync-hint")).to_contain_text("同步办税人")
    page.get_by_test_id("sync").click()
    expect(page.get_by_test_id("people")).to_contain_text("浏**人")
    expect(page.get_by_test_id("people")).to_contain_text("浏**务")
    page.get_by_label(re.compile(r"浏\*\*人")).check()
    page.get_by_role("button", name="短信登录").click()

    expect(page).to_have_url(re.compile(r"/login/enterprise/sms$"))
    mobile = firm.people["浏览法人"].mobile
    expect(page.get_by_test_id("mobile")).to_have_text(f"{mobile[:3]}****{mobile[-4:]}")
    page.get_by_test_id("send-code").click()
    expect(page.get_by_test_id("notice")).to_contain_text("验证码已发送至")
    page.fill("#f-sms_code", outbox_code(live_server, mobile))
    page.get_by_role("button", name="确定").click()

    expect(page).to_have_url(re.compile(r"/login/set-password$"))
    expect(page.locator("h1")).to_have_text("设置个人登录密码")
    page.goto(live_server + "/public/faq")  # nothing else before the password is set
    expect(page).to_have_url(re.compile(r"/login/set-password$"))
    page.fill("#f-password", "Geren#Liulan1")
    page.fill("#f-confirm", "Geren#Liulan1")
    page.fill("#f-captcha-set_password", CAPTCHA)
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("identity")).to_have_text(f"{firm.name} · 浏览法人")


def test_agency_login_acts_for_its_client(page: Page, live_server: str) -> None:
    agency = make_enterprise(
        PersonSpec("代理浏览员", role="tax_officer", personal_password="Geren#Daili1"),
        is_agency=True,
        password="Daili#Liulan1",
    )
    client = make_enterprise(PersonSpec("委托浏览法人", role="legal_rep"))
    certify(client.id, agency.id, "Xieyi#Liulan1")

    page.goto(live_server + "/login?tab=agency")
    page.fill("#f-tin", agency.tin)
    page.fill("#f-password", agency.password)
    page.fill("#f-captcha-login_agency", CAPTCHA)
    page.check("#agree-agency")
    page.get_by_role("button", name="下一步").click()

    expect(page).to_have_url(re.compile(r"/login/agency/staff$"))
    page.get_by_label(re.compile(r"代\*+员")).check()
    page.get_by_role("button", name="密码登录").click()
    expect(page).to_have_url(re.compile(r"/login/agency/password$"))
    page.fill("#f-password", "Geren#Daili1")
    page.get_by_role("button", name="确定").click()

    expect(page).to_have_url(re.compile(r"/login/agency/client$"))
    expect(page.get_by_test_id("clients")).to_contain_text(client.name)
    page.fill("#f-agreement_password", "Xieyi#Liulan1")
    page.fill("#f-captcha-agency_client", CAPTCHA)
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("identity")).to_have_text(f"代理浏览员（{agency.name}）代理 {client.name}")


def test_login_page_is_usable_on_a_phone(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/login", "/login?tab=enterprise&mode=quick", "/login?tab=natural", "/login?tab=agency"):
        page.goto(live_server + url)
        expect(page.get_by_test_id("tab-agency")).to_be_visible()
        expect(page.locator("form.login-body button[type=submit]").last).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} scrolls sideways on a phone ({width}px wide)"
