"""全量发票查询 (list, CSV export, detail with PDF/XML/print) and 进项税额转出情况查询."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, Response, get
from litestar.response import Stream, Template

from etax.platform import api
from etax.platform.api import RecordId
from etax.plugins.invoices.documents import detail_page, pdf_response, print_page, xml_response
from etax.plugins.invoices.functions import FULL_QUERY, RED_ISSUE, TRANSFER_OUT_QUERY
from etax.plugins.invoices.model import Colour, InvoiceKind, InvoiceStatus
from etax.plugins.invoices.search.service import Checked, Direction, QueryFilters, check, export_rows, page
from etax.plugins.invoices.store import money
from etax.plugins.invoices.tables import Invoice, TransferOut

CSV_HEADER = (
    "发票号码",
    "开票日期",
    "发票种类",
    "红蓝标志",
    "销售方纳税人识别号",
    "销售方名称",
    "购买方纳税人识别号",
    "购买方名称",
    "金额",
    "税额",
    "价税合计",
    "发票状态",
    "对应蓝字发票号码",
)


def _filters(request: Request[Any, Any, Any]) -> QueryFilters:
    data = {key: str(value)[:60] for key, value in request.query_params.items()}
    return msgspec.convert(
        {k: v for k, v in data.items() if k in QueryFilters.__struct_fields__}, QueryFilters, strict=False
    )


def _query_string(filters: QueryFilters, **changes: str) -> str:
    values = {**msgspec.structs.asdict(filters), **changes}
    return urlencode({k: v for k, v in values.items() if v})


async def _csv(taxpayer_id: int, checked: Checked) -> AsyncIterator[bytes]:
    yield "\ufeff".encode()  # BOM: Excel opens UTF-8 Chinese correctly
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    originals: dict[int, str] = {}
    async for invoice in export_rows(taxpayer_id, checked):
        if invoice.original_id is not None and invoice.original_id not in originals:
            row = await Invoice.select(Invoice.number).where(Invoice.id == invoice.original_id).first()
            originals[invoice.original_id] = str(row["number"]) if row else ""
        writer.writerow(
            (
                invoice.number,
                invoice.issue_date.isoformat(),
                invoice.kind_label,
                "红字" if invoice.is_red else "蓝字",
                invoice.seller_tin,
                invoice.seller_name,
                invoice.buyer_tin,
                invoice.buyer_name,
                f"{invoice.amount:.2f}",
                f"{invoice.tax:.2f}",
                f"{invoice.total:.2f}",
                invoice.status.value,
                originals.get(invoice.original_id or 0, ""),
            )
        )
        if buffer.tell() > 64_000:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


class FullQueryController(Controller):
    path = FULL_QUERY.url
    opt = {"function": FULL_QUERY.code}

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        actor = await api.current_actor(request)
        filters = _filters(request)
        checked, errors = check(filters)
        result = await page(actor.taxpayer_id, checked) if checked else None
        return Template(
            "invoices/query.html",
            context={
                "filters": filters,
                "errors": errors,
                "result": result,
                "directions": list(Direction),
                "kinds": list(InvoiceKind),
                "statuses": list(InvoiceStatus),
                "colours": [(Colour.BLUE.value, "蓝字发票"), (Colour.RED.value, "红字发票")],
                "next_url": (
                    f"?{_query_string(filters, before=str(result.next_before))}"
                    if result and result.next_before
                    else ""
                ),
                "first_url": f"?{_query_string(filters, before='')}" if filters.before else "",
                "export_url": f"{FULL_QUERY.url}/export.csv?{_query_string(filters, before='')}",
            },
            status_code=200 if not errors else 400,
        )

    @get("/export.csv")
    async def export(self, request: Request[Any, Any, Any]) -> Stream | Response[str]:
        actor = await api.current_actor(request)
        checked, errors = check(_filters(request))
        if checked is None:
            return Response(
                "；".join(errors.values()), status_code=400, media_type="text/plain; charset=utf-8"
            )
        name = "开具发票" if checked.direction is Direction.ISSUED else "取得发票"
        return Stream(
            _csv(actor.taxpayer_id, msgspec.structs.replace(checked, before=None)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{_quote(name)}.csv"},
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


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


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
