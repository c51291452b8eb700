"""Responses for one invoice: the detail page, the PDF, the XML and the printable view."""

from __future__ import annotations

import base64
from typing import Any

from litestar import Request, Response
from litestar.exceptions import NotFoundException
from litestar.response import Template

from etax.platform import api
from etax.plugins.invoices.face import invoice_pdf, invoice_xml, red_remark
from etax.plugins.invoices.model import InvoiceView
from etax.plugins.invoices.money import capitals
from etax.plugins.invoices.store import invoice_for, red_invoices_of


async def visible_invoice(request: Request[Any, Any, Any], invoice_id: int) -> tuple[api.Actor, InvoiceView]:
    """The invoice if the visitor's taxpayer sold or bought it; another taxpayer's id answers 404."""
    actor = await api.current_actor(request)
    invoice = await invoice_for(invoice_id, actor.taxpayer_id)
    if invoice is None:
        raise NotFoundException("未找到该发票")
    return actor, invoice


def qr_base64(invoice: InvoiceView) -> str:
    """The face's QR code as base64 PNG (for an inline ``data:`` image)."""
    return base64.b64encode(api.qr_png(invoice.qr_payload(), scale=3).getvalue()).decode("ascii")


def face_context(invoice: InvoiceView) -> dict[str, Any]:
    return {
        "qr": qr_base64,
        "invoice": invoice,
        "capitals": capitals,
        "red_remark": red_remark(invoice),
        "beijing": api.beijing,
    }


async def detail_page(
    request: Request[Any, Any, Any], invoice_id: int, base: str, *, extra: dict[str, Any] | None = None
) -> Template:
    actor, invoice = await visible_invoice(request, invoice_id)
    reds = await red_invoices_of(invoice.id) if not invoice.is_red else []
    return Template(
        "invoices/detail.html",
        context={
            **face_context(invoice),
            "base": base,
            "reds": reds,
            "is_seller": invoice.seller_id == actor.taxpayer_id,
            "notice": api.pop_notice(request),
            **(extra or {}),
        },
    )


async def pdf_response(request: Request[Any, Any, Any], invoice_id: int) -> Response[bytes]:
    _actor, invoice = await visible_invoice(request, invoice_id)
    return Response(
        invoice_pdf(invoice),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{invoice.number}.pdf"'},
    )


async def xml_response(request: Request[Any, Any, Any], invoice_id: int) -> Response[bytes]:
    _actor, invoice = await visible_invoice(request, invoice_id)
    return Response(
        invoice_xml(invoice),
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{invoice.number}.xml"'},
    )


async def print_page(request: Request[Any, Any, Any], invoice_id: int) -> Template:
    _actor, invoice = await visible_invoice(request, invoice_id)
    return Template("invoices/print.html", context=face_context(invoice))
