"""The interaction plugin's tables (Piccolo app ``etax_interaction``): 预约办税 slots and bookings."""

from __future__ import annotations

from piccolo.columns import Boolean, Date, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class BookingSlot(Table, tablename="interaction_slot"):
    """One half-hour slot of one business at one hall; ``booked`` never exceeds ``capacity``.

    Created on the first booking (``key`` = ``hall:business:day:HH:MM`` is unique); every booking raises
    ``booked`` with one conditional ``UPDATE … WHERE booked < capacity``, so the database refuses the
    sixth booking of a five-place slot however many arrive at once.
    """

    id = Serial(primary_key=True)
    key = Varchar(length=60, unique=True)
    hall = Integer(index=True)
    business = Varchar(length=20)
    day = Date()
    starts_at = Timestamptz()
    capacity = Integer()
    booked = Integer(default=0)


class Booking(Table, tablename="interaction_booking"):
    """A taxpayer's booking (预约) with its 取号 code.

    ``day_key`` (``taxpayer:day``) is unique while the booking stands and cleared when it is cancelled:
    one booking per taxpayer per day. ``submission`` (the form's one-time token) is unique: a replayed
    form is the same booking.
    """

    id = Serial(primary_key=True)
    code = Varchar(length=8, unique=True)
    submission = Varchar(length=64, unique=True)
    day_key = Varchar(length=40, unique=True, null=True, default=None)
    taxpayer = Integer(index=True)
    slot = Integer(index=True)
    hall = Integer(index=True)
    business = Varchar(length=20)
    day = Date(index=True)
    starts_at = Timestamptz()
    status = Varchar(length=12, default="booked")  # BookingStatus
    booked_by = Varchar(length=120, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    cancelled_at = Timestamptz(null=True, default=None)
    arrived_at = Timestamptz(null=True, default=None)
    arrived_by = Varchar(length=120, default="")


class ConsultThread(Table, tablename="interaction_thread"):
    """A consultation (留言咨询): the taxpayer's question and the consultant's answer.

    ``submission`` (the form's one-time token) is unique: a replayed question is one thread. ``due_on`` is
    the answer deadline in working days; ``published`` answers appear in 自助查询 (public, searchable).
    """

    id = Serial(primary_key=True)
    submission = Varchar(length=64, unique=True)
    taxpayer = Integer(index=True)
    asked_by = Varchar(length=120, default="")
    category = Varchar(length=20)
    title = Varchar(length=100)
    question = Text()
    asked_at = Timestamptz(default=TimestamptzNow())
    due_on = Date()
    status = Varchar(length=12, default="waiting", index=True)  # ThreadStatus
    answer = Text(default="")
    answered_by = Varchar(length=120, default="")
    answered_at = Timestamptz(null=True, default=None)
    published = Boolean(default=False, index=True)
