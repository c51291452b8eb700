"""全量发票查询 (the platform's list page: filters in the URL, keyset pagination, CSV/XLSX export, print;
detail with PDF/XML/print) and 进项税额转出情况查询."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File, Stream, Template

from etax.platform import api
from etax.platform.api import ListQuery, PageRequest, RecordId
from etax.plugins.invoices.documents import detail_page, pdf_response, print_page, xml_response
from etax.plugins.invoices.functions import FULL_QUERY, RED_ISSUE, TRANSFER_OUT_QUERY
from etax.plugins.invoices.search.service import COLUMNS, LISTING, Direction, QueryRow, direction_of, read
from etax.plugins.invoices.store import money
from etax.plugins.invoices.tables import TransferOut


def _query(request: Request[Any, Any, Any], actor: api.Actor) -> tuple[Direction, ListQuery[QueryRow]]:
    """The visitor's query; cursors are bound to the taxpayer and the query type (开具/取得)."""
    direction = direction_of(str(request.query_params.get("direction", "")))
    query = api.list_query(request, LISTING, scope=f"taxpayer:{actor.taxpayer_id}:{direction.value}")
    query.extra["direction"] = direction.value
    return direction, query


def _reader(actor: api.Actor, direction: Direction, query: ListQuery[QueryRow]) -> Any:
    async def read_page(page: PageRequest) -> list[QueryRow]:
        return await read(actor.taxpayer_id, direction, query, page)

    return read_page


class FullQueryController(Controller):
    path = FULL_QUERY.url
    opt = {"function": FULL_QUERY.code}

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        actor = await api.current_actor(request)
        direction, query = _query(request, actor)
        page = query.result(await read(actor.taxpayer_id, direction, query, query.page))
        return Template(
            "invoices/query.html",
            context={
                "query": query,
                "page": page,
                "columns": COLUMNS,
                "direction": direction,
                "directions": list(Direction),
                "url": FULL_QUERY.url,
            },
            status_code=400 if query.errors else 200,
        )

    @get("/export/{fmt:str}")
    async def export(self, request: Request[Any, Any, Any], fmt: FromPath[str]) -> Stream | File:
        try:
            kind = api.ExportFormat(fmt)
        except ValueError:
            raise NotFoundException() from None
        actor = await api.current_actor(request)
        direction, query = _query(request, actor)
        who = api.Exporter(
            title=f"全量发票查询（{direction.label}）",
            actor=actor.name,
            acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
            taxpayer_id=actor.taxpayer_id,
        )
        return await api.export_response(request, kind, query, _reader(actor, direction, query), COLUMNS, who)

    @get("/print")
    async def print_view(self, request: Request[Any, Any, Any]) -> Template:
        actor = await api.current_actor(request)
        direction, query = _query(request, actor)
        rows, truncated = await api.print_rows(query, _reader(actor, direction, query))
        return Template(
            "listing/print.html",
            context={
                "title": f"全量发票查询（{direction.label}）",
                "taxpayer_name": actor.taxpayer_name,
                "description": query.describe(),
                "printed_at": api.printed_at(),
                "columns": COLUMNS,
                "rows": rows,
                "truncated": truncated,
                "back": FULL_QUERY.url + query.href(),
            },
        )

    @get("/{invoice_id:int}")
    async def detail(self, request: Request[Any, Any, Any], invoice_id: RecordId) -> Template:
        actor = await api.current_actor(request)
        return await detail_page(
            request, invoice_id, FULL_QUERY.url, extra={"can_red": api.can_open(actor.principal, RED_ISSUE)}
        )

    @get("/{invoice_id:int}/pdf")
    async def pdf(self, request: Request[Any, Any, Any], invoice_id: RecordId) -> Response[bytes]:
        return await pdf_response(request, invoice_id)

    @get("/{invoice_id:int}/xml")
    async def xml(self, request: Request[Any, Any, Any], invoice_id: RecordId) -> Response[bytes]:
        return await xml_response(request, invoice_id)

    @get("/{invoice_id:int}/print")
    async def printable(self, request: Request[Any, Any, Any], invoice_id: RecordId) -> Template:
        return await print_page(request, invoice_id)


class TransferOutController(Controller):
    path = TRANSFER_OUT_QUERY.url
    opt = {"function": TRANSFER_OUT_QUERY.code}

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        actor = await api.current_actor(request)
        rows = (
            await TransferOut.select(
                TransferOut.tax,
                TransferOut.transfer_date,
                TransferOut.red.number,
                TransferOut.blue.number,
                TransferOut.blue.seller_name,
            )
            .where(TransferOut.taxpayer == actor.taxpayer_id)
            .order_by(TransferOut.id, ascending=False)
            .limit(200)
        )
        entries = [
            {
                "date": row["transfer_date"],
                "red": row["red.number"],
                "blue": row["blue.number"],
                "seller": row["blue.seller_name"],
                "tax": money(row["tax"]),
            }
            for row in rows
        ]
        return Template("invoices/transfer_out.html", context={"entries": entries})
