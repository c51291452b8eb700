"""购票信息查询: the enterprise's approved invoice types and quotas (票种核定信息)."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, get
from litestar.response import Template

from etax.platform.api import CurrentActor, can_open
from etax.plugins.invoices.functions import INVOICE_INFO, TYPE_APPROVAL
from etax.plugins.invoices.permits import devices
from etax.plugins.invoices.quota import quotas

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def beijing_date(moment: dt.datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d")


class InvoiceInfoController(Controller):
    """票种核定信息 of the visitor's enterprise (or of the client an agency acts for)."""

    path = INVOICE_INFO.url
    opt = {"function": INVOICE_INFO.code}

    @get("/")
    async def show(self, actor: CurrentActor) -> Template:
        return Template(
            "invoices/info.html",
            context={
                "quotas": await quotas(actor.taxpayer_id),
                "devices": await devices(actor.taxpayer_id),
                "can_apply": can_open(actor.principal, TYPE_APPROVAL),
                "apply_url": TYPE_APPROVAL.url,
                "date": beijing_date,
            },
        )
