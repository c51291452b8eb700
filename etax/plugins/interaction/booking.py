"""预约办税: half-hour slots of the bureau's halls, bookings with a 取号 code, arrivals, no-shows.

Rules (etax-domain-facts §6.2):

- a hall's slots are the half hours inside its opening periods (the platform's hall directory); a slot
  of one business holds as many bookings as the hall has windows for that business;
- bookings open for the next 5 working days (the platform calendar; today too at a 全预约厅), for a
  slot that has not started;
- one booking per taxpayer per day (``Booking.day_key`` is unique); to change, cancel and book again;
- a booking may be cancelled until its slot starts; a booking not marked as arrived by the end of its
  day is a no-show (失约); 3 no-shows within 3 months block booking for 6 months from the third;
- the database refuses overbooking: the slot's counter rises with one conditional ``UPDATE … WHERE
  booked < capacity`` in the booking's transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum

import msgspec

from etax.platform.api import (
    BEIJING,
    Calendar,
    CalendarUnavailable,
    Hall,
    HallBusiness,
    calendar,
    clock,
    get_hall,
    is_unique_violation,
    list_halls,
    write_transaction,
)
from etax.plugins.interaction.tables import Booking, BookingSlot

BOOKING_DAYS = 5  # working days ahead
NO_SHOW_LIMIT = 3
NO_SHOW_WINDOW_MONTHS = 3
BLOCK_MONTHS = 6


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    ARRIVED = "arrived"
    NO_SHOW = "no_show"  # derived: still BOOKED after its day

    @property
    def label(self) -> str:
        return {"booked": "已预约", "cancelled": "已取消", "arrived": "已到达", "no_show": "失约"}[self.value]


class BookingError(Exception):
    """A booking, cancellation or arrival the rules refuse, with the Chinese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BookingView(msgspec.Struct, frozen=True, kw_only=True):
    """A booking as the taxpayer and the hall staff see it."""

    id: int
    code: str
    taxpayer: int
    hall_id: int
    hall_name: str
    hall_address: str
    business: HallBusiness
    day: dt.date
    starts_at: dt.datetime
    status: BookingStatus
    booked_by: str = ""

    @property
    def business_label(self) -> str:
        return self.business.label

    @property
    def time_text(self) -> str:
        start = self.starts_at.astimezone(BEIJING)
        end = start + dt.timedelta(minutes=30)
        return f"{start:%Y-%m-%d} {start:%H:%M}-{end:%H:%M}"

    def cancellable(self, now: dt.datetime) -> bool:
        return self.status is BookingStatus.BOOKED and now < self.starts_at


class SlotView(msgspec.Struct, frozen=True, kw_only=True):
    """One half-hour slot of a hall's business on a day, with the places left."""

    start: dt.time
    capacity: int
    left: int
    started: bool

    @property
    def text(self) -> str:
        end = (dt.datetime.combine(dt.date(2000, 1, 1), self.start) + dt.timedelta(minutes=30)).time()
        return f"{self.start:%H:%M}-{end:%H:%M}"

    @property
    def open(self) -> bool:
        return self.left > 0 and not self.started


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    length = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, length))


def blocked_until(no_shows: list[dt.date]) -> dt.date | None:
    """The day booking opens again after 3 no-shows within 3 months (6 months after the third), or None."""
    days = sorted(no_shows)
    until: dt.date | None = None
    for i in range(len(days) - NO_SHOW_LIMIT + 1):
        third = days[i + NO_SHOW_LIMIT - 1]
        if third <= add_months(days[i], NO_SHOW_WINDOW_MONTHS):
            candidate = add_months(third, BLOCK_MONTHS)
            until = candidate if until is None or candidate > until else until
    return until


def bookable_days(cal: Calendar, today: dt.date, *, same_day: bool) -> list[dt.date]:
    """The days a hall takes bookings for: the next 5 working days (and today at a 全预约厅)."""
    days = [today] if same_day and cal.is_workday(today) else []
    current = today
    for _ in range(BOOKING_DAYS):
        current = cal.next_workday(current, include=False)
        days.append(current)
    return days


async def booking_days(hall: Hall) -> list[dt.date]:
    """:func:`bookable_days` for ``hall`` from the platform calendar and clock (refused without a calendar)."""
    try:
        return bookable_days(await calendar(), clock.today(), same_day=hall.same_day)
    except CalendarUnavailable as error:
        raise BookingError("办税日历尚未公布，暂不能预约") from error


async def no_show_days(taxpayer_id: int) -> list[dt.date]:
    rows = await Booking.select(Booking.day).where(
        (Booking.taxpayer == taxpayer_id)
        & (Booking.status == BookingStatus.BOOKED.value)
        & (Booking.day < clock.today())
    )
    return [row["day"] for row in rows]


async def block_of(taxpayer_id: int) -> dt.date | None:
    """The day booking opens again for a blocked taxpayer, or None when booking is open."""
    until = blocked_until(await no_show_days(taxpayer_id))
    return until if until is not None and clock.today() < until else None


def _slot_key(hall_id: int, business: HallBusiness, day: dt.date, start: dt.time) -> str:
    return f"{hall_id}:{business.value}:{day.isoformat()}:{start:%H:%M}"


def _moment(day: dt.date, start: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, start, tzinfo=BEIJING)


async def slots(hall: Hall, business: HallBusiness, day: dt.date) -> list[SlotView]:
    """Every slot of ``business`` at ``hall`` on ``day`` with the places left."""
    capacity = hall.windows_for(business)
    rows = await BookingSlot.select(BookingSlot.key, BookingSlot.capacity, BookingSlot.booked).where(
        (BookingSlot.hall == hall.id) & (BookingSlot.business == business.value) & (BookingSlot.day == day)
    )
    taken = {str(r["key"]): (int(r["capacity"]), int(r["booked"])) for r in rows}
    now = clock.now()
    found: list[SlotView] = []
    for start in hall.slot_starts():
        cap, booked = taken.get(_slot_key(hall.id, business, day, start), (capacity, 0))
        found.append(
            SlotView(start=start, capacity=cap, left=max(cap - booked, 0), started=_moment(day, start) <= now)
        )
    return found


async def _views(rows: list[dict[str, object]]) -> list[BookingView]:
    if not rows:
        return []
    hall_ids = {int(str(row["hall"])) for row in rows}
    if len(hall_ids) == 1:  # one booking (我的待办) or one hall's: that hall only, not every hall
        hall = await get_hall(hall_ids.pop())
        halls = {} if hall is None else {hall.id: hall}
    else:
        halls = {hall.id: hall for hall in await list_halls(include_inactive=True)}
    today = clock.today()
    found: list[BookingView] = []
    for row in rows:
        hall = halls.get(int(str(row["hall"])))
        status = BookingStatus(str(row["status"]))
        day = row["day"]
        assert isinstance(day, dt.date)
        if status is BookingStatus.BOOKED and day < today:
            status = BookingStatus.NO_SHOW
        starts_at = row["starts_at"]
        assert isinstance(starts_at, dt.datetime)
        found.append(
            BookingView(
                id=int(str(row["id"])),
                code=str(row["code"]),
                taxpayer=int(str(row["taxpayer"])),
                hall_id=int(str(row["hall"])),
                hall_name=hall.name if hall else "（厅点已撤销）",
                hall_address=hall.address if hall else "",
                business=HallBusiness(str(row["business"])),
                day=day,
                starts_at=starts_at,
                status=status,
                booked_by=str(row["booked_by"]),
            )
        )
    return found


_COLUMNS = (
    Booking.id,
    Booking.code,
    Booking.taxpayer,
    Booking.hall,
    Booking.business,
    Booking.day,
    Booking.starts_at,
    Booking.status,
    Booking.booked_by,
)


async def bookings_of(taxpayer_id: int, limit: int = 50) -> list[BookingView]:
    """The taxpayer's bookings, latest slot first."""
    rows = (
        await Booking.select(*_COLUMNS)
        .where(Booking.taxpayer == taxpayer_id)
        .order_by(Booking.starts_at, ascending=False)
        .limit(limit)
    )
    return await _views(rows)


async def next_booking(taxpayer_id: int) -> BookingView | None:
    """The taxpayer's next booking that has not started (for 我的待办)."""
    rows = (
        await Booking.select(*_COLUMNS)
        .where(
            (Booking.taxpayer == taxpayer_id)
            & (Booking.status == BookingStatus.BOOKED.value)
            & (Booking.starts_at > clock.now())
        )
        .order_by(Booking.starts_at)
        .limit(1)
    )
    views = await _views(rows)
    return views[0] if views else None


async def _by_submission(submission: str) -> dict[str, object] | None:
    row = await Booking.select(*_COLUMNS).where(Booking.submission == submission).first()
    return dict(row) if row else None


async def book(
    *,
    taxpayer_id: int,
    hall_id: int,
    business: HallBusiness,
    day: dt.date,
    start: dt.time,
    submission: str,
    booked_by: str,
) -> BookingView:
    """Book a place; a replayed ``submission`` answers with the same booking. Refusals raise :class:`BookingError`."""
    earlier = await _by_submission(submission)
    if earlier is not None:
        if int(str(earlier["taxpayer"])) != taxpayer_id:
            raise BookingError("表单已失效，请重新打开预约页面")
        return (await _views([earlier]))[0]
    hall = await get_hall(hall_id)
    if hall is None or not hall.active:
        raise BookingError("请选择开放的办税服务厅")
    capacity = hall.windows_for(business)
    if capacity <= 0:
        raise BookingError(f"该厅点不办理{business.label}")
    if day not in await booking_days(hall):
        raise BookingError(f"只能预约今后{BOOKING_DAYS}个工作日内的时段")
    if start not in hall.slot_starts():
        raise BookingError("请选择该厅点办公时间内的预约时段")
    starts_at = _moment(day, start)
    if starts_at <= clock.now():
        raise BookingError("该时段已开始，请选择其他时段")
    until = await block_of(taxpayer_id)
    if until is not None:
        raise BookingError(f"三个月内失约已达{NO_SHOW_LIMIT}次，{until.isoformat()}前不能预约办税")
    key = _slot_key(hall.id, business, day, start)
    try:
        async with write_transaction(Booking):
            await BookingSlot.insert(
                BookingSlot(
                    key=key,
                    hall=hall.id,
                    business=business.value,
                    day=day,
                    starts_at=starts_at,
                    capacity=capacity,
                )
            ).on_conflict(target=BookingSlot.key, action="DO NOTHING")
            taken = await BookingSlot.raw(
                "UPDATE interaction_slot SET booked = booked + 1 WHERE key = {} AND booked < capacity RETURNING id",
                key,
            )
            if not taken:
                raise BookingError("该时段已约满，请选择其他时段")
            await Booking.insert(
                Booking(
                    code=f"{secrets.randbelow(10**8):08d}",
                    submission=submission[:64],
                    day_key=f"{taxpayer_id}:{day.isoformat()}",
                    taxpayer=taxpayer_id,
                    slot=int(taken[0]["id"]),
                    hall=hall.id,
                    business=business.value,
                    day=day,
                    starts_at=starts_at,
                    booked_by=booked_by[:120],
                )
            )
    except BookingError:
        raise
    except Exception as error:
        if not is_unique_violation(error):
            raise
        replay = await _by_submission(submission)
        if replay is not None and int(str(replay["taxpayer"])) == taxpayer_id:
            return (await _views([replay]))[0]
        if "day_key" in str(error):
            raise BookingError("同一纳税人一天只能预约一个业务；如需改时间，请先取消原预约") from error
        raise BookingError("预约未成功，请重试") from error
    done = await _by_submission(submission)
    assert done is not None
    return (await _views([done]))[0]


async def cancel(taxpayer_id: int, booking_id: int) -> BookingView | None:
    """Cancel the taxpayer's booking before its slot starts; None when it is not theirs (or not there)."""
    row = (
        await Booking.select(*_COLUMNS)
        .where((Booking.id == booking_id) & (Booking.taxpayer == taxpayer_id))
        .first()
    )
    if row is None:
        return None
    now = clock.now()
    async with write_transaction(Booking):
        cancelled = (
            await Booking.update(
                {
                    Booking.status: BookingStatus.CANCELLED.value,
                    Booking.day_key: None,
                    Booking.cancelled_at: now,
                }
            )
            .where(
                (Booking.id == booking_id)
                & (Booking.taxpayer == taxpayer_id)
                & (Booking.status == BookingStatus.BOOKED.value)
                & (Booking.starts_at > now)
            )
            .returning(Booking.slot)
        )
        if cancelled:
            await BookingSlot.raw(
                "UPDATE interaction_slot SET booked = booked - 1 WHERE id = {} AND booked > 0",
                int(cancelled[0]["slot"]),
            )
    if not cancelled:
        view = (await _views([dict(row)]))[0]
        if view.status is BookingStatus.CANCELLED:
            raise BookingError("该预约已取消")
        raise BookingError("预约时段已开始或已办理，不能取消")
    fresh = await Booking.select(*_COLUMNS).where(Booking.id == booking_id).first()
    assert fresh is not None
    return (await _views([dict(fresh)]))[0]


async def day_bookings(hall_id: int, day: dt.date) -> list[BookingView]:
    """A hall's bookings of one day in slot order (the hall staff's arrival list)."""
    rows = (
        await Booking.select(*_COLUMNS)
        .where(
            (Booking.hall == hall_id)
            & (Booking.day == day)
            & (Booking.status != BookingStatus.CANCELLED.value)
        )
        .order_by(Booking.starts_at)
        .order_by(Booking.id)
    )
    return await _views(rows)


async def mark_arrival(code: str, *, by: str) -> BookingView:
    """The hall staff mark the booking with 取号 ``code`` as arrived (today's bookings only)."""
    code = code.strip()
    if not (len(code) == 8 and code.isdigit()):
        raise BookingError("取号码为8位数字")
    row = await Booking.select(*_COLUMNS).where(Booking.code == code).first()
    if row is None:
        raise BookingError("没有这个取号码的预约")
    view = (await _views([dict(row)]))[0]
    if view.status is BookingStatus.CANCELLED:
        raise BookingError("该预约已取消")
    if view.status is BookingStatus.ARRIVED:
        raise BookingError("该预约已登记到达")
    if view.day != clock.today():
        raise BookingError(f"该预约是{view.day.isoformat()}的，只能在当天登记到达")
    updated = (
        await Booking.update(
            {
                Booking.status: BookingStatus.ARRIVED.value,
                Booking.arrived_at: clock.now(),
                Booking.arrived_by: by[:120],
            }
        )
        .where((Booking.code == code) & (Booking.status == BookingStatus.BOOKED.value))
        .returning(Booking.id)
    )
    if not updated:
        raise BookingError("该预约已登记到达")
    return msgspec.structs.replace(view, status=BookingStatus.ARRIVED)
