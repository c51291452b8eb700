"""服务提醒 on the home page: the visitor's unread messages from the bureau (a platform message source)."""

from __future__ import annotations

from etax.platform.identity import Principal
from etax.platform.messages import HomeMessage
from etax.platform.messaging import service as messaging


class InboxMessages:
    """A :class:`~etax.platform.messages.MessageSource` for the 服务提醒 tab."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        if principal is None or messaging.reader_of(principal) is None:
            return []
        return [
            HomeMessage(
                tab="reminder",
                title=message.title,
                url=f"/inbox/{message.id}",
                date=message.sent_at.date(),
                tag="税务机关消息",
            )
            for message in await messaging.unread_messages(principal, limit=8)
        ]
