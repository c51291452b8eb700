"""The development SMS outbox: what the bundled gateway "sent", as HTML or JSON. 404 in production."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import msgspec
from litestar import MediaType, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from etax.platform.auth import sms
from etax.platform.auth.login.common import production
from etax.platform.runtime import get_runtime

CODE_PATTERN = re.compile(r"验证码为(\d{6})")


class OutboxMessage(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    mobile: str
    text: str
    code: str
    sent_at: dt.datetime


async def _messages(request: Request[Any, Any, Any]) -> list[OutboxMessage]:
    if production(request):
        raise NotFoundException()
    messages: list[OutboxMessage] = []
    for row in await sms.outbox(100):
        match = CODE_PATTERN.search(row.text)
        messages.append(
            OutboxMessage(
                id=row.id,
                mobile=row.mobile,
                text=row.text,
                code=match.group(1) if match else "",
                sent_at=row.sent_at,
            )
        )
    return messages


@get("/dev/sms.json", name="dev_sms_json", cache=False)
async def outbox_json(request: Request[Any, Any, Any]) -> Response[list[OutboxMessage]]:
    """The outbox as JSON (newest first), for tests and scripts that log in without a person."""
    return Response(await _messages(request), media_type=MediaType.JSON)


@get("/dev/sms", name="dev_sms", cache=False)
async def outbox_page(request: Request[Any, Any, Any]) -> Template | Response[list[OutboxMessage]]:
    """短信发件箱 (development only); JSON when the client asks for it."""
    messages = await _messages(request)
    if "application/json" in request.headers.get("accept", ""):
        return Response(messages, media_type=MediaType.JSON)
    await get_runtime(request.app).principal_of(request)
    return Template("auth/dev_sms.html", context={"messages": messages})
