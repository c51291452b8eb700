"""我的消息 (互动中心): messages from the bureau to taxpayers, as a core plugin of the platform.

Administrators send them in the back office (:mod:`etax.platform.admin.messages`); they are stored
in the back office's tables and read through :mod:`etax.platform.admin.messaging`. This plugin
declares the function, binds its routes to it, and puts unread messages under 服务提醒.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from etax.platform import FunctionSpec, hookimpl
from etax.platform.inbox.functions import MY_MESSAGES
from etax.platform.inbox.routes import InboxController
from etax.platform.inbox.source import InboxMessages
from etax.platform.messages import MessageSource


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [MY_MESSAGES]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [InboxController]


@hookimpl
def etax_message_sources() -> list[MessageSource]:
    return [InboxMessages()]
