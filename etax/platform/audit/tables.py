"""The audit log's table (in the core Piccolo app ``etax_core``, where its migration created it)."""

from __future__ import annotations

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.db.defaults import PlatformNow


class AuditLog(Table, tablename="audit_log"):
    """Who did what, acting for whom, when, from where, with what outcome."""

    id = Serial(primary_key=True)

    at = Timestamptz(default=PlatformNow(), index=True)
    actor = Varchar(length=120)
    acting_for = Varchar(length=120, default="")
    taxpayer_id = Integer(null=True, default=None, index=True)
    action = Varchar(length=60)
    target = Varchar(length=200, default="")
    ip = Varchar(length=64, default="")
    outcome = Varchar(length=20)
    detail = Text(default="")
