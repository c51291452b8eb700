"""The ledger's queries over records the ledger really holds: returns filed and paid through the ledger
service, an unpaid return past its deadline, reliefs and fixed amounts decided, a certificate issued."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from html import unescape

from litestar import Litestar

from etax.platform import certificates as C
from etax.platform import compliance
from etax.platform import ledger as L
from etax.platform.coresys.tables import Taxpayer
from tests.conftest import new_client
from tests.factories import Enterprise, create_enterprise, log_in_staff
from tests.login_helpers import post, run
from tests.test_admin_support import log_in_as

Pin = Callable[[dt.date | dt.datetime], None]
D = Decimal


def _filing(
    taxpayer_id: int, month: int, payable: str, key: str, tax_type: L.TaxType = L.TaxType.VAT
) -> L.FilingRequest:
    start = dt.date(2026, month, 1)
    end = (dt.date(2026, month + 1, 1) if month < 12 else dt.date(2027, 1, 1)) - dt.timedelta(days=1)
    return L.FilingRequest(
        taxpayer_id=taxpayer_id,
        tax_type=tax_type,
        form_code="BDA0610606",
        form_version="2023-01",
        period_kind=L.PeriodKind.MONTH,
        period_start=start,
        period_end=end,
        amounts=L.Amounts(income=D("123456.78"), tax=D(payable), payable=D(payable)),
        lines={"1": "123456.78", "19": payable, "34": payable},
        filed_by="测试办税员",
        submission=key,
    )


def ledger_world(pin_clock: Pin) -> tuple[Enterprise, list[L.Declaration]]:
    """An enterprise that filed Jan–Oct 2026 VAT returns each month, paid Jan–Aug, left Sep unpaid
    (in arrears by November) and has a relief, a fixed amount and a certificate."""
    mine = create_enterprise(officers=0)
    tp = mine.taxpayer_id
    run(L.register_tax(tp, L.TaxType.VAT, L.PeriodKind.MONTH, dt.date(2025, 1, 1), item="货物及劳务"))
    filed: list[L.Declaration] = []
    for month in range(1, 11):
        pin_clock(dt.date(2026, month + 1, 5))
        filed.append(run(L.file_declaration(_filing(tp, month, f"{1000 + month}.50", f"q-{tp}-{month}"))))

    async def sign() -> None:
        row = await Taxpayer.select(Taxpayer.name).where(Taxpayer.id == tp).first()
        assert row is not None
        await L.sign_agreement(
            tp,
            bank_code="102",
            bank_name="中国工商银行",
            account_number="6222020200001234567",
            account_name=str(row["name"]),
            signed_by="测试",
            gateway=L.DevelopmentBank(latency_ms=0),
        )

    run(sign())
    bank = L.DevelopmentBank(latency_ms=0)
    pin_clock(dt.date(2026, 9, 10))
    run(L.pay(tp, [d.id for d in filed[:8]], key=f"pay-{tp}", requested_by="测试", gateway=bank))
    run(
        L.add_relief(
            tp,
            L.TaxType.VAT,
            "0001011608",
            "小规模纳税人减按1%征收率征收增值税",
            dt.date(2026, 1, 1),
            reference="财政部 税务总局公告2023年第19号",
        )
    )
    run(
        L.set_fixed_amount(
            tp,
            L.TaxType.VAT,
            D("30000.00"),
            D("300.00"),
            dt.date(2026, 1, 1),
            valid_to=dt.date(2026, 12, 31),
            reference="沈税核〔2026〕8号",
        )
    )
    run(
        C.issue_certificate(
            C.CertificateKind.TAX_PAYMENT,
            tp,
            C.CertificateContent(
                title="中华人民共和国税收完税证明", headers=["税种", "金额"], rows=[["增值税", "1,001.50"]]
            ),
            issued_by="测试办税员",
            key=f"cert-{tp}",
        )
    )
    pin_clock(dt.date(2026, 11, 20))
    return mine, filed


def link(html: str, rel: str) -> str:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}"', html)
    assert match, f"no {rel} link"
    return unescape(match.group(1))


def periods(html: str) -> list[str]:
    table = html.split('data-testid="query-results"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<td>(2026-\d\d)-01</td>", table)


def test_declarations_filter_by_period_page_and_show_their_lines(app: Litestar, pin_clock: Pin) -> None:
    mine, filed = ledger_world(pin_clock)
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        page = client.get(
            "/query/declarations", params={"period_from": "2026-03", "period_to": "2026-08", "size": "10"}
        )
        assert periods(page.text) == [f"2026-{m:02d}" for m in range(8, 2, -1)]
        assert "1,008.50" in page.text and "123,456.78" in page.text
        first = client.get("/query/declarations", params={"size": "10", "tax_type": "10101"})
        assert len(periods(first.text)) == 10 and 'rel="next"' not in first.text
        small = client.get("/query/declarations", params={"size": "10", "payable_max": "1003"})
        assert periods(small.text) == ["2026-02", "2026-01"]
        detail = client.get(f"/query/declarations/{filed[0].id}").text
        assert filed[0].number in detail and "123456.78" in detail and "正常申报" in detail
        bad = client.get("/query/declarations", params={"period_from": "2026-13", "tax_type": "99999"}).text
        assert "税款所属期起的月份应在1至12之间" in bad and "征收项目没有这一选项" in bad
    other = create_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, other, "legal_rep")
        assert client.get(f"/query/declarations/{filed[0].id}").status_code == 404
        assert "没有符合条件的申报记录" in client.get("/query/declarations").text


def test_payments_arrears_obligations_reliefs_fixed_amounts_and_certificates(
    app: Litestar, pin_clock: Pin
) -> None:
    mine, filed = ledger_world(pin_clock)
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        payments = client.get("/query/payments").text
        assert "扣款成功" in payments and "2026-09-10" in payments
        payment_id = re.search(r'href="/query/payments/(\d+)"', payments)
        assert payment_id
        detail = client.get(f"/query/payments/{payment_id.group(1)}").text
        assert filed[0].number in detail and "增值税" in detail
        arrears = client.get("/query/arrears").text
        # September's and October's returns are unpaid past their payment deadlines; August's was paid.
        assert "1,009.50" in arrears and "1,010.50" in arrears and "1,008.50" not in arrears
        assert re.search(r"<dt>欠税笔数</dt><dd>2</dd>", arrears)
        obligations = client.get(
            "/query/obligations", params={"period_from": "2026-01", "period_to": "2026-10"}
        ).text
        assert obligations.count("已申报") >= 10
        reliefs = client.get("/query/reliefs").text
        assert "0001011608" in reliefs and "有效" in reliefs
        fixed = client.get("/query/fixed-amounts").text
        assert "30,000.00" in fixed and "沈税核〔2026〕8号" in fixed
        certificates = client.get("/query/certificates").text
        assert "中华人民共和国税收完税证明" in certificates
        cert_id = re.search(r'href="/query/certificates/(\d+)"', certificates)
        assert cert_id and "查验码" in client.get(f"/query/certificates/{cert_id.group(1)}").text
        xlsx = client.get(
            "/query/declarations/export/xlsx", params={"period_from": "2026-01", "period_to": "2026-06"}
        )
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_credit_evaluation_from_the_ledger_reaches_the_taxpayer(app: Litestar, pin_clock: Pin) -> None:
    mine, _ = ledger_world(pin_clock)
    run(
        compliance.add_violation(
            compliance.ViolationInput(
                tin=mine.tin,
                kind=compliance.ViolationKind.INVOICE,
                facts="未按规定开具发票",
                found_on=dt.date(2026, 6, 1),
            ),
            by="测试",
        )
    )
    with new_client(app) as admin:
        log_in_as(admin, "reviewer")
        assert "评价年度" in admin.get("/admin/credit").text
        assert post(admin, "/admin/credit", {"year": "2030"}).status_code == 400
        assert post(admin, "/admin/credit", {"year": "2026"}).status_code in (302, 303)
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        listing = client.get("/query/credit").text
        # 100 − 5 × 2 returns unpaid past their deadlines − 11 for an open violation = 79: B
        assert "<td>2026</td>" in listing and ">79<" in listing and ">B<" in listing
        found = re.search(r'href="/query/credit/(\d+)"', listing)
        assert found
        detail = client.get(f"/query/credit/{found.group(1)}").text
        assert "未按期缴纳已申报税款" in detail and "违法违章：发票违法（未处理）" in detail
