"""增值税专用发票最高开票限额审批 and 税控设备申领: applications reviewed by the bureau, with their effect
once completed (办结): a new limit (and for 数电专票 a new 授信总额度), 税务UKey numbers in 购票信息查询."""

from __future__ import annotations

from decimal import Decimal

from litestar import Litestar

from etax.plugins.invoices.tables import InvoiceQuota, LimitApproval, TaxDevice
from tests.conftest import new_client
from tests.invoice_helpers import approve_types, available, log_in, seller
from tests.test_applications_support import (
    application_id,
    count,
    decide,
    new_enterprise,
    open_form,
    post_form,
    run,
    set_taxpayer_type,
)

LIMIT_URL = "/invoices/limit-approval"
DEVICE_URL = "/invoices/device"


def apply(client: object, url: str, data: dict[str, str]) -> object:
    return post_form(client, url, {**data, "_submission": open_form(client, url)})  # type: ignore[arg-type]


def limit_of(taxpayer_id: int, invoice_type: str) -> Decimal:
    row = run(
        InvoiceQuota.select(InvoiceQuota.max_amount)
        .where(InvoiceQuota.key == f"{taxpayer_id}:{invoice_type}")
        .first()
    )
    return Decimal(str(row["max_amount"])).quantize(Decimal("0.01"))


def test_limit_approval_raises_the_total_quota_for_digital_and_the_single_limit_for_paper(
    app: Litestar,
) -> None:
    sold = seller(limit="十万元", monthly=10)  # 专票 and 普票: 2 × 100,000 × 10
    approve_types(sold.taxpayer_id, "增值税专用发票", limit="十万元", monthly=10)  # a paper 专票 too
    before = available(sold.taxpayer_id)
    with new_client(app) as client:
        log_in(client, sold)
        same = apply(
            client, LIMIT_URL, {"carrier": "数电发票", "max_amount": "十万元", "reason": "大额合同增加"}
        )
        assert same.status_code == 400 and "现有最高开票限额已是十万元" in same.text  # type: ignore[attr-defined]
        short = apply(client, LIMIT_URL, {"carrier": "数电发票", "max_amount": "一百万元", "reason": "大"})
        assert short.status_code == 400  # type: ignore[attr-defined]
        digital = application_id(
            apply(
                client,
                LIMIT_URL,
                {"carrier": "数电发票", "max_amount": "一百万元", "reason": "单笔合同超过十万元"},
            )
        )
        paper = application_id(
            apply(
                client,
                LIMIT_URL,
                {"carrier": "纸质发票", "max_amount": "一万元", "reason": "减少纸质发票风险"},
            )
        )
        decide(app, digital, "accept")
        assert limit_of(sold.taxpayer_id, "增值税电子专用发票") == Decimal("100000.00")  # 受理 alone: nothing
        decide(app, digital, "complete", "准予许可")
        assert limit_of(sold.taxpayer_id, "增值税电子专用发票") == Decimal("1000000.00")
        assert available(sold.taxpayer_id) == before + Decimal("9000000.00")  # (1,000,000 − 100,000) × 10
        decide(app, paper, "accept")
        decide(app, paper, "complete", "准予许可")
        assert limit_of(sold.taxpayer_id, "增值税专用发票") == Decimal("10000.00")
        assert count(LimitApproval, taxpayer=sold.taxpayer_id) == 2
        page = client.get("/query/invoice-purchases").text
        assert "一百万元（1,000,000.00元）" in page and "一万元（10,000.00元）" in page


def test_limit_approval_is_for_general_taxpayers_with_an_approved_special_invoice(app: Litestar) -> None:
    small = seller(general=False)
    bare = new_enterprise(officers=0)
    set_taxpayer_type(bare.taxpayer_id, "一般纳税人")
    with new_client(app) as client:
        log_in(client, small)
        refused = apply(
            client, LIMIT_URL, {"carrier": "数电发票", "max_amount": "一百万元", "reason": "业务扩大需要"}
        )
        assert refused.status_code == 400 and "仅限增值税一般纳税人" in refused.text  # type: ignore[attr-defined]
    with new_client(app) as client:
        log_in(client, bare)
        refused = apply(
            client, LIMIT_URL, {"carrier": "纸质发票", "max_amount": "一百万元", "reason": "业务扩大需要"}
        )
        assert refused.status_code == 400 and "尚未核定增值税专用发票" in refused.text  # type: ignore[attr-defined]
        assert count(LimitApproval, taxpayer=bare.taxpayer_id) == 0


def test_device_application_issues_ukeys_shown_in_purchase_information(app: Litestar) -> None:
    bare = new_enterprise(officers=0)
    sold = seller()
    with new_client(app) as client:
        log_in(client, bare)
        refused = apply(client, DEVICE_URL, {"quantity": "1", "contact": "王会计", "phone": "13800000000"})
        assert refused.status_code == 400 and "请先办理“发票票种核定”" in refused.text  # type: ignore[attr-defined]
    with new_client(app) as client:
        log_in(client, sold)
        bad_phone = apply(client, DEVICE_URL, {"quantity": "1", "contact": "王会计", "phone": "12345"})
        assert bad_phone.status_code == 400  # type: ignore[attr-defined]
        too_many = apply(client, DEVICE_URL, {"quantity": "4", "contact": "王会计", "phone": "13800000000"})
        assert too_many.status_code == 400  # type: ignore[attr-defined]
        created = application_id(
            apply(client, DEVICE_URL, {"quantity": "2", "contact": "王会计", "phone": "13800000000"})
        )
        assert "暂无税控设备" in client.get("/query/invoice-purchases").text
        decide(app, created, "accept")
        decide(app, created, "complete", "请到办税服务厅领取")
        decide_again = run(TaxDevice.count().where(TaxDevice.taxpayer == sold.taxpayer_id))
        assert decide_again == 1
        page = client.get("/query/invoice-purchases").text
        assert 'data-testid="tax-devices"' in page and page.count("5121") >= 2
        over = apply(client, DEVICE_URL, {"quantity": "2", "contact": "王会计", "phone": "13800000000"})
        assert over.status_code == 400 and "最多持有3个" in over.text  # type: ignore[attr-defined]


def test_the_new_invoice_functions_are_found_by_what_taxpayers_type(app: Litestar) -> None:
    firm = new_enterprise(officers=0)
    expected = {
        "发票代开": "invoices.agent_issue",
        "代开发票": "invoices.agent_issue",
        "发票挂失": "invoices.loss_report",
        "海关缴款书": "invoices.customs",
        "增值税专用发票最高开票限额审批": "invoices.limit_approval",
        "税务UKey": "invoices.device",
        "发票信息查询": "queries.invoices",
        "购票信息查询": "invoices.purchase_info",
    }
    with new_client(app) as client:
        log_in(client, firm)
        for typed, code in expected.items():
            results = client.get("/api/search", params={"q": typed}).json()["results"]
            assert results and results[0]["code"] == code, (typed, [r["code"] for r in results[:3]])
