"""蓝字发票开具: buyer look-up, per-line tax, 价税合计 in capitals, the total quota, numbering, 复制开票,
the invoice's PDF/XML/print, and bad input that writes nothing."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx
import pytest
from litestar import Litestar
from openpyxl import Workbook

from etax.platform.coresys.tables import Taxpayer
from etax.plugins.invoices.issuing.batch import HEADER
from etax.plugins.invoices.issuing.batch import MAX_BYTES as MAX_BATCH_BYTES
from etax.plugins.invoices.tables import InvoiceItem
from tests.conftest import BACKEND, new_client
from tests.factories import grant
from tests.invoice_helpers import (
    Client,
    account_row,
    available,
    buyer,
    invoices_of,
    issue,
    issue_form,
    issued_id,
    line,
    log_in,
    seller,
)
from tests.login_helpers import audit_rows, post, run, token
from tests.test_applications_support import application_id, decide, open_form, post_form

ADJUSTMENT_URL = "/invoices/quota-adjustment"


def test_a_special_invoice_to_a_registered_buyer(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    found = run(Taxpayer.select(Taxpayer.name).where(Taxpayer.id == customer.taxpayer_id).first())
    assert found is not None
    customer_name = found["name"]
    with new_client(app) as client:
        log_in(client, shop)
        page = client.get("/invoices/issue").text
        assert "授信总额度" in page and "2,000,000.00" in page  # 十万元 × 10 份, for 专票 and 普票
        fragment = client.get("/invoices/issue/buyer", params={"buyer_tin": customer.tin}).text
        assert customer_name in fragment
        lines = [
            line("*信息技术服务*软件开发", "1000.00", "6"),
            line("*计算机*服务器", "", "13", qty="3", price="3333.33", unit="台", spec="R740"),
        ]
        response = issue(client, issue_form(customer.tin, lines, buyer_name="随便写的名字"))
        invoice_id = issued_id(response)
        detail = client.get(f"/invoices/issue/{invoice_id}").text
    [row] = invoices_of(shop.taxpayer_id)
    assert row["buyer_name"] == customer_name and row["buyer"] == customer.taxpayer_id
    assert len(row["number"]) == 20 and row["number"].isdigit()
    # 1000.00 × 6 % = 60.00; 3 × 3333.33 = 9999.99, × 13 % = 1299.9987 → 1300.00
    assert Decimal(row["amount"]) == Decimal("10999.99") and Decimal(row["tax"]) == Decimal("1360.00")
    assert Decimal(row["total"]) == Decimal("12359.99")
    assert "壹万贰仟叁佰伍拾玖圆玖角玖分" in detail and row["number"] in detail
    assert available(shop.taxpayer_id) == Decimal("2000000.00") - Decimal("10999.99")
    assert account_row(shop.taxpayer_id)["issued_count"] == 1
    [entry] = audit_rows("invoice.issue", shop.taxpayer_id)
    assert entry["outcome"] == "success" and row["number"] in entry["target"]


def test_tax_inclusive_entry_is_split_per_line(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    with new_client(app) as client:
        log_in(client, shop)
        form = issue_form(
            customer.tin, [line("货物", "113.00", "13"), line("运输", "100.00", "9")], inclusive=True
        )
        invoice_id = issued_id(issue(client, form))
    items = run(InvoiceItem.select().where(InvoiceItem.invoice == invoice_id).order_by(InvoiceItem.line))
    assert [(Decimal(i["amount"]), Decimal(i["tax"])) for i in items] == [
        (Decimal("100.00"), Decimal("13.00")),
        (Decimal("91.74"), Decimal("8.26")),
    ]


def test_a_natural_person_buyer_gets_an_ordinary_invoice_only(app: Litestar) -> None:
    shop = seller()
    with new_client(app) as client:
        log_in(client, shop)
        refused = issue(client, issue_form("", [line()], person=True, buyer_name="张三"))
        assert refused.status_code == 400 and "增值税专用发票不能开具给自然人" in refused.text
        invoice_id = issued_id(
            issue(client, issue_form("", [line()], kind="ordinary", person=True, buyer_name="张三"))
        )
        assert "张三" in client.get(f"/invoices/issue/{invoice_id}").text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"qty_0": "-2", "price_0": "10", "amount_0": "-20"}, "数量必须大于0"),
        ({"amount_0": "-100"}, "金额必须大于0"),
        ({"rate_0": "7"}, "税率只能为13%、9%、6%、5%、3%、1%或0%"),
        ({"rate_0": "0"}, "免税或零税率项目不得开具增值税专用发票"),
        ({"amount_0": "abc"}, "金额应为数字"),
        ({"amount_0": "10.001"}, "金额最多保留两位小数"),
        ({"qty_0": "2", "price_0": "10", "amount_0": "25"}, "数量×单价与金额不符"),
        ({"name_0": "", "amount_0": "100"}, "请填写项目名称"),
        ({"buyer_tin": "91210102MA0Y8K3P1A"}, "校验位不正确"),
        ({"amount_0": "2000000.01"}, "超出可用总额度"),
        ({"kind": "paper"}, "请选择发票种类"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_writes_nothing(
    app: Litestar, change: dict[str, str], message: str
) -> None:
    shop, customer = seller(), buyer()
    with new_client(app) as client:
        log_in(client, shop)
        form = {**issue_form(customer.tin, [line()]), **change}
        response = issue(client, form)
    assert response.status_code == 400 and message in response.text
    assert invoices_of(shop.taxpayer_id) == []
    assert available(shop.taxpayer_id) == Decimal("2000000.00")
    assert account_row(shop.taxpayer_id)["issued_count"] == 0
    assert audit_rows("invoice.issue", shop.taxpayer_id)[0]["outcome"] == "refused"


def test_small_scale_sellers_issue_at_collection_rates_and_unapproved_kinds_are_refused(
    app: Litestar,
) -> None:
    shop, customer = seller(general=False), buyer()
    with new_client(app) as client:
        log_in(client, shop)
        special = issue(client, issue_form(customer.tin, [line(rate="3")]))
        assert special.status_code == 400 and "未核定数电发票（增值税专用发票）" in special.text
        general_rate = issue(client, issue_form(customer.tin, [line(rate="13")], kind="ordinary"))
        assert general_rate.status_code == 400 and "小规模纳税人只能按5%、3%、1%征收率" in general_rate.text
        issued_id(issue(client, issue_form(customer.tin, [line(rate="1")], kind="ordinary")))
    unapproved = buyer()
    with new_client(app) as client:
        log_in(client, unapproved)
        response = issue(client, issue_form(customer.tin, [line()]))
        assert response.status_code == 400 and "尚未核定数电发票票种" in response.text


def test_the_quota_is_consumed_exactly_and_refuses_beyond(app: Litestar) -> None:
    shop, customer = seller(limit="一万元", monthly=1), buyer()  # 授信总额度 2 × 10,000
    with new_client(app) as client:
        log_in(client, shop)
        issued_id(issue(client, issue_form(customer.tin, [line(amount="15000.00")])))
        assert available(shop.taxpayer_id) == Decimal("5000.00")
        refused = issue(client, issue_form(customer.tin, [line(amount="5000.01")]))
        assert refused.status_code == 400 and "超出可用总额度5,000.00元" in refused.text
        issued_id(issue(client, issue_form(customer.tin, [line(amount="5000.00")])))
        assert available(shop.taxpayer_id) == Decimal("0.00")
        assert "已开票份数" in client.get("/invoices/issue").text
    first, second = invoices_of(shop.taxpayer_id)
    assert int(second["number"]) == int(first["number"]) + 1


def test_a_double_submitted_form_issues_one_invoice(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    with new_client(app) as client:
        log_in(client, shop)
        form = issue_form(customer.tin, [line()], submission="same-form-key")
        assert issued_id(issue(client, form)) == issued_id(issue(client, form))
    assert len(invoices_of(shop.taxpayer_id)) == 1
    assert account_row(shop.taxpayer_id)["issued_count"] == 1


def test_copy_pdf_xml_and_print_of_an_issued_invoice(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    with new_client(app) as client:
        log_in(client, shop)
        invoice_id = issued_id(
            issue(client, issue_form(customer.tin, [line("咨询费", "800.00", "6", unit="次", qty="2")]))
        )
        copy = client.get(f"/invoices/issue/copy/{invoice_id}").text
        assert 'value="咨询费"' in copy and 'value="800.00"' in copy and customer.tin in copy
        pdf = client.get(f"/invoices/issue/{invoice_id}/pdf")
        assert (
            pdf.status_code == 200
            and pdf.content.startswith(b"%PDF")
            and pdf.headers["content-type"] == "application/pdf"
        )
        xml = ET.fromstring(client.get(f"/invoices/issue/{invoice_id}/xml").content)
        [row] = invoices_of(shop.taxpayer_id)
        assert xml.findtext("Header/InvoiceNumber") == row["number"]
        assert (
            xml.findtext("Totals/TotalWithTax") == "848.00"
            and xml.findtext("Totals/TotalInCapitals") == "捌佰肆拾捌圆整"
        )
        printable = client.get(f"/invoices/issue/{invoice_id}/print").text
        assert "data-print" in printable and "电子发票（增值税专用发票）" in printable


def test_another_taxpayers_invoice_is_not_found(app: Litestar) -> None:
    shop, customer, stranger = seller(), buyer(), seller()
    with new_client(app) as client:
        log_in(client, shop)
        invoice_id = issued_id(issue(client, issue_form(customer.tin, [line()])))
    with new_client(app) as client:
        log_in(client, stranger)
        for suffix in ("", "/pdf", "/xml", "/print"):
            response = client.get(f"/invoices/issue/{invoice_id}{suffix}")
            assert (
                response.status_code == 404
                and invoices_of(shop.taxpayer_id)[0]["number"] not in response.text
            )
        assert client.get(f"/invoices/issue/copy/{invoice_id}").status_code == 404


def test_an_officer_needs_the_function(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    with new_client(app) as client:
        log_in(client, shop, "tax_officer0")
        assert client.get("/invoices/issue").status_code == 403
        assert issue(client, issue_form(customer.tin, [line()])).status_code == 403
        grant(shop, "tax_officer0", ["invoices.issue"])
        issued_id(issue(client, issue_form(customer.tin, [line()])))


@pytest.mark.skipif(BACKEND != "postgres", reason="races are tested on PostgreSQL")
def test_fifty_parallel_issues_get_fifty_consecutive_numbers(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    with new_client(app) as client:
        log_in(client, shop)
        client.get("/invoices/issue")
        forms = [issue_form(customer.tin, [line(amount="100.00")]) for _ in range(50)]
        with ThreadPoolExecutor(max_workers=50) as pool:
            responses = list(pool.map(lambda form: post(client, "/invoices/issue", form), forms))
    assert [r.status_code for r in responses] == [303] * 50
    numbers = sorted(int(row["number"]) for row in invoices_of(shop.taxpayer_id))
    assert numbers == list(range(numbers[0], numbers[0] + 50))
    account = account_row(shop.taxpayer_id)
    assert account["issued_count"] == 50 and int(account["used_fen"]) == 50 * 100_00
    assert available(shop.taxpayer_id) == Decimal("2000000.00") - Decimal("5000.00")


def test_quota_adjustment_is_an_application_that_raises_the_credit_once(app: Litestar) -> None:
    shop, customer = seller(limit="一万元", monthly=1), buyer()  # 授信总额度 20,000
    form = {"direction": "调增", "amount": "30000.00", "reason": "签订大额购销合同"}
    with new_client(app) as client:
        log_in(client, shop)
        assert "发票额度调整申请" in client.get("/invoices/issue").text
        refused = issue(client, issue_form(customer.tin, [line(amount="25000.00")]))
        assert refused.status_code == 400 and "发票额度调整" in refused.text
        bad = post_form(
            client, ADJUSTMENT_URL, {**form, "amount": "-1", "_submission": open_form(client, ADJUSTMENT_URL)}
        )
        assert bad.status_code == 400
        created = application_id(
            post_form(client, ADJUSTMENT_URL, {**form, "_submission": open_form(client, ADJUSTMENT_URL)})
        )
        decide(app, created, "accept")
        assert available(shop.taxpayer_id) == Decimal("20000.00")  # 受理 alone changes nothing
        assert decide(app, created, "complete") == []
        assert available(shop.taxpayer_id) == Decimal("50000.00")
        issued_id(issue(client, issue_form(customer.tin, [line(amount="25000.00")])))
    assert available(shop.taxpayer_id) == Decimal("25000.00")
    assert account_row(shop.taxpayer_id)["adjustment_fen"] == 3_000_000


def test_quota_adjustment_needs_an_approved_type(app: Litestar) -> None:
    unapproved = buyer()
    with new_client(app) as client:
        log_in(client, unapproved)
        data = {
            "direction": "调增",
            "amount": "1000.00",
            "reason": "业务需要",
            "_submission": open_form(client, ADJUSTMENT_URL),
        }
        response = post_form(client, ADJUSTMENT_URL, data)
        assert response.status_code == 400 and "尚未核定数电发票票种" in response.text


def _sheet(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: Client, content: bytes, name: str = "发票.xlsx") -> httpx.Response:
    return client.post(
        "/invoices/issue/batch",
        data={"_csrf_token": token(client)},
        files=[("file", (name, content, "application/octet-stream"))],
        follow_redirects=False,
    )


def test_batch_issue_from_xlsx_reports_row_by_row(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    sheet = _sheet(
        [
            ["1", "专票", customer.tin, "", "软件开发", "", "项", "1", "1000", "1000", "6"],
            ["1", "专票", customer.tin, "", "服务器", "R740", "台", "2", "3000", "6000", "0.13"],
            ["2", "专票", customer.tin, "", "咨询", "", "", "", "", "500", "7"],
            ["3", "普票", "", "张三", "维修", "", "", "", "", "200", "3"],
        ]
    )
    with new_client(app) as client:
        log_in(client, shop)
        template = client.get("/invoices/issue/batch/template.xlsx")
        assert template.status_code == 200 and template.content.startswith(b"PK")
        response = upload(client, sheet)
        assert response.status_code == 200, response.text[:2000]
        assert "开具成功 1 张，未开具 2 张" in response.text
        assert "税率只能为13%、9%、6%、5%、3%、1%或0%" in response.text
        assert "请填写购买方名称" in response.text or "纳税人识别号" in response.text
        refused = upload(client, b"not a spreadsheet", "发票.csv")
        assert refused.status_code == 400 and "请上传Excel文件" in refused.text
    [row] = invoices_of(shop.taxpayer_id)
    assert row["number"] in response.text and Decimal(row["total"]) == Decimal("7840.00")
    assert account_row(shop.taxpayer_id)["issued_count"] == 1


def test_a_batch_file_over_the_limit_or_not_a_spreadsheet_issues_nothing(app: Litestar) -> None:
    """The batch file comes through the platform's upload layer: a spreadsheet just over 2MB, an empty
    choice or a PDF renamed .xlsx is refused with the reason in Chinese, and no invoice is issued."""
    shop, customer = seller(), buyer()
    good = _sheet([["1", "普票", customer.tin, "", "咨询", "", "", "", "", "100", "3"]])
    with new_client(app) as client:
        log_in(client, shop)
        too_large = upload(client, good + b"\0" * (MAX_BATCH_BYTES + 1 - len(good)))
        assert too_large.status_code == 400 and "文件不能超过2MB" in too_large.text
        renamed = upload(client, b"%PDF-1.4 not a workbook")
        assert renamed.status_code == 400 and "请上传Excel文件（.xlsx）" in renamed.text
        nothing = upload(client, b"", "")
        assert nothing.status_code == 400 and "请选择要导入的Excel文件" in nothing.text
    assert invoices_of(shop.taxpayer_id) == []
