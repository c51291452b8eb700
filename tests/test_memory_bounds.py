"""What a worker keeps in memory stays bounded under load (issue 18's memory target).

* SQLite: however many queries run at once, a worker opens at most ``SQLITE_CONNECTIONS`` connections
  (each is a thread with its own page cache); the others wait for a free one and all of them answer.
* Search: a long tail of distinct queries (as in a real search log) never holds more than
  ``MEMO_LIMIT`` remembered query results, and a query searched again after the memo started afresh
  answers the same.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from piccolo.querystring import QueryString

from etax.platform.db import engine as engine_module
from etax.platform.db.engine import SQLITE_CONNECTIONS, PooledSQLiteEngine
from etax.search_index import SearchDocument, SearchIndex
from etax.search_index import index as search_index_module

DOCUMENTS = (
    ("vat", "增值税及附加税费申报", ("我要办税", "税费申报及缴纳")),
    ("status", "纳税人状态查询", ("公众服务", "公众查询")),
    ("invoice", "发票查验", ("我要查询", "发票信息查询")),
)


def document(key: str, title: str, path: tuple[str, ...]) -> SearchDocument:
    return SearchDocument(key=key, kind="function", title=title, short_title=title, path=path, url=f"/{key}")


class CountingSQLiteEngine(PooledSQLiteEngine):
    """The worker's SQLite engine, counting the connections it opens."""

    def __init__(self, path: str) -> None:
        super().__init__(path=path)
        self.opened = 0

    async def _connect(self) -> aiosqlite.Connection:
        self.opened += 1
        return await super()._connect()


def test_simultaneous_queries_share_a_bounded_number_of_sqlite_connections(tmp_path: Path) -> None:
    engine_module.enable_wal(tmp_path / "bounded.sqlite3")
    engine = CountingSQLiteEngine(path=str(tmp_path / "bounded.sqlite3"))
    # A query slow enough that every one of them is running (or waiting) at the same time.
    slow = QueryString(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT count(*) AS c FROM n"
    )

    async def many() -> list[Any]:
        try:
            answers: list[Any] = await asyncio.gather(
                *(engine.run_querystring(slow) for _ in range(5 * SQLITE_CONNECTIONS))
            )
            return answers
        finally:
            await engine.close_idle()

    answers = asyncio.run(many())
    assert answers == [[{"c": 20000}]] * (5 * SQLITE_CONNECTIONS)
    assert 1 <= engine.opened <= SQLITE_CONNECTIONS


def test_a_long_tail_of_distinct_searches_keeps_the_memo_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index_module, "MEMO_LIMIT", 40)
    index = SearchIndex.build([document(*row) for row in DOCUMENTS])
    first = [hit.key for hit in index.search("增值税申报")]
    remembered, held = [], []
    for number in range(200):
        index.search(f"增值税{number}申报")
        remembered.append(len(index._catalogue._remembered))
        held.append(len(index._catalogue._memo))
    # The query entries start afresh past the limit; what the index reads once (its terms) stays beside them.
    assert max(remembered) <= 40 and min(remembered[40:]) < 40
    assert max(held) <= 2 * 40
    assert [hit.key for hit in index.search("增值税申报")] == first == ["vat"]
