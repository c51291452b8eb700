"""Published consultation answers (自助查询) in the header search: documents of kind ``answer``.

Before every search, suggestion and home-page request (hook ``etax_search_refreshers``) each worker
compares a cheap version of the published answers — a checksum of their ids, read through a
:class:`VersionKey`, so at most once per ``ETAX_CACHE_CHECK_SECONDS`` (0 in the tests) — with the one
its documents were built from and rebuilds them when an answer was published or withdrawn. An answer's
text never changes once given, so the ids say everything.
"""

from __future__ import annotations

import zlib
from typing import Any, Final

from litestar import Request

from etax.platform.api import VersionKey, refresh_public_search_documents
from etax.plugins.interaction.consult import ThreadView, published_answers, published_ids
from etax.plugins.interaction.functions import ANSWERS
from etax.search_index import SearchDocument

KIND: Final = "answer"
PATH = ("互动中心", "在线交互", "自助查询")
KEYWORDS = ("咨询答复", "自助查询", "问答")
MAX_DOCUMENTS = 500


async def _version() -> int:
    ids = await published_ids()
    return zlib.crc32(",".join(map(str, ids)).encode()) ^ len(ids)


VERSION = VersionKey(_version)


def answer_document(view: ThreadView) -> SearchDocument:
    """A published answer as a search document (no taxpayer's name in it)."""
    return SearchDocument(
        key=f"answer:consult:{view.id}",
        kind=KIND,
        title=view.title,
        short_title=view.title,
        path=(*PATH, view.category),
        url=f"{ANSWERS.url}/{view.id}",
        keywords=(*KEYWORDS, view.category),
        body=f"{view.question}\n{view.answer}",
    )


async def _documents() -> list[SearchDocument]:
    return [answer_document(view) for view in await published_answers(limit=MAX_DOCUMENTS)]


async def refresh_before_request(request: Request[Any, Any, Any]) -> None:
    """``etax_search_refreshers``: rebuild this worker's answer documents when the published set changed."""
    await refresh_public_search_documents(request, KIND, await VERSION.current(), _documents)
