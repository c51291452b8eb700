"""Issue 10.11: the browser's own field checks speak Chinese (the server's message stays the authority)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_required_and_pattern_fields_explain_themselves_in_chinese(page: Page, live_server: str) -> None:
    page.goto(live_server + "/public/taxpayer-status")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"/public/taxpayer-status$"))  # the browser stopped it
    message = page.locator("#f-tin").evaluate("el => el.validationMessage")
    assert message == "请填写“纳税人识别号 / 身份证号码”", message
    # A pattern field uses its Chinese title; typing clears the message.
    page.evaluate(
        """() => {
            const input = document.createElement("input");
            input.id = "probe"; input.pattern = "[0-9]*"; input.title = "请填写整数"; input.value = "x";
            document.querySelector("form.form").appendChild(input);
        }"""
    )
    probe = page.locator("#probe")
    assert probe.evaluate("el => (el.checkValidity(), el.validationMessage)") == "请填写整数"
    probe.fill("12")
    assert probe.evaluate("el => el.checkValidity()") is True
    page.fill("#f-tin", "abc")
    captcha = page.locator("input[name=captcha]").evaluate("el => (el.checkValidity(), el.validationMessage)")
    assert CHINESE.search(captcha) and "Please" not in captcha, captcha
