"""发票领用: within the 票种核定 counts (每次, 每月, 持票), 验旧 before 购新, ranges that never overlap."""

from __future__ import annotations

import itertools

from litestar import Litestar

from etax.plugins.invoices.tables import PaperBatch
from tests.conftest import new_client
from tests.invoice_helpers import approve_types, buyer, log_in
from tests.login_helpers import audit_rows, post, run


def batches(taxpayer_id: int) -> list[dict[str, object]]:
    return list(run(PaperBatch.select().where(PaperBatch.taxpayer == taxpayer_id).order_by(PaperBatch.id)))


def test_purchase_within_the_approved_counts_and_verify_old_first(app: Litestar) -> None:
    firm, other = buyer(), buyer()
    approve_types(firm.taxpayer_id, "增值税普通发票（折叠票）", monthly=30)  # 每次 = 每月 = 持票 = 30
    approve_types(other.taxpayer_id, "增值税普通发票（折叠票）", monthly=30)
    with new_client(app) as client:
        log_in(client, firm)
        page = client.get("/invoices/purchase").text
        assert "增值税普通发票（折叠票）" in page and "30份" in page
        too_many = post(
            client, "/invoices/purchase", {"invoice_type": "增值税普通发票（折叠票）", "quantity": "31"}
        )
        assert too_many.status_code == 400 and "每次最高领用30份" in too_many.text
        negative = post(
            client, "/invoices/purchase", {"invoice_type": "增值税普通发票（折叠票）", "quantity": "-1"}
        )
        assert negative.status_code == 400 and "正整数" in negative.text
        unapproved = post(client, "/invoices/purchase", {"invoice_type": "增值税专用发票", "quantity": "1"})
        assert unapproved.status_code == 400 and "未核定增值税专用发票" in unapproved.text
        assert batches(firm.taxpayer_id) == []
        taken = post(
            client, "/invoices/purchase", {"invoice_type": "增值税普通发票（折叠票）", "quantity": "20"}
        )
        assert taken.status_code == 303 and "领用成功" in client.get("/invoices/purchase").text
        again = post(
            client, "/invoices/purchase", {"invoice_type": "增值税普通发票（折叠票）", "quantity": "5"}
        )
        assert again.status_code == 400 and "请先对已领用的发票办理验旧" in again.text
        [batch] = batches(firm.taxpayer_id)
        assert post(client, f"/invoices/purchase/verify/{batch['id']}").status_code == 303
        month = post(
            client, "/invoices/purchase", {"invoice_type": "增值税普通发票（折叠票）", "quantity": "11"}
        )
        assert (
            month.status_code == 400 and "本月已领用20份" in month.text and "最多还可领用10份" in month.text
        )
        assert (
            post(
                client, "/invoices/purchase", {"invoice_type": "增值税普通发票（折叠票）", "quantity": "10"}
            ).status_code
            == 303
        )
    with new_client(app) as client:
        log_in(client, other)
        assert post(client, f"/invoices/purchase/verify/{batch['id']}").status_code == 404  # not theirs
        assert (
            post(
                client, "/invoices/purchase", {"invoice_type": "增值税普通发票（折叠票）", "quantity": "3"}
            ).status_code
            == 303
        )
    first, second = batches(firm.taxpayer_id)
    [theirs] = batches(other.taxpayer_id)
    assert (
        int(str(first["last_number"])) - int(str(first["first_number"])) == 19 and first["verified"] is True
    )
    ranges = sorted(
        (int(str(b["first_number"])), int(str(b["last_number"])))
        for b in (first, second, theirs)
        if b["code"] == first["code"]
    )
    assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges))  # never overlapping
    assert [r["action"] for r in audit_rows("invoice.", firm.taxpayer_id)].count("invoice.purchase") == 2
