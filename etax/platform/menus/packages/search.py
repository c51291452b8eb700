"""Published 套餐业务 in search: documents of kind ``package``, rebuilt whenever the packages change.

The worker that makes a change rebuilds at once (:func:`refresh` with ``force``). Every other worker
compares the menus' version counter with the one its documents were built from before each search
and home-page request (:func:`refresh_before_request`; the counter is read at most once per
``ETAX_CACHE_CHECK_SECONDS``, see :mod:`etax.platform.caching`) and rebuilds only when it changed, so a
change shows in every worker's and instance's search within that interval.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from etax.platform.access import menu_audiences
from etax.platform.functions import Audience
from etax.platform.menus.packages.common import PACKAGES_VERSION_KEY
from etax.platform.menus.packages.model import PackageRecord, packages
from etax.platform.registry import FunctionRegistry
from etax.platform.runtime import get_runtime
from etax.platform.search import SearchService
from etax.search_index import SearchDocument
from etax.search_index.documents import DocumentKind

KIND: DocumentKind = "package"
PATH = ("个性化办税", "套餐及组合业务")
KEYWORDS = ("套餐", "套餐业务", "组合业务", "一站式")


def package_url(package_id: int) -> str:
    return f"/packages/{package_id}"


def package_key(package_id: int) -> str:
    return f"package:{package_id}"


def package_document(record: PackageRecord, registry: FunctionRegistry) -> SearchDocument | None:
    """A published package as a search document (None when none of its functions exists any more)."""
    names = [spec.name for code in record.available_steps(registry) if (spec := registry.get(code))]
    if not names:
        return None
    return SearchDocument(
        key=package_key(record.id),
        kind=KIND,
        title=record.name,
        short_title=record.name,
        path=(*PATH, record.name),
        url=package_url(record.id),
        keywords=(*KEYWORDS, *names),
        body=record.description,
    )


async def refresh(search: SearchService, *, force: bool = False) -> None:
    """Rebuild the package documents if the packages changed since they were built (or ``force``)."""
    if force:
        PACKAGES_VERSION_KEY.expire()
    version = await PACKAGES_VERSION_KEY.current()
    if not force and version in (search.versions.get(KIND), search.pending.get(KIND)):
        return
    search.pending[KIND] = version
    try:
        documents: list[SearchDocument] = []
        audiences: dict[str, frozenset[Audience]] = {}
        for record in await packages(published_only=True):
            document = package_document(record, search.registry)
            if document is None:
                continue
            documents.append(document)
            audiences[document.key] = menu_audiences(record.audience)
        if not documents and not search.documents(KIND):
            search.versions[KIND] = version  # nothing to add or take away: no rebuild needed
            return
        await search.replace_documents(KIND, documents, audiences=audiences, version=version)
    finally:
        if search.pending.get(KIND) == version:
            del search.pending[KIND]


async def refresh_before_request(request: Request[Any, Any, Any]) -> None:
    """``before_request`` of the search routes, the home page and the package pages."""
    await refresh(get_runtime(request.app).search)
