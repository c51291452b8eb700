"""发票信息查询: the enterprise's approved invoice types and quotas (票种核定信息)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.response import Template

from etax.platform.access import can_open
from etax.platform.runtime import get_runtime
from etax.plugins.invoices.functions import INVOICE_INFO, TYPE_APPROVAL
from etax.plugins.invoices.quota import quotas

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def beijing_date(moment: dt.datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d")


class InvoiceInfoController(Controller):
    """票种核定信息 of the visitor's enterprise (or of the client an agency acts for)."""

    path = INVOICE_INFO.url
    opt = {"function": INVOICE_INFO.code}

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        principal = await get_runtime(request.app).principal_of(request)
        if principal is None:
            raise NotAuthorizedException("请先登录后再办理该业务")
        taxpayer_id = principal.client_or_own_taxpayer
        if taxpayer_id is None:
            raise PermissionDeniedException("请先选择要办理业务的企业")
        return Template(
            "invoices/info.html",
            context={
                "quotas": await quotas(taxpayer_id),
                "can_apply": can_open(principal, TYPE_APPROVAL),
                "apply_url": TYPE_APPROVAL.url,
                "date": beijing_date,
            },
        )
