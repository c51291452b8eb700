"""消息发送 (业务审核员): messages from the bureau to one taxpayer or to an audience.

The form's one-time ``submission`` token is a unique column of :class:`BureauMessage`, so a double
click or a replayed request sends nothing twice. Every message sent is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from piccolo.query.functions.aggregate import Count

from etax.platform import audit
from etax.platform.admin.accounts import AdminView
from etax.platform.admin.common import beijing, set_notice, submission_token
from etax.platform.admin.forms import MESSAGE_AUDIENCES, MessageForm
from etax.platform.admin.rendering import admin_page, page_admin
from etax.platform.admin.roles import ADMIN_ROLE_OPT
from etax.platform.coresys.registry import taxpayer_by_tin
from etax.platform.forms import read_form, submitted_values
from etax.platform.ids import RecordId
from etax.platform.listing.pager import Pager
from etax.platform.messaging import service as messaging
from etax.platform.messaging.tables import BureauMessage, MessageRead
from etax.platform.web.markdown import render_markdown

PAGE_SIZE = 20
FIELDS = ("target", "tin", "audience", "title", "body", "submission")
COLUMNS = (
    BureauMessage.id,
    BureauMessage.title,
    BureauMessage.body,
    BureauMessage.audience,
    BureauMessage.sent_at,
    BureauMessage.taxpayer.tin.as_alias("tin"),
    BureauMessage.taxpayer.name.as_alias("taxpayer_name"),
    BureauMessage.sender,
)


class SentMessage(msgspec.Struct, frozen=True, kw_only=True):
    """A message the bureau sent, as the back office lists it."""

    id: int
    title: str
    body: str
    audience: str
    sent_at: dt.datetime
    tin: str | None = None
    taxpayer_name: str | None = None
    sender: str = ""
    reads: int = 0

    @property
    def recipient(self) -> str:
        if self.tin:
            return f"{self.taxpayer_name}（{self.tin}）"
        return MESSAGE_AUDIENCES.get(self.audience, self.audience)

    @property
    def sent_text(self) -> str:
        return beijing(self.sent_at)


def _admin(request: Request[Any, Any, Any]) -> AdminView:
    admin = page_admin(request)
    assert admin is not None  # the guard let only a logged-in administrator through
    return admin


async def _read_counts(message_ids: list[int]) -> dict[int, int]:
    if not message_ids:
        return {}
    rows = (
        await MessageRead.select(MessageRead.message, Count(alias="reads"))
        .where(MessageRead.message.is_in(message_ids))
        .group_by(MessageRead.message)
    )
    return {int(row["message"]): int(row["reads"]) for row in rows}


def _item(row: dict[str, Any], reads: dict[int, int]) -> SentMessage:
    return msgspec.convert(
        {**row, "sender": row["sender"] or "", "reads": reads.get(int(row["id"]), 0)}, SentMessage
    )


def _form_page(
    request: Request[Any, Any, Any],
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    return admin_page(
        request,
        "admin/message_form.html",
        {
            "values": values,
            "errors": errors or {},
            "audiences": MESSAGE_AUDIENCES,
            "preview": render_markdown(values.get("body", "")),
        },
        status=status,
    )


class MessageAdmin(Controller):
    """/admin/messages — every route needs 业务审核员 (or 系统管理员)."""

    path = "/messages"
    opt = {ADMIN_ROLE_OPT: "reviewer"}

    @get("/", name="admin_messages", cache=False)
    async def listing(
        self, request: Request[Any, Any, Any], page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1
    ) -> Template:
        """Messages sent, newest first, with how many readers opened each."""
        total = int(await BureauMessage.count())
        pager = Pager.at(page, total=total, size=PAGE_SIZE)
        rows = await pager.slice(
            BureauMessage.select(*COLUMNS)
            .order_by(BureauMessage.sent_at, ascending=False)
            .order_by(BureauMessage.id, ascending=False)
        )
        reads = await _read_counts([int(row["id"]) for row in rows])
        return admin_page(
            request,
            "admin/messages.html",
            {
                "items": [_item(row, reads) for row in rows],
                "pager": pager,
            },
        )

    @get("/new", name="admin_message_new", cache=False)
    async def new_form(
        self, request: Request[Any, Any, Any], tin: Annotated[str, QueryParameter(max_length=40)] = ""
    ) -> Template:
        values = {
            "target": "taxpayer",
            "tin": tin,
            "audience": "",
            "title": "",
            "body": "",
            "submission": submission_token(),
        }
        return _form_page(request, values)

    @post("/", name="admin_message_send")
    async def send(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        """Send a message (once per form, however often it is submitted)."""
        values = await submitted_values(request, FIELDS)
        form, errors = await read_form(request, MessageForm)
        if form is None:
            return _form_page(request, values, errors=errors, status=400)
        taxpayer_id: int | None = None
        recipient = MESSAGE_AUDIENCES.get(form.audience, "")
        if form.target == "taxpayer":
            taxpayer = await taxpayer_by_tin(form.normalised_tin)
            if taxpayer is None:
                errors = {"tin": "未查询到该纳税人识别号的登记信息，请核对后重新输入"}
                return _form_page(request, values, errors=errors, status=400)
            taxpayer_id, recipient = taxpayer.id, f"{taxpayer.name}（{taxpayer.tin}）"
        admin = _admin(request)
        message_id = await messaging.send(
            submission=form.submission,
            title=form.title,
            body=form.body,
            taxpayer_id=taxpayer_id,
            audience="" if taxpayer_id is not None else form.audience,
            sender=admin.display_name,
        )
        if message_id is None:
            set_notice(request, "该消息已经发送过，未重复发送。", error=True)
            return Redirect("/admin/messages", status_code=303)
        await audit.record(
            actor=admin.actor,
            action="admin.message.send",
            outcome="success",
            connection=request,
            taxpayer_id=taxpayer_id,
            target=f"message:{message_id}",
            detail=f"{form.title} → {recipient}",
        )
        set_notice(request, f"消息“{form.title}”已发送给{recipient}。")
        return Redirect(f"/admin/messages/{message_id}", status_code=303)

    @get("/{message_id:int}", name="admin_message", cache=False)
    async def detail(self, request: Request[Any, Any, Any], message_id: RecordId) -> Template:
        row = await BureauMessage.select(*COLUMNS).where(BureauMessage.id == message_id).first()
        if row is None:
            raise NotFoundException("该消息不存在")
        item = _item(row, await _read_counts([message_id]))
        return admin_page(
            request, "admin/message.html", {"item": item, "body_html": render_markdown(item.body)}
        )
