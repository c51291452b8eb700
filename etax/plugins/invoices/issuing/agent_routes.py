"""发票代开 page: the form (with a one-time token), the tax computed as the visitor types nothing twice,
and the taxpayer's 代开 records with their invoices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from etax.platform import api
from etax.plugins.invoices.agent import (
    AGENT_ISSUE,
    SURCHARGES,
    Business,
    agent_issue,
    agent_issues,
    parse_agent,
    started,
)
from etax.plugins.invoices.clock import beijing_today
from etax.plugins.invoices.functions import FULL_QUERY
from etax.plugins.invoices.issuing.routes import who_of
from etax.plugins.invoices.model import KIND_LABELS, InvoiceError, InvoiceKind
from etax.plugins.invoices.store import approved_kinds

FIELDS = ("kind", "buyer_tin", "buyer_name", "business", "item", "total", "rate", "event_date")


async def _page(
    request: Request[Any, Any, Any],
    actor: api.Actor,
    errors: dict[str, str],
    form: dict[str, str] | None = None,
    status_code: int = 200,
    token: str | None = None,
) -> Template:
    return Template(
        "invoices/agent.html",
        context={
            "records": await agent_issues(actor.taxpayer_id),
            "self_issuing": bool(await approved_kinds(actor.taxpayer_id)),
            "errors": errors,
            "form": form or {},
            "token": token or api.issue_token(request),
            "kinds": [(kind.value, KIND_LABELS[kind]) for kind in InvoiceKind],
            "businesses": list(Business),
            "surcharges": [(label, f"{rate * 100:.0f}%") for _, label, rate in SURCHARGES],
            "notice": api.pop_notice(request),
            "beijing": api.beijing,
            "yesterday": (beijing_today() - dt.timedelta(days=1)).isoformat(),
            "url": AGENT_ISSUE.url,
            "query_url": FULL_QUERY.url,
        },
        status_code=status_code,
    )


class AgentIssueController(Controller):
    path = AGENT_ISSUE.url
    opt = {"function": AGENT_ISSUE.code}

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        return await _page(request, await api.current_actor(request), {})

    @post("/")
    async def apply(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        actor = await api.current_actor(request)
        raw = await api.submitted(request)
        form = {key: api.submitted_text(raw, key, 120) for key in FIELDS}
        token = api.submitted_text(raw, "_submission", 20_000)
        try:
            if not api.token_issued(request, token):
                raise InvoiceError("表单已失效，请刷新页面后重新提交", "kind")
            done = await agent_issue(parse_agent(form), token, who_of(request, actor))
        except InvoiceError as error:
            # After a failed deduction the same form is sent again: its filing replays, nothing is filed twice.
            again = token if await started(token, actor.taxpayer_id) else None
            return await _page(request, actor, {error.field: error.message}, form, 400, again)
        api.set_notice(
            request,
            f"代开成功：已缴纳税费{done.payable:,.2f}元，发票号码{done.invoice_number}，价税合计{done.total:,.2f}元",
        )
        return Redirect(AGENT_ISSUE.url, status_code=303)
