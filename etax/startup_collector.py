"""The garbage collector while etax starts: fewer collections, then what start-up built is frozen.

Importing etax and building the application allocates some 180,000 tracked objects that live as long
as the process (modules, classes, Piccolo tables, route handlers and their signature models, the search
catalogue). With CPython's default thresholds (700, 10, 10) that costs some 600 young and several
full collections which find next to nothing to free — a tenth of a start-up. :func:`defer` (called
when the ``etax`` package is imported) raises the thresholds; :func:`settle` (called when
:func:`etax.platform.app.create_app` has built the application) restores the ones the process had
and, in a server process, freezes everything start-up built (:func:`gc.freeze`), so the collections
while serving no longer scan it.
"""

from __future__ import annotations

import gc

# Young collections every 10,000 allocations instead of 700; no full collection while starting.
STARTUP_THRESHOLDS = (10_000, 10, 100)

_saved: list[tuple[int, int, int]] = []


def defer() -> None:
    """Raise the collector's thresholds until :func:`settle` (once; later calls do nothing)."""
    if not _saved:
        _saved.append(gc.get_threshold())
        gc.set_threshold(*STARTUP_THRESHOLDS)


def settle(*, freeze: bool = False) -> None:
    """Restore the thresholds :func:`defer` replaced; ``freeze``: move every object alive now to the
    collector's permanent generation (a server process, once its application is built — never in a
    process that builds many applications, such as the tests)."""
    if _saved:
        gc.set_threshold(*_saved.pop())
    if freeze:
        gc.freeze()


__all__ = ["STARTUP_THRESHOLDS", "defer", "settle"]
