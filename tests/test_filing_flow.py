"""Filing returns through the portal on the platform's ledger: the form with live recompute, 暂存,
预览, 提交, the confirmation, 作废, 更正, 逾期, 我的待办, PDFs, and bad input of every kind.

Each test makes its own enterprise (registrations in the ledger) and pins the platform clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.api import InvoiceFigures, SalesFigure, ledger
from etax.platform.api import ledger as L
from etax.platform.app import create_app
from etax.platform.prefill import InvoiceKind
from etax.platform.settings import Settings
from tests.conftest import BACKEND, new_client
from tests.factories import Enterprise, create_enterprise, log_in_staff
from tests.login_helpers import post, run
from tests.plugin_factories import make_plugin

Pin = Callable[[dt.date | dt.datetime], None]
NOVEMBER = dt.date(2026, 11, 10)  # October's returns are due by 16 November (15th is a Sunday)
WORKED_EXAMPLE = {
    "T1.1.1": "1000000",
    "T1.1.2": "130000",
    "T2.2.t": "80000",
    "T2.23b.t": "2000",
    "H.location": "市区",
    "H.six_two": "否",
}


async def _register(taxpayer_id: int, kind: L.TaxpayerKind) -> None:
    await ledger.set_taxpayer_kind(taxpayer_id, kind, dt.date(2025, 1, 1))
    vat_kind = L.PeriodKind.MONTH if kind is L.TaxpayerKind.GENERAL else L.PeriodKind.QUARTER
    for tax in (L.TaxType.VAT, L.TaxType.URBAN_CONSTRUCTION, L.TaxType.EDUCATION, L.TaxType.LOCAL_EDUCATION):
        await ledger.register_tax(taxpayer_id, tax, vat_kind, dt.date(2026, 9, 1))
    await ledger.register_tax(taxpayer_id, L.TaxType.CIT, L.PeriodKind.QUARTER, dt.date(2026, 1, 1))
    for tax in (L.TaxType.STAMP, L.TaxType.PROPERTY, L.TaxType.LAND_USE):
        await ledger.register_tax(taxpayer_id, tax, L.PeriodKind.QUARTER, dt.date(2026, 1, 1))


def enterprise(kind: L.TaxpayerKind = L.TaxpayerKind.GENERAL) -> Enterprise:
    made = create_enterprise("申报测试有限公司")
    run(_register(made.taxpayer_id, kind))
    return made


@pytest.fixture()
def filer(app: Litestar, pin_clock: Pin) -> Iterator[tuple[TestClient[Litestar], Enterprise]]:
    """A logged-in client whose application is shut down after the test (its connection pool closed:
    a pool left open would try the test database again after the run has dropped it)."""
    pin_clock(NOVEMBER)
    made = enterprise()
    with new_client(app) as client:
        log_in_staff(client, made, "legal_rep")
        yield client, made


def declarations(taxpayer_id: int) -> list[L.Declaration]:
    return run(ledger.declarations(taxpayer_id))


def preview(client: TestClient[Litestar], url: str, period: str, values: dict[str, str]) -> httpx.Response:
    return post(client, f"{url}/preview", {"_period": period, **values})


def submit_token(page: str) -> str:
    found = re.search(r'name="_submission" value="([^"]+)"', page)
    assert found, page[:3000]
    return found.group(1)


def file_return(
    client: TestClient[Litestar], url: str, period: str, values: dict[str, str], correct: str = ""
) -> httpx.Response:
    shown = post(client, f"{url}/preview", {"_period": period, "_correct": correct, **values})
    assert shown.status_code == 200, shown.text[:3000]
    return post(
        client,
        f"{url}/submit",
        {"_period": period, "_correct": correct, "_submission": submit_token(shown.text), **values},
    )


def test_landing_lists_october_as_due_and_the_form_opens_with_the_seed_breadcrumb(
    filer: tuple[TestClient[Litestar], Enterprise],
) -> None:
    client, _ = filer
    landing = client.get("/filing/vat-general")
    assert landing.status_code == 200
    assert "2026年10月" in landing.text and "2026-11-16" in landing.text and "填写申报" in landing.text
    page = client.get("/filing/vat-general", params={"period": "2026-10"})
    assert page.status_code == 200
    for crumb in ("我要办税", "税费申报及缴纳", "增值税及附加税费申报", "增值税一般纳税人申报"):
        assert crumb in page.text
    assert "增值税及附加税费申报表（一般纳税人适用）" in page.text
    assert 'name="T1.1.1"' in page.text and 'id="v-M-34"' in page.text


SEPTEMBER = {"T1.1.1": "100000", "T1.1.2": "13000", "T2.2.t": "23000"}  # leaves 10,000 上期留抵


def file_september(client: TestClient[Litestar]) -> None:
    """September's return leaves 期末留抵 10,000, which October's line 13 brings forward (§2.3)."""
    assert file_return(client, "/filing/vat-general", "2026-09", SEPTEMBER).status_code == 303


def test_editing_a_line_recomputes_the_computed_lines_through_htmx(
    filer: tuple[TestClient[Litestar], Enterprise],
) -> None:
    client, _ = filer
    file_september(client)
    answer = post(client, "/filing/vat-general/compute", {"_period": "2026-10", **WORKED_EXAMPLE})
    assert answer.status_code == 200
    assert '<output id="v-M-13" data-line="M.13" hx-swap-oob="true">10,000.00</output>' in answer.text
    assert '<output id="v-M-34" data-line="M.34" hx-swap-oob="true">42,000.00</output>' in answer.text
    assert '<output id="v-M-39" data-line="M.39" hx-swap-oob="true">2,940.00</output>' in answer.text
    wrong = post(client, "/filing/vat-general/compute", {"_period": "2026-10", "T1.5.5": "-1"})
    assert "附列资料（一）第5行第5列“6%税率·未开具发票·销售额”：不能为负数" in wrong.text


def test_filing_the_worked_example_records_vat_and_surcharges_in_the_ledger(
    filer: tuple[TestClient[Litestar], Enterprise],
) -> None:
    client, made = filer
    file_september(client)
    page = client.get("/filing/vat-general", params={"period": "2026-10"})
    assert '<output id="v-M-13" data-line="M.13">10,000.00</output>' in page.text  # 上期留抵, 系统带出
    done = file_return(client, "/filing/vat-general", "2026-10", WORKED_EXAMPLE)
    assert done.status_code == 303, done.text[:3000]
    confirmation = client.get(done.headers["location"])
    assert "申报成功" in confirmation.text and "47,040.00" in confirmation.text
    filed = {d.tax_type: d for d in declarations(made.taxpayer_id) if d.period_start.month == 10}
    assert {t: d.amounts.payable for t, d in filed.items()} == {
        L.TaxType.VAT: Decimal("42000.00"),
        L.TaxType.URBAN_CONSTRUCTION: Decimal("2940.00"),
        L.TaxType.EDUCATION: Decimal("1260.00"),
        L.TaxType.LOCAL_EDUCATION: Decimal("840.00"),
    }
    vat = filed[L.TaxType.VAT]
    assert vat.kind is L.DeclarationKind.NORMAL and not vat.late
    assert vat.number in confirmation.text
    lines = run(ledger.declaration_lines(made.taxpayer_id, vat.id))
    assert lines is not None and lines.lines["M.34"] == "42000.00"
    # printable return and the two PDFs
    printable = client.get(f"/filing/records/{vat.number}")
    assert (
        printable.status_code == 200
        and "42,000.00" in printable.text
        and "@media print" not in printable.text
    )
    for pdf in ("return.pdf", "receipt.pdf"):
        answer = client.get(f"/filing/records/{vat.number}/{pdf}")
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
        assert answer.headers["content-type"] == "application/pdf"
    # the period is filed: opening it again offers 更正申报
    again = client.get("/filing/vat-general", params={"period": "2026-10"})
    assert "已申报" in again.text and f"correct={vat.number}" in again.text


def test_replaying_a_submission_returns_the_same_declaration(
    filer: tuple[TestClient[Litestar], Enterprise],
) -> None:
    client, made = filer
    shown = preview(client, "/filing/vat-general", "2026-10", WORKED_EXAMPLE)
    data = {"_period": "2026-10", "_submission": submit_token(shown.text), **WORKED_EXAMPLE}
    first = post(client, "/filing/vat-general/submit", data)
    second = post(client, "/filing/vat-general/submit", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert len(declarations(made.taxpayer_id)) == 4


def test_bad_input_is_refused_with_the_line_named_and_nothing_written(
    filer: tuple[TestClient[Litestar], Enterprise],
) -> None:
    client, made = filer
    negative = preview(client, "/filing/vat-general", "2026-10", {"T1.5.5": "-500"})
    assert negative.status_code == 400
    assert "附列资料（一）第5行第5列“6%税率·未开具发票·销售额”：不能为负数" in negative.text
    absurd = preview(client, "/filing/vat-general", "2026-10", {"M.28": "1e40"})
    assert absurd.status_code == 400 and "第28栏“①分次预缴税额”：数值过大，请核对" in absurd.text
    text = preview(client, "/filing/vat-general", "2026-10", {"M.15": "一千"})
    assert text.status_code == 400 and "第15栏“免、抵、退应退税额”：请填写数字" in text.text
    # a tampered form: a computed line posted with the submission
    shown = preview(client, "/filing/vat-general", "2026-10", WORKED_EXAMPLE)
    token = submit_token(shown.text)
    tampered = post(
        client,
        "/filing/vat-general/submit",
        {"_period": "2026-10", "_submission": token, **WORKED_EXAMPLE, "M.34": "0.00"},
    )
    assert tampered.status_code == 400 and "第34栏“本期应补（退）税额”：由系统计算，不能修改" in tampered.text
    system = post(
        client,
        "/filing/vat-general/submit",
        {"_period": "2026-10", "_submission": token, **WORKED_EXAMPLE, "M.13": "88000"},
    )
    assert system.status_code == 400 and "第13栏“上期留抵税额”：由系统带出，不能修改" in system.text
    forged = post(
        client,
        "/filing/vat-general/submit",
        {"_period": "2026-10", "_submission": "forged", **WORKED_EXAMPLE},
    )
    assert forged.status_code == 400 and "表单已失效" in forged.text
    assert declarations(made.taxpayer_id) == []


@pytest.mark.parametrize(
    ("url", "period", "message"),
    [
        ("/filing/vat-general", "2026-13", "月份不正确"),
        ("/filing/vat-general", "2026Q3", "不按季申报"),
        ("/filing/vat-general", "2026-11", "尚未结束，不能申报"),
        ("/filing/vat-general", "2026-08", "未认定按月申报的增值税"),
        ("/filing/vat-small", "2026Q3", "您是一般纳税人，请使用增值税一般纳税人申报"),
        ("/filing/vat-general", "'><script>", "格式不正确"),
    ],
)
def test_wrong_periods_and_returns_are_refused_clearly(
    filer: tuple[TestClient[Litestar], Enterprise], url: str, period: str, message: str
) -> None:
    client, _ = filer
    page = client.get(url, params={"period": period})
    assert page.status_code == 200 and message in page.text
    assert "<script>" not in page.text.split("<main")[1]
    submitted = post(client, f"{url}/preview", {"_period": period})
    assert submitted.status_code == 400 and message in submitted.text


def test_another_taxpayers_declaration_is_not_found(
    app: Litestar, filer: tuple[TestClient[Litestar], Enterprise]
) -> None:
    client, _ = filer
    assert file_return(client, "/filing/vat-general", "2026-10", WORKED_EXAMPLE).status_code == 303
    number = client.get("/filing/records").text.split('id="void-')[1].split('"')[0]
    other = enterprise()
    with new_client(app) as stranger:
        log_in_staff(stranger, other, "legal_rep")
        for path in ("", "/return.pdf", "/receipt.pdf"):
            answer = stranger.get(f"/filing/records/{number}{path}")
            assert answer.status_code == 404 and "未找到该申报记录" in answer.text
        assert post(stranger, f"/filing/records/{number}/void", {"reason": "试试"}).status_code == 404
        assert stranger.get("/filing/vat-general/done/" + number).status_code == 404
        correction = stranger.get("/filing/vat-general", params={"period": "2026-10", "correct": number})
        assert "未找到可更正的申报记录" in correction.text


def test_void_inside_the_filing_period_then_refile(filer: tuple[TestClient[Litestar], Enterprise]) -> None:
    client, made = filer
    assert file_return(client, "/filing/vat-general", "2026-10", WORKED_EXAMPLE).status_code == 303
    vat = next(d for d in declarations(made.taxpayer_id) if d.tax_type is L.TaxType.VAT)
    records = client.get("/filing/records")
    assert f'data-testid="void-{vat.number}"' in records.text
    no_reason = post(client, f"/filing/records/{vat.number}/void", {"reason": " "})
    assert no_reason.status_code == 400 and "请填写作废原因" in no_reason.text
    voided = post(client, f"/filing/records/{vat.number}/void", {"reason": "销售额填错"})
    assert voided.status_code == 303
    statuses = {d.tax_type: d.status for d in declarations(made.taxpayer_id)}
    assert set(statuses.values()) == {L.DeclarationStatus.VOIDED}  # 附加税费 voided with the VAT
    assert "已作废申报序号" in client.get("/filing/records").text
    assert file_return(client, "/filing/vat-general", "2026-10", WORKED_EXAMPLE).status_code == 303


def test_after_the_deadline_void_is_refused_and_correction_replaces_the_return(
    filer: tuple[TestClient[Litestar], Enterprise], pin_clock: Pin
) -> None:
    client, made = filer
    assert file_return(client, "/filing/vat-general", "2026-10", WORKED_EXAMPLE).status_code == 303
    vat = next(d for d in declarations(made.taxpayer_id) if d.tax_type is L.TaxType.VAT)
    assert vat.amounts.payable == Decimal("52000.00")  # no September return: 上期留抵 is 0
    pin_clock(dt.date(2026, 11, 20))
    refused = post(client, f"/filing/records/{vat.number}/void", {"reason": "晚了"})
    assert refused.status_code == 400 and "已过申报期限，不能作废，请使用更正申报" in refused.text
    form = client.get("/filing/vat-general", params={"period": "2026-10", "correct": vat.number})
    assert "更正申报" in form.text and 'value="1000000.00"' in form.text
    corrected = file_return(
        client, "/filing/vat-general", "2026-10", {**WORKED_EXAMPLE, "T2.2.t": "90000"}, correct=vat.number
    )
    assert corrected.status_code == 303, corrected.text[:2000]
    rows = declarations(made.taxpayer_id)
    live = {d.tax_type: d for d in rows if d.status is L.DeclarationStatus.FILED}
    assert live[L.TaxType.VAT].kind is L.DeclarationKind.CORRECTION
    assert live[L.TaxType.VAT].amounts.payable == Decimal("42000.00")
    assert next(d for d in rows if d.id == vat.id).status is L.DeclarationStatus.CORRECTED


def test_late_filing_is_marked_and_earlier_unfiled_periods_warn(app: Litestar, pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 12, 3))
    made = enterprise()
    with new_client(app) as client:
        log_in_staff(client, made, "legal_rep")
        late_list = client.get("/filing/late")
        assert "2026年10月" in late_list.text and "2026年9月" in late_list.text
        page = client.get("/filing/vat-general", params={"period": "2026-10"})
        assert "前期未申报：增值税2026年9月尚未申报" in page.text
        assert "已超过申报期限（2026-11-16），提交后为逾期申报" in page.text
        assert file_return(client, "/filing/vat-general", "2026-10", {}).status_code == 303
        october = next(d for d in declarations(made.taxpayer_id) if d.tax_type is L.TaxType.VAT)
        assert october.late and october.kind is L.DeclarationKind.LATE
        assert october.amounts.payable == Decimal("0.00")  # 零申报
        assert "逾期申报" in client.get("/filing/records").text


def test_zero_return_is_announced_in_the_preview(filer: tuple[TestClient[Litestar], Enterprise]) -> None:
    client, _ = filer
    shown = preview(client, "/filing/vat-general", "2026-10", {})
    assert shown.status_code == 200 and "将作为零申报提交" in shown.text


def test_draft_is_kept_and_loaded_again(filer: tuple[TestClient[Litestar], Enterprise]) -> None:
    client, _ = filer
    saved = post(
        client, "/filing/vat-general/save", {"_period": "2026-10", "T1.5.5": "12345.67", "M.28": "abc"}
    )
    assert saved.status_code == 200 and "已暂存" in saved.text
    page = client.get("/filing/vat-general", params={"period": "2026-10"})
    assert "暂存的数据" in page.text and 'value="12345.67"' in page.text and 'value="abc"' in page.text


def test_todo_lists_the_returns_due(filer: tuple[TestClient[Litestar], Enterprise]) -> None:
    client, _ = filer
    home = client.get("/")
    assert "增值税一般纳税人申报（2026年10月）未申报，申报期限2026-11-16" in home.text
    assert "/filing/vat-general?period=2026-10" in home.text
    assert file_return(client, "/filing/vat-general", "2026-10", WORKED_EXAMPLE).status_code == 303
    assert "增值税一般纳税人申报（2026年10月）已申报" in client.get("/").text


def test_small_scale_quarterly_return_below_the_exemption(app: Litestar, pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 10, 12))
    made = enterprise(L.TaxpayerKind.SMALL)
    with new_client(app) as client:
        log_in_staff(client, made, "legal_rep")
        page = client.get("/filing/vat-small", params={"period": "2026Q3"})
        assert page.status_code == 200 and "增值税及附加税费申报表（小规模纳税人适用）" in page.text
        values = {"S.a1.g": "50000", "S.a2.g": "200000", "H.location": "市区", "H.six_two": "是"}
        assert file_return(client, "/filing/vat-small", "2026Q3", values).status_code == 303
        filed = {d.tax_type: d.amounts.payable for d in declarations(made.taxpayer_id)}
        assert filed[L.TaxType.VAT] == Decimal("500.00")
        assert filed[L.TaxType.URBAN_CONSTRUCTION] == Decimal("17.50")


def test_cit_quarterly_prepayment_carries_earlier_prepayments(app: Litestar, pin_clock: Pin) -> None:
    made = enterprise()
    size = {"Z.hc.1c": "90", "Z.hc.1e": "90", "Z.as.1c": "2200", "Z.as.1e": "2200"}
    with new_client(app) as client:
        log_in_staff(client, made, "legal_rep")
        pin_clock(dt.date(2026, 4, 10))
        q1 = {**size, "A.3": "600000", "A.7": "20000", "A.9": "80000"}
        assert file_return(client, "/filing/cit", "2026Q1", q1).status_code == 303
        pin_clock(dt.date(2026, 7, 10))
        page = client.get("/filing/cit", params={"period": "2026Q2"})
        assert '<output id="v-A-14" data-line="A.14">25,000.00</output>' in page.text
        q2 = {**size, "Z.hc.2c": "110", "Z.hc.2e": "110", "Z.as.2c": "2500", "Z.as.2e": "2500"}
        q2 |= {"A.3": "1500000", "A.7": "40000", "A.9": "80000"}
        assert file_return(client, "/filing/cit", "2026Q2", q2).status_code == 303
        payable = sorted(d.amounts.payable for d in declarations(made.taxpayer_id))
        assert payable == [Decimal("25000.00"), Decimal("44000.00")]


def test_property_and_behaviour_combined_return(
    filer: tuple[TestClient[Litestar], Enterprise], pin_clock: Pin
) -> None:
    client, made = filer
    pin_clock(dt.date(2026, 10, 12))
    values = {"Y.3.1": "1200000", "F.1.1": "10000000", "L.1.1": "2000", "L.1.2": "6", "H.six_two": "否"}
    assert file_return(client, "/filing/property-behaviour", "2026Q3", values).status_code == 303
    filed = {d.tax_type: d.amounts.payable for d in declarations(made.taxpayer_id)}
    assert filed == {
        L.TaxType.STAMP: Decimal("360.00"),
        L.TaxType.PROPERTY: Decimal("21000.00"),
        L.TaxType.LAND_USE: Decimal("3000.00"),
    }


@pytest.mark.skipif(BACKEND != "postgres", reason="races are tested on PostgreSQL")
def test_twenty_parallel_submits_file_one_declaration(
    filer: tuple[TestClient[Litestar], Enterprise],
) -> None:
    """Ten double-clicks of one submission and ten other submissions of the same period, all at once."""
    client, made = filer
    tokens = [
        submit_token(preview(client, "/filing/vat-general", "2026-10", WORKED_EXAMPLE).text)
        for _ in range(11)
    ]
    bodies = [tokens[0]] * 10 + tokens[1:]
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(
            pool.map(
                lambda token: post(
                    client,
                    "/filing/vat-general/submit",
                    {"_period": "2026-10", "_submission": token, **WORKED_EXAMPLE},
                ),
                bodies,
            )
        )
    codes = [a.status_code for a in answers]
    assert set(codes) <= {303, 409}, codes
    assert len({a.headers["location"] for a in answers if a.status_code == 303}) == 1
    assert all("已申报" in a.text for a in answers if a.status_code == 409)
    filed = declarations(made.taxpayer_id)
    assert len(filed) == 4 and len({d.batch for d in filed}) == 1


def test_property_sources_carry_forward_to_the_next_period(
    filer: tuple[TestClient[Litestar], Enterprise], pin_clock: Pin
) -> None:
    client, _ = filer
    pin_clock(dt.date(2026, 7, 10))
    values = {"F.1.1": "10000000", "L.1.1": "2000", "L.1.2": "6", "Y.3.1": "500000"}
    assert file_return(client, "/filing/property-behaviour", "2026Q2", values).status_code == 303
    pin_clock(dt.date(2026, 10, 12))
    page = client.get("/filing/property-behaviour", params={"period": "2026Q3"})
    assert "房产、土地税源已从上次申报带出" in page.text
    assert 'name="F.1.1" value="10000000.00"' in page.text and 'name="L.1.2" value="6.00"' in page.text
    assert 'name="Y.3.1" value=""' in page.text  # contracts are per period


def test_invoice_figures_pre_fill_the_return(settings: Settings, pin_clock: Pin) -> None:
    """Whatever plugin answers etax_invoice_figures pre-fills 附列资料（一）and（二）; the taxpayer checks them."""
    pin_clock(NOVEMBER)
    made = enterprise()

    async def etax_invoice_figures(taxpayer_id: int, start: dt.date, end: dt.date) -> InvoiceFigures | None:
        if taxpayer_id != made.taxpayer_id or start != dt.date(2026, 10, 1):
            return None
        return InvoiceFigures(
            start=start,
            end=end,
            sales=[
                SalesFigure(
                    rate=Decimal("0.13"),
                    kind=InvoiceKind.SPECIAL,
                    amount=Decimal("1000000.00"),
                    tax=Decimal("130000.00"),
                    count=12,
                ),
                SalesFigure(
                    rate=Decimal("0.06"),
                    kind=InvoiceKind.ORDINARY,
                    amount=Decimal("50000.00"),
                    tax=Decimal("3000.00"),
                    count=3,
                ),
            ],
            deductible_count=9,
            deductible_amount=Decimal("615384.62"),
            deductible_tax=Decimal("80000.00"),
            transfer_out_tax=Decimal("2000.00"),
        )

    figures = make_plugin("figures_for_filing", etax_invoice_figures=etax_invoice_figures)
    with new_client(create_app(settings, extra_plugins=[figures])) as client:
        log_in_staff(client, made, "legal_rep")
        page = client.get("/filing/vat-general", params={"period": "2026-10"})
        assert "已根据本期发票数据预填" in page.text
        for code, value in (
            ("T1.1.1", "1000000.00"),
            ("T1.1.2", "130000.00"),
            ("T1.5.3", "50000.00"),
            ("T1.5.4", "3000.00"),
            ("T2.2.n", "9"),
            ("T2.2.t", "80000.00"),
            ("T2.20.t", "2000.00"),
        ):
            assert f'name="{code}" value="{value}"' in page.text, code
        assert '<output id="v-M-12" data-line="M.12">80,000.00</output>' in page.text
        assert '<output id="v-M-34" data-line="M.34">55,000.00</output>' in page.text  # 133,000 − 78,000
