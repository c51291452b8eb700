"""The messaging service's tables: messages to taxpayers (我的消息) and who has read them."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.defaults import PlatformNow


class BureauMessage(Table, tablename="messaging_message"):
    """A message from the bureau to one taxpayer (``taxpayer``) or to an audience (``audience``).

    ``submission`` is unique: sending the same form (or the same event) twice stores one message.
    """

    id = Serial(primary_key=True)

    submission = Varchar(length=64, unique=True)
    title = Varchar(length=200)
    body = Text()
    taxpayer = ForeignKey(references=Taxpayer, null=True, on_delete=OnDelete.cascade)
    audience = Varchar(
        length=20, default=""
    )  # "" for one taxpayer | all | enterprise | natural_person | agency
    sender = Varchar(length=50, default="")  # the administrator's display name; "" for the system
    sent_at = Timestamptz(default=PlatformNow(), index=True)


class MessageRead(Table, tablename="messaging_read"):
    """That one reader opened one message; ``key`` ("<message id>:<reader>") is unique."""

    id = Serial(primary_key=True)

    key = Varchar(length=80, unique=True)
    message = ForeignKey(references=BureauMessage, on_delete=OnDelete.cascade)
    reader = Varchar(length=40, index=True)  # staff:<StaffMember id> | person:<Person id>
    read_at = Timestamptz(default=PlatformNow())
