"""The records that go into the search index and come out of it."""

from __future__ import annotations

from typing import Literal

import msgspec

__all__ = ["DocumentKind", "MatchKind", "SearchDocument", "SearchHit"]

DocumentKind = Literal["function", "article", "package", "answer"]
MatchKind = Literal["exact", "prefix", "text", "relaxed", "partial"]


class SearchDocument(msgspec.Struct, frozen=True, kw_only=True):
    """One searchable thing: a portal function, a help article or a function package.

    ``key`` is unique within an index (a function code such as ``public.taxpayer_status`` or an
    article key such as ``article:public:faq-1``).  ``initials`` adds catalogue-supplied pinyin
    initials to the ones generated from ``title`` and ``short_title``.  ``action`` (an
    :class:`~etax.search_index.intents.ActionKind` value such as ``申报``) and ``taxes`` (tax or fee
    names such as ``增值税``) say what the document is about; left empty, they are read from the title
    and path.
    """

    key: str
    kind: DocumentKind
    title: str
    short_title: str
    path: tuple[str, ...]
    url: str
    keywords: tuple[str, ...] = ()
    body: str = ""
    initials: tuple[str, ...] = ()
    action: str = ""
    taxes: tuple[str, ...] = ()


class SearchHit(msgspec.Struct, frozen=True, kw_only=True):
    """One search result: the document key, its text score and the ranking tier that matched."""

    key: str
    score: float
    match: MatchKind
