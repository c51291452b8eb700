"""沈阳和信科技's officer issues a 专票 to 康平县兴农; 兴农 sees it, ticks it and confirms;
the seller raises a red-letter 确认单 for half, the buyer confirms in 我的待办, the red invoice is issued;
an anonymous visitor verifies both."""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Browser, Page, expect

from etax.platform.auth.passwords import hash_password
from etax.platform.auth.tables import StaffMember
from etax.platform.coresys.tables import Person, Taxpayer
from etax.plugins.invoices.clock import beijing_today
from etax.plugins.invoices.tables import Invoice
from tests.invoice_helpers import approve_types
from tests.login_helpers import CAPTCHA, HEXIN_PASSWORD, HEXIN_TIN, XINGNONG_PASSWORD, XINGNONG_TIN, run

pytestmark = pytest.mark.browser
LIUFANG_PASSWORD = "Liufang#2026"


async def _prepare() -> None:
    hexin = await Taxpayer.select(Taxpayer.id).where(Taxpayer.tin == HEXIN_TIN).first()
    xingnong = await Taxpayer.select(Taxpayer.id).where(Taxpayer.tin == XINGNONG_TIN).first()
    assert hexin and xingnong
    liufang = await Person.select(Person.id).where(Person.name == "刘芳").first()
    assert liufang
    key = f"{xingnong['id']}:{liufang['id']}"
    if not await StaffMember.exists().where(StaffMember.key == key):  # what 同步办税人 + a first login leave
        await StaffMember(
            key=key,
            taxpayer=xingnong["id"],
            person=liufang["id"],
            role="legal_rep",
            personal_password_hash=await hash_password(LIUFANG_PASSWORD),
        ).save()


def prepare() -> None:
    with ThreadPoolExecutor(1) as pool:  # Playwright's loop runs in this thread
        pool.submit(run, _prepare()).result()
        hexin = pool.submit(
            run, Taxpayer.select(Taxpayer.id).where(Taxpayer.tin == HEXIN_TIN).first()
        ).result()
        assert hexin is not None
        pool.submit(approve_types, int(hexin["id"]), "增值税电子专用发票", limit="一百万元").result()


def log_in(page: Page, base: str, tin: str, password: str, person: str, personal: str) -> None:
    page.goto(base + "/login")
    page.fill("#f-tin", tin)
    page.fill("#f-password", password)
    page.fill("#f-captcha-login_enterprise", CAPTCHA)
    page.check("#agree-enterprise")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/login/enterprise/staff$"))
    page.get_by_label(re.compile(person)).check()
    page.get_by_role("button", name="密码登录").click()
    expect(page).to_have_url(re.compile(r"/login/enterprise/password$"))
    page.fill("#f-password", personal)
    page.get_by_role("button", name="确定").click()
    expect(page).to_have_url(re.compile(r"/$"))


def move_to_yesterday(numbers: list[str]) -> dt.date:
    """What a night does: the invoices were issued yesterday (today's cannot be verified)."""
    yesterday = beijing_today() - dt.timedelta(days=1)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(
            run, Invoice.update({Invoice.issue_date: yesterday}).where(Invoice.number.is_in(numbers))
        ).result()
    return yesterday


def verify(page: Page, base: str, number: str, day: dt.date, total: str) -> None:
    page.goto(base + "/public/invoice-verification")
    page.fill("#f-number", number)
    page.fill("#f-issue_date", day.isoformat())
    page.fill("#f-total", total)
    page.fill("#f-captcha-invoice_verification", CAPTCHA)
    page.get_by_test_id("verify-submit").click()


def test_issue_tick_red_letter_and_verify(browser: Browser, live_server: str) -> None:
    prepare()
    base = live_server
    seller = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    buyer = browser.new_context(viewport={"width": 390, "height": 844}).new_page()

    log_in(seller, base, HEXIN_TIN, HEXIN_PASSWORD, r"张\*", "Zhangwei@2026")
    seller.goto(base + "/invoices/issue")
    expect(seller.get_by_test_id("quota")).to_contain_text("授信总额度")
    seller.select_option("#f-kind", "special")
    seller.fill("#f-buyer_tin", XINGNONG_TIN)
    seller.locator("#f-buyer_tin").dispatch_event("change")
    expect(seller.get_by_test_id("buyer-lookup")).to_contain_text("康平县兴农农资经营部")
    seller.fill("input[name=name_0]", "*肥料*复合肥")
    seller.fill("input[name=unit_0]", "吨")
    seller.fill("input[name=qty_0]", "2")
    seller.fill("input[name=price_0]", "3000")
    seller.select_option("select[name=rate_0]", "9")
    seller.get_by_test_id("issue-submit").click()
    expect(seller.get_by_role("status")).to_contain_text("发票开具成功")
    expect(seller.get_by_test_id("capitals")).to_have_text("陆仟伍佰肆拾圆整")
    blue_number = seller.get_by_test_id("invoice-number").inner_text()
    assert re.fullmatch(r"\d{20}", blue_number)

    log_in(buyer, base, XINGNONG_TIN, XINGNONG_PASSWORD, r"刘\*", LIUFANG_PASSWORD)
    buyer.goto(base + "/invoices/selection/deduct")
    expect(buyer.get_by_test_id("unticked")).to_contain_text(blue_number)
    buyer.get_by_label(f"勾选 {blue_number}").check()
    buyer.get_by_test_id("tick").click()
    expect(buyer.get_by_test_id("notice")).to_contain_text("已勾选1份发票")
    expect(buyer.get_by_test_id("ticked")).to_contain_text(blue_number)
    buyer.get_by_test_id("confirm").click()
    expect(buyer.get_by_test_id("notice")).to_contain_text("统计确认完成：抵扣类1份，税额合计540.00元")

    seller.goto(base + "/invoices/red")
    expect(seller.get_by_test_id("no-void")).to_contain_text("数电发票没有“作废”功能")
    seller.fill("input[name=number]", blue_number)
    seller.get_by_role("button", name="查询并填开确认单").click()
    expect(seller.get_by_test_id("remaining")).to_have_text("6,000.00")
    seller.get_by_label("第1行红冲金额").fill("3000.00")
    seller.get_by_test_id("raise").click()
    expect(seller.get_by_test_id("slip-status")).to_have_text("待对方确认")

    buyer.goto(base + "/")
    todo = buyer.get_by_role("link", name=re.compile("红字发票信息确认单待确认"))
    expect(todo).to_contain_text(blue_number)
    todo.click()
    buyer.get_by_test_id("confirm-red").click()
    expect(buyer.get_by_test_id("slip-status")).to_have_text("已开具红字发票")
    buyer.get_by_test_id("red-link").click()
    expect(buyer.get_by_test_id("capitals")).to_have_text("负叁仟贰佰柒拾圆整")
    red_number = buyer.get_by_test_id("invoice-number").inner_text()
    assert int(red_number) == int(blue_number) + 1

    yesterday = move_to_yesterday([blue_number, red_number])
    visitor = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    verify(visitor, base, blue_number, yesterday, "6540.00")
    expect(visitor.get_by_test_id("verify-status")).to_have_text("部分红冲")
    expect(visitor.get_by_test_id("invoice-face")).to_contain_text("康平县兴农农资经营部")
    verify(visitor, base, red_number, yesterday, "-3270.00")
    expect(visitor.get_by_test_id("verify-status")).to_have_text("红字发票")
    expect(visitor.get_by_test_id("invoice-face")).to_contain_text(f"被红冲蓝字数电发票号码：{blue_number}")
