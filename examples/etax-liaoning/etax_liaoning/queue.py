"""沈阳办税服务厅排队情况: today's queue of each Shenyang hall, online 取号, and calling the next number.

Halls and their windows come from the platform's hall directory (``api.list_halls``); the tickets are
the distribution's own tables. A ticket's number is the hall's next number that day, from one atomic
upsert of the hall's counter (``liaoning_queue_counter``), so concurrent 取号 get different numbers; the
unique ``holder_key`` keeps one ticket per visitor, hall and day (a replay returns the same ticket).
"""

from __future__ import annotations

import datetime as dt
import math

import msgspec

from etax.platform.api import Hall, HallBusiness, clock, is_unique_violation, list_halls
from etax_liaoning.tables import QueueCounter, QueueTicket

CITY = "沈阳市"
MINUTES_PER_TICKET = 8  # average service time at a window, for the estimate
RETRIES = 5


class QueueError(Exception):
    """A 取号 or 叫号 that cannot be done; the message says why, in Chinese."""


class HallQueue(msgspec.Struct, frozen=True, kw_only=True):
    """One hall's queue today, as the display shows it."""

    hall: Hall
    taken: int
    waiting: int
    serving: int  # the number last called (0: none yet)

    @property
    def windows(self) -> int:
        return sum(w.windows for w in self.hall.windows)

    @property
    def wait_minutes(self) -> int:
        return math.ceil(self.waiting / max(self.windows, 1)) * MINUTES_PER_TICKET


class Ticket(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    hall: int
    day: dt.date
    number: int
    business: str
    called: bool

    @property
    def label(self) -> str:
        return f"A{self.number:03d}"

    @property
    def business_label(self) -> str:
        return HallBusiness(self.business).label


async def queues() -> list[HallQueue]:
    """Every open Shenyang hall with today's tickets taken, waiting and the number being served."""
    today = clock.today()
    rows = await QueueTicket.select(QueueTicket.hall, QueueTicket.number, QueueTicket.called_at).where(
        QueueTicket.day == today
    )
    found: list[HallQueue] = []
    for hall in await list_halls(CITY):
        mine = [r for r in rows if int(r["hall"]) == hall.id]
        called = [int(r["number"]) for r in mine if r["called_at"] is not None]
        found.append(
            HallQueue(
                hall=hall,
                taken=len(mine),
                waiting=len(mine) - len(called),
                serving=max(called, default=0),
            )
        )
    return found


def _ticket(row: dict[str, object]) -> Ticket:
    return Ticket(
        id=int(str(row["id"])),
        hall=int(str(row["hall"])),
        day=row["day"],  # type: ignore[arg-type]
        number=int(str(row["number"])),
        business=str(row["business"]),
        called=row["called_at"] is not None,
    )


COLUMNS = (
    QueueTicket.id,
    QueueTicket.hall,
    QueueTicket.day,
    QueueTicket.number,
    QueueTicket.business,
    QueueTicket.called_at,
)


async def my_tickets(holder: str) -> list[Ticket]:
    """The visitor's tickets of today."""
    rows = await QueueTicket.select(*COLUMNS).where(
        (QueueTicket.holder == holder) & (QueueTicket.day == clock.today())
    )
    return [_ticket(r) for r in rows]


async def take(hall: Hall, business: HallBusiness, holder: str, holder_name: str) -> Ticket:
    """取号: the hall's next number today for ``holder`` (the same ticket again if they have one)."""
    if not hall.active or hall.city != CITY:
        raise QueueError("该办税服务厅不提供在线取号")
    if hall.windows_for(business) == 0:
        raise QueueError(f"该办税服务厅不办理{business.label}")
    today = clock.today()
    holder_key = f"{hall.id}:{today.isoformat()}:{holder}"
    existing = await QueueTicket.select(*COLUMNS).where(QueueTicket.holder_key == holder_key).first()
    if existing is not None:
        return _ticket(existing)
    counted = await QueueCounter.raw(
        "INSERT INTO liaoning_queue_counter (key, last) VALUES ({}, 1) "
        "ON CONFLICT (key) DO UPDATE SET last = liaoning_queue_counter.last + 1 RETURNING last",
        f"{hall.id}:{today.isoformat()}",
    )
    number = int(counted[0]["last"])
    try:
        rows = await QueueTicket.insert(
            QueueTicket(
                hall=hall.id,
                day=today,
                number=number,
                business=business.value,
                holder=holder,
                holder_name=holder_name[:100],
                number_key=f"{hall.id}:{today.isoformat()}:{number}",
                holder_key=holder_key,
                created_at=clock.utcnow(),
            )
        ).returning(*COLUMNS)
    except Exception as error:
        if not is_unique_violation(error):
            raise
        again = await QueueTicket.select(*COLUMNS).where(QueueTicket.holder_key == holder_key).first()
        if again is None:
            raise
        return _ticket(again)  # the same visitor's concurrent click: its first ticket
    return _ticket(rows[0])


async def call_next(hall_id: int) -> int | None:
    """叫号: mark the hall's smallest waiting number of today called; that number, or ``None``."""
    today = clock.today()
    for _ in range(RETRIES):
        first = (
            await QueueTicket.select(QueueTicket.id, QueueTicket.number)
            .where(
                (QueueTicket.hall == hall_id) & (QueueTicket.day == today) & QueueTicket.called_at.is_null()
            )
            .order_by(QueueTicket.number)
            .first()
        )
        if first is None:
            return None
        done = (
            await QueueTicket.update({QueueTicket.called_at: clock.utcnow()})
            .where((QueueTicket.id == first["id"]) & QueueTicket.called_at.is_null())
            .returning(QueueTicket.id)
        )
        if done:  # a conditional update: two windows calling at once call two different numbers
            return int(first["number"])
    return None
