"""The ``pin_clock`` fixture: pin the platform clock to a day (or moment) for one test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from etax.platform import clock


@pytest.fixture()
def pin_clock() -> Iterator[Callable[[dt.date | dt.datetime], None]]:
    """Call ``pin_clock(day)`` to pin the platform clock; it is unpinned when the test ends."""
    try:
        yield clock.pin
    finally:
        clock.pin(None)
