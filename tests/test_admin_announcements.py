"""通知公告 publishing: create, schedule, pin, audience, edit, delete; Markdown sanitised; no doubles."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Iterator

import pytest
from litestar import Litestar

from etax.platform.admin.common import BEIJING
from etax.platform.admin.tables import AnnouncementRecord
from etax.platform.announcements import Announcement
from etax.platform.auth.principal import SessionAuth
from etax.platform.web.markdown import render_markdown
from tests.conftest import new_client
from tests.factories import create_enterprise, create_natural_person, log_in, log_in_staff
from tests.test_admin_support import Client, audit_actions, log_in_as, post, run

EVIL = """# 办税提醒

请按时申报。[办税指南](https://example.gov.cn/guide) [点我](javascript:alert(1))

<script>alert("x")</script>
<img src="x.png" onerror="alert(1)" alt="图">
<a href="JaVaScRiPt:alert(2)" onclick="steal()">链接</a>
<p style="color:red" onmouseover="x()">文字</p>
"""


@pytest.fixture(autouse=True)
def remove_created_announcements() -> Iterator[None]:
    """Announcements made here are removed afterwards: other tests read the shared public list."""
    newest = run(Announcement.select(Announcement.id).order_by(Announcement.id, ascending=False).first())
    yield
    run(Announcement.delete().where(Announcement.id > (newest["id"] if newest else 0)))


@pytest.fixture()
def editor(app: Litestar) -> Iterator[Client]:
    with new_client(app) as client:
        log_in_as(client, "content")
        yield client


def title() -> str:
    return "测试公告" + secrets.token_hex(4)


def form(**values: str) -> dict[str, str]:
    data = {
        "title": title(),
        "category": "涉税通知",
        "audience": "public",
        "published_at": "",
        "body": "正文",
        "submission": secrets.token_urlsafe(24),
    }
    data.update(values)
    return data


def announcement_id(name: str) -> int:
    row = run(Announcement.select(Announcement.id).where(Announcement.title == name).first())
    assert row is not None, name
    return int(row["id"])


def beijing_input(moment: dt.datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M")


def test_the_form_carries_a_one_time_submission_token(editor: Client) -> None:
    page = editor.get("/admin/announcements/new")
    assert page.status_code == 200
    assert re.search(r'name="submission" value="[\w-]{20,}"', page.text)


def test_published_announcement_shows_on_the_public_list_and_the_home_tab(
    editor: Client, client: Client
) -> None:
    data = form(pinned="on")
    response = post(editor, "/admin/announcements", data)
    assert response.status_code == 303 and response.headers["location"] == "/admin/announcements"
    listing = editor.get("/admin/announcements")
    assert data["title"] in listing.text and "已发布" in listing.text
    assert data["title"] in client.get("/public/announcements").text
    home = client.get("/").text
    notice_tab = home[home.index('id="tab-notice"') :]
    assert data["title"] in notice_tab
    detail = client.get(f"/public/announcements/{announcement_id(data['title'])}")
    assert detail.status_code == 200 and "<p>正文</p>" in detail.text


def test_a_future_announcement_stays_hidden_until_its_time(editor: Client, client: Client) -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    data = form(published_at=beijing_input(later))
    assert post(editor, "/admin/announcements", data).status_code == 303
    assert "待发布" in editor.get("/admin/announcements").text
    ident = announcement_id(data["title"])
    assert data["title"] not in client.get("/public/announcements").text
    assert data["title"] not in client.get("/").text
    assert client.get(f"/public/announcements/{ident}").status_code == 404
    run(
        Announcement.update({Announcement.published_at: dt.datetime.now(dt.UTC)}).where(
            Announcement.id == ident
        )
    )
    assert client.get(f"/public/announcements/{ident}").status_code == 200


def test_markdown_is_rendered_and_sanitised(editor: Client, client: Client) -> None:
    data = form(body=EVIL)
    assert post(editor, "/admin/announcements", data).status_code == 303
    page = client.get(f"/public/announcements/{announcement_id(data['title'])}").text
    body = page[page.index('data-testid="announcement-body"') :]
    body = body[: body.index("返回通知公告列表")]
    assert "<h1>办税提醒</h1>" in body
    assert '<a href="https://example.gov.cn/guide" rel="noopener noreferrer nofollow">办税指南</a>' in body
    assert "<script" not in body and "alert(&quot;x&quot;)" not in body and 'alert("x")' not in body
    assert "onerror" not in body and "onclick" not in body and "onmouseover" not in body
    assert "javascript:" not in body.lower()
    assert 'style="' not in body
    assert '<img src="x.png" alt="图">' in body


def test_the_renderer_alone_removes_scripts_handlers_and_javascript_links() -> None:
    html = render_markdown(EVIL)
    assert "<script" not in html and "onerror=" not in html and "javascript:" not in html.lower()


def test_the_preview_renders_like_the_published_page(editor: Client) -> None:
    response = post(editor, "/admin/preview", {"body": EVIL})
    assert response.status_code == 200
    assert (
        "<h1>办税提醒</h1>" in response.text
        and "<script" not in response.text
        and "onerror" not in response.text
    )


def test_audience_limits_the_home_tab(editor: Client, app: Litestar) -> None:
    for_enterprises = form(audience="enterprise")
    for_people = form(audience="natural_person")
    assert post(editor, "/admin/announcements", for_enterprises).status_code == 303
    assert post(editor, "/admin/announcements", for_people).status_code == 303
    enterprise = create_enterprise()
    with new_client(app) as staff, new_client(app) as person, new_client(app) as anonymous:
        log_in_staff(staff, enterprise, "legal_rep")
        log_in(person, SessionAuth(kind="natural_person", account_id=create_natural_person()))
        staff_home, person_home, public_home = (
            staff.get("/").text,
            person.get("/").text,
            anonymous.get("/").text,
        )
        public_list = anonymous.get("/public/announcements").text
        detail = staff.get(f"/public/announcements/{announcement_id(for_enterprises['title'])}")
    assert for_enterprises["title"] in staff_home and for_people["title"] not in staff_home
    assert for_people["title"] in person_home and for_enterprises["title"] not in person_home
    assert for_enterprises["title"] not in public_home and for_people["title"] not in public_home
    assert for_enterprises["title"] not in public_list and for_people["title"] not in public_list
    assert detail.status_code == 200 and for_enterprises["title"] in detail.text  # the home tab's link


def test_a_double_submission_publishes_once(editor: Client) -> None:
    data = form()
    first = post(editor, "/admin/announcements", data)
    second = post(editor, "/admin/announcements", data)
    assert first.status_code == second.status_code == 303
    assert run(Announcement.count().where(Announcement.title == data["title"])) == 1
    assert "该公告已经提交过" in editor.get("/admin/announcements").text
    assert run(AnnouncementRecord.count().where(AnnouncementRecord.submission == data["submission"])) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "请填写标题"),
        ({"body": "  "}, "请填写正文"),
        ({"category": "不存在的类别"}, "请选择公告类别"),
        ({"audience": "martians"}, "请选择受众"),
        ({"published_at": "明天上午"}, "发布时间格式不正确"),
        ({"title": "长" * 201}, "标题不能超过200个字"),
        ({"submission": ""}, "页面已过期"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    editor: Client, changes: dict[str, str], message: str
) -> None:
    before = run(Announcement.count())
    response = post(editor, "/admin/announcements", form(**changes))
    assert response.status_code == 400 and message in response.text
    assert run(Announcement.count()) == before


def test_edit_and_delete_are_audited(editor: Client, client: Client) -> None:
    data = form()
    assert post(editor, "/admin/announcements", data).status_code == 303
    ident = announcement_id(data["title"])
    edit = editor.get(f"/admin/announcements/{ident}/edit")
    assert edit.status_code == 200 and data["title"] in edit.text
    renamed = {**data, "title": data["title"] + "（更正）", "body": "更正后的**正文**"}
    del renamed["submission"]
    assert post(editor, f"/admin/announcements/{ident}", renamed).status_code == 303
    detail = client.get(f"/public/announcements/{ident}").text
    assert renamed["title"] in detail and "<strong>正文</strong>" in detail
    bad = post(editor, f"/admin/announcements/{ident}", {**renamed, "title": ""})
    assert (
        bad.status_code == 400
        and run(Announcement.count().where(Announcement.title == renamed["title"])) == 1
    )
    assert post(editor, f"/admin/announcements/{ident}/delete").status_code == 303
    assert client.get(f"/public/announcements/{ident}").status_code == 404
    assert run(AnnouncementRecord.count().where(AnnouncementRecord.announcement == ident)) == 0
    assert post(editor, f"/admin/announcements/{ident}/delete").status_code == 404
    actor = editor.get("/admin").text
    assert "测试content" in actor


def test_changes_are_written_to_the_audit_log(app: Litestar) -> None:
    with new_client(app) as editor:
        admin = log_in_as(editor, "content")
        data = form()
        post(editor, "/admin/announcements", data)
        ident = announcement_id(data["title"])
        post(editor, f"/admin/announcements/{ident}/delete")
    assert audit_actions(admin.actor) == [
        ("admin.login", "success"),
        ("admin.announcement.create", "success"),
        ("admin.announcement.delete", "success"),
    ]


def test_announcements_published_before_the_back_office_can_be_edited(editor: Client) -> None:
    older = Announcement(title=title(), body="旧正文", published_at=dt.datetime.now(dt.UTC))  # no record
    run(older.save())
    assert editor.get(f"/admin/announcements/{older.id}/edit").status_code == 200
    data = form(title=older.title)
    del data["submission"]
    assert post(editor, f"/admin/announcements/{older.id}", data).status_code == 303
    assert run(AnnouncementRecord.count().where(AnnouncementRecord.announcement == older.id)) == 1


def test_unknown_announcement_is_a_404_in_the_back_office(editor: Client) -> None:
    response = editor.get("/admin/announcements/99999999/edit")
    assert response.status_code == 404 and "该通知公告不存在" in response.text


def test_publishing_follows_the_platform_clock_in_beijing_time(
    editor: Client, client: Client, pin_clock: Callable[[dt.datetime], None]
) -> None:
    """The back office stamps, lists and schedules announcements by the platform clock: pinned to 09:05
    Beijing time (01:05 UTC), "publish now" shows as 09:05, and one scheduled for 10:00 appears when the
    clock reaches 10:00 — whatever the wall clock says."""
    pin_clock(dt.datetime(2026, 3, 2, 1, 5, tzinfo=dt.UTC))
    now_data = form()
    assert post(editor, "/admin/announcements", now_data).status_code == 303
    listing = editor.get("/admin/announcements").text
    row = re.search(rf"<tr>(?:(?!</tr>).)*{now_data['title']}(?:(?!</tr>).)*</tr>", listing, re.DOTALL)
    assert row is not None and "2026-03-02 09:05" in row.group(0)
    assert now_data["title"] in client.get("/public/announcements").text
    later = form(published_at="2026-03-02T10:00")
    assert post(editor, "/admin/announcements", later).status_code == 303
    assert later["title"] not in client.get("/public/announcements").text
    pin_clock(dt.datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING))
    assert later["title"] in client.get("/public/announcements").text
