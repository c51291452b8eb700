"""预约办税 in the back office (办税服务厅人员): a hall's bookings of a day, and arrivals by 取号码.

Every arrival is audited. A booking not marked as arrived by the end of its day counts as a no-show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from etax.platform.api import (
    NavItem,
    admin_page,
    clock,
    current_admin,
    list_halls,
    record,
    set_notice,
    submitted,
    submitted_text,
)
from etax.plugins.interaction.booking import BookingError, day_bookings, mark_arrival

NAV = NavItem(
    label="预约到厅登记",
    url="/admin/bookings",
    requirement="hall",
    description="查看办税服务厅当天的预约，按取号码登记纳税人到达",
)


class BookingAdmin(Controller):
    """/admin/bookings — 办税服务厅人员 (系统管理员 too)."""

    path = "/bookings"
    opt = {"admin_role": "hall"}

    @get("/", cache=False)
    async def listing(self, request: Request[Any, Any, Any], hall: str = "", day: str = "") -> Template:
        halls = await list_halls(include_inactive=True)
        chosen = next(
            (h for h in halls if hall.isdigit() and h.id == int(hall[:9])), halls[0] if halls else None
        )
        try:
            shown_day = dt.date.fromisoformat(day) if len(day) == 10 else clock.today()
        except ValueError:
            shown_day = clock.today()
        rows = await day_bookings(chosen.id, shown_day) if chosen else []
        return admin_page(
            request,
            "interaction/admin_bookings.html",
            {"halls": halls, "hall": chosen, "day": shown_day, "rows": rows, "today": clock.today()},
        )

    @post("/arrive")
    async def arrive(self, request: Request[Any, Any, Any]) -> Redirect:
        form = await submitted(request)
        code = submitted_text(form, "code", 20)
        hall = submitted_text(form, "hall", 9)
        back = f"/admin/bookings?hall={hall if hall.isdigit() else ''}"
        admin = current_admin(request)
        by = admin.display_name if admin else ""
        try:
            booking = await mark_arrival(code, by=by)
        except BookingError as error:
            set_notice(request, error.message, error=True)
            return Redirect(back, status_code=303)
        await record(
            actor=admin.actor if admin else "admin:?",
            action="admin.booking.arrive",
            outcome="success",
            connection=request,
            taxpayer_id=booking.taxpayer,
            target=booking.code,
            detail=f"{booking.hall_name} {booking.time_text}",
        )
        set_notice(
            request, f"取号码 {booking.code}（{booking.time_text} {booking.business_label}）已登记到达"
        )
        return Redirect(back, status_code=303)
