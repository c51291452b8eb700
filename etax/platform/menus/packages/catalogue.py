"""The function catalogue as the menu editors show it: a step or entry, and the search picker."""

from __future__ import annotations

import msgspec

from etax.platform.functions import AUDIENCE_LABELS
from etax.platform.registry import FunctionRegistry
from etax.platform.search import SearchService

PICKER_LIMIT = 15


class CatalogueItem(msgspec.Struct, frozen=True, kw_only=True):
    """A function by code: its name and path, who it is for, which plugin provides it."""

    code: str
    name: str
    path: str
    audiences: str
    plugin: str
    missing: bool = False


def catalogue_item(registry: FunctionRegistry, code: str) -> CatalogueItem:
    """The function ``code``, or an item marked ``missing`` when no loaded plugin provides it."""
    spec = registry.get(code)
    if spec is None:
        return CatalogueItem(code=code, name="（功能已下线）", path="", audiences="", plugin="", missing=True)
    return CatalogueItem(
        code=spec.code,
        name=spec.name,
        path=" › ".join(spec.path),
        audiences="、".join(AUDIENCE_LABELS[audience] for audience in sorted(spec.audiences)),
        plugin=spec.plugin,
    )


def pick(search: SearchService, query: str) -> list[CatalogueItem]:
    """Functions matching ``query`` (name, pinyin, initials, keywords), best first."""
    if not query.strip():
        return []
    response = search.search(query, None, limit=PICKER_LIMIT)
    return [catalogue_item(search.registry, r.code) for r in response.results if r.kind == "function"]
