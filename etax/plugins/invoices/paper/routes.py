"""发票领用 page: allowances from the 票种核定, the 领用 form, batches with 验旧."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform import api
from etax.platform.api import RecordId
from etax.plugins.invoices.clock import beijing_today
from etax.plugins.invoices.functions import PAPER_PURCHASE
from etax.plugins.invoices.issuing.routes import who_of
from etax.plugins.invoices.model import InvoiceError
from etax.plugins.invoices.paper.loss import LOSS_REPORT, LossKind, losses, parse_loss, report_loss
from etax.plugins.invoices.paper.service import allowances, batches, purchase, verify_old


async def _page(
    request: Request[Any, Any, Any], actor: api.Actor, errors: dict[str, str], status_code: int = 200
) -> Template:
    return Template(
        "invoices/paper.html",
        context={
            "allowances": await allowances(actor.taxpayer_id),
            "batches": await batches(actor.taxpayer_id),
            "errors": errors,
            "notice": api.pop_notice(request),
            "beijing": api.beijing,
        },
        status_code=status_code,
    )


class PaperPurchaseController(Controller):
    path = PAPER_PURCHASE.url
    opt = {"function": PAPER_PURCHASE.code}

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        return await _page(request, await api.current_actor(request), {})

    @post("/")
    async def take(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        actor = await api.current_actor(request)
        raw = await api.submitted(request)
        text = api.submitted_text(raw, "quantity", 20_000).strip()
        try:
            if not text.isdigit():
                raise InvoiceError("领用数量必须为正整数", "quantity")
            batch = await purchase(
                api.submitted_text(raw, "invoice_type", 20_000), int(text[:6]), who_of(request, actor)
            )
        except InvoiceError as error:
            return await _page(request, actor, {error.field: error.message}, 400)
        api.set_notice(
            request,
            f"领用成功：{batch.invoice_type} 发票代码{batch.code}，号码{batch.first_number:08d}至{batch.last_number:08d}",
        )
        return Redirect(PAPER_PURCHASE.url, status_code=303)

    @post("/verify/{batch_id:int}")
    async def verify(self, request: Request[Any, Any, Any], batch_id: RecordId) -> Redirect:
        actor = await api.current_actor(request)
        try:
            await verify_old(batch_id, who_of(request, actor))
        except InvoiceError as error:
            raise NotFoundException(error.message) from None
        api.set_notice(request, "验旧完成，可继续领用新发票")
        return Redirect(PAPER_PURCHASE.url, status_code=303)


async def _loss_page(
    request: Request[Any, Any, Any],
    actor: api.Actor,
    errors: dict[str, str],
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    held = [batch for batch in await batches(actor.taxpayer_id) if not batch.verified]
    return Template(
        "invoices/loss.html",
        context={
            "held": held,
            "losses": await losses(actor.taxpayer_id),
            "kinds": list(LossKind),
            "errors": errors,
            "form": form or {},
            "notice": api.pop_notice(request),
            "beijing": api.beijing,
            "today": beijing_today().isoformat(),
        },
        status_code=status_code,
    )


class LossReportController(Controller):
    path = LOSS_REPORT.url
    opt = {"function": LOSS_REPORT.code}

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        return await _loss_page(request, await api.current_actor(request), {})

    @post("/")
    async def report(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        actor = await api.current_actor(request)
        raw = await api.submitted(request)
        form = {
            key: api.submitted_text(raw, key, 300)
            for key in ("batch", "first_number", "last_number", "kind", "happened_on", "description")
        }
        try:
            loss = await report_loss(parse_loss(form), who_of(request, actor))
        except InvoiceError as error:
            return await _loss_page(request, actor, {error.field: error.message}, form, 400)
        api.set_notice(
            request,
            f"报告成功（报告编号{loss.number}）：发票代码{loss.code}，号码{loss.first_number:08d}至{loss.last_number:08d}，"
            f"共{loss.quantity}份，已{loss.kind}",
        )
        return Redirect(LOSS_REPORT.url, status_code=303)
