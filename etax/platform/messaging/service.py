"""The messaging service: messages from the bureau to taxpayers (我的消息), and who has read them.

Anything may send through :func:`send` — the back office's 消息发送 page, the review of applications,
plugins through ``etax.platform.api.send_message``; the 我的消息 pages (plugin ``interaction``) read
through :func:`list_messages`, :func:`open_message` and friends.

A message goes to one taxpayer (every staff member of that enterprise or agency sees it) or to an
audience (``all``, ``enterprise``, ``natural_person``, ``agency``). Read state is per reader — a staff
member (``staff:<id>``) or a natural person (``person:<id>``) — in :class:`MessageRead`, whose
``"<message id>:<reader>"`` key is unique, so reading twice (or at once in two tabs) records one row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from piccolo.columns.combination import Or, Where
from piccolo.query.methods.select import Select

from etax.platform.identity import Principal
from etax.platform.messaging.tables import BureauMessage, MessageRead
from etax.platform.web.markdown import render_markdown

AUDIENCE_OF_KIND = {"enterprise": "enterprise", "natural_person": "natural_person", "agency": "agency"}
AUDIENCES = ("all", *AUDIENCE_OF_KIND.values())


class InboxMessage(msgspec.Struct, frozen=True, kw_only=True):
    """A message as the taxpayer's inbox shows it."""

    id: int
    title: str
    body: str
    sent_at: dt.datetime
    read: bool = False
    personal: bool = False  # addressed to this taxpayer alone, not to an audience
    body_html: str = ""


def _inbox_select() -> Any:
    return BureauMessage.select(
        BureauMessage.id,
        BureauMessage.title,
        BureauMessage.body,
        BureauMessage.sent_at,
        BureauMessage.taxpayer,
    )


def _inbox(row: dict[str, Any], *, read: bool = False) -> InboxMessage:
    """A message row as the inbox shows it (``personal``: addressed to one taxpayer)."""
    return InboxMessage(
        id=int(row["id"]),
        title=str(row["title"]),
        body=str(row["body"]),
        sent_at=row["sent_at"],
        read=read,
        personal=row["taxpayer"] is not None,
    )


async def send(
    *,
    title: str,
    body: str,
    submission: str,
    taxpayer_id: int | None = None,
    audience: str = "",
    sender: str = "",
) -> int | None:
    """Send a message to one taxpayer (``taxpayer_id``) or to an audience; return its id.

    ``submission`` names the sending (a form's one-time token, or an event): sending it again stores
    nothing and returns ``None``. Exactly one of ``taxpayer_id`` and ``audience`` is given.
    """
    if (taxpayer_id is None) == (audience == ""):
        raise ValueError("a message goes either to one taxpayer or to an audience")
    if audience and audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    rows = await (
        BureauMessage.insert(
            BureauMessage(
                submission=submission[:64],
                title=title[:200],
                body=body,
                taxpayer=taxpayer_id,
                audience=audience,
                sender=sender[:50],
            )
        )
        .on_conflict(target=BureauMessage.submission, action="DO NOTHING")
        .returning(BureauMessage.id)
    )
    return int(rows[0]["id"]) if rows else None


def reader_of(principal: Principal) -> str | None:
    """Who reads: the staff member for enterprises and agencies, the person for natural persons."""
    if principal.kind == "natural_person":
        return None if principal.person_id is None else f"person:{principal.person_id}"
    return None if principal.staff_id is None else f"staff:{principal.staff_id}"


def visible_to(principal: Principal) -> Where | Or:
    """The messages ``principal`` may see: its audience's, everyone's, and its own taxpayer's."""
    condition: Where | Or = BureauMessage.audience.is_in(["all", AUDIENCE_OF_KIND[principal.kind]])
    if principal.kind != "natural_person" and principal.taxpayer_id is not None:
        condition = condition | (BureauMessage.taxpayer == principal.taxpayer_id)
    return condition


def _read_by(reader: str) -> Select[MessageRead]:
    return MessageRead.select(MessageRead.message).where(
        (MessageRead.reader == reader) & MessageRead.message.is_not_null()
    )


async def list_messages(principal: Principal, *, limit: int = 20, offset: int = 0) -> list[InboxMessage]:
    """The principal's messages, newest first, each marked read or unread for this reader."""
    reader = reader_of(principal)
    rows = (
        await _inbox_select()
        .where(visible_to(principal))
        .order_by(BureauMessage.sent_at, ascending=False)
        .order_by(BureauMessage.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    read: set[int] = set()
    if rows and reader is not None:
        marks = await MessageRead.select(MessageRead.message).where(
            (MessageRead.reader == reader) & MessageRead.message.is_in([row["id"] for row in rows])
        )
        read = {int(mark["message"]) for mark in marks}
    return [_inbox(row, read=int(row["id"]) in read) for row in rows]


async def count_messages(principal: Principal) -> int:
    return int(await BureauMessage.count().where(visible_to(principal)))


async def unread_count(principal: Principal) -> int:
    """How many of the principal's messages this reader has not opened."""
    reader = reader_of(principal)
    if reader is None:
        return 0
    query = BureauMessage.count().where(visible_to(principal))
    return int(await query.where(BureauMessage.id.not_in(_read_by(reader))))


APPLICATION_EVENT_PREFIX = "application:"
"""``submission`` prefix of the messages an application's status change writes (also a 服务提醒)."""


async def unread_messages(
    principal: Principal, *, limit: int = 8, without_application_events: bool = False
) -> list[InboxMessage]:
    """The newest unread messages (for 服务提醒 on the home page).

    ``without_application_events`` leaves out the messages of applications' status changes: the
    home page shows each of those once, as the application's own reminder.
    """
    reader = reader_of(principal)
    if reader is None:
        return []
    query = _inbox_select().where(visible_to(principal))
    if without_application_events:
        query = query.where(BureauMessage.submission.not_like(f"{APPLICATION_EVENT_PREFIX}%"))
    rows = (
        await query.where(BureauMessage.id.not_in(_read_by(reader)))
        .order_by(BureauMessage.sent_at, ascending=False)
        .limit(limit)
    )
    return [_inbox(row) for row in rows]


async def open_message(principal: Principal, message_id: int) -> InboxMessage | None:
    """The message if ``principal`` may see it (None otherwise), recorded as read by this reader."""
    row = await _inbox_select().where((BureauMessage.id == message_id) & visible_to(principal)).first()
    if row is None:
        return None
    reader = reader_of(principal)
    if reader is not None:
        await MessageRead.insert(
            MessageRead(key=f"{message_id}:{reader}", message=message_id, reader=reader)
        ).on_conflict(action="DO NOTHING")
    message = _inbox(row, read=True)
    return msgspec.structs.replace(message, body_html=render_markdown(message.body))


async def mark_all_read(principal: Principal) -> int:
    """Record every visible message as read by this reader; return how many were unread."""
    reader = reader_of(principal)
    if reader is None:
        return 0
    rows = (
        await BureauMessage.select(BureauMessage.id)
        .where(visible_to(principal))
        .where(BureauMessage.id.not_in(_read_by(reader)))
    )
    if rows:
        await MessageRead.insert(
            *[MessageRead(key=f"{row['id']}:{reader}", message=row["id"], reader=reader) for row in rows]
        ).on_conflict(action="DO NOTHING")
    return len(rows)
