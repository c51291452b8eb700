"""/inbox: the list, one message (opening it marks it read), 全部标为已读, and the header badge."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from etax.platform.admin import messaging
from etax.platform.admin.common import beijing
from etax.platform.identity import Principal
from etax.platform.ids import RecordId
from etax.platform.inbox.functions import MY_MESSAGES
from etax.platform.runtime import get_runtime

PAGE_SIZE = 20


async def _principal(request: Request[Any, Any, Any]) -> Principal:
    """The logged-in reader (the guard has already let the request through)."""
    principal = await get_runtime(request.app).principal_of(request)
    if principal is None:
        raise NotAuthorizedException("请先登录后再查看我的消息")
    if messaging.reader_of(principal) is None:
        raise PermissionDeniedException("当前登录身份不能查看我的消息")
    return principal


class InboxController(Controller):
    """互动中心 › 我的消息."""

    path = "/inbox"
    opt = {"function": MY_MESSAGES.code}

    @get("/", cache=False)
    async def listing(
        self, request: Request[Any, Any, Any], page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1
    ) -> Template:
        principal = await _principal(request)
        total = await messaging.count_messages(principal)
        items = await messaging.list_messages(principal, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        return Template(
            "inbox/messages.html",
            context={
                "items": items,
                "sent": {item.id: beijing(item.sent_at) for item in items},
                "unread": await messaging.unread_count(principal),
                "page": page,
                "pages": max(1, -(-total // PAGE_SIZE)),
                "total": total,
            },
        )

    @get("/{message_id:int}", cache=False)
    async def detail(self, request: Request[Any, Any, Any], message_id: RecordId) -> Template:
        """One message; only its recipients can open it (anyone else gets 404), and it is now read."""
        principal = await _principal(request)
        message = await messaging.open_message(principal, message_id)
        if message is None:
            raise NotFoundException()
        return Template("inbox/message.html", context={"message": message, "sent": beijing(message.sent_at)})

    @post("/read-all")
    async def read_all(self, request: Request[Any, Any, Any]) -> Redirect:
        """全部标为已读."""
        await messaging.mark_all_read(await _principal(request))
        return Redirect("/inbox", status_code=303)

    @get("/unread", cache=False)
    async def unread(self, request: Request[Any, Any, Any]) -> Template:
        """The header's 我的消息 link with the unread count (htmx partial, loaded once per page)."""
        principal = await get_runtime(request.app).principal_of(request)
        count = 0 if principal is None else await messaging.unread_count(principal)  # never an error page
        return Template("inbox/_unread.html", context={"count": count})
