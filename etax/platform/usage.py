"""How often each function is opened: the popularity tie-breaker of search.

Openings are counted in memory and written in batches — one upsert per function for all its openings
since the last write — at most every ``ETAX_USAGE_FLUSH_SECONDS`` (default 30; 0 writes each opening
at once, as the tests do) and when the worker stops, instead of a database write per page opened.
"""

from __future__ import annotations

import time
from collections import Counter

from piccolo.columns import Integer, Serial, Varchar
from piccolo.table import Table

DEFAULT_FLUSH_SECONDS = 30.0


class FunctionUsage(Table, tablename="platform_function_usage"):
    """Times a function was opened."""

    id = Serial(primary_key=True)

    code = Varchar(length=120, unique=True)
    opened = Integer(default=0)


class _Pending:
    counts: Counter[str] = Counter()
    last_flush = time.monotonic()
    flush_seconds = DEFAULT_FLUSH_SECONDS


def configure(flush_seconds: float) -> None:
    """How long openings may wait in memory before they are written."""
    _Pending.flush_seconds = max(0.0, flush_seconds)


async def _add(code: str, times: int) -> None:
    # Raw SQL: the column must be table-qualified in DO UPDATE for PostgreSQL; SQLite accepts it too.
    await FunctionUsage.raw(
        "INSERT INTO platform_function_usage (code, opened) VALUES ({}, {}) "
        "ON CONFLICT (code) DO UPDATE SET opened = platform_function_usage.opened + {}",
        code,
        times,
        times,
    )


async def record_open(code: str) -> None:
    """Count one opening of ``code`` (written now, or with the next batch)."""
    _Pending.counts[code] += 1
    if time.monotonic() - _Pending.last_flush >= _Pending.flush_seconds:
        await flush()


async def flush() -> None:
    """Write the openings counted so far (an upsert per function, safe under concurrency)."""
    _Pending.last_flush = time.monotonic()
    counts, _Pending.counts = _Pending.counts, Counter()
    for code, times in sorted(counts.items()):
        try:
            await _add(code, times)
        except Exception:
            _Pending.counts[code] += times  # kept for the next batch
            raise


async def popularity() -> dict[str, int]:
    """Times opened, by function code."""
    rows = await FunctionUsage.select(FunctionUsage.code, FunctionUsage.opened)
    return {str(row["code"]): int(row["opened"]) for row in rows}
