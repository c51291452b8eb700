"""The one controller behind every query: list (htmx partial updates), export, print and detail.

Access is the platform's decision (the route is bound to the query's function); the controller only
asks who the taxpayer is and passes it to the query's read function, so an agency sees only the client
it acts for and every record id is looked up within that taxpayer (another's → 404).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File, Stream, Template

from etax.platform.api import (
    STORED_PER_SESSION_OPT,
    Actor,
    Exporter,
    ExportFormat,
    Listing,
    ListQuery,
    PageRequest,
    RecordId,
    current_actor,
    export_response,
    list_query,
    print_rows,
    printed_at,
    row_cells,
)
from etax.plugins.queries.spec import QuerySpec

MAX_ID = 2**31 - 1


async def _query(request: Request[Any, Any, Any], spec: QuerySpec[Any], actor: Actor) -> ListQuery[Any]:
    listing: Listing[Any] = spec.listing
    if spec.choices is not None:
        extra = tuple(await spec.choices(actor))
        names = {flt.name for flt in extra}
        kept = tuple(flt for flt in listing.filters if flt.name not in names)
        listing = dataclasses.replace(listing, filters=(*extra, *kept))
    return list_query(request, listing, scope=f"taxpayer:{actor.taxpayer_id}")


def _reader(
    request: Request[Any, Any, Any], spec: QuerySpec[Any], actor: Actor, query: ListQuery[Any]
) -> Any:
    async def read(page: PageRequest) -> list[Any]:
        return await spec.rows(request, actor, query, page)

    return read


def query_controller(spec: QuerySpec[Any]) -> type[Controller]:
    """The routes of one query: ``/`` (list), ``/export/csv|xlsx``, ``/print`` and ``/<id>`` (detail)."""
    function = spec.function

    class QueryController(Controller):
        path = function.url
        opt = {"function": function.code}

        # The list page shows the taxpayer's records as the database holds them: stored per session while
        # nothing changed (the platform decides: etax.platform.web.session_pages).
        @get("/", opt={STORED_PER_SESSION_OPT: True})
        async def listing(self, request: Request[Any, Any, Any]) -> Template:
            actor = await current_actor(request)
            query = await _query(request, spec, actor)
            page = query.result(await spec.rows(request, actor, query, query.page))
            if spec.count is not None:
                page = dataclasses.replace(page, total=await spec.count(actor, query))
            summary = await spec.summary(actor, query) if spec.summary is not None else []
            # Cells are rendered here, not by a template loop per cell (row_cells: escaped, classed).
            cells = [(getattr(row, "id", None), row_cells(spec.columns, row)) for row in page.rows]
            context = {
                "spec": spec,
                "query": query,
                "page": page,
                "url": function.url,
                "summary": summary,
                "cells": cells,
            }
            partial = (
                request.headers.get("hx-request") == "true" and request.headers.get("hx-target") == "results"
            )
            return Template("queries/_results.html" if partial else "queries/query.html", context=context)

        @get("/export/{fmt:str}")
        async def export(self, request: Request[Any, Any, Any], fmt: FromPath[str]) -> Stream | File:
            try:
                kind = ExportFormat(fmt)
            except ValueError:
                raise NotFoundException() from None
            actor = await current_actor(request)
            query = await _query(request, spec, actor)
            who = Exporter(
                title=function.name,
                actor=actor.name,
                acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
                taxpayer_id=actor.taxpayer_id,
            )
            return await export_response(
                request, kind, query, _reader(request, spec, actor, query), spec.columns, who
            )

        @get("/print")
        async def print_view(self, request: Request[Any, Any, Any]) -> Template:
            actor = await current_actor(request)
            query = await _query(request, spec, actor)
            rows, truncated = await print_rows(query, _reader(request, spec, actor, query))
            return Template(
                "listing/print.html",
                context={
                    "title": function.name,
                    "taxpayer_name": actor.taxpayer_name,
                    "description": query.describe(),
                    "printed_at": printed_at(),
                    "columns": spec.columns,
                    "rows": rows,
                    "truncated": truncated,
                    "back": function.url + query.href(),
                },
            )

        @get("/{record_id:int}")
        async def detail(self, request: Request[Any, Any, Any], record_id: RecordId) -> Template:
            if not spec.has_detail or not 0 < record_id <= MAX_ID:
                raise NotFoundException()
            actor = await current_actor(request)
            if spec.detail_page is not None:
                page = await spec.detail_page(request, actor, record_id)
                if page is None:
                    raise NotFoundException()
                return page
            assert spec.detail is not None
            view = await spec.detail(actor, record_id)
            if view is None:
                raise NotFoundException()
            return Template(
                "queries/detail.html", context={"spec": spec, "detail": view, "url": function.url}
            )

    QueryController.__name__ = QueryController.__qualname__ = f"Query_{function.code.replace('.', '_')}"
    return QueryController
