"""Search analytics: what visitors searched for, what found nothing, and which results they opened.

Only committed searches are recorded (Enter in the box, the results page) and clicks on results
(through ``/search/go``), not every keystroke of the live box.

Clicks also teach ranking (:func:`learned_clicks`): per audience and query, which functions visitors
chose — each session counted once per (query, function), older choices decaying, and a choice only
learned once enough distinct sessions made it, so that one visitor cannot push a function up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import msgspec
from piccolo.columns import Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

QUERY_LENGTH = 100


class SearchEvent(Table, tablename="platform_search_event"):
    """One committed search or one click on a search result."""

    id = Serial(primary_key=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)  # telemetry windows run on the wall clock
    kind = Varchar(length=10)  # search | click
    query = Varchar(length=QUERY_LENGTH, index=True)
    results = Integer(default=0)
    code = Varchar(length=160, default="")
    visitor = Varchar(length=20, default="anonymous")  # anonymous | enterprise | natural_person | agency
    session = Varchar(length=32, default="")  # a pseudonym of the browser session (clicks only)


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


def session_pseudonym(secret: str, session: str) -> str:
    """A stable pseudonym of a browser session: never the session id itself (empty without one)."""
    if not session:
        return ""
    return hashlib.sha256(f"{secret}:search:{session}".encode()).hexdigest()[:32]


async def record_click(query: str, code: str, visitor: str, session: str = "") -> None:
    """Record a click; ``session`` is a :func:`session_pseudonym` (empty: counted as its own session)."""
    await SearchEvent(
        kind="click", query=normalise(query), code=code[:160], visitor=visitor, session=session[:32]
    ).save()


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


# Learning from clicks: a choice counts once per session, halves in weight every HALF_LIFE_DAYS, is
# forgotten after WINDOW_DAYS and is only learned once MIN_SESSIONS distinct sessions made it.
HALF_LIFE_DAYS = 30.0
WINDOW_DAYS = 180
MIN_SESSIONS = 3

LearnedClicks = dict[str, dict[str, dict[str, float]]]
"""audience (visitor kind) → query (as :func:`etax.search_index.query.click_key` forms it) → code → weight."""


class _ClickRow(msgspec.Struct, frozen=True):
    visitor: str
    query: str
    code: str
    session: str
    id: int
    at: dt.datetime


async def learned_clicks(
    now: dt.datetime,
    key: Callable[[str], str],
    *,
    half_life_days: float = HALF_LIFE_DAYS,
    min_sessions: int = MIN_SESSIONS,
) -> LearnedClicks:
    """Decayed click weights per audience, query and function, from sessions' distinct choices.

    ``key`` turns a recorded query into the form ranking looks up (normalised, spaces removed), so
    ``发票 领用`` and ``发票领用`` teach the same thing. A click without a session counts as its own.
    """
    rows = await SearchEvent.raw(
        "SELECT visitor, query, code, session, MAX(id) AS id, MAX(at) AS at FROM platform_search_event "
        "WHERE kind = 'click' AND code <> '' AND at >= {} "
        "GROUP BY visitor, query, code, session, CASE WHEN session = '' THEN id ELSE 0 END",
        now - dt.timedelta(days=WINDOW_DAYS),
    )
    weights: dict[tuple[str, str, str], float] = {}
    sessions: dict[tuple[str, str, str], set[str]] = {}
    for row in (msgspec.convert(row, _ClickRow, strict=False) for row in rows):
        query = key(row.query)
        if not query:
            continue
        moment = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
        age = max((now - moment).total_seconds() / 86400, 0.0)
        slot = (row.visitor, query, row.code)
        weights[slot] = weights.get(slot, 0.0) + 0.5 ** (age / half_life_days)
        sessions.setdefault(slot, set()).add(row.session or f"row:{row.id}")
    learned: LearnedClicks = {}
    for (visitor, query, code), weight in weights.items():
        if len(sessions[(visitor, query, code)]) >= min_sessions:
            learned.setdefault(visitor, {}).setdefault(query, {})[code] = weight
    return learned
