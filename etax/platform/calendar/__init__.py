"""The platform calendar service: holidays, adjusted working days, filing deadlines, working days.

See :mod:`etax.platform.calendar.service` and docs/ledger.md. Plugins use ``api.calendar()``. As a core
plugin it mounts the back-office page 节假日安排 (``/admin/calendar``) for the bureau-maintained table.
"""

from __future__ import annotations

from typing import Any

from etax.platform import hookimpl
from etax.platform.admin.roles import NavItem
from etax.platform.calendar.service import (
    Calendar,
    CalendarUnavailable,
    DayInfo,
    DayKind,
    SpecialDay,
    calendar,
)

__all__ = ["Calendar", "CalendarUnavailable", "DayInfo", "DayKind", "SpecialDay", "calendar"]


@hookimpl
def etax_admin_route_handlers() -> list[Any]:
    from etax.platform.calendar.admin import CalendarAdmin

    return [CalendarAdmin]


@hookimpl
def etax_admin_nav() -> list[NavItem]:
    from etax.platform.calendar.admin import NAV

    return [NAV]
