"""Routers built for one application: registered once, never deep-copied.

Litestar deep-copies every :class:`~litestar.Router` it registers, so that one Router object can be
mounted in several places (each copy gets its own owner). :func:`etax.platform.app.create_app` builds
its routers (one per plugin, the back office, the portal shell) afresh for the one application it
assembles and registers each exactly once, so that copy — tens of thousands of objects per plugin,
the largest single cost of start-up — buys nothing. The handlers inside are still copied by Litestar
when they are added to the router (a shallow copy each), so module-level handlers and controllers are
never changed by a registration and several applications can be built in one process.
"""

from __future__ import annotations

from typing import Any

from litestar import Router


class SingleUseRouter(Router):
    """A :class:`~litestar.Router` registered exactly once: registering it does not deep-copy it.

    Build a new one for every application; never register one object twice (the second owner would
    replace the first).
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> SingleUseRouter:
        return self


__all__ = ["SingleUseRouter"]
