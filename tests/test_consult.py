"""在线交互: a taxpayer asks (留言咨询), a consultant answers from the queue (deadline, overdue flag), the
answer reaches 我的消息 and 服务提醒, a published answer is found in 自助查询; others' threads are refused."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import api
from tests.conftest import new_client
from tests.factories import create_enterprise, log_in_staff
from tests.test_admin_support import log_in_as
from tests.test_admin_support import post as admin_post

Pin = Callable[[dt.date | dt.datetime], None]
URL = "/interaction/consult"


def ask(client: TestClient[Litestar], **values: str) -> str:
    page = client.get(URL + "/").text
    token = re.search(r'name="submission" value="([^"]+)"', page)
    assert token
    data = {
        "category": "发票",
        "title": "专票丢失怎么办",
        "question": "<b>增值税专用发票</b>丢失了如何抵扣？",
        **values,
    }
    response = client.post(
        URL + "/",
        data={**data, "submission": values.get("submission", token.group(1))},
        headers={"x-csrftoken": client.cookies.get("etax_csrf") or ""},
        follow_redirects=False,
    )
    return response.headers.get("location", "") if response.status_code == 303 else response.text


def test_question_answer_message_overdue_flag_and_published_answer(app: Litestar, pin_clock: Pin) -> None:
    pin_clock(dt.datetime(2026, 12, 4, 10, 0, tzinfo=api.BEIJING))  # a Friday: due three working days later
    ours, theirs = create_enterprise("咨询企业有限公司"), create_enterprise("他人企业有限公司")
    with new_client(app) as client, new_client(app) as other, new_client(app) as consultant:
        log_in_staff(client, ours, "legal_rep")
        log_in_staff(other, theirs, "legal_rep")
        assert "标题" in ask(client, title="")  # refused with a message, nothing stored
        assert "问题描述应为5至2000个字" in ask(client, question="短")
        location = ask(client)
        assert re.fullmatch(r"/interaction/consult/\d+", location), location
        thread_id = int(location.rsplit("/", 1)[1])
        page = client.get(location).text
        assert "答复期限 2026-12-09" in page and "&lt;b&gt;增值税专用发票&lt;/b&gt;" in page
        assert other.get(location).status_code == 404

        log_in_as(consultant, "consultant")
        pin_clock(dt.datetime(2026, 12, 10, 9, 0, tzinfo=api.BEIJING))
        queue = consultant.get("/admin/consultations/").text
        row = queue.split(f'href="/admin/consultations/{thread_id}"')[1].split("</tr>")[0]
        assert 'data-testid="overdue"' in row
        admin_post(consultant, f"/admin/consultations/{thread_id}/publish", {"published": "1"})
        assert "只能发布已答复的咨询" in consultant.get(f"/admin/consultations/{thread_id}").text
        admin_post(
            consultant, f"/admin/consultations/{thread_id}/answer", {"answer": "可凭记账联复印件及证明抵扣。"}
        )
        assert "已答复" in consultant.get(f"/admin/consultations/{thread_id}").text
        admin_post(consultant, f"/admin/consultations/{thread_id}/answer", {"answer": "再答一次"})
        assert "该咨询已答复" in consultant.get(f"/admin/consultations/{thread_id}").text

        assert "您的咨询已答复：专票丢失怎么办" in client.get("/inbox").text
        assert "您的咨询已答复：专票丢失怎么办" in client.get("/").text  # 服务提醒 while unread
        assert "可凭记账联复印件及证明抵扣" in client.get(location).text

        with new_client(app) as anonymous:
            assert anonymous.get(f"/interaction/answers/{thread_id}").status_code == 404
            admin_post(consultant, f"/admin/consultations/{thread_id}/publish", {"published": "1"})
            found = anonymous.get("/interaction/answers/", params={"q": "专票 抵扣"}).text
            assert f'href="/interaction/answers/{thread_id}"' in found and "咨询企业有限公司" not in found
            assert "记账联" in anonymous.get(f"/interaction/answers/{thread_id}").text
            assert (
                'data-testid="no-answers"'
                in anonymous.get("/interaction/answers/", params={"q": "房产税"}).text
            )
