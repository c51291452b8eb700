"""发票挂失、损毁报告: held paper invoices reported lost, stolen or destroyed — numbers inside the batch, never
twice, dates checked, another taxpayer's batch refused, audited; reported invoices no longer count as held."""

from __future__ import annotations

import datetime as dt

from litestar import Litestar

from etax.plugins.invoices.clock import beijing_today
from etax.plugins.invoices.tables import PaperBatch, PaperLoss
from tests.conftest import new_client
from tests.invoice_helpers import approve_types, buyer, log_in
from tests.login_helpers import audit_rows, post, run

URL = "/invoices/loss-report"
TYPE = "增值税普通发票（卷票）"


def only_batch(taxpayer_id: int) -> dict[str, object]:
    [row] = run(PaperBatch.select().where(PaperBatch.taxpayer == taxpayer_id))
    return dict(row)


def losses(taxpayer_id: int) -> int:
    return int(run(PaperLoss.count().where(PaperLoss.taxpayer == taxpayer_id)))


def test_loss_report_of_held_paper_invoices(app: Litestar) -> None:
    firm, other = buyer(), buyer()
    for enterprise in (firm, other):
        approve_types(enterprise.taxpayer_id, TYPE, monthly=10)
    today = beijing_today().isoformat()
    with new_client(app) as mine, new_client(app) as theirs:
        log_in(mine, firm)
        log_in(theirs, other)
        assert "没有持有中的纸质发票" in mine.get(URL).text
        assert post(mine, "/invoices/purchase", {"invoice_type": TYPE, "quantity": "10"}).status_code == 303
        assert post(theirs, "/invoices/purchase", {"invoice_type": TYPE, "quantity": "10"}).status_code == 303
        batch = only_batch(firm.taxpayer_id)
        first = int(str(batch["first_number"]))
        form = {
            "batch": str(batch["id"]),
            "first_number": f"{first + 2:08d}",
            "last_number": f"{first + 4:08d}",
            "kind": "丢失",
            "happened_on": today,
            "description": "外出途中遗失",
        }
        cases = {
            "last_number": (f"{first + 20:08d}", "号码应在本批发票"),
            "kind": ("烧毁", "请选择丢失、被盗或损毁"),
            "happened_on": ((beijing_today() + dt.timedelta(days=1)).isoformat(), "发生日期不能晚于今天"),
            "description": ("", "请填写情况说明"),
            "first_number": ("abc", "起始号码应为不超过8位的数字"),
        }
        for field, (value, message) in cases.items():
            refused = post(mine, URL, {**form, field: value})
            assert refused.status_code == 400 and message in refused.text, field
        early = post(mine, URL, {**form, "happened_on": "2020-01-01"})
        assert early.status_code == 400 and "不能早于该批发票的领用日期" in early.text
        foreign = post(theirs, URL, form)  # the other taxpayer names this batch
        assert foreign.status_code == 400 and "未找到本单位持有中的该批发票" in foreign.text
        assert losses(firm.taxpayer_id) == losses(other.taxpayer_id) == 0
        done = post(mine, URL, form)
        assert done.status_code == 303
        page = mine.get(URL).text
        assert "报告成功" in page and "共3份" in page and f"{first + 4:08d}" in page
        twice = post(
            mine, URL, {**form, "first_number": f"{first + 4:08d}", "last_number": f"{first + 6:08d}"}
        )
        assert twice.status_code == 400 and "已于报告" in twice.text
        assert losses(firm.taxpayer_id) == 1
        # reported invoices are no longer held: 持有 10 − 3
        assert "<td>7份</td>" in mine.get("/invoices/purchase").text
        assert len(audit_rows("invoice.loss_report", firm.taxpayer_id)) == 1
        # a batch already 验旧 needs no report
        post(mine, f"/invoices/purchase/verify/{batch['id']}")
        gone = post(mine, URL, {**form, "first_number": f"{first + 8:08d}", "last_number": ""})
        assert gone.status_code == 400 and "已验旧的发票无需挂失" in gone.text
