"""/inbox: the list, one message (opening it marks it read), 全部标为已读."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from etax.platform.api import CurrentPrincipal, Pager, RecordId, beijing, messaging
from etax.plugins.interaction.functions import MY_MESSAGES

PAGE_SIZE = 20


class InboxController(Controller):
    """互动中心 › 我的消息."""

    path = "/inbox"
    opt = {"function": MY_MESSAGES.code}

    @get("/", cache=False)
    async def listing(
        self, principal: CurrentPrincipal, page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1
    ) -> Template:
        total = await messaging.count_messages(principal)
        pager = Pager.at(page, total=total, size=PAGE_SIZE)
        items = await messaging.list_messages(principal, limit=pager.size, offset=pager.offset)
        return Template(
            "interaction/messages.html",
            context={
                "items": items,
                "sent": {item.id: beijing(item.sent_at) for item in items},
                "unread": await messaging.unread_count(principal),
                "pager": pager,
            },
        )

    @get("/{message_id:int}", cache=False)
    async def detail(self, principal: CurrentPrincipal, message_id: RecordId) -> Template:
        """One message; only its recipients can open it (anyone else gets 404), and it is now read."""
        message = await messaging.open_message(principal, message_id)
        if message is None:
            raise NotFoundException()
        return Template(
            "interaction/message.html", context={"message": message, "sent": beijing(message.sent_at)}
        )

    @post("/read-all")
    async def read_all(self, principal: CurrentPrincipal) -> Redirect:
        """全部标为已读."""
        await messaging.mark_all_read(principal)
        return Redirect("/inbox", status_code=303)
