"""Search as the portal offers it: the index of every function and document, filtered by access.

A visitor is never shown a function they cannot open. Anonymous visitors are offered functions that
need a login as "登录后办理" entries whose link leads to the login page and back; logged-in visitors
see only what :func:`etax.platform.access.decide` allows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import partial
from pathlib import Path
from urllib.parse import quote

import anyio.to_thread
import msgspec

from etax.platform import search_analytics
from etax.platform.access import Access, document_decision
from etax.platform.functions import Audience
from etax.platform.identity import Principal
from etax.platform.registry import FunctionRegistry
from etax.search_index import SearchDocument, SearchIndex
from etax.search_index.documents import DocumentKind
from etax.search_index.index import extended_synonyms
from etax.search_index.query import click_key
from etax.search_index.stored import load_or_build


class SearchResult(msgspec.Struct, frozen=True, kw_only=True):
    """One result as the API and the search box show it."""

    code: str
    name: str
    short_name: str
    path: list[str]
    url: str
    score: float
    kind: str = "function"
    requires_login: bool = False


class SearchResponse(msgspec.Struct, frozen=True, kw_only=True):
    """``GET /api/search`` and ``etax search --json``."""

    query: str
    results: list[SearchResult]
    suggestions: list[str] = []


CLICKS_REFRESH = dt.timedelta(minutes=10)


def login_url(target: str) -> str:
    return "/login?next=" + quote(target, safe="/")


def function_documents(registry: FunctionRegistry) -> list[SearchDocument]:
    return [
        SearchDocument(
            key=spec.code,
            kind="function",
            title=spec.name,
            short_title=spec.label,
            path=spec.path,
            url=spec.url,
            keywords=spec.keywords,
            body=spec.description,
            initials=spec.initials,
            action=spec.action.value if spec.action is not None else "",
            taxes=spec.taxes,
        )
        # every function, switched off or not: a rebuild while a plugin is off must not lose its
        # functions; the access decision leaves out what the registry hides
        for spec in registry.every()
    ]


class SearchService:
    """The per-process in-memory index plus the popularity counts.

    Besides the functions and the plugins' documents, the index holds documents the platform
    changes at run time (the bureau's published 套餐业务, kind ``package``): :meth:`replace_documents`
    swaps all documents of one kind and rebuilds the index off the event loop. Such a document may
    be restricted to some audiences: anonymous visitors and visitors of other audiences never see it.

    Every document that is not a function carries the audiences it was registered with (the plugins'
    documents from ``etax_search_documents`` are public articles); :func:`etax.platform.access.
    document_decision` shows a document registered with no audience to nobody.
    """

    def __init__(
        self,
        registry: FunctionRegistry,
        extra: Iterable[SearchDocument] = (),
        synonyms: Mapping[str, tuple[str, ...]] | None = None,
        *,
        store: Path | None = None,
    ) -> None:
        self.registry = registry
        self._extra = list(extra)
        # Plugins' synonyms (hook ``etax_search_synonyms``) extend the shipped table for every build.
        self._synonyms = extended_synonyms(synonyms) if synonyms else None
        self._synonyms_fingerprint = msgspec.msgpack.encode(sorted((synonyms or {}).items()))
        # Built indexes kept there (etax.search_index.stored): a start-up with the same documents reads
        # its index back instead of building it again.
        self._store = store
        self.index = self._build([*function_documents(registry), *self._extra])
        self.popularity: dict[str, int] = {}
        # Learned click-through (search_analytics.learned_clicks): audience → query key → code → weight.
        self.clicks: dict[str, dict[str, dict[str, float]]] = {}
        self._clicks_at: dt.datetime | None = None
        self._audiences: dict[str, frozenset[Audience]] = {
            doc.key: frozenset({Audience.PUBLIC}) for doc in self._extra
        }
        self.versions: dict[str, int] = {}
        self.pending: dict[str, int] = {}

    def _build(self, corpus: list[SearchDocument]) -> SearchIndex:
        if self._store is None:
            return SearchIndex.build(corpus, synonyms=self._synonyms)
        return SearchIndex(
            load_or_build(
                corpus,
                self._synonyms,
                directory=self._store,
                synonyms_fingerprint=self._synonyms_fingerprint,
            )
        )

    async def replace_documents(
        self,
        kind: DocumentKind,
        documents: Iterable[SearchDocument],
        *,
        audiences: Mapping[str, frozenset[Audience]],
        version: int | None = None,
    ) -> None:
        """Replace every extra document of ``kind`` with ``documents`` and rebuild the index.

        ``audiences`` names, for every document (by key), the audiences that may see it (a document
        missing from it is refused with :class:`ValueError`: nothing is shown by default); ``version`` is
        remembered in :attr:`versions` under ``kind`` so callers can tell when to rebuild again
        (:attr:`pending` is theirs to mark a rebuild in progress). Everything is read before the
        build and swapped together after it, so a request sees either the old state or the new one.
        """
        new = list(documents)
        if any(doc.kind != kind for doc in new):
            raise ValueError(f"replace_documents({kind!r}) was given documents of another kind")
        if missing := [doc.key for doc in new if doc.key not in audiences]:
            raise ValueError(f"replace_documents({kind!r}): no audiences for {missing}")
        extra = [doc for doc in self._extra if doc.kind != kind] + new
        old_keys = {doc.key for doc in self._extra if doc.kind == kind}
        new_keys = {doc.key for doc in new}
        restricted = {key: value for key, value in self._audiences.items() if key not in old_keys}
        restricted.update({key: value for key, value in audiences.items() if key in new_keys})
        corpus = [*function_documents(self.registry), *extra]
        index = await anyio.to_thread.run_sync(partial(self._build, corpus))
        self._extra, self.index, self._audiences = extra, index, restricted
        if version is not None:
            self.versions[kind] = version

    def documents(self, kind: DocumentKind) -> list[SearchDocument]:
        """The extra documents of ``kind`` currently in the index."""
        return [doc for doc in self._extra if doc.kind == kind]

    def _decision(self, principal: Principal | None, key: str) -> Access:
        decision = document_decision(principal, key, self.registry, self._audiences)
        if decision is Access.LOGIN_REQUIRED and self.registry.get(key) is None:
            return Access.FORBIDDEN  # only functions are offered as 登录后办理
        return decision

    def _allowed(self, principal: Principal | None, key: str) -> bool:
        return self._decision(principal, key) is not Access.FORBIDDEN

    def search(self, query: str, principal: Principal | None, limit: int = 10) -> SearchResponse:
        """Search for ``query`` on behalf of ``principal``; zero results come with suggestions."""
        query = query.strip()[:100]
        audience = principal.kind if principal else "anonymous"
        hits = self.index.search(
            query,
            allowed=lambda key: self._allowed(principal, key),
            popularity=self.popularity,
            clicks=self.clicks.get(audience, {}).get(click_key(query)),
            limit=limit,
        )
        results: list[SearchResult] = []
        for hit in hits:
            doc = self.index.document(hit.key)
            if doc is None:
                continue
            needs_login = self._decision(principal, hit.key) is Access.LOGIN_REQUIRED
            results.append(
                SearchResult(
                    code=hit.key,
                    name=doc.title,
                    short_name=doc.short_title,
                    path=list(doc.path),
                    url=login_url(doc.url) if needs_login else doc.url,
                    score=round(hit.score, 4),
                    kind=doc.kind,
                    requires_login=needs_login,
                )
            )
        suggestions: list[str] = []
        if not results and query:
            suggestions = self.index.suggest(query, allowed=lambda key: self._allowed(principal, key))
        return SearchResponse(query=query, results=results, suggestions=suggestions)

    async def refresh_clicks(self, now: dt.datetime, *, force: bool = False) -> None:
        """Re-learn click-through from search analytics, at most every CLICKS_REFRESH unless ``force``."""
        if not force and self._clicks_at is not None and now - self._clicks_at < CLICKS_REFRESH:
            return
        self._clicks_at = now
        self.clicks = await search_analytics.learned_clicks(now, click_key)

    def opened(self, code: str) -> None:
        self.popularity[code] = self.popularity.get(code, 0) + 1
