"""申报信息查询 filtered by period in a real browser, paged forward and back through
htmx (the URL keeps the filters and the cursor), and the filtered result downloaded as XLSX."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, expect

from etax.platform import clock
from etax.platform import ledger as L
from etax.platform.coresys.tables import Taxpayer
from tests.browser.test_invoices_browser import log_in
from tests.login_helpers import HEXIN_PASSWORD, HEXIN_TIN, run

pytestmark = pytest.mark.browser


async def _file_2025() -> None:
    """和信's 2025 VAT and 城建税 returns, filed on the 10th of the following month (kept if already there)."""
    row = await Taxpayer.select(Taxpayer.id).where(Taxpayer.tin == HEXIN_TIN).first()
    assert row is not None
    tp = int(row["id"])
    for tax in (L.TaxType.VAT, L.TaxType.URBAN_CONSTRUCTION):
        if not [r for r in await L.registrations(tp) if r.tax_type is tax]:
            await L.register_tax(tp, tax, L.PeriodKind.MONTH, dt.date(2024, 1, 1))
    for month in range(1, 13):
        start = dt.date(2025, month, 1)
        end = (dt.date(2025, month + 1, 1) if month < 12 else dt.date(2026, 1, 1)) - dt.timedelta(days=1)
        for tax, payable in (
            (L.TaxType.VAT, Decimal(1000 + month)),
            (L.TaxType.URBAN_CONSTRUCTION, Decimal(70 + month)),
        ):
            request = L.FilingRequest(
                taxpayer_id=tp,
                tax_type=tax,
                form_code="BDA0610606" if tax is L.TaxType.VAT else "BDA0610611",
                form_version="2023-01",
                period_kind=L.PeriodKind.MONTH,
                period_start=start,
                period_end=end,
                amounts=L.Amounts(income=Decimal("50000.00"), tax=payable, payable=payable),
                lines={"1": "50000.00"},
                filed_by="王建国",
                submission=f"browser-queries-{tax.value}-{month}",
            )
            with clock.pinned(end + dt.timedelta(days=10)):
                try:
                    await L.file_declaration(request)
                except L.LedgerError:
                    pass  # the demo world already holds this period


def test_filter_declarations_by_period_page_and_download_xlsx(browser: Browser, live_server: str) -> None:
    with ThreadPoolExecutor(1) as pool:  # Playwright's loop runs in this thread
        pool.submit(run, _file_2025()).result()
    base = live_server
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    log_in(page, base, HEXIN_TIN, HEXIN_PASSWORD, r"张\*", "Zhangwei@2026")

    page.goto(base + "/query/declarations")
    page.fill("input[name=period_from]", "2025-01")
    page.fill("input[name=period_to]", "2025-12")
    page.select_option("select[name=size]", "10")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"period_from=2025-01&period_to=2025-12"))
    results = page.get_by_test_id("query-results")
    expect(results.locator("tbody tr")).to_have_count(10)

    def shown() -> list[str]:
        return [cells.inner_text() for cells in results.locator("tbody tr").all()]

    def text(row: str) -> str:  # a row's text as the locator reads it (cells run together)
        return row.replace("\t", "").strip()

    first = shown()
    assert all("\t2025-" in row for row in first), first  # every row's period lies in 2025

    page.get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"cursor="))
    expect(results.locator("tbody tr").first).not_to_have_text(text(first[0]))
    second = shown()
    assert second and not set(second) & set(first)
    assert "period_from=2025-01" in page.url  # the filters stay in the URL

    page.get_by_role("link", name="上一页").click()
    expect(results.locator("tbody tr").first).to_have_text(text(first[0]))
    assert shown() == first
    page.go_back()  # the browser's back button returns to the second page
    expect(results.locator("tbody tr").first).to_have_text(text(second[0]))

    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.startswith("申报信息查询_") and download.suggested_filename.endswith(
        ".xlsx"
    )
    with zipfile.ZipFile(download.path()) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<row ") >= 1 + 24 and "2025-12-01" in sheet and "2024-12-01" not in sheet
    context.close()
