"""权益保护: 纳服投诉 (tracking number, deadline, reply to 我的消息, others refused) and 违法举报
(anonymous with a captcha, followed only with number and password, per-IP limit); back office audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import api
from etax.plugins.interaction.rights import REPORTS_PER_IP_PER_DAY
from etax.plugins.interaction.tables import TaxReport
from tests.conftest import new_client
from tests.factories import create_enterprise, log_in_staff
from tests.test_admin_support import audit_actions, log_in_as, run
from tests.test_admin_support import post as admin_post

Pin = Callable[[dt.date | dt.datetime], None]


def form_post(client: TestClient[Litestar], url: str, data: dict[str, str], *, follow: bool = False):  # type: ignore[no-untyped-def]
    if "etax_csrf" not in client.cookies:
        client.get(url)
    return client.post(
        url,
        data=data,
        headers={"x-csrftoken": client.cookies.get("etax_csrf") or ""},
        follow_redirects=follow,
    )


def token(client: TestClient[Litestar], url: str) -> str:
    match = re.search(r'name="submission" value="([^"]+)"', client.get(url).text)
    assert match
    return match.group(1)


def test_complaint_is_numbered_due_in_working_days_and_its_reply_reaches_my_messages(
    app: Litestar, pin_clock: Pin
) -> None:
    pin_clock(dt.datetime(2026, 12, 1, 10, 0, tzinfo=api.BEIJING))
    ours, theirs = create_enterprise("投诉企业有限公司"), create_enterprise("他人投诉企业有限公司")
    url = "/interaction/complaints/"
    with new_client(app) as client, new_client(app) as other, new_client(app) as officer:
        log_in_staff(client, ours, "legal_rep")
        log_in_staff(other, theirs, "legal_rep")
        data = {
            "kind": "服务言行",
            "office": "国家税务总局沈阳市和平区税务局",
            "staff": "",
            "facts": "窗口人员态度<b>恶劣</b>，拒绝一次性告知。",
        }
        short = form_post(client, url, {**data, "facts": "太短", "submission": token(client, url)})
        assert short.status_code == 400 and "事实和理由应为10至3000个字" in short.text
        filed = form_post(client, url, {**data, "submission": token(client, url)})
        location = filed.headers["location"]
        page = client.get(location).text
        assert re.search(r"投诉已受理，编号 TS20261201\d{6}，办理期限 2026-12-08", page)
        assert "&lt;b&gt;恶劣&lt;/b&gt;" in page and "已受理" in page
        assert other.get(location).status_code == 404
        complaint_id = location.rsplit("/", 1)[1]

        admin = log_in_as(officer, "rights")
        assert "投诉企业有限公司" not in officer.get("/admin/rights").text  # the list shows no complainant
        admin_post(officer, f"/admin/rights/complaints/{complaint_id}", {"status": "closed", "reply": ""})
        assert "办结时请填写答复" in officer.get(f"/admin/rights/complaints/{complaint_id}").text
        admin_post(
            officer,
            f"/admin/rights/complaints/{complaint_id}",
            {"status": "closed", "reply": "已约谈当事人并整改。"},
        )
        assert "已约谈当事人并整改" in client.get(location).text and "已办结" in client.get(location).text
        assert "已办结" in client.get("/inbox").text
        actions = [a for a, _ in audit_actions(admin.actor)]
        assert "admin.rights.list" in actions and "admin.rights.view_complaint" in actions
        assert "admin.rights.handle_complaints" in actions


def test_anonymous_report_with_captcha_followed_only_with_number_and_password(app: Litestar) -> None:
    run(TaxReport.delete().where(TaxReport.ip == "testclient"))
    data = {
        "anonymous": "1",
        "accused": "某某商贸有限公司",
        "accused_tin": "",
        "kind": "虚开发票",
        "facts": "该公司长期对外虚开增值税专用发票。",
        "password": "s3cret-pw",
    }
    with new_client(app) as visitor, new_client(app) as stranger:
        wrong = form_post(visitor, "/interaction/report/", {**data, "captcha": "NOPE"})
        assert wrong.status_code == 400 and run(TaxReport.count().where(TaxReport.ip == "testclient")) == 0
        done = form_post(visitor, "/interaction/report/", {**data, "captcha": "TEST"})
        number = re.search(r'data-testid="report-number">(JB\d{14})<', done.text)
        assert done.status_code == 200 and number
        bad = form_post(
            stranger,
            "/interaction/report/track",
            {"number": number.group(1), "password": "guess123", "captcha": "TEST"},
        )
        assert (
            bad.status_code == 400 and "检举编号或查询密码不正确" in bad.text and "虚开发票" not in bad.text
        )
        seen = form_post(
            stranger,
            "/interaction/report/track",
            {"number": number.group(1), "password": "s3cret-pw", "captcha": "TEST"},
        )
        assert seen.status_code == 200 and "已受理" in seen.text and "匿名检举只提供处理状态" in seen.text
        no_captcha = form_post(
            stranger,
            "/interaction/report/track",
            {"number": number.group(1), "password": "s3cret-pw", "captcha": ""},
        )
        assert no_captcha.status_code == 400
        for _ in range(REPORTS_PER_IP_PER_DAY - 1):
            assert form_post(visitor, "/interaction/report/", {**data, "captcha": "TEST"}).status_code == 200
        limited = form_post(visitor, "/interaction/report/", {**data, "captcha": "TEST"})
        assert limited.status_code == 400 and "一天内提交的检举过多" in limited.text
    run(TaxReport.delete().where(TaxReport.ip == "testclient"))
