"""Learning from clicks: per audience, per query, decayed, de-duplicated per session, only from enough sessions."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import search_analytics
from etax.platform.runtime import get_runtime
from etax.platform.search_analytics import SearchEvent
from etax.search_index.query import click_key
from tests.conftest import new_client

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def click(
    query: str, code: str, session: str, *, visitor: str = "enterprise", days_ago: float = 0
) -> SearchEvent:
    return SearchEvent(
        kind="click",
        query=query,
        code=code,
        visitor=visitor,
        session=session,
        at=NOW - dt.timedelta(days=days_ago),
    )


async def _learn(events: list[SearchEvent]) -> search_analytics.LearnedClicks:
    await SearchEvent.insert(*events)
    return await search_analytics.learned_clicks(NOW, click_key)


def test_clicks_are_learned_per_audience_with_minimum_sessions_and_dedup() -> None:
    events = [
        # Three sessions chose 学习甲 for this query: learned. One session clicking ten times counts once.
        click("学习 甲", "learn.a", "s1"),
        click("学习甲", "learn.a", "s2"),
        click("学习甲", "learn.a", "s3"),
        *(click("学习甲", "learn.b", "s9") for _ in range(10)),
        # The same choice by anonymous visitors is theirs, not the enterprises'.
        click("学习甲", "learn.c", "a1", visitor="anonymous"),
        click("学习甲", "learn.c", "a2", visitor="anonymous"),
        click("学习甲", "learn.c", "a3", visitor="anonymous"),
        # Older than the window: forgotten.
        click("学习乙", "learn.a", "o1", days_ago=400),
        click("学习乙", "learn.a", "o2", days_ago=400),
        click("学习乙", "learn.a", "o3", days_ago=400),
    ]
    learned = asyncio.run(_learn(events))
    assert set(learned["enterprise"]["学习甲"]) == {"learn.a"}  # learn.b: one session only
    assert learned["enterprise"]["学习甲"]["learn.a"] == 3.0
    assert set(learned["anonymous"]["学习甲"]) == {"learn.c"}
    assert "学习乙" not in learned["enterprise"]


def test_older_choices_weigh_less() -> None:
    half = search_analytics.HALF_LIFE_DAYS
    events = [
        *(click("学习丙", "learn.new", f"n{i}") for i in range(3)),
        *(click("学习丙", "learn.old", f"m{i}", days_ago=half) for i in range(3)),
    ]
    learned = asyncio.run(_learn(events))["enterprise"]["学习丙"]
    assert learned["learn.new"] == 3.0
    assert abs(learned["learn.old"] - 1.5) < 1e-6


def test_clicks_without_a_session_count_one_each() -> None:
    learned = asyncio.run(_learn([click("学习丁", "learn.x", "") for _ in range(3)]))
    assert learned["enterprise"]["学习丁"] == {"learn.x": 3.0}


def test_search_learns_what_anonymous_visitors_open(client: TestClient[Litestar], app: Litestar) -> None:
    search = get_runtime(app).search
    results = client.get("/api/search", params={"q": "查询", "limit": 50}).json()["results"]
    # Two neighbours of one tier and similar score: clicks on the second move it first.
    pair = next(
        (upper, lower)
        for upper, lower in itertools.pairwise(results)
        if lower["score"] >= 0.6 * upper["score"] and lower["score"] > 0
    )
    wanted = pair[1]["code"]
    for browser in range(3):  # three visitors, each in their own browser, one of them clicking twice
        with new_client(app) as visitor:
            # anonymous readers get no stored session: a visitor is told apart by address and browser
            visitor.headers["user-agent"] = f"test-browser/{browser}"
            visitor.get("/")
            for _ in range(2):
                response = visitor.get(
                    "/search/go", params={"q": "查询", "code": wanted}, follow_redirects=False
                )
                assert response.status_code in (302, 303)
    asyncio.run(search.refresh_clicks(dt.datetime.now(dt.UTC), force=True))
    assert search.clicks["anonymous"]["查询"][wanted] > 2.9  # three sessions, each counted once
    codes = [
        r["code"] for r in client.get("/api/search", params={"q": "查询", "limit": 50}).json()["results"]
    ]
    assert codes.index(wanted) < codes.index(pair[0]["code"])
    assert "查询" not in search.clicks.get("enterprise", {})  # learned for anonymous visitors only
