"""Column defaults that read the platform clock (:mod:`etax.platform.clock`), not the wall clock.

Piccolo fills a column the code left out when it builds the row object (``Table(...)``, which
``Table.insert``, ``save`` and ``get_or_create`` all go through) by calling the default's ``python()``;
its own ``TimestamptzNow``/``DateNow`` read the machine's clock there (``DateNow`` even the server's
local date, not Beijing's). These subclasses read the platform clock instead, so a pinned clock (tests,
a demonstration with ``ETAX_TODAY``) is what a new message, application or audit entry records.

The SQL default stays what it was (``current_timestamp`` / ``CURRENT_DATE``: the same DDL, so no
migration): it only applies to raw ``INSERT`` statements that leave the column out, which the code
does not do for these columns.

Use::

    created_at = Timestamptz(default=PlatformNow())
    filed_on = Date(default=PlatformToday())
"""

from __future__ import annotations

import datetime as dt

from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow

from etax.platform import clock


class PlatformNow(TimestamptzNow):
    """A ``Timestamptz`` default: the platform clock's moment (UTC), the pinned one while pinned."""

    def python(self) -> dt.datetime:
        return clock.utcnow()


class PlatformToday(DateNow):
    """A ``Date`` default: the platform clock's day in Beijing, the pinned one while pinned."""

    def python(self) -> dt.date:
        return clock.today()


__all__ = ["PlatformNow", "PlatformToday"]
