"""Stored moments come from the platform clock: with it pinned, what a person sees is the pinned moment.

A new message's 发送时间, an application's 提交时间 and an audit entry's 时间 are stamped by their
columns' defaults (``PlatformNow``), which read the platform clock, not the machine's; people see them
in Beijing time. The pinned moment is just after midnight in Beijing, the day before in UTC, so a
page showing UTC (or the server's zone) would show another day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from litestar import Litestar

from etax.platform.clock import BEIJING
from tests.conftest import new_client
from tests.factories import create_enterprise, log_in_staff
from tests.test_admin_reports import audit_rows
from tests.test_admin_support import log_in_as
from tests.test_applications_support import FORM_URL, application_id, new_enterprise, submit
from tests.test_inbox import send

PINNED = dt.datetime(2031, 5, 6, 0, 30, tzinfo=BEIJING)  # 2031-05-05 16:30 UTC
SHOWN = "2031-05-06 00:30"

Pin = Callable[[dt.date | dt.datetime], None]


def test_a_message_and_its_audit_entry_show_the_pinned_moment(app: Litestar, pin_clock: Pin) -> None:
    pin_clock(PINNED)
    enterprise = create_enterprise("时钟消息企业有限公司", officers=0)
    with new_client(app) as reviewer, new_client(app) as system, new_client(app) as taxpayer:
        admin = log_in_as(reviewer, "reviewer")
        log_in_as(system, "system")
        log_in_staff(taxpayer, enterprise, "legal_rep")
        title, message_id = send(reviewer, tin=enterprise.tin)

        detail = reviewer.get(f"/admin/messages/{message_id}").text
        assert f"发送时间：{SHOWN}（北京时间）" in detail
        home = taxpayer.get("/").text  # the unread message among the 服务提醒, with its Beijing day
        assert re.search(rf"{re.escape(title)}</a>.*?<time>2031-05-06</time>", home, flags=re.S)

        audit = system.get("/admin/audit", params={"actor": admin.actor, "action": "admin.message.send"})
        rows = audit_rows(audit.text)
        assert rows and rows[0][0] == SHOWN


def test_an_application_shows_the_pinned_submission_moment(app: Litestar, pin_clock: Pin) -> None:
    pin_clock(PINNED)
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        created = application_id(submit(client))
        page = client.get(f"{FORM_URL}/{created}").text
        assert re.search(rf"提交时间</th><td>{SHOWN}</td>", page)
        number = re.search(r'data-testid="application-number">(\d+)<', page)
        assert number and number.group(1).startswith("2031")  # numbered in the pinned year
