"""/interaction/booking: 预约办税 — choose a hall, business, day and half hour; my bookings; cancel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform.api import (
    CurrentActor,
    HallBusiness,
    RecordId,
    clock,
    issue_token,
    list_halls,
    pop_notice,
    record,
    set_notice,
    submitted,
    submitted_text,
    token_issued,
)
from etax.plugins.interaction.booking import (
    BookingError,
    block_of,
    book,
    booking_days,
    bookings_of,
    cancel,
    slots,
)
from etax.plugins.interaction.functions import BOOKING

URL = BOOKING.url


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 9 else None


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _business(text: str) -> HallBusiness | None:
    return HallBusiness(text) if text in {b.value for b in HallBusiness} else None


class BookingController(Controller):
    """互动中心 › 预约办税."""

    path = URL
    opt = {"function": BOOKING.code}

    @get("/", cache=False)
    async def page(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        hall: str = "",
        business: str = "",
        day: str = "",
    ) -> Template:
        halls = await list_halls()
        chosen = next((h for h in halls if h.id == _int(hall[:12])), None)
        problem = ""
        businesses = list(chosen.businesses) if chosen else []
        chosen_business = _business(business[:20])
        if chosen_business not in businesses:
            chosen_business = businesses[0] if businesses else None
        days: list[dt.date] = []
        chosen_day: dt.date | None = None
        shown_slots = []
        if chosen is not None:
            try:
                days = await booking_days(chosen)
            except BookingError as error:
                problem = error.message
            chosen_day = _day(day[:10])
            if chosen_day not in days:
                if day:
                    problem = problem or "只能预约今后5个工作日内的日期"
                chosen_day = days[0] if days else None
            if chosen_business is not None and chosen_day is not None:
                shown_slots = await slots(chosen, chosen_business, chosen_day)
        elif hall:
            problem = "请选择开放的办税服务厅"
        now = clock.now()
        mine = await bookings_of(actor.taxpayer_id)
        return Template(
            "interaction/booking.html",
            context={
                "notice": pop_notice(request),
                "problem": problem,
                "halls": halls,
                "hall": chosen,
                "businesses": businesses,
                "business": chosen_business,
                "days": days,
                "day": chosen_day,
                "slots": shown_slots,
                "mine": mine,
                "cancellable": {b.id for b in mine if b.cancellable(now)},
                "blocked": await block_of(actor.taxpayer_id),
                "token": issue_token(request),
            },
        )

    @post("/book")
    async def make(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Redirect:
        form = await submitted(request)
        hall_id = _int(submitted_text(form, "hall", 12))
        business = _business(submitted_text(form, "business", 20))
        day = _day(submitted_text(form, "day", 10))
        start_text = submitted_text(form, "start", 5)
        submission = submitted_text(form, "submission", 64)
        back = f"{URL}?hall={hall_id or ''}&business={business.value if business else ''}&day={day or ''}"
        try:
            start = dt.time.fromisoformat(start_text) if len(start_text) == 5 else None
        except ValueError:
            start = None
        if hall_id is None or business is None or day is None or start is None:
            set_notice(request, "请选择厅点、业务、日期和时段", error=True)
            return Redirect(back, status_code=303)
        if not token_issued(request, submission):
            set_notice(request, "页面已过期，请重新选择时段后预约", error=True)
            return Redirect(back, status_code=303)
        try:
            booking = await book(
                taxpayer_id=actor.taxpayer_id,
                hall_id=hall_id,
                business=business,
                day=day,
                start=start,
                submission=submission,
                booked_by=actor.name,
            )
        except BookingError as error:
            set_notice(request, error.message, error=True)
            return Redirect(back, status_code=303)
        await record(
            actor=actor.name,
            taxpayer_id=actor.taxpayer_id,
            action="interaction.booking.book",
            outcome="success",
            connection=request,
            target=booking.code,
            detail=f"{booking.hall_name} {booking.business_label} {booking.time_text}",
        )
        set_notice(request, f"预约成功：{booking.time_text} {booking.hall_name}，取号码 {booking.code}")
        return Redirect(URL, status_code=303)

    @post("/{booking_id:int}/cancel")
    async def cancel_booking(
        self, request: Request[Any, Any, Any], actor: CurrentActor, booking_id: RecordId
    ) -> Redirect:
        try:
            cancelled = await cancel(actor.taxpayer_id, booking_id)
        except BookingError as error:
            set_notice(request, error.message, error=True)
            return Redirect(URL, status_code=303)
        if cancelled is None:
            raise NotFoundException()
        await record(
            actor=actor.name,
            taxpayer_id=actor.taxpayer_id,
            action="interaction.booking.cancel",
            outcome="success",
            connection=request,
            target=cancelled.code,
            detail=f"{cancelled.hall_name} {cancelled.time_text}",
        )
        set_notice(request, f"已取消 {cancelled.time_text} 的预约")
        return Redirect(URL, status_code=303)
