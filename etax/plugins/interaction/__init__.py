"""互动中心 (interaction): 我的消息 — the bureau's messages to a taxpayer, read through the platform.

Messages are sent and stored by the platform's messaging service (the back office's 消息发送, the
review of applications, any plugin through ``api.send_message``); unread ones appear under 服务提醒
on the home page (the platform's message source). This plugin declares the function and serves its
pages: the list, one message (opening it marks it read), 全部标为已读; the header's 我的消息 link with
the unread count comes through the platform's ``etax_header_links`` hook.
"""

from __future__ import annotations

from pathlib import Path

from litestar.types import ControllerRouterHandler

from etax.platform.api import FunctionSpec, HeaderLink, Principal, hookimpl, messaging
from etax.plugins.interaction.functions import MY_MESSAGES
from etax.plugins.interaction.inbox_routes import InboxController


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [MY_MESSAGES]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [InboxController]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]


async def _unread(principal: Principal) -> int:
    return await messaging.unread_count(principal)


@hookimpl
def etax_header_links() -> list[HeaderLink]:
    """我的消息 in the header, with the number of unread messages."""
    return [
        HeaderLink(
            function=MY_MESSAGES.code,
            label="我的消息",
            url=MY_MESSAGES.url,
            count=_unread,
            badge_label="{n}条未读",
        )
    ]
