"""海关缴款书采集 page: the form and the taxpayer's recorded 缴款书 with their 勾选 state."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from etax.platform import api
from etax.plugins.invoices.clock import beijing_today
from etax.plugins.invoices.customs import CUSTOMS, customs_payments, parse_customs, record_customs
from etax.plugins.invoices.functions import DEDUCT_SELECTION
from etax.plugins.invoices.issuing.routes import who_of
from etax.plugins.invoices.model import InvoiceError

FIELDS = ("number", "issue_date", "customs", "amount", "tax")


async def _page(
    request: Request[Any, Any, Any],
    actor: api.Actor,
    errors: dict[str, str],
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "invoices/customs.html",
        context={
            "payments": await customs_payments(actor.taxpayer_id),
            "errors": errors,
            "form": form or {},
            "notice": api.pop_notice(request),
            "today": beijing_today().isoformat(),
            "url": CUSTOMS.url,
            "deduct_url": DEDUCT_SELECTION.url,
        },
        status_code=status_code,
    )


class CustomsController(Controller):
    path = CUSTOMS.url
    opt = {"function": CUSTOMS.code}

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        return await _page(request, await api.current_actor(request), {})

    @post("/")
    async def record(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        actor = await api.current_actor(request)
        raw = await api.submitted(request)
        form = {key: api.submitted_text(raw, key, 100) for key in FIELDS}
        try:
            payment = await record_customs(parse_customs(form), who_of(request, actor))
        except InvoiceError as error:
            return await _page(request, actor, {error.field: error.message}, form, 400)
        except Exception as error:
            if not api.is_unique_violation(error):
                raise
            message = f"缴款书{form['number'].strip().upper()}已采集，不能重复采集"
            return await _page(request, actor, {"number": message}, form, 400)
        api.set_notice(
            request, f"采集成功：缴款书{payment.number}，税款金额{payment.tax:,.2f}元，可在抵扣类勾选中勾选"
        )
        return Redirect(CUSTOMS.url, status_code=303)
