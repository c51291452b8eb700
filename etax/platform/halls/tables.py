"""The hall directory's tables (the ``etax_halls`` Piccolo app): tax service halls and their windows."""

from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.db.defaults import PlatformNow


class HallRow(Table, tablename="halls_hall"):
    """One tax service hall (办税服务厅)."""

    id = Serial(primary_key=True)
    code = Varchar(length=20, unique=True)  # the bureau's hall code, e.g. SY-HP-01
    city = Varchar(length=40, index=True)  # 沈阳市
    district = Varchar(length=40, default="")  # 和平区
    name = Varchar(length=120)
    address = Varchar(length=200)
    phone = Varchar(length=40, default="")
    periods = Varchar(length=60)  # opening periods on working days: "08:30-11:30,13:00-17:00"
    same_day = Boolean(default=False)  # 全预约厅: bookings for today are accepted
    active = Boolean(default=True)
    updated_at = Timestamptz(default=PlatformNow())


class HallWindowRow(Table, tablename="halls_window"):
    """How many windows of a hall serve one business type; ``key`` (hall:business) is unique."""

    id = Serial(primary_key=True)
    key = Varchar(length=40, unique=True)
    hall = ForeignKey(references=HallRow, null=False)
    business = Varchar(length=20)  # HallBusiness
    windows = Integer(default=1)
