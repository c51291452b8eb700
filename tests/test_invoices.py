"""The invoices plugin: 发票票种核定 as an application, and the quota its decision hook sets."""

from __future__ import annotations

from decimal import Decimal

from litestar import Litestar

from etax.platform.runtime import get_runtime
from etax.plugins.invoices.tables import InvoiceQuota
from tests.conftest import new_client
from tests.factories import grant, log_in_staff
from tests.test_applications_support import (
    GOOD_FORM,
    application_id,
    decide,
    new_enterprise,
    run,
    set_taxpayer_type,
    submit,
)


def quota_rows(taxpayer_id: int) -> list[dict[str, object]]:
    rows = run(InvoiceQuota.select().where(InvoiceQuota.taxpayer == taxpayer_id).order_by(InvoiceQuota.id))
    return list(rows)


def test_the_plugin_loads_through_its_entry_point_with_its_application(app: Litestar) -> None:
    runtime = get_runtime(app)
    info = {i.name: i for i in runtime.host.info(runtime.routes_per_plugin)}
    assert info["invoices"].source == "entry point etax.plugins.invoices"
    assert set(info["invoices"].functions) == {
        "invoices.type_approval",
        "invoices.purchase_info",
        "invoices.issue",
        "invoices.red",
        "invoices.select_deduct",
        "invoices.select_non_deduct",
        "invoices.query",
        "invoices.transfer_out",
        "invoices.verify",
        "invoices.quota_adjustment",
        "invoices.purchase",
        "invoices.limit_approval",
        "invoices.device",
        "invoices.loss_report",
        "invoices.customs",
        "invoices.agent_issue",
    }
    applications = {a.function: a.matter_code for a in runtime.host.applications() if a.plugin == "invoices"}
    assert applications == {
        "invoices.type_approval": "110207",
        "invoices.quota_adjustment": "110208",
        "invoices.limit_approval": "110605",
        "invoices.device": "110212",
    }
    spec = runtime.registry.get("invoices.type_approval")
    assert spec is not None and spec.path == ("我要办税", "发票使用", "发票票种核定")
    results = [r["code"] for r in app_search(app, "fppzhd")]
    assert results[0] == "invoices.type_approval"


def app_search(app: Litestar, query: str) -> list[dict[str, object]]:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        return list(client.get("/api/search", params={"q": query}).json()["results"])


def test_approval_sets_the_quota_shown_in_invoice_information(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    set_taxpayer_type(enterprise.taxpayer_id, "一般纳税人")
    special = {
        **GOOD_FORM,
        "invoice_type": "增值税专用发票",
        "max_amount": "一百万元",
        "monthly_quantity": "25",
        "per_purchase_quantity": "25",
        "holding_quantity": "25",
    }
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        assert "暂无票种核定信息" in client.get("/query/invoice-purchases").text
        created = application_id(submit(client, data=special))
        decide(app, created, "accept")
        assert quota_rows(enterprise.taxpayer_id) == []  # 受理 alone sets nothing
        assert decide(app, created, "complete", "准予核定") == []
        [row] = quota_rows(enterprise.taxpayer_id)
        assert row["invoice_type"] == "增值税专用发票"
        assert row["max_amount"] == Decimal("1000000.00") and isinstance(row["max_amount"], Decimal)
        assert (row["monthly_quantity"], row["per_purchase_quantity"], row["holding_quantity"]) == (
            25,
            25,
            25,
        )
        page = client.get("/query/invoice-purchases").text
        assert "增值税专用发票" in page and "一百万元（1,000,000.00元）" in page and "25份" in page
        # a later approval of the same type adjusts (replaces) the quota
        adjusted = application_id(
            submit(client, data={**special, "max_amount": "十万元", "monthly_quantity": "30"})
        )
        decide(app, adjusted, "accept")
        decide(app, adjusted, "complete")
        [row] = quota_rows(enterprise.taxpayer_id)
        assert row["max_amount"] == Decimal("100000.00") and row["monthly_quantity"] == 30


def test_rejected_or_other_decisions_set_no_quota(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        created = application_id(submit(client))
        decide(app, created, "accept")
        decide(app, created, "reject", "经营场所核实不符")
        assert quota_rows(enterprise.taxpayer_id) == []


def test_quotas_are_per_enterprise_and_the_query_needs_the_function(app: Litestar) -> None:
    owner, other = new_enterprise(officers=1), new_enterprise(officers=0)
    with new_client(app) as mine, new_client(app) as theirs:
        log_in_staff(mine, owner, "legal_rep")
        log_in_staff(theirs, other, "legal_rep")
        created = application_id(submit(mine))
        decide(app, created, "accept")
        decide(app, created, "complete")
        assert "增值税普通发票（折叠票）" in mine.get("/query/invoice-purchases").text
        assert "暂无票种核定信息" in theirs.get("/query/invoice-purchases").text
    with new_client(app) as officer:
        log_in_staff(officer, owner, "tax_officer0")
        assert officer.get("/query/invoice-purchases").status_code == 403
        grant(owner, "tax_officer0", ["invoices.purchase_info"])
        page = officer.get("/query/invoice-purchases")
        assert page.status_code == 200 and "增值税普通发票（折叠票）" in page.text
        assert "申请发票票种核定" not in page.text  # the officer may not apply
