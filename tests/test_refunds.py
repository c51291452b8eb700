"""一般退（抵）税管理 and 出口退税管理: applications reviewed by the bureau whose 办结 changes the ledger
(先抵后退: 欠税 offset first, the rest refunded), shown in 退税金额审核情况查询, with messages and audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import credit
from etax.platform import ledger as L
from etax.plugins.refunds.tables import ExportFiling
from tests.conftest import new_client
from tests.factories import log_in_staff
from tests.matters_support import PDF, D, apply, approve, audited, file_vat, messages_to, sign_and_pay
from tests.test_applications_support import new_enterprise, run

Pin = Callable[[dt.date | dt.datetime], None]


@pytest.fixture()
def firm(app: Litestar) -> Iterator[tuple[TestClient[Litestar], int]]:
    enterprise = new_enterprise()
    run(L.register_tax(enterprise.taxpayer_id, L.TaxType.VAT, L.PeriodKind.MONTH, dt.date(2025, 1, 1)))
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        yield client, enterprise.taxpayer_id


def test_overpaid_tax_offsets_arrears_first_and_refunds_the_rest(
    app: Litestar, firm: tuple[TestClient[Litestar], int], pin_clock: Pin
) -> None:
    client, tp = firm
    pin_clock(dt.date(2026, 2, 10))
    january = file_vat(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), "1000.00", f"jan-{tp}")
    sign_and_pay(tp, [january.id], f"pay-jan-{tp}")
    pin_clock(dt.date(2026, 3, 10))
    february = file_vat(tp, dt.date(2026, 2, 1), dt.date(2026, 2, 28), "300.00", f"feb-{tp}")
    pin_clock(dt.date(2026, 3, 25))  # February's 300.00 is now 欠税
    assert [item.amount for item in run(L.arrears(tp))] == [D("300.00")]

    listed = client.get("/query/refunds")
    assert (
        listed.status_code == 200
        and january.number in listed.text
        and "暂无审核通过的退（抵）税" in listed.text
    )

    form = {"declaration_number": january.number, "amount": "500.00", "reason": "计算错误多缴"}
    too_much = apply(client, "/refunds/overpaid", {**form, "amount": "1000.01"})
    assert too_much.status_code == 400 and "超过该申报已缴且未申请退抵的金额（1000.00元）" in too_much.text
    other = new_enterprise()
    foreign = apply(client, "/refunds/overpaid", {**form, "declaration_number": "9" * 12})
    assert foreign.status_code == 400 and "未找到该申报序号对应的本单位申报记录" in foreign.text
    unpaid = apply(client, "/refunds/overpaid", {**form, "declaration_number": february.number})
    assert unpaid.status_code == 400 and "尚未缴款" in unpaid.text
    assert other.taxpayer_id != tp

    number = approve(app, apply(client, "/refunds/overpaid", form))
    refunds = run(L.refunds(tp))
    assert sorted((r.kind, r.amount, r.status) for r in refunds) == sorted(
        [
            (L.RefundKind.OFFSET, D("300.00"), L.RefundStatus.DONE),
            (L.RefundKind.REFUND, D("200.00"), L.RefundStatus.DONE),
        ]
    )
    assert run(L.arrears(tp)) == []  # February is paid by the offset
    page = client.get("/query/refunds").text
    assert "误收多缴税款" in page and "抵缴欠税" in page and "国库处理完成" in page
    assert "误收多缴退抵税已办理" in messages_to(tp)
    assert "误收多缴退抵税已办理" in client.get("/").text  # 服务提醒 while unread
    [entry] = audited("refund.grant", tp)
    assert (
        number in entry["target"]
        and "抵缴欠税300.00元" in entry["detail"]
        and "退还200.00元" in entry["detail"]
    )
    # A replayed decision grants nothing twice; the rest of January (500.00) may still be claimed.
    again = apply(client, "/refunds/overpaid", {**form, "amount": "500.01"})
    assert again.status_code == 400 and "（500.00元）" in again.text

    # Three years after the payment the claim is refused.
    pin_clock(dt.date(2029, 2, 11))
    late = apply(client, "/refunds/overpaid", {**form, "amount": "100.00"})
    assert late.status_code == 400 and "已超过自结算缴纳税款之日起三年" in late.text


def test_retained_credit_refund_needs_a_general_taxpayer_with_credit_a_or_b(
    app: Litestar, firm: tuple[TestClient[Litestar], int], pin_clock: Pin
) -> None:
    client, tp = firm
    form = {"amount": "6000.00", "ratio": "80", "pledge": "on"}
    small = apply(client, "/refunds/retained", form)
    assert small.status_code == 400 and "仅限增值税一般纳税人申请" in small.text

    run(L.set_taxpayer_kind(tp, L.TaxpayerKind.GENERAL, dt.date(2025, 1, 1)))
    pin_clock(dt.date(2025, 12, 5))
    file_vat(tp, dt.date(2025, 11, 1), dt.date(2025, 11, 30), "0.00", f"nov-{tp}")
    pin_clock(dt.date(2026, 2, 10))
    file_vat(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), "0.00", f"jan-r-{tp}", lines={"M.20": "8000.00"})
    unrated = apply(client, "/refunds/retained", form)
    assert unrated.status_code == 400 and "纳税信用级别为未评价" in unrated.text
    assert run(credit.evaluate(tp, 2025, by="测试")).level.value == "A"

    over = apply(client, "/refunds/retained", {**form, "amount": "6400.01"})
    assert over.status_code == 400 and "8000.00元×进项构成比例80.00%=6400.00元" in over.text
    no_pledge = apply(client, "/refunds/retained", {"amount": "6000.00", "ratio": "80"})
    assert no_pledge.status_code == 400 and "请确认本企业符合留抵退税条件" in no_pledge.text

    approve(app, apply(client, "/refunds/retained", form))
    [refund] = run(L.refunds(tp))
    assert (refund.kind, refund.amount) == (L.RefundKind.REFUND, D("6000.00"))
    page = client.get("/query/refunds").text
    assert "增值税留抵退税" in page and "已退还 6000.00 元" in page


def test_export_filing_then_a_monthly_refund_return(
    app: Litestar, firm: tuple[TestClient[Litestar], int], pin_clock: Pin
) -> None:
    client, tp = firm
    pin_clock(dt.date(2026, 11, 20))
    ret = {
        "period": "2026-10",
        "customs_declaration": "210120261000123456",
        "basis": "100000.00",
        "rate": "13%",
        "refund": "13000.00",
    }
    before = apply(client, "/refunds/export-return", ret)
    assert before.status_code == 400 and "尚未办理出口退（免）税备案" in before.text
    filing = {
        "customs_code": "2101960ABC",
        "trade_registration": "02345678",
        "method": "免退税",
        "bank_account": "6222020200001234567",
        "contact": "出口专员",
    }
    bad = apply(client, "/refunds/export-filing", {**filing, "customs_code": "abc"})
    assert bad.status_code == 400 and "海关企业代码" in bad.text
    approve(app, apply(client, "/refunds/export-filing", filing))
    assert run(ExportFiling.exists().where(ExportFiling.taxpayer == tp))
    assert "已备案：免退税" in client.get("/query/refunds").text
    twice = apply(client, "/refunds/export-filing", filing)
    assert twice.status_code == 400 and "已办理出口退（免）税备案" in twice.text

    wrong = apply(client, "/refunds/export-return", {**ret, "refund": "12000.00"})
    assert wrong.status_code == 400 and "即13000.00元" in wrong.text
    future = apply(client, "/refunds/export-return", {**ret, "period": "2026-12", "refund": "13000.00"})
    assert future.status_code == 400 and "所属期不能晚于本月" in future.text
    approve(
        app,
        apply(
            client, "/refunds/export-return", ret, [("attachments", ("报关单.pdf", PDF, "application/pdf"))]
        ),
    )
    assert [(r.kind, r.amount) for r in run(L.refunds(tp))] == [(L.RefundKind.REFUND, D("13000.00"))]
    page = client.get("/query/refunds").text
    assert "出口退税" in page and "210120261000123456" in page
    repeat = apply(client, "/refunds/export-return", ret)
    assert repeat.status_code == 400 and "2026-10所属期已申报出口退（免）税并已审核" in repeat.text
