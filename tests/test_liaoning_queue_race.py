"""Concurrent 取号 at one hall on PostgreSQL: every visitor gets a number, no number twice, one per visitor."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import msgspec
import pytest

from etax.platform.app import load_plugins
from etax.platform.db.migrate import migrate
from etax.platform.settings import Settings
from tests.conftest import BACKEND

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "etax-liaoning"

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="a race: PostgreSQL only")


def test_parallel_tickets_get_distinct_numbers(settings: Settings) -> None:
    sys.path.insert(0, str(EXAMPLES))
    try:
        load_plugins(msgspec.structs.replace(settings, plugins=("etax_liaoning",)))
        from etax_liaoning import queue

        from etax.platform.api import HallBusiness, list_halls

        async def race() -> list[int]:
            await migrate()
            hall = next(h for h in await list_halls("沈阳市") if h.code == "SY-HP-01")
            takers = [queue.take(hall, HallBusiness.GENERAL, f"race:{i}", "并发取号") for i in range(20)]
            tickets = await asyncio.gather(*takers, return_exceptions=True)
            again = await queue.take(hall, HallBusiness.GENERAL, "race:0", "并发取号")  # a replay
            numbers = [t.number for t in tickets if not isinstance(t, BaseException)]
            assert again.number in numbers
            return numbers

        numbers = asyncio.run(race())
        assert sorted(numbers) == list(range(min(numbers), min(numbers) + 20))  # all 20 served, none twice
    finally:
        load_plugins(settings)  # the process's Piccolo apps without the distribution again
        sys.path.remove(str(EXAMPLES))
        for name in [m for m in sys.modules if m == "etax_liaoning" or m.startswith("etax_liaoning.")]:
            sys.modules.pop(name, None)
