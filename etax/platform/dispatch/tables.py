"""Postal dispatches (邮寄) of invoices, certificates and documents, and their tracking events (物流)."""

from __future__ import annotations

from decimal import Decimal

from piccolo.columns import ForeignKey, Numeric, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.defaults import PlatformNow


class Dispatch(Table, tablename="dispatch_dispatch"):
    """One item sent by post to a taxpayer, and where it is now."""

    id = Serial(primary_key=True)
    key = Varchar(length=80, unique=True)  # what is sent, e.g. "certificate:WS2026000012" (one dispatch each)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    item_kind = Varchar(length=20)  # DispatchItem
    item_ref = Varchar(length=60)  # the invoice application, certificate or document number
    description = Varchar(length=200, default="")
    recipient = Varchar(length=60)
    phone = Varchar(length=20)
    address = Varchar(length=200)
    carrier = Varchar(length=30, default="中国邮政EMS")
    tracking_number = Varchar(length=30, null=True, default=None, unique=True)
    postage = Numeric(digits=(14, 2), default=Decimal("0.00"))
    state = Varchar(length=10, index=True)  # DispatchState
    requested_by = Varchar(length=120)
    created_at = Timestamptz(default=PlatformNow(), index=True)
    updated_at = Timestamptz(default=PlatformNow())


class DispatchEvent(Table, tablename="dispatch_event"):
    """A tracking state reached by a dispatch (揽收, 运输, 派送, 签收, 退回)."""

    id = Serial(primary_key=True)
    dispatch = ForeignKey(references=Dispatch, index=True, on_delete=OnDelete.cascade)
    state = Varchar(length=10)
    place = Varchar(length=60, default="")
    note = Varchar(length=200, default="")
    at = Timestamptz(default=PlatformNow())
