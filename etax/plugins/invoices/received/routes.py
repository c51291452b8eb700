"""抵扣类勾选 and 不抵扣类勾选: one page per purpose, tick/untick for the current period, 统计确认."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from etax.platform import api
from etax.plugins.invoices.customs import CUSTOMS, customs_candidates
from etax.plugins.invoices.functions import DEDUCT_SELECTION, NON_DEDUCT_SELECTION
from etax.plugins.invoices.issuing.routes import who_of
from etax.plugins.invoices.model import InvoiceError, SelectionPurpose
from etax.plugins.invoices.received.service import (
    candidates,
    confirm,
    confirmation_of,
    current_period,
    tick,
    untick,
)


def _ids(values: list[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        if not value.isdigit() or len(value) > 10:
            raise InvoiceError("所选发票不正确")
        ids.append(int(value))
    return ids


def selection_controller(spec: api.FunctionSpec, purpose: SelectionPurpose) -> type[Controller]:
    """The 勾选 page of one purpose, bound to its function."""

    class SelectionController(Controller):
        path = spec.url
        opt = {"function": spec.code}

        @get("/")
        async def show(self, request: Request[Any, Any, Any]) -> Template:
            actor = await api.current_actor(request)
            period = current_period()
            found = await candidates(actor.taxpayer_id, period)
            customs = await customs_candidates(actor.taxpayer_id, period)
            return Template(
                "invoices/selection.html",
                context={
                    "purpose": purpose,
                    "period": period,
                    "unticked": [c for c in found if c.purpose is None],
                    "ticked": [c for c in found if c.purpose is purpose],
                    "other_ticked": [c for c in found if c.purpose not in (None, purpose)],
                    "customs_unticked": [c for c in customs if not c.purpose],
                    "customs_ticked": [c for c in customs if c.purpose == purpose.value],
                    "customs_url": CUSTOMS.url,
                    "confirmation": await confirmation_of(actor.taxpayer_id, period),
                    "notice": api.pop_notice(request),
                    "url": spec.url,
                    "other_url": (
                        NON_DEDUCT_SELECTION if purpose is SelectionPurpose.DEDUCT else DEDUCT_SELECTION
                    ).url,
                },
            )

        @post("/")
        async def change(self, request: Request[Any, Any, Any]) -> Redirect:
            actor = await api.current_actor(request)
            raw = await api.submitted(request)
            action = api.submitted_text(raw, "action", 20_000)
            who = who_of(request, actor)
            try:
                ids = _ids(api.submitted_list(raw, "invoice", 20_000, 100_000))
                customs = _ids(api.submitted_list(raw, "customs", 20_000, 100_000))
                if action == "tick":
                    count = await tick(ids, purpose, who, customs)
                    api.set_notice(request, f"已勾选{count}份发票（{purpose.label}）")
                elif action == "untick":
                    count = await untick(ids, who, customs)
                    api.set_notice(request, f"已撤销勾选{count}份发票")
                elif action == "confirm":
                    done = await confirm(who)
                    api.set_notice(
                        request,
                        f"{done.period}所属期统计确认完成：抵扣类{done.deductible_count}份，"
                        f"税额合计{done.deductible_tax:,.2f}元",
                    )
                else:
                    raise InvoiceError("请选择要办理的操作")
            except InvoiceError as error:
                api.set_notice(request, error.message, error=True)
            except Exception as error:
                if not api.is_unique_violation(error):
                    raise
                api.set_notice(request, "所选发票已勾选或本期已统计确认，请刷新后查看", error=True)
            return Redirect(spec.url, status_code=303)

    SelectionController.__name__ = f"SelectionController_{purpose.value}"
    return SelectionController


DeductController = selection_controller(DEDUCT_SELECTION, SelectionPurpose.DEDUCT)
NonDeductController = selection_controller(NON_DEDUCT_SELECTION, SelectionPurpose.NON_DEDUCT)
