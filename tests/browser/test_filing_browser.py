"""The officer 张伟 of 沈阳和信科技 types 增值税 into the search box, opens
增值税一般纳税人申报 (the seed's path as breadcrumb), sees the pre-filled return, edits a line and
watches the computed lines update, files October 2026, pays through the 三方协议, downloads the 完税证明
PDF, and an anonymous visitor verifies the certificate — in Debian's Chromium.

The portal runs in its own uvicorn process with the platform clock pinned to 2026-11-10
(``ETAX_TODAY``): October's returns are due by 16 November and the demo world leaves them unfiled.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import _free_port
from tests.login_helpers import CAPTCHA, HEXIN_PASSWORD, HEXIN_TIN

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def november_server(database: str) -> Iterator[str]:
    port = _free_port()
    log_path = Path(os.environ["ETAX_VAR_DIR"]) / f"uvicorn-filing-{port}.log"
    env = {**os.environ, "ETAX_TODAY": "2026-11-10", "ETAX_BANK_LATENCY_MS": "50"}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "etax.platform.asgi:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/search?q=a", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the portal did not start:\n" + log_path.read_text()) from None
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


def log_in_zhang_wei(page: Page, base: str) -> None:
    page.goto(base + "/login")
    page.fill("#f-tin", HEXIN_TIN)
    page.fill("#f-password", HEXIN_PASSWORD)
    page.fill("#f-captcha-login_enterprise", CAPTCHA)
    page.check("#agree-enterprise")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/login/enterprise/staff$"))
    page.get_by_label(re.compile(r"^张\*")).check()
    page.get_by_role("button", name="密码登录").click()
    page.fill("#f-password", "Zhangwei@2026")
    page.get_by_role("button", name="确定").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("identity")).to_contain_text("张伟")


def test_zhang_wei_files_pays_and_the_certificate_verifies(
    page: Page, browser: Browser, november_server: str
) -> None:
    base = november_server
    log_in_zhang_wei(page, base)

    # search 增值税 and open 增值税一般纳税人申报 from the results
    box = page.locator("#search-box")
    box.click()
    box.type("增值税", delay=60)
    page.locator("#search-results a.result", has_text="增值税一般纳税人申报").first.click()
    expect(page).to_have_url(re.compile(r"/filing/vat-general"))
    expect(page.get_by_test_id("breadcrumb")).to_contain_text(
        "我要办税›税费申报及缴纳›增值税及附加税费申报›增值税一般纳税人申报"
    )
    page.get_by_test_id("fill-2026-10").click()
    expect(page.get_by_test_id("return-form")).to_be_visible()
    expect(page.locator("select[name='H.location']")).to_have_value("市区")

    # edit a line: the computed lines follow (formulas in Python, answered through htmx)
    page.fill("input[name='T1.5.5']", "100000")  # 6% sales not invoiced → 6,000 output tax
    page.locator("input[name='T1.5.5']").press("Tab")
    expect(page.locator("#v-T1-5-6")).to_have_text("6,000.00")
    due = page.locator("#v-M-34").inner_text()
    urban = page.locator("#v-M-39").inner_text()
    assert due != "0.00" and urban != "0.00"

    # 预览, 提交, confirmation with the declaration number
    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("preview-total")).to_contain_text(due)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("confirmation")).to_contain_text("申报成功")
    number = page.get_by_test_id("declaration-number").inner_text()
    assert re.fullmatch(r"\d{18}", number), number

    # pay through the 三方协议
    page.get_by_test_id("pay-now").click()
    expect(page.get_by_test_id("unpaid")).to_contain_text("增值税")
    page.get_by_test_id("pay").click()
    expect(page.get_by_test_id("paid")).to_contain_text("扣款成功")

    # 开具税收完税证明 and download the PDF
    page.get_by_test_id("to-certificate").click()
    page.get_by_test_id("issue").click()
    certificate_number = page.get_by_test_id("certificate-number").inner_text().strip()
    code = page.get_by_test_id("certificate-code").inner_text().strip()
    with page.expect_download() as download:
        page.get_by_test_id("certificate-pdf").click()
    pdf = Path(download.value.path())
    assert pdf.read_bytes().startswith(b"%PDF")

    # an anonymous visitor verifies it on the public page
    anonymous = browser.new_context(locale="zh-CN")
    visitor = anonymous.new_page()
    visitor.goto(base + "/public/certificate-check")
    visitor.fill("#f-number", certificate_number)
    visitor.fill("#f-code", code)
    visitor.fill("#f-captcha-certificate_check", CAPTCHA)
    visitor.get_by_role("button", name="查验").click()
    expect(visitor.get_by_test_id("verified")).to_contain_text("真实有效")
    expect(visitor.get_by_test_id("certificate")).to_contain_text("沈阳和信科技有限公司")
    anonymous.close()


def test_return_form_scrolls_inside_its_tables_on_a_phone(page: Page, november_server: str) -> None:
    log_in_zhang_wei(page, november_server)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(november_server + "/filing/cit?period=2026Q3")  # filed in the demo world: offers 更正申报
    page.get_by_test_id("offer-correction").click()
    expect(page.get_by_test_id("return-form")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("更正申报")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the return scrolls sideways on a phone ({width}px wide)"
