"""蓝字发票开具 (with 复制开票): the form, the buyer look-up, the result and the issued invoice's documents."""

from __future__ import annotations

import secrets
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from etax.platform import api
from etax.platform.api import RecordId
from etax.plugins.invoices.documents import detail_page, pdf_response, print_page, xml_response
from etax.plugins.invoices.functions import BLUE_ISSUE, FULL_QUERY, RED_ISSUE
from etax.plugins.invoices.issuing.batch import MAX_BYTES, issue_batch, template_bytes
from etax.plugins.invoices.issuing.form import (
    DEFAULT_ROWS,
    MAX_ROWS,
    FormValues,
    RowValues,
    parse,
    values_from,
    values_of,
)
from etax.plugins.invoices.issuing.service import issue
from etax.plugins.invoices.model import InvoiceError, InvoiceKind, Who
from etax.plugins.invoices.money import RATES, rate_label
from etax.plugins.invoices.recent import recent_issued
from etax.plugins.invoices.store import account_of, invoice_for


def who_of(request: Request[Any, Any, Any], actor: api.Actor) -> Who:
    client = request.client
    return Who(
        actor=actor.name,
        taxpayer_id=actor.taxpayer_id,
        acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
        ip=client.host if client else "",
    )


async def form_page(
    request: Request[Any, Any, Any],
    actor: api.Actor,
    values: FormValues,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    while len(values.rows) < DEFAULT_ROWS:
        values.rows.append(RowValues())
    account = await account_of(actor.taxpayer_id)
    return Template(
        "invoices/issue.html",
        context={
            "values": values,
            "errors": errors or {},
            "account": account,
            "kinds": [InvoiceKind.SPECIAL, InvoiceKind.ORDINARY],
            "rates": [(f"{rate:f}", rate_label(rate)) for rate in RATES],
            "recent": await recent_issued(actor.taxpayer_id),
            "submission": secrets.token_urlsafe(18),
            "max_rows": MAX_ROWS,
            "can_red": api.can_open(actor.principal, RED_ISSUE),
            "can_query": api.can_open(actor.principal, FULL_QUERY),
        },
        status_code=status_code,
    )


class IssueController(Controller):
    path = BLUE_ISSUE.url
    opt = {"function": BLUE_ISSUE.code}

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        actor = await api.current_actor(request)
        return await form_page(request, actor, FormValues())

    @get("/buyer")
    async def buyer(self, request: Request[Any, Any, Any], buyer_tin: FromQuery[str] = "") -> Template:
        """htmx: the buyer's registered name for a typed 纳税人识别号 (or why the number is wrong)."""
        await api.current_actor(request)
        code = api.normalise_code(buyer_tin)[:20]
        problem = api.tin_problem(code) if code else None
        record = None if problem or not code else await api.registry.taxpayer_by_tin(code)
        return Template("invoices/_buyer.html", context={"problem": problem, "record": record, "tin": code})

    @post("/")
    async def submit(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        actor = await api.current_actor(request)
        raw = await api.submitted(request)
        form = {key: api.submitted_text(raw, key, 20_000) for key in raw}
        values = values_from(form)
        if form.get("action") == "add_row":
            if len(values.rows) < MAX_ROWS:
                values.rows.append(RowValues())
            return await form_page(request, actor, values)
        who = who_of(request, actor)
        submission = form.get("_submission", "")[:48] or None
        try:
            invoice = await issue(parse(values), who, submission)
        except InvoiceError as error:
            await api.record(
                actor=who.actor,
                acting_for=who.acting_for,
                taxpayer_id=actor.taxpayer_id,
                action="invoice.issue",
                ip=who.ip,
                outcome="refused",
                detail=error.message,
            )
            return await form_page(
                request, actor, values, {error.field: error.message, "_form": error.message}, 400
            )
        api.set_notice(request, f"发票开具成功，发票号码 {invoice.number}")
        return Redirect(f"{BLUE_ISSUE.url}/{invoice.id}", status_code=303)

    @get("/batch")
    async def batch_form(self, request: Request[Any, Any, Any]) -> Template:
        """批量开具: upload an XLSX filled from the template."""
        await api.current_actor(request)
        return Template("invoices/batch.html", context={"results": None, "error": ""})

    @get("/batch/template.xlsx")
    async def batch_template(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        await api.current_actor(request)
        return Response(
            template_bytes(),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": "attachment; filename*=UTF-8''%E6%89%B9%E9%87%8F%E5%BC%80%E5%85%B7.xlsx"
            },
        )

    @post("/batch")
    async def batch_upload(self, request: Request[Any, Any, Any]) -> Template:
        actor = await api.current_actor(request)
        files = await api.submitted_files(request, "file")
        error = ""
        results = None
        if not files:
            error = "请选择要导入的Excel文件"
        else:
            try:
                results = await issue_batch(await files[0].read(MAX_BYTES + 1), who_of(request, actor))
            except InvoiceError as problem:
                error = problem.message
        return Template(
            "invoices/batch.html",
            context={
                "results": results,
                "error": error,
                "issued": len({r.group for r in results or [] if r.ok}),
                "failed": len({r.group for r in results or [] if not r.ok}),
            },
            status_code=400 if error else 200,
        )

    @get("/copy/{invoice_id:int}")
    async def copy(self, request: Request[Any, Any, Any], invoice_id: RecordId) -> Template:
        """复制开票: a new invoice filled from one this taxpayer issued."""
        actor = await api.current_actor(request)
        invoice = await invoice_for(invoice_id, actor.taxpayer_id)
        if invoice is None or invoice.seller_id != actor.taxpayer_id or invoice.is_red:
            raise NotFoundException("未找到可复制的蓝字发票")
        return await form_page(request, actor, values_of(invoice))

    @get("/{invoice_id:int}")
    async def detail(self, request: Request[Any, Any, Any], invoice_id: RecordId) -> Template:
        actor = await api.current_actor(request)
        await _own_issued(actor, invoice_id)
        return await detail_page(
            request, invoice_id, BLUE_ISSUE.url, extra={"can_red": api.can_open(actor.principal, RED_ISSUE)}
        )

    @get("/{invoice_id:int}/pdf")
    async def pdf(self, request: Request[Any, Any, Any], invoice_id: RecordId) -> Response[bytes]:
        await _own_issued(await api.current_actor(request), invoice_id)
        return await pdf_response(request, invoice_id)

    @get("/{invoice_id:int}/xml")
    async def xml(self, request: Request[Any, Any, Any], invoice_id: RecordId) -> Response[bytes]:
        await _own_issued(await api.current_actor(request), invoice_id)
        return await xml_response(request, invoice_id)

    @get("/{invoice_id:int}/print")
    async def printable(self, request: Request[Any, Any, Any], invoice_id: RecordId) -> Template:
        await _own_issued(await api.current_actor(request), invoice_id)
        return await print_page(request, invoice_id)


async def _own_issued(actor: api.Actor, invoice_id: int) -> None:
    invoice = await invoice_for(invoice_id, actor.taxpayer_id)
    if invoice is None or invoice.seller_id != actor.taxpayer_id:
        raise NotFoundException("未找到该发票")
