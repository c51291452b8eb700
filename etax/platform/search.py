"""Search as the portal offers it: the index of every function and document, filtered by access.

A visitor is never shown a function they cannot open. Anonymous visitors are offered functions that
need a login as "登录后办理" entries whose link leads to the login page and back; logged-in visitors
see only what :func:`etax.platform.access.decide` allows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

import msgspec

from etax.platform.access import Decision, decide
from etax.platform.identity import Principal
from etax.platform.registry import FunctionRegistry
from etax.search_index import SearchDocument, SearchIndex


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
        )
        for spec in registry
    ]


class SearchService:
    """The per-process in-memory index plus the popularity counts."""

    def __init__(self, registry: FunctionRegistry, extra: Iterable[SearchDocument] = ()) -> None:
        self.registry = registry
        self.index = SearchIndex.build([*function_documents(registry), *extra])
        self.popularity: dict[str, int] = {}

    def _decision(self, principal: Principal | None, key: str) -> Decision:
        spec = self.registry.get(key)
        if spec is None:
            return Decision.ALLOW  # articles and other documents are public
        decision = decide(principal, spec)
        if decision is Decision.LOGIN_REQUIRED and principal is not None:
            return Decision.FORBIDDEN
        return decision

    def _allowed(self, principal: Principal | None, key: str) -> bool:
        return self._decision(principal, key) is not Decision.FORBIDDEN

    def search(self, query: str, principal: Principal | None, limit: int = 10) -> SearchResponse:
        """Search for ``query`` on behalf of ``principal``; zero results come with suggestions."""
        query = query.strip()[:100]
        hits = self.index.search(
            query,
            allowed=lambda key: self._allowed(principal, key),
            popularity=self.popularity,
            limit=limit,
        )
        results: list[SearchResult] = []
        for hit in hits:
            doc = self.index.document(hit.key)
            if doc is None:
                continue
            needs_login = self._decision(principal, hit.key) is Decision.LOGIN_REQUIRED
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

    def opened(self, code: str) -> None:
        self.popularity[code] = self.popularity.get(code, 0) + 1
