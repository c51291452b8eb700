"""我的待办: 红字发票信息确认单 waiting for the visitor's taxpayer to confirm."""

from __future__ import annotations

from etax.platform import api
from etax.plugins.invoices.clock import beijing_today
from etax.plugins.invoices.functions import RED_ISSUE
from etax.plugins.invoices.redletter.service import requests_of


class PendingRedLetters:
    """A message source: one 待办 per slip the other party raised and this taxpayer must confirm."""

    async def messages(self, principal: api.Principal | None) -> list[api.HomeMessage]:
        if principal is None or not api.can_open(principal, RED_ISSUE):
            return []
        taxpayer_id = principal.client_or_own_taxpayer
        if taxpayer_id is None:
            return []
        return [
            api.HomeMessage(
                tab="todo",
                title=f"红字发票信息确认单待确认：发票号码{slip.blue_number}，{slip.raised_by.label}提出，"
                f"价税合计{slip.total:,.2f}元",
                url=f"{RED_ISSUE.url}/requests/{slip.id}",
                date=beijing_today(slip.created_at),
                tag="待确认",
            )
            for slip in await requests_of(taxpayer_id, pending_for_me=True, limit=20)
        ]
