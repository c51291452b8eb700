"""How often each function is opened: the popularity tie-breaker of search."""

from __future__ import annotations

from piccolo.columns import Integer, Serial, Varchar
from piccolo.table import Table


class FunctionUsage(Table, tablename="platform_function_usage"):
    """Times a function was opened."""

    id = Serial(primary_key=True)

    code = Varchar(length=120, unique=True)
    opened = Integer(default=0)


async def record_open(code: str) -> None:
    """Count one opening of ``code`` (an upsert, safe under concurrency)."""
    # Raw SQL: the column must be table-qualified in DO UPDATE for PostgreSQL; SQLite accepts it too.
    await FunctionUsage.raw(
        "INSERT INTO platform_function_usage (code, opened) VALUES ({}, 1) "
        "ON CONFLICT (code) DO UPDATE SET opened = platform_function_usage.opened + 1",
        code,
    )


async def popularity() -> dict[str, int]:
    """Times opened, by function code."""
    rows = await FunctionUsage.select(FunctionUsage.code, FunctionUsage.opened)
    return {str(row["code"]): int(row["opened"]) for row in rows}
