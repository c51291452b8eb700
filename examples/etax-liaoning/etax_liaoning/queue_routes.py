"""Pages of 沈阳办税服务厅排队情况 (public), 办税服务厅在线取号 (logged in) and 叫号 (back office)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from etax.platform.api import (
    HallBusiness,
    RecordId,
    Visitor,
    admin_page,
    current_admin,
    current_principal,
    get_hall,
    pop_notice,
    record,
    set_notice,
    submitted,
    submitted_text,
)
from etax_liaoning import queue
from etax_liaoning.functions import HALL_QUEUE, HALL_TICKET


class HallQueueController(Controller):
    """Today's queue of every Shenyang hall: windows, waiting, the number being served, the wait."""

    path = HALL_QUEUE.url
    opt = {"function": HALL_QUEUE.code}

    @get("/", cache=False)
    async def display(self, visitor: Visitor) -> Template:
        return Template(
            "liaoning/hall_queue.html",
            context={
                "function": HALL_QUEUE,
                "queues": await queue.queues(),
                "ticket_url": HALL_TICKET.url + "/",
                "logged_in": visitor is not None,
            },
        )


class HallTicketController(Controller):
    """取号 for today, one ticket per person, hall and day; the visitor's tickets."""

    path = HALL_TICKET.url
    opt = {"function": HALL_TICKET.code}

    @get("/", cache=False)
    async def page(self, request: Request[Any, Any, Any]) -> Template:
        return await self._page(request)

    async def _page(self, request: Request[Any, Any, Any], *, error: str = "", status: int = 200) -> Template:
        principal = await current_principal(request)
        tickets = await queue.my_tickets(_holder(principal))
        queues = await queue.queues()
        names = {q.hall.id: q.hall.name for q in queues}
        return Template(
            "liaoning/hall_ticket.html",
            context={
                "function": HALL_TICKET,
                "queues": queues,
                "tickets": tickets,
                "names": names,
                "error": error,
                "notice": pop_notice(request),
                "queue_url": f"{queue_url()}/",
            },
            status_code=status,
        )

    @post("/")
    async def take(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        principal = await current_principal(request)
        form = await submitted(request)
        hall_text, business_text = submitted_text(form, "hall"), submitted_text(form, "business")
        hall = await get_hall(int(hall_text)) if hall_text.isdigit() and len(hall_text) < 10 else None
        if hall is None or business_text not in {b.value for b in HallBusiness}:
            return await self._page(request, error="请选择办税服务厅和办理业务", status=400)
        try:
            ticket = await queue.take(
                hall, HallBusiness(business_text), _holder(principal), principal.display_name
            )
        except queue.QueueError as error:
            return await self._page(request, error=str(error), status=400)
        await record(
            actor=principal.display_name,
            taxpayer_id=principal.client_or_own_taxpayer,
            action=HALL_TICKET.name,
            outcome="success",
            connection=request,
            target=f"{hall.name} {ticket.label}",
        )
        set_notice(request, f"取号成功：{hall.name} {ticket.label}（{ticket.business_label}），请留意叫号")
        return Redirect(HALL_TICKET.url + "/", status_code=303)


def queue_url() -> str:
    return HALL_QUEUE.url


def _holder(principal: Any) -> str:
    if principal.person_id is not None:
        return f"person:{principal.person_id}"
    return f"{principal.kind}:{principal.client_or_own_taxpayer}"


class QueueAdmin(Controller):
    """后台 › 排队叫号 (办税服务厅人员): call the next number of a Shenyang hall."""

    path = "/liaoning/queue"
    opt = {"admin_role": "hall"}

    @get("/", cache=False)
    async def page(self, request: Request[Any, Any, Any]) -> Template:
        return admin_page(request, "liaoning/admin_queue.html", {"queues": await queue.queues()})

    @post("/{hall_id:int}/call")
    async def call(self, request: Request[Any, Any, Any], hall_id: RecordId) -> Redirect:
        admin = current_admin(request)
        assert admin is not None  # the guard let only a hall administrator through
        number = await queue.call_next(hall_id)
        if number is None:
            set_notice(request, "该办税服务厅今天没有等候的号", error=True)
        else:
            await record(
                actor=admin.actor,
                action="liaoning.queue.call",
                outcome="success",
                connection=request,
                target=f"hall:{hall_id} A{number:03d}",
            )
            set_notice(request, f"已叫号 A{number:03d}")
        return Redirect("/admin/liaoning/queue/", status_code=303)
