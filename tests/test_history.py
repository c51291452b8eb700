"""历史办税操作查询: a taxpayer sees its own audit trail, filtered and paginated, and nobody else's."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from html import unescape

from litestar import Litestar

from etax.platform.audit.tables import AuditLog
from tests.conftest import new_client
from tests.factories import create_enterprise, grant, log_in_staff


def add_entries(taxpayer_id: int, count: int, action: str = "测试操作", outcome: str = "success") -> None:
    async def insert() -> None:
        for index in range(count):
            await AuditLog(
                actor="测试人员",
                taxpayer_id=taxpayer_id,
                action=action,
                target=f"对象{index}",
                ip="127.0.0.1",
                outcome=outcome,
                at=dt.datetime(2026, 11, 1 + index % 20, 9, 0, tzinfo=dt.UTC),
            ).save()

    asyncio.run(insert())


def next_link(html: str) -> str:
    """The pager's 下一页 link (filters and cursor kept in the URL)."""
    match = re.search(r'<a href="([^"]+)" rel="next"', html)
    assert match, "no 下一页 link"
    return unescape(match.group(1))


def test_enterprise_sees_its_own_history_paginated(app: Litestar) -> None:
    mine, other = create_enterprise(officers=0), create_enterprise(officers=0)
    add_entries(mine.taxpayer_id, 25)
    add_entries(other.taxpayer_id, 3, action="他人的操作")
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        first = client.get("/query/history")
        assert first.status_code == 200
        assert "共 25 条" in first.text and first.text.count("<tr><td>") == 20
        assert "他人的操作" not in first.text
        second = client.get("/query/history" + next_link(first.text))
        assert second.text.count("<tr><td>") == 5 and 'rel="next"' not in second.text
        assert 'rel="prev"' in second.text


def test_filters_by_outcome_action_and_date(app: Litestar) -> None:
    mine = create_enterprise(officers=0)
    add_entries(mine.taxpayer_id, 4, action="登录", outcome="failure")
    add_entries(mine.taxpayer_id, 2, action="冻结办税人")
    with new_client(app) as client:
        log_in_staff(client, mine, "finance_head")
        assert "共 4 条" in client.get("/query/history", params={"outcome": "failure"}).text
        assert "共 2 条" in client.get("/query/history", params={"action": "冻结办税人"}).text
        one_day = client.get("/query/history", params={"date_from": "2026-11-01", "date_to": "2026-11-01"})
        assert "共 2 条" in one_day.text
        wrong = client.get("/query/history", params={"date_from": "2026-11-05", "date_to": "2026-11-01"})
        assert "操作日期的结束时间不能早于开始时间" in wrong.text
        bad = client.get("/query/history", params={"date_from": "昨天", "outcome": "deleted"})
        assert bad.status_code == 200
        assert "操作日期起格式不正确" in bad.text and "结果没有这一选项" in bad.text


def test_officer_needs_the_function_granted_as_in_faq_7(app: Litestar) -> None:
    mine = create_enterprise(officers=1)
    with new_client(app) as client:
        log_in_staff(client, mine, "tax_officer0")
        assert client.get("/query/history").status_code == 403
        grant(mine, "tax_officer0", ["history.operations"])
        assert client.get("/query/history").status_code == 200


def test_date_filter_uses_beijing_days(app: Litestar) -> None:
    mine = create_enterprise(officers=0)

    async def insert() -> None:
        # 2026-11-02 23:30 Beijing time is still 2026-11-02 15:30 UTC; 2026-11-03 00:30 Beijing is 11-02 16:30 UTC.
        for hour, minute in ((15, 30), (16, 30)):
            await AuditLog(
                actor="测试人员",
                taxpayer_id=mine.taxpayer_id,
                action="北京时间",
                outcome="success",
                at=dt.datetime(2026, 11, 2, hour, minute, tzinfo=dt.UTC),
            ).save()

    asyncio.run(insert())
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        day = client.get("/query/history", params={"date_from": "2026-11-03", "date_to": "2026-11-03"})
        assert "共 1 条" in day.text and "2026-11-03 00:30:00" in day.text
        before = client.get("/query/history", params={"date_from": "2026-11-02", "date_to": "2026-11-02"})
        assert "共 1 条" in before.text and "2026-11-02 23:30:00" in before.text
