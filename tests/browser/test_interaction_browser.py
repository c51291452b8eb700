"""Done when (issue 15), in a real browser: a taxpayer books a slot, sees it in 我的待办 and cancels it;
another asks a question a consultant answers; a survey is answered once and its chart shows the answer;
an anonymous 检举 is followed with its tracking number."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_invoices_browser import log_in
from tests.browser.walk_helpers import admin_login
from tests.login_helpers import CAPTCHA, HEXIN_PASSWORD, HEXIN_TIN

pytestmark = pytest.mark.browser


def context(browser: Browser):  # type: ignore[no-untyped-def]
    made = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    made.set_default_timeout(15_000)
    return made


def test_book_cancel_consult_survey_and_anonymous_report(browser: Browser, live_server: str) -> None:
    base = live_server
    taxpayer, other, staff, office, visitor = (context(browser) for _ in range(5))

    # 预约办税: choose a hall (the select submits itself), book the first free half hour
    page = taxpayer.new_page()
    log_in(page, base, HEXIN_TIN, HEXIN_PASSWORD, r"张\*", "Zhangwei@2026")
    page.goto(base + "/interaction/booking")
    hall = page.locator("#f-hall option", has_text="沈河区").get_attribute("value")
    assert hall
    page.select_option("#f-hall", hall)
    expect(page.get_by_test_id("slots")).to_be_visible()
    page.get_by_test_id("slots").get_by_role("button", name="预约").first.click()
    expect(page.get_by_test_id("notice")).to_contain_text("预约成功")
    code = page.get_by_test_id("booking-code").first.inner_text()
    page.goto(base + "/")
    expect(page.locator("#tab-todo")).to_contain_text(f"取号码{code}")
    page.goto(base + "/interaction/booking")
    page.get_by_role("button", name="取消预约").first.click()
    expect(page.get_by_test_id("notice")).to_contain_text("已取消")

    # 留言咨询: another person asks, the consultant answers, the answer is in 我的消息
    title = "研发费用加计扣除" + secrets.token_hex(2)
    asker = other.new_page()
    log_in(asker, base, HEXIN_TIN, HEXIN_PASSWORD, r"王\*国", "Wangjg@2026")  # another person
    asker.goto(base + "/interaction/consult")
    asker.select_option("#f-category", "税收优惠")
    asker.fill("#f-title", title)
    asker.fill("#f-question", "小规模纳税人可以享受研发费用加计扣除吗？")
    asker.get_by_role("button", name="提交咨询").click()
    expect(asker.get_by_test_id("notice")).to_contain_text("咨询已提交")
    consultant = staff.new_page()
    admin_login(consultant, base, "zixun", "Zixun@2026")
    consultant.goto(base + "/admin/consultations")
    consultant.get_by_role("link", name=title).click()
    consultant.fill("#f-answer", "符合条件的可以享受，请按规定留存备查资料。")
    consultant.get_by_role("button", name="答复并发送到我的消息").click()
    asker.goto(base + "/inbox")
    expect(asker.get_by_test_id("inbox")).to_contain_text(f"您的咨询已答复：{title}")

    # 满意度调查: composed and published by 内容管理员, answered once, the chart counts it
    editor = office.new_page()
    admin_login(editor, base, "neirong", "Neirong@2026")
    editor.goto(base + "/admin/surveys")
    survey_title = "办税体验调查" + secrets.token_hex(2)
    editor.fill("#f-title", survey_title)
    editor.fill("#f-closes", "2099-12-31")
    editor.fill("#f-questions", "单选|您对预约办税是否满意|满意;不满意")
    editor.get_by_role("button", name="保存问卷").click()
    editor.get_by_role("button", name="发布").click()
    survey_url = editor.url
    page.goto(base + "/interaction/surveys")
    page.get_by_role("link", name=survey_title).click()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_test_id("notice")).to_contain_text("问卷已提交")
    page.get_by_role("link", name=survey_title).click()
    expect(page.get_by_test_id("answered")).to_be_visible()
    editor.goto(survey_url)
    expect(editor.get_by_test_id("response-count")).to_have_text("1")
    expect(editor.get_by_test_id("chart").get_by_test_id("bar-count").first).to_have_text("1")

    # 违法举报: anonymous, with the captcha; followed with its number and password
    anonymous = visitor.new_page()
    anonymous.goto(base + "/interaction/report")
    anonymous.fill("#f-accused", "某某贸易有限公司")
    anonymous.select_option("#f-kind", "虚开发票")
    anonymous.fill("#f-facts", "该公司对外虚开增值税专用发票。")
    anonymous.fill("#f-password", "query-2026")
    anonymous.fill("input[name=captcha]", CAPTCHA)
    anonymous.get_by_role("button", name="提交检举").click()
    number = anonymous.get_by_test_id("report-number").inner_text()
    anonymous.goto(base + "/interaction/report/track")
    anonymous.fill("#f-number", number)
    anonymous.fill("#f-password", "query-2026")
    anonymous.fill("input[name=captcha]", CAPTCHA)
    anonymous.get_by_role("button", name="查询").click()
    expect(anonymous.get_by_test_id("status")).to_have_text("已受理")
    for made in (taxpayer, other, staff, office, visitor):
        made.close()
