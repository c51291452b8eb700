"""Search endpoints: JSON for scripts, an htmx partial for the header box, a results page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect, Template

from etax.platform import search_analytics
from etax.platform.access import Access, decide
from etax.platform.auth.sessions import SESSION_COOKIE
from etax.platform.runtime import get_runtime
from etax.platform.search import SearchResponse, login_url

Query = Annotated[str, QueryParameter(max_length=200)]
Limit = Annotated[int, QueryParameter(ge=1, le=50)]
Code = Annotated[str, QueryParameter(max_length=160)]


def session_of(request: Request[Any, Any, Any]) -> str:
    """A pseudonym of the visitor's browser session (their address and browser without a session)."""
    runtime = get_runtime(request.app)
    session = request.cookies.get(SESSION_COOKIE) or ""
    if not session or session == "null":
        client = request.client.host if request.client else ""
        session = f"{client}|{request.headers.get('user-agent', '')}"
    return search_analytics.session_pseudonym(runtime.settings.secret_key, session)


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
    principal = await runtime.principal_of(request)
    response = runtime.search.search(q, principal, limit=30)
    visitor = principal.kind if principal else "anonymous"
    await search_analytics.record_search(q, len(response.results), visitor)
    await runtime.search.refresh_clicks(dt.datetime.now(dt.UTC))
    if go and response.results:
        first = response.results[0]
        await search_analytics.record_click(q, first.code, visitor, session_of(request))
        return Redirect(first.url)
    return Template("search.html", context={"response": response})


@get("/search/go", name="search-go")
async def search_go(request: Request[Any, Any, Any], q: Query = "", code: Code = "") -> Redirect:
    """Open a result chosen in the search box or on the results page, counting the click."""
    runtime = get_runtime(request.app)
    principal = await runtime.principal_of(request)
    doc = runtime.search.index.document(code)
    if doc is None:
        raise NotFoundException()
    await search_analytics.record_click(
        q, code, principal.kind if principal else "anonymous", session_of(request)
    )
    spec = runtime.registry.get(code)
    if spec is not None and decide(principal, spec) is Access.LOGIN_REQUIRED:
        return Redirect(login_url(spec.url))
    return Redirect(doc.url)
