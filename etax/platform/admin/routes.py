"""The back office's own pages, relative to ``/admin``.

The application mounts them in its one ``/admin`` router (:func:`etax.platform.app.admin_router`),
beside the pages the core and other plugins contribute through ``etax_admin_route_handlers``. Every
handler states the role it needs in ``opt={"admin_role": …}`` (the login page: ``opt={"public": True}``).
"""

from __future__ import annotations

from typing import Any

from etax.platform.admin import home, login, preview
from etax.platform.admin.accounts_page import AccountAdmin
from etax.platform.admin.announcements import AnnouncementAdmin
from etax.platform.admin.messages import MessageAdmin

ADMIN_ROUTE_HANDLERS: list[Any] = [
    login.show_login,
    login.submit_login,
    login.logout,
    home.home,
    home.plugins,
    home.switch_plugin,
    preview.preview,
    AnnouncementAdmin,
    MessageAdmin,
    AccountAdmin,
]
