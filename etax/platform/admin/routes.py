"""The back-office routes the application mounts under /admin.

One router holds them all, with the back-office guard (:mod:`etax.platform.admin.guard`) and its
own error pages; every handler states the role it needs in ``opt={"admin_role": …}``.
"""

from __future__ import annotations

from typing import Any

from litestar import Router

from etax.platform.admin import home, login, preview
from etax.platform.admin.accounts_page import AccountAdmin
from etax.platform.admin.announcements import AnnouncementAdmin
from etax.platform.admin.guard import admin_guard
from etax.platform.admin.messages import MessageAdmin
from etax.platform.admin.rendering import ADMIN_EXCEPTION_HANDLERS

ADMIN_ROUTER = Router(
    path="/admin",
    route_handlers=[
        login.show_login,
        login.submit_login,
        login.logout,
        home.home,
        home.plugins,
        preview.preview,
        AnnouncementAdmin,
        MessageAdmin,
        AccountAdmin,
    ],
    guards=[admin_guard],
    exception_handlers=ADMIN_EXCEPTION_HANDLERS,
)

ADMIN_ROUTE_HANDLERS: list[Any] = [ADMIN_ROUTER]
