"""The administrators' audit log page (filters, pagination) and search analytics page."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterator

import pytest
from litestar import Litestar

from etax.platform.admin.common import BEIJING
from etax.platform.audit.tables import AuditLog
from tests.conftest import new_client
from tests.factories import create_enterprise
from tests.test_admin_support import Client, log_in_as, run


@pytest.fixture()
def system(app: Litestar) -> Iterator[Client]:
    with new_client(app) as client:
        log_in_as(client, "system")
        yield client


def audit_rows(html: str) -> list[list[str]]:
    """The cells of the audit table (tags stripped)."""
    if 'data-testid="audit"' not in html:
        return []
    body = html.split('data-testid="audit"')[1].split("</tbody>")[0].split("<tbody>")[1]
    rows = []
    for row in body.split("<tr>")[1:]:
        cells = re.findall(r"<td>(.*?)</td>", row, flags=re.S)
        rows.append([re.sub(r"<[^>]+>", " ", cell).strip() for cell in cells])
    return rows


def write(
    actor: str,
    action: str,
    *,
    outcome: str = "success",
    taxpayer_id: int | None = None,
    at: dt.datetime | None = None,
) -> None:
    entry = AuditLog(
        actor=actor, action=action, outcome=outcome, taxpayer_id=taxpayer_id, target="t", detail="d"
    )
    if at is not None:
        entry.at = at
    run(entry.save())


def test_the_audit_page_filters_by_actor_taxpayer_action_outcome_and_dates(system: Client) -> None:
    tag = secrets.token_hex(4)
    enterprise = create_enterprise(officers=0)
    day = dt.datetime(2031, 3, 15, 10, 0, tzinfo=BEIJING)
    write(f"甲{tag}", "login.enterprise", taxpayer_id=enterprise.taxpayer_id, at=day)
    write(
        f"甲{tag}",
        "login.enterprise",
        outcome="failure",
        taxpayer_id=enterprise.taxpayer_id,
        at=day + dt.timedelta(days=1),
    )
    write(f"乙{tag}", "admin.package.create", at=day + dt.timedelta(days=2))
    write(f"乙{tag}", "admin.featured.add", at=day + dt.timedelta(days=3))

    page = system.get("/admin/audit", params={"actor": tag})
    assert page.status_code == 200 and "本页所需角色：<strong>系统管理员</strong>" in page.text
    rows = audit_rows(page.text)
    assert [row[4] for row in rows] == [
        "admin.featured.add",
        "admin.package.create",
        "login.enterprise",
        "login.enterprise",
    ]
    assert rows[0][0] == "2031-03-18 10:00"  # Beijing time, newest first

    by_tin = audit_rows(system.get("/admin/audit", params={"tin": enterprise.tin.lower(), "actor": tag}).text)
    assert len(by_tin) == 2 and all(
        enterprise.tin in row[3] and "测试企业有限公司" in row[3] for row in by_tin
    )
    by_prefix = audit_rows(system.get("/admin/audit", params={"actor": tag, "action": "admin."}).text)
    assert [row[4] for row in by_prefix] == ["admin.featured.add", "admin.package.create"]
    failures = audit_rows(system.get("/admin/audit", params={"actor": tag, "outcome": "failure"}).text)
    assert len(failures) == 1 and failures[0][7] == "失败"
    window = audit_rows(
        system.get(
            "/admin/audit", params={"actor": tag, "date_from": "2031-03-16", "date_to": "2031-03-17"}
        ).text
    )
    assert [row[0] for row in window] == ["2031-03-17 10:00", "2031-03-16 10:00"]
    # "%" and "_" are matched literally, not as wildcards.
    assert audit_rows(system.get("/admin/audit", params={"actor": f"%{tag}"}).text) == []


def test_the_audit_page_paginates(system: Client) -> None:
    tag = secrets.token_hex(4)
    for number in range(35):
        write(f"分页{tag}", f"test.page{number:02d}")
    first = system.get("/admin/audit", params={"actor": tag}).text
    assert len(audit_rows(first)) == 30 and "共 35 条，第 1 / 2 页" in first
    assert f"actor={tag}&amp;" in first and "page=2" in first  # the filters stay on
    second = system.get("/admin/audit", params={"actor": tag, "page": 2}).text
    assert len(audit_rows(second)) == 5 and "第 2 / 2 页" in second and "上一页" in second


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tin": "123"}, "纳税人识别号应为15位、18位或20位数字或大写字母"),
        ({"tin": "912101020000000000"}, None),
        ({"date_from": "2031-03-20", "date_to": "2031-03-01"}, "结束日期不能早于开始日期"),
        ({"date_from": "2031-13-01"}, "开始日期格式不正确"),
        ({"outcome": "maybe"}, "请选择结果"),
    ],
)
def test_bad_filters_are_explained(system: Client, params: dict[str, str], message: str | None) -> None:
    page = system.get("/admin/audit", params=params)
    assert page.status_code == 400 and 'data-testid="audit"' not in page.text
    if message is not None:
        assert message in page.text
    else:
        assert "纳税人识别号" in page.text and 'role="alert"' in page.text


def test_menu_edits_appear_in_the_audit_log(app: Litestar, system: Client) -> None:
    with new_client(app) as content:
        admin = log_in_as(content, "content")
        content.post(
            "/admin/packages",
            data={
                "name": f"审计套餐{secrets.token_hex(3)}",
                "audience": "all",
                "status": "draft",
                "steps": "public.announcements",
                "_csrf_token": content.cookies["etax_csrf"],
            },
            follow_redirects=False,
        )
    rows = audit_rows(
        system.get("/admin/audit", params={"actor": admin.actor, "action": "admin.package"}).text
    )
    assert [row[1] for row in rows] == [admin.actor] and rows[0][4] == "admin.package.create"


def test_search_analytics_show_top_and_zero_result_queries_and_clicks(app: Litestar) -> None:
    nonsense = f"天气预报{secrets.token_hex(2)}"
    with new_client(app) as visitor:
        visitor.get("/search", params={"q": nonsense})
        visitor.get("/search", params={"q": nonsense})
        visitor.get("/search", params={"q": "纳税人状态"})
        visitor.get(
            "/search/go", params={"q": "纳税人状态", "code": "public.taxpayer_status"}, follow_redirects=False
        )
    with new_client(app) as content:
        log_in_as(content, "content")
        page = content.get("/admin/search-analytics")
    assert page.status_code == 200 and "本页所需角色：<strong>内容管理员</strong>" in page.text
    zero = page.text.split('data-testid="zero-queries"')[1].split("</table>")[0]
    assert f"<td>{nonsense}</td><td>2</td>" in zero
    top = page.text.split('data-testid="top-queries"')[1].split("</table>")[0]
    assert f"<td>{nonsense}</td><td>2</td><td>2</td>" in top and "<td>纳税人状态</td>" in top
    clicks = page.text.split('data-testid="clicks"')[1].split("</table>")[0]
    assert 'data-code="public.taxpayer_status"><td>纳税人状态查询</td><td>功能</td>' in clicks
    with new_client(app) as content:
        log_in_as(content, "content")
        assert content.get("/admin/search-analytics", params={"days": 7}).status_code == 200
        assert content.get("/admin/search-analytics", params={"days": 0}).status_code == 400
