"""海关缴款书: recorded once (unique on the platform), ticked beside received 专票 in 抵扣类勾选, untick before
统计确认, and their tax joins the confirmed input tax the VAT return is pre-filled with."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

from litestar import Litestar

from etax.platform.runtime import get_runtime
from etax.plugins.invoices.clock import beijing_today
from etax.plugins.invoices.tables import CustomsPayment
from tests.conftest import new_client
from tests.invoice_helpers import buyer, issue, issue_form, issued_id, line, log_in, seller
from tests.login_helpers import audit_rows, post, run

URL = "/invoices/customs"
DEDUCT = "/invoices/selection/deduct"


def customs_id(number: str) -> int:
    row = run(CustomsPayment.select(CustomsPayment.id).where(CustomsPayment.number == number).first())
    assert row is not None
    return int(row["id"])


def test_customs_payments_are_recorded_ticked_and_confirmed_into_the_prefill(app: Litestar) -> None:
    shop, importer, other = seller(), buyer(), buyer()
    today = beijing_today()
    good = {
        "number": "110120261000123456-L01",
        "issue_date": today.isoformat(),
        "customs": "大连海关",
        "amount": "10000.00",
        "tax": "1300.00",
    }
    with new_client(app) as client:
        log_in(client, shop)
        received = issued_id(issue(client, issue_form(importer.tin, [line("服务", "1000.00", "6")])))
    with new_client(app) as client, new_client(app) as theirs:
        log_in(client, importer)
        log_in(theirs, other)
        cases = {
            "number": ("12345", "缴款书号码应为18位数字"),
            "issue_date": ((today + dt.timedelta(days=1)).isoformat(), "填发日期不能晚于今天"),
            "customs": ("", "请填写填发海关名称"),
            "amount": ("-5", "完税价格必须大于0"),
            "tax": ("20000.00", "税款金额不能大于完税价格"),
        }
        for field, (value, message) in cases.items():
            refused = post(client, URL, {**good, field: value})
            assert refused.status_code == 400 and message in refused.text, field
        old = post(client, URL, {**good, "issue_date": "2001-01-01"})
        assert old.status_code == 400 and "只能采集近5年" in old.text
        assert post(client, URL, good).status_code == 303
        assert "采集成功" in client.get(URL).text
        twice = post(theirs, URL, good)  # the same number by anyone: once on the platform
        assert twice.status_code == 400 and "已采集，不能重复采集" in twice.text
        payment = customs_id(good["number"])
        page = client.get(DEDUCT).text
        assert good["number"] in page and 'data-testid="customs-unticked"' in page
        # another taxpayer cannot tick it
        foreign = post(theirs, DEDUCT, {"customs": str(payment), "action": "tick"})
        assert "不是本单位未勾选的缴款书" in theirs.get(foreign.headers["location"]).text
        # tick the 缴款书 and the received invoice, untick the 缴款书, tick it again
        done = post(client, DEDUCT, {"customs": str(payment), "invoice": str(received), "action": "tick"})
        assert "已勾选2份发票" in client.get(done.headers["location"]).text
        undone = post(client, DEDUCT, {"customs": str(payment), "action": "untick"})
        assert "已撤销勾选1份发票" in client.get(undone.headers["location"]).text
        post(client, DEDUCT, {"customs": str(payment), "action": "tick"})
        again = post(client, DEDUCT, {"customs": str(payment), "action": "tick"})
        assert "不是本单位未勾选的缴款书" in client.get(again.headers["location"]).text
        confirmed = post(client, DEDUCT, {"action": "confirm"})
        assert "抵扣类2份，税额合计1,360.00元" in client.get(confirmed.headers["location"]).text
        assert "（已确认）" in client.get(URL).text
    figures = asyncio.run(
        get_runtime(app).host.invoice_figures(importer.taxpayer_id, today.replace(day=1), today)
    )
    assert figures is not None
    assert (figures.deductible_count, figures.deductible_amount, figures.deductible_tax) == (
        2,
        Decimal("11000.00"),
        Decimal("1360.00"),
    )
    assert len(audit_rows("invoice.customs_record", importer.taxpayer_id)) == 1
    assert [r["target"] for r in audit_rows("invoice.tick", importer.taxpayer_id)].count(
        f"海关缴款书{good['number']}"
    ) == 2
