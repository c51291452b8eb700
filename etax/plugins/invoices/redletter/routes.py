"""红字发票开具: find the blue invoice, raise a 红字发票信息确认单, confirm / refuse / withdraw it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from etax.platform import api
from etax.platform.api import RecordId
from etax.plugins.invoices.functions import RED_ISSUE
from etax.plugins.invoices.issuing.routes import who_of
from etax.plugins.invoices.model import InvoiceError, InvoiceView, RedStatus
from etax.plugins.invoices.redletter.service import (
    REASONS,
    RedLine,
    decide,
    raise_request,
    request_for,
    requests_of,
)
from etax.plugins.invoices.store import invoice_by_number, invoice_for


async def _blue(request: Request[Any, Any, Any], blue_id: int) -> tuple[api.Actor, InvoiceView]:
    actor = await api.current_actor(request)
    invoice = await invoice_for(blue_id, actor.taxpayer_id)
    if invoice is None or invoice.is_red:
        raise NotFoundException("未找到该蓝字发票")
    return actor, invoice


def _form_page(
    invoice: InvoiceView, taxpayer_id: int, values: dict[str, str], error: str = "", status_code: int = 200
) -> Template:
    return Template(
        "invoices/red_form.html",
        context={
            "invoice": invoice,
            "party": "销售方" if invoice.seller_id == taxpayer_id else "购买方",
            "reasons": REASONS,
            "values": values,
            "error": error,
        },
        status_code=status_code,
    )


class RedLetterController(Controller):
    path = RED_ISSUE.url
    opt = {"function": RED_ISSUE.code}

    @get("/")
    async def home(self, request: Request[Any, Any, Any], number: FromQuery[str] = "") -> Template | Redirect:
        actor = await api.current_actor(request)
        error = ""
        number = number.strip()[:20]
        if number:
            invoice = await invoice_by_number(number)
            if invoice is None or actor.taxpayer_id not in (invoice.seller_id, invoice.buyer_id):
                error = "未查询到本单位开具或取得的该号码发票，请核对发票号码"
            elif invoice.is_red:
                error = "该发票为红字发票，不能再开具红字发票"
            else:
                return Redirect(f"{RED_ISSUE.url}/new/{invoice.id}", status_code=303)
        return Template(
            "invoices/red_home.html",
            context={
                "number": number,
                "error": error,
                "pending": await requests_of(actor.taxpayer_id, pending_for_me=True),
                "slips": await requests_of(actor.taxpayer_id),
                "me": actor.taxpayer_id,
                "notice": api.pop_notice(request),
                "beijing": api.beijing,
            },
            status_code=200 if not error else 400,
        )

    @get("/new/{blue_id:int}")
    async def new(self, request: Request[Any, Any, Any], blue_id: RecordId) -> Template:
        actor, invoice = await _blue(request, blue_id)
        values = {f"amount_{item.id}": f"{item.remaining:.2f}" for item in invoice.items}
        return _form_page(invoice, actor.taxpayer_id, values)

    @post("/new/{blue_id:int}")
    async def create(self, request: Request[Any, Any, Any], blue_id: RecordId) -> Template | Redirect:
        actor, invoice = await _blue(request, blue_id)
        raw = await api.submitted(request)
        values = {key: api.submitted_text(raw, key, 40) for key in raw}
        who = who_of(request, actor)
        try:
            lines: list[RedLine] = []
            for item in invoice.items:
                text = values.get(f"amount_{item.id}", "").replace(",", "").strip() or "0"
                try:
                    amount = Decimal(text)
                except InvalidOperation:
                    raise InvoiceError(f"第{item.line}行：红冲金额应为数字") from None
                if not amount.is_finite():
                    raise InvoiceError(f"第{item.line}行：红冲金额应为数字")
                lines.append(RedLine(item=item.id, amount=amount))
            slip = await raise_request(invoice.id, lines, values.get("reason", ""), who)
        except InvoiceError as error:
            await api.record(
                actor=who.actor,
                acting_for=who.acting_for,
                taxpayer_id=actor.taxpayer_id,
                action="invoice.red_request",
                target=f"蓝字发票 {invoice.number}",
                ip=who.ip,
                outcome="refused",
                detail=error.message,
            )
            return _form_page(invoice, actor.taxpayer_id, values, error.message, 400)
        if slip.status is RedStatus.ISSUED:
            api.set_notice(request, "对方未在本平台登记，无需确认，红字发票已开具")
        else:
            api.set_notice(request, f"红字发票信息确认单 {slip.number} 已提交，待对方在“我的待办”中确认")
        return Redirect(f"{RED_ISSUE.url}/requests/{slip.id}", status_code=303)

    @get("/requests/{request_id:int}")
    async def slip(self, request: Request[Any, Any, Any], request_id: RecordId) -> Template:
        actor = await api.current_actor(request)
        found = await request_for(request_id, actor.taxpayer_id)
        if found is None:
            raise NotFoundException("未找到该确认单")
        blue = await invoice_for(found.blue_id, actor.taxpayer_id)
        return Template(
            "invoices/red_request.html",
            context={
                "slip": found,
                "blue": blue,
                "items": {item.id: item for item in blue.items} if blue else {},
                "me": actor.taxpayer_id,
                "notice": api.pop_notice(request),
                "beijing": api.beijing,
            },
        )

    @post("/requests/{request_id:int}")
    async def act(self, request: Request[Any, Any, Any], request_id: RecordId) -> Redirect:
        actor = await api.current_actor(request)
        if await request_for(request_id, actor.taxpayer_id) is None:
            raise NotFoundException("未找到该确认单")
        action = api.submitted_text(await api.submitted(request), "action")
        try:
            slip = await decide(request_id, action, who_of(request, actor))
            api.set_notice(request, f"确认单{slip.status.value}")
        except InvoiceError as error:
            api.set_notice(request, error.message, error=True)
        return Redirect(f"{RED_ISSUE.url}/requests/{request_id}", status_code=303)
