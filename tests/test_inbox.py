"""我的消息: bureau messages to one taxpayer or an audience, read state per reader, unread badge."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from litestar import Litestar

from etax.platform.auth.principal import SessionAuth
from etax.platform.messaging.tables import BureauMessage, MessageRead
from tests.conftest import new_client
from tests.factories import Enterprise, create_enterprise, create_natural_person, log_in, log_in_staff
from tests.test_admin_support import Client, audit_actions, log_in_as, post, run


@pytest.fixture(autouse=True)
def remove_created_messages() -> Iterator[None]:
    """Messages made here are removed afterwards: audience messages reach every other test's taxpayers."""
    newest = run(BureauMessage.select(BureauMessage.id).order_by(BureauMessage.id, ascending=False).first())
    yield
    run(BureauMessage.delete().where(BureauMessage.id > (newest["id"] if newest else 0)))


@pytest.fixture(scope="module")
def shared() -> Enterprise:
    """One enterprise for the tests that do not depend on its inbox being fresh."""
    return create_enterprise("消息测试企业有限公司")


@pytest.fixture()
def reviewer(app: Litestar) -> Iterator[Client]:
    with new_client(app) as client:
        log_in_as(client, "reviewer")
        yield client


def send(reviewer: Client, **values: str) -> tuple[str, int]:
    """Send a message through the admin form; return its title and id."""
    title = values.pop("title", "测试消息" + secrets.token_hex(4))
    data = {
        "target": "taxpayer",
        "title": title,
        "body": "请于**月底前**完成申报。",
        "submission": secrets.token_urlsafe(24),
    }
    data.update(values)
    response = post(reviewer, "/admin/messages", data)
    assert response.status_code == 303, response.text[:3000]
    match = re.fullmatch(r"/admin/messages/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return title, int(match.group(1))


def unread(client: Client) -> int:
    """The number on the header badge (0 when there is none)."""
    response = client.get("/shell/header-links", headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'href="/inbox"' in response.text
    match = re.search(r'aria-label="(\d+)条未读"', response.text)
    return int(match.group(1)) if match else 0


def staff_client(stack: ExitStack, app: Litestar, enterprise: Enterprise, role: str) -> Client:
    """A client logged in as ``role`` of ``enterprise``, closed with ``stack``."""
    client = stack.enter_context(new_client(app))
    log_in_staff(client, enterprise, role)
    return client


def test_a_message_to_one_taxpayer_reaches_only_that_taxpayer(app: Litestar, reviewer: Client) -> None:
    ours, theirs = create_enterprise("收件企业有限公司"), create_enterprise("其他企业有限公司")
    with ExitStack() as stack:
        legal = staff_client(stack, app, ours, "legal_rep")
        finance = staff_client(stack, app, ours, "finance_head")
        other = staff_client(stack, app, theirs, "legal_rep")
        title, message_id = send(reviewer, tin=ours.tin.lower())
        detail = reviewer.get(f"/admin/messages/{message_id}").text
        assert "收件企业有限公司" in detail and "已读人数：0" in detail
        for client in (legal, finance):
            assert title in client.get("/inbox").text
        assert title not in other.get("/inbox").text
        assert other.get(f"/inbox/{message_id}").status_code == 404  # another taxpayer's message id
        opened = legal.get(f"/inbox/{message_id}")
        assert opened.status_code == 200 and "<strong>月底前</strong>" in opened.text
        assert "已读人数：1" in reviewer.get(f"/admin/messages/{message_id}").text


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/inbox", follow_redirects=False)
    assert response.status_code in (302, 303) and response.headers["location"] == "/login?next=/inbox"


def test_unread_count_drops_after_reading_per_reader(app: Litestar, reviewer: Client) -> None:
    enterprise = create_enterprise()
    with ExitStack() as stack:
        legal = staff_client(stack, app, enterprise, "legal_rep")
        finance = staff_client(stack, app, enterprise, "finance_head")
        start = unread(legal)
        _, first = send(reviewer, tin=enterprise.tin)
        _, second = send(reviewer, tin=enterprise.tin)
        assert unread(legal) == start + 2 and unread(finance) == unread(legal)
        assert legal.get(f"/inbox/{first}").status_code == 200
        assert legal.get(f"/inbox/{first}").status_code == 200  # reading twice counts once
        assert unread(legal) == start + 1
        assert unread(finance) == start + 2  # read state is per person
        assert run(MessageRead.count().where(MessageRead.message == first)) == 1
        page = legal.get("/inbox").text
        assert f'data-testid="unread-count">{start + 1}<' in page
        assert post(legal, "/inbox/read-all").headers["location"] == "/inbox"
        assert unread(legal) == 0 and unread(finance) == start + 2
        assert run(MessageRead.count().where(MessageRead.message == second)) == 1


def test_unread_messages_are_service_reminders_on_the_home_page(app: Litestar, reviewer: Client) -> None:
    enterprise = create_enterprise()
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        title, message_id = send(reviewer, tin=enterprise.tin)
        home = client.get("/").text
        reminders = home[home.index('id="tab-reminder"') : home.index('id="tab-notice"')]
        assert title in reminders and f'href="/inbox/{message_id}"' in reminders
        client.get(f"/inbox/{message_id}")
        home = client.get("/").text
        assert title not in home[home.index('id="tab-reminder"') : home.index('id="tab-notice"')]


def test_audience_messages_reach_their_audience_only(app: Litestar, reviewer: Client) -> None:
    enterprise = create_enterprise()
    to_enterprises, _ = send(reviewer, target="audience", audience="enterprise")
    to_people, _ = send(reviewer, target="audience", audience="natural_person")
    to_all, _ = send(reviewer, target="audience", audience="all")
    with new_client(app) as staff, new_client(app) as person:
        log_in_staff(staff, enterprise, "legal_rep")
        log_in(person, SessionAuth(kind="natural_person", account_id=create_natural_person()))
        staff_inbox, person_inbox = staff.get("/inbox").text, person.get("/inbox").text
    assert to_enterprises in staff_inbox and to_people not in staff_inbox and to_all in staff_inbox
    assert to_people in person_inbox and to_enterprises not in person_inbox and to_all in person_inbox


def test_a_double_submission_sends_once(reviewer: Client, shared: Enterprise) -> None:
    enterprise = shared
    data = {
        "target": "taxpayer",
        "tin": enterprise.tin,
        "title": "重复提交测试" + secrets.token_hex(3),
        "body": "正文",
        "submission": secrets.token_urlsafe(24),
    }
    assert post(reviewer, "/admin/messages", data).status_code == 303
    again = post(reviewer, "/admin/messages", data)
    assert again.status_code == 303 and again.headers["location"] == "/admin/messages"
    assert run(BureauMessage.count().where(BureauMessage.title == data["title"])) == 1
    assert "该消息已经发送过" in reviewer.get("/admin/messages").text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tin": ""}, "请输入纳税人识别号"),
        ({"tin": "91210102MA0Y8K3P1X"}, "纳税人识别号"),
        ({"tin": "91210102MA0000000X"}, ""),
        ({"target": "audience", "audience": "martians"}, "请选择接收消息的纳税人类别"),
        ({"target": "everyone"}, "请选择发送对象"),
        ({"title": ""}, "请填写标题"),
        ({"body": ""}, "请填写正文"),
        ({"submission": ""}, "页面已过期"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_sent(
    reviewer: Client, shared: Enterprise, changes: dict[str, str], message: str
) -> None:
    enterprise = shared
    data = {
        "target": "taxpayer",
        "tin": enterprise.tin,
        "title": "不应发送" + secrets.token_hex(3),
        "body": "正文",
        "submission": secrets.token_urlsafe(24),
        **changes,
    }
    before = run(BureauMessage.count())
    response = post(reviewer, "/admin/messages", data)
    assert response.status_code == 400
    assert 'class="alert alert-error"' in response.text and message in response.text
    assert run(BureauMessage.count()) == before


def test_an_unregistered_tin_is_explained(reviewer: Client) -> None:
    from etax.platform.demo import uscc

    response = post(
        reviewer,
        "/admin/messages",
        {
            "target": "taxpayer",
            "tin": uscc("91210102MA00000Q0"),
            "title": "无此纳税人",
            "body": "正文",
            "submission": secrets.token_urlsafe(24),
        },
    )
    assert response.status_code == 400 and "未查询到该纳税人识别号的登记信息" in response.text


def test_sending_is_audited(app: Litestar, shared: Enterprise) -> None:
    enterprise = shared
    with new_client(app) as client:
        admin = log_in_as(client, "reviewer")
        send(client, tin=enterprise.tin)
    assert ("admin.message.send", "success") in audit_actions(admin.actor)


def test_message_bodies_are_sanitised(app: Litestar, reviewer: Client, shared: Enterprise) -> None:
    enterprise = shared
    _, message_id = send(
        reviewer,
        tin=enterprise.tin,
        body='<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n[链接](javascript:alert(1))',
    )
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        page = client.get(f"/inbox/{message_id}").text
    body = page[page.index('data-testid="message-body"') : page.index("返回我的消息")]
    assert "<a rel=" in body and "<script" not in body and "onerror" not in body and "javascript:" not in body
