"""Search analytics for administrators: the recorded counts, with functions named from the registry.

A clicked result may be a function (named from the registry), a document still in the search index
(a help article, a published package) or something since removed, which is shown by its code.
"""

from __future__ import annotations

import msgspec

from etax.platform import search_analytics
from etax.platform.search import SearchService
from etax.platform.search_analytics import QueryStat

PERIODS: dict[int, str] = {7: "最近7天", 30: "最近30天", 90: "最近90天", 365: "最近一年"}
KIND_LABELS = {"function": "功能", "article": "咨询辅导", "package": "套餐业务"}


class ClickRow(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    path: str
    kind: str
    clicks: int
    removed: bool = False


class SearchReport(msgspec.Struct, frozen=True, kw_only=True):
    days: int
    top: list[QueryStat]
    zero: list[QueryStat]
    clicks: list[ClickRow]


def _named(search: SearchService, code: str, clicks: int) -> ClickRow:
    spec = search.registry.get(code)
    if spec is not None:
        return ClickRow(code=code, name=spec.name, path=" › ".join(spec.path), kind="功能", clicks=clicks)
    document = search.index.document(code)
    if document is not None:
        kind = KIND_LABELS.get(document.kind, document.kind)
        return ClickRow(
            code=code, name=document.title, path=" › ".join(document.path), kind=kind, clicks=clicks
        )
    return ClickRow(code=code, name="（已下线或已删除）", path="", kind="", clicks=clicks, removed=True)


async def search_report(search: SearchService, days: int) -> SearchReport:
    """Top queries, queries that found nothing and clicks per result over the last ``days`` days."""
    clicks = await search_analytics.clicks_per_function(days=days)
    return SearchReport(
        days=days,
        top=await search_analytics.top_queries(days=days),
        zero=await search_analytics.zero_result_queries(days=days),
        clicks=[_named(search, stat.code, stat.clicks) for stat in clicks],
    )
