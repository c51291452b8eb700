"""Search analytics: what visitors searched for, what found nothing, and which results they opened.

Only committed searches are recorded (Enter in the box, the results page) and clicks on results
(through ``/search/go``), not every keystroke of the live box.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from piccolo.columns import Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

QUERY_LENGTH = 100


class SearchEvent(Table, tablename="platform_search_event"):
    """One committed search or one click on a search result."""

    id = Serial(primary_key=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    kind = Varchar(length=10)  # search | click
    query = Varchar(length=QUERY_LENGTH, index=True)
    results = Integer(default=0)
    code = Varchar(length=160, default="")
    visitor = Varchar(length=20, default="anonymous")  # anonymous | enterprise | natural_person | agency


class QueryStat(msgspec.Struct, frozen=True, kw_only=True):
    query: str
    searches: int
    zero_results: int


class ClickStat(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    clicks: int


def normalise(query: str) -> str:
    return " ".join(query.split())[:QUERY_LENGTH]


async def record_search(query: str, results: int, visitor: str) -> None:
    text = normalise(query)
    if text:
        await SearchEvent(kind="search", query=text, results=results, visitor=visitor).save()


async def record_click(query: str, code: str, visitor: str) -> None:
    await SearchEvent(kind="click", query=normalise(query), code=code[:160], visitor=visitor).save()


def _since(days: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(days=days)


async def top_queries(days: int = 30, limit: int = 20) -> list[QueryStat]:
    """Most frequent committed searches, with how many of them found nothing."""
    rows = await SearchEvent.raw(
        "SELECT query, COUNT(*) AS searches, SUM(CASE WHEN results = 0 THEN 1 ELSE 0 END) AS zero_results "
        "FROM platform_search_event WHERE kind = 'search' AND at >= {} "
        "GROUP BY query ORDER BY searches DESC, query LIMIT {}",
        _since(days),
        limit,
    )
    return [msgspec.convert(row, QueryStat) for row in rows]


async def zero_result_queries(days: int = 30, limit: int = 20) -> list[QueryStat]:
    """Searches that found nothing: candidates for new keywords or synonyms."""
    rows = await SearchEvent.raw(
        "SELECT query, COUNT(*) AS searches, COUNT(*) AS zero_results FROM platform_search_event "
        "WHERE kind = 'search' AND results = 0 AND at >= {} GROUP BY query ORDER BY searches DESC, query LIMIT {}",
        _since(days),
        limit,
    )
    return [msgspec.convert(row, QueryStat) for row in rows]


async def clicks_per_function(days: int = 30, limit: int = 50) -> list[ClickStat]:
    """Click-through per function (or document) from search results."""
    rows = await SearchEvent.raw(
        "SELECT code, COUNT(*) AS clicks FROM platform_search_event WHERE kind = 'click' AND at >= {} "
        "GROUP BY code ORDER BY clicks DESC, code LIMIT {}",
        _since(days),
        limit,
    )
    return [msgspec.convert(row, ClickStat) for row in rows]
