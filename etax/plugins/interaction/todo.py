"""我的待办: the taxpayer's next 预约办税 booking (time, hall, 取号码)."""

from __future__ import annotations

from etax.platform.api import HomeMessage, Principal
from etax.plugins.interaction.booking import next_booking
from etax.plugins.interaction.functions import BOOKING


class NextBooking:
    """A home-page message source: one 我的待办 entry for the next booking that has not started."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        if principal is None:
            return []
        taxpayer_id = principal.client_or_own_taxpayer
        if taxpayer_id is None:
            return []
        booking = await next_booking(taxpayer_id)
        if booking is None:
            return []
        return [
            HomeMessage(
                tab="todo",
                title=f"预约办税：{booking.time_text} {booking.hall_name}（{booking.business_label}），取号码{booking.code}",
                url=BOOKING.url,
                date=booking.day,
                tag="已预约",
            )
        ]
