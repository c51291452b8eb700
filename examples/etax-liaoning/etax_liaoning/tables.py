"""The distribution's table: online queue tickets (取号) of the Shenyang tax service halls."""

from __future__ import annotations

from piccolo.columns import Date, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.api import PlatformNow, PlatformToday


class QueueTicket(Table, tablename="liaoning_queue_ticket"):
    """One ticket: its hall and day, its number that day, and who took it.

    ``number_key`` (hall:day:number) makes numbers unique per hall and day; ``holder_key``
    (hall:day:holder) allows one ticket per visitor, hall and day. ``called_at`` is set when a window
    calls it (back office, 办税服务厅人员).
    """

    id = Serial(primary_key=True)

    hall = Integer()
    day = Date(default=PlatformToday())
    number = Integer()
    business = Varchar(length=20)
    holder = Varchar(length=40)
    holder_name = Varchar(length=100)
    number_key = Varchar(length=60, unique=True)
    holder_key = Varchar(length=80, unique=True)
    created_at = Timestamptz(default=PlatformNow())
    called_at = Timestamptz(null=True, default=None)


class QueueCounter(Table, tablename="liaoning_queue_counter"):
    """The last number given out per hall and day (``key`` = hall:day): one atomic upsert per 取号."""

    id = Serial(primary_key=True)

    key = Varchar(length=40, unique=True)
    last = Integer(default=0)
