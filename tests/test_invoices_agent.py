"""发票代开: an enterprise without 数电 approval gets an invoice issued by the bureau after the VAT and its
surcharges are computed, filed 按次 and paid through the ledger; the buyer receives it; a replay issues
nothing twice; bad input and self-issuing enterprises are refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from litestar import Litestar

from etax.platform.api import ledger
from etax.platform.coresys.tables import Taxpayer
from etax.plugins.invoices.agent import compute
from etax.plugins.invoices.clock import beijing_today
from etax.plugins.invoices.tables import AgentIssue, Invoice
from tests.conftest import new_client
from tests.invoice_helpers import buyer, log_in, seller
from tests.login_helpers import audit_rows, run
from tests.test_applications_support import form_token, post_form

URL = "/invoices/agent-issue"


def sign(taxpayer_id: int) -> None:
    async def signing() -> None:
        row = await Taxpayer.select(Taxpayer.name).where(Taxpayer.id == taxpayer_id).first()
        assert row is not None
        await ledger.sign_agreement(
            taxpayer_id,
            bank_code="102",
            bank_name="中国工商银行",
            account_number="6222020200001234567",
            account_name=str(row["name"]),
            signed_by="测试",
            gateway=ledger.DevelopmentBank(latency_ms=0),
        )

    run(signing())


def apply(client: object, data: dict[str, str], token: str | None = None) -> object:
    key = token if token is not None else form_token(client.get(URL).text)  # type: ignore[attr-defined]
    return post_form(client, URL, {**data, "_submission": key})  # type: ignore[arg-type]


def test_tax_vectors() -> None:
    goods = compute(Decimal("1030.00"), Decimal(3))
    assert (goods.amount, goods.vat, goods.payable) == (
        Decimal("1000.00"),
        Decimal("30.00"),
        Decimal("33.60"),
    )
    rental = compute(Decimal("2100.00"), Decimal(5))
    assert [line.amount for line in rental.lines] == [
        Decimal("100.00"),
        Decimal("7.00"),
        Decimal("3.00"),
        Decimal("2.00"),
    ]
    odd = compute(Decimal("99.99"), Decimal(1))  # 99.00 + 0.99; surcharges 0.07, 0.03, 0.02
    assert (odd.amount, odd.vat, odd.payable) == (Decimal("99.00"), Decimal("0.99"), Decimal("1.11"))


def test_agent_issue_declares_pays_and_issues_once(app: Litestar) -> None:
    shop, customer, issuer = buyer(), buyer(), seller()
    yesterday = (beijing_today() - dt.timedelta(days=1)).isoformat()
    good = {
        "kind": "special",
        "buyer_tin": customer.tin,
        "buyer_name": "",
        "business": "不动产经营租赁",
        "item": "房屋租赁费",
        "total": "2100.00",
        "rate": "5",
        "event_date": yesterday,
    }
    with new_client(app) as client:
        log_in(client, shop)
        unsigned = apply(client, good)
        assert unsigned.status_code == 400 and "请先在“网签三方协议”中签订" in unsigned.text  # type: ignore[attr-defined]
        sign(shop.taxpayer_id)
        cases = {
            "rate": ("3", "不动产经营租赁的征收率为5%"),
            "event_date": (beijing_today().isoformat(), "应早于今天"),
            "total": ("-1", "价税合计必须大于0"),
            "buyer_tin": ("91210100MA0XXXXXX0", "购买方纳税人识别号"),
            "item": ("", "请填写货物或应税劳务、服务名称"),
        }
        for field, (value, message) in cases.items():
            refused = apply(client, {**good, field: value})
            assert refused.status_code == 400 and message in refused.text, field  # type: ignore[attr-defined]
        no_buyer = apply(client, {**good, "buyer_tin": ""})
        assert "代开增值税专用发票须填写购买方纳税人识别号" in no_buyer.text  # type: ignore[attr-defined]
        assert run(AgentIssue.count().where(AgentIssue.taxpayer == shop.taxpayer_id)) == 0
        token = form_token(client.get(URL).text)
        done = apply(client, good, token)
        assert done.status_code == 303, done.text  # type: ignore[attr-defined]
        page = client.get(URL).text
        assert "代开成功：已缴纳税费112.00元" in page and "已开具" in page
        replay = apply(client, good, token)  # a double click or a replay: the same invoice
        assert replay.status_code == 303  # type: ignore[attr-defined]
    [invoice] = run(Invoice.select().where(Invoice.seller == shop.taxpayer_id))
    assert (invoice["amount"], invoice["tax"], invoice["total"]) == (
        Decimal("2000.00"),
        Decimal("100.00"),
        Decimal("2100.00"),
    )
    assert str(invoice["number"])[4] == "2" and invoice["issuer"] == "税务机关代开"
    declarations = run(ledger.declarations(shop.taxpayer_id))
    assert sorted((d.tax_type.value, d.amounts.payable, d.outstanding) for d in declarations) == sorted(
        [
            (ledger.TaxType.VAT.value, Decimal("100.00"), Decimal("0.00")),
            (ledger.TaxType.URBAN_CONSTRUCTION.value, Decimal("7.00"), Decimal("0.00")),
            (ledger.TaxType.EDUCATION.value, Decimal("3.00"), Decimal("0.00")),
            (ledger.TaxType.LOCAL_EDUCATION.value, Decimal("2.00"), Decimal("0.00")),
        ]
    )
    assert [r["outcome"] for r in audit_rows("invoice.agent_issue", shop.taxpayer_id)][-1] == "success"
    with new_client(app) as client:
        log_in(client, customer)  # the buyer received it at once, as a 专票 it may tick
        assert str(invoice["number"]) in client.get("/query/invoices", params={"side": "received"}).text
        assert str(invoice["number"]) in client.get("/invoices/selection/deduct").text
    with new_client(app) as client:
        log_in(client, issuer)  # an enterprise approved for 数电 issues its own
        refused = apply(client, {**good, "buyer_tin": customer.tin})
        assert refused.status_code == 400 and "可自行开具" in refused.text  # type: ignore[attr-defined]
