"""Search endpoints: JSON for scripts, an htmx partial for the header box, a results page."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect, Template

from etax.platform.runtime import get_runtime
from etax.platform.search import SearchResponse

Query = Annotated[str, QueryParameter(max_length=200)]
Limit = Annotated[int, QueryParameter(ge=1, le=50)]


@get("/api/search", name="api-search")
async def api_search(request: Request[Any, Any, Any], q: Query = "", limit: Limit = 10) -> SearchResponse:
    """``{"query", "results": [{"code", "name", "short_name", "path", "url", "score"}], "suggestions"}``."""
    runtime = get_runtime(request.app)
    return runtime.search.search(q, await runtime.principal_of(request), limit=limit)


@get("/search/suggest", name="search-suggest")
async def search_suggest(request: Request[Any, Any, Any], q: Query = "") -> Template:
    """The live results under the header search box (htmx partial)."""
    runtime = get_runtime(request.app)
    response = runtime.search.search(q, await runtime.principal_of(request), limit=8)
    return Template("partials/search_results.html", context={"response": response})


@get("/search", name="search")
async def search_page(
    request: Request[Any, Any, Any], q: Query = "", go: FromQuery[str] = ""
) -> Template | Redirect:
    """The full results page; ``go=1`` (Enter in the box) opens the first result directly."""
    runtime = get_runtime(request.app)
    response = runtime.search.search(q, await runtime.principal_of(request), limit=30)
    if go and response.results:
        return Redirect(response.results[0].url)
    return Template("search.html", context={"response": response})
