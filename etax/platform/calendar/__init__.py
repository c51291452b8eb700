"""The platform calendar service: holidays, adjusted working days, filing deadlines, working days.

See :mod:`etax.platform.calendar.service` and docs/ledger.md. Plugins use ``api.calendar()``.
"""

from __future__ import annotations

from etax.platform.calendar.service import (
    Calendar,
    CalendarUnavailable,
    DayInfo,
    DayKind,
    SpecialDay,
    calendar,
)

__all__ = ["Calendar", "CalendarUnavailable", "DayInfo", "DayKind", "SpecialDay", "calendar"]
