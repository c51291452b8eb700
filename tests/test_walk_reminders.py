"""Issue 10.5 and 10.11: one event is one 服务提醒, every date and time in Beijing time (tested at the
day boundary), and decisions phrased as Chinese sentences."""

from __future__ import annotations

import datetime as dt
import re

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.applications import queries
from etax.platform.applications.tables import ServiceReminder
from etax.platform.messaging.tables import BureauMessage
from tests.conftest import new_client
from tests.factories import log_in_staff
from tests.test_applications_review import decide, review_app, reviewer  # noqa: F401 (fixtures)
from tests.test_applications_support import application_id, new_enterprise, run, submit

# 2026-11-30 16:30 UTC is 2026-12-01 00:30 in Beijing: a UTC date would show the day before.
BOUNDARY = dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC)


def reminder_tab(home: str) -> str:
    return home[home.index('id="tab-reminder"') : home.index('id="tab-notice"')]


def test_one_event_is_one_reminder_in_beijing_time(
    review_app: Litestar,  # noqa: F811
    reviewer: TestClient[Litestar],  # noqa: F811
) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(review_app) as taxpayer:
        log_in_staff(taxpayer, enterprise, "legal_rep")
        created = application_id(submit(taxpayer))
        number = run(queries.get_record(created)).number
        corrected = decide(reviewer, created, "correct", "请附经营场所证明")
        assert corrected.status_code == 303
        assert f"申请 {number} 已退回纳税人补正" in reviewer.get(corrected.headers["location"]).text
        run(
            ServiceReminder.update({ServiceReminder.created_at: BOUNDARY}).where(
                ServiceReminder.application == created
            )
        )
        run(
            BureauMessage.update({BureauMessage.sent_at: BOUNDARY}).where(
                BureauMessage.taxpayer == enterprise.taxpayer_id
            )
        )

        tab = reminder_tab(taxpayer.get("/").text)
        # 已提交 and 需补正: two events, two reminders — not four (no 税务机关消息 twin of each).
        assert tab.count("<li>") == 2, tab
        assert "税务机关消息" not in tab
        assert tab.count("<time>2026-12-01</time>") == 2 and "2026-11-30" not in tab
        # 我的消息 shows the same moment in Beijing time too.
        inbox = taxpayer.get("/inbox").text
        assert "2026-12-01 00:30" in inbox and "2026-11-30 16:30" not in inbox
        [message] = run(
            BureauMessage.select(BureauMessage.id)
            .where(BureauMessage.taxpayer == enterprise.taxpayer_id)
            .order_by(BureauMessage.id, ascending=False)
            .limit(1)
        )
        assert "2026-12-01 00:30（北京时间）" in taxpayer.get(f"/inbox/{message['id']}").text


def test_a_bureau_message_still_reminds_once(
    review_app: Litestar,  # noqa: F811
) -> None:
    enterprise = new_enterprise(officers=0)
    run(
        BureauMessage(
            submission=f"walk-{enterprise.taxpayer_id}",
            title="请于月底前完成年度汇算",
            body="请按时办理。",
            taxpayer=enterprise.taxpayer_id,
            sent_at=BOUNDARY,
        ).save()
    )
    with new_client(review_app) as taxpayer:
        log_in_staff(taxpayer, enterprise, "legal_rep")
        tab = reminder_tab(taxpayer.get("/").text)
        assert tab.count("请于月底前完成年度汇算") == 1 and "税务机关消息" in tab
        assert re.search(r"请于月底前完成年度汇算.*?<time>2026-12-01</time>", tab)


def test_a_finished_application_reads_as_a_sentence(
    review_app: Litestar,  # noqa: F811
    reviewer: TestClient[Litestar],  # noqa: F811
) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(review_app) as taxpayer:
        log_in_staff(taxpayer, enterprise, "legal_rep")
        created = application_id(submit(taxpayer))
    assert decide(reviewer, created, "accept").status_code == 303
    assert decide(reviewer, created, "complete", "准予核定").status_code == 303
    page = reviewer.get(f"/admin/reviews/{created}").text
    assert "该申请当前状态为“已办结”，无需处理" in page and "已“已办结”" not in page
