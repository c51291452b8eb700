"""The home page's message area: 我的待办, 服务提醒, 通知公告, filled by message sources."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Protocol, runtime_checkable

import msgspec

from etax.platform.identity import Principal

MessageTab = Literal["todo", "reminder", "notice"]

TAB_LABELS: dict[MessageTab, str] = {"todo": "我的待办", "reminder": "服务提醒", "notice": "通知公告"}


class HomeMessage(msgspec.Struct, frozen=True, kw_only=True):
    """One line in the message area."""

    tab: MessageTab
    title: str
    url: str
    date: dt.date | None = None
    tag: str = ""


@runtime_checkable
class MessageSource(Protocol):
    """Something that lists home-page messages for a visitor (``principal`` is None when anonymous)."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        """Return this source's messages for the visitor, newest first."""
        ...
