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
    await FunctionUsage.insert(FunctionUsage(code=code, opened=1)).on_conflict(
        target=FunctionUsage.code,
        action="DO UPDATE",
        values=[(FunctionUsage.opened, FunctionUsage.opened + 1)],
    )


async def popularity() -> dict[str, int]:
    """Times opened, by function code."""
    rows = await FunctionUsage.select(FunctionUsage.code, FunctionUsage.opened)
    return {str(row["code"]): int(row["opened"]) for row in rows}
