"""Exports of a filtered list — CSV (UTF-8 with BOM, so Excel reads Chinese) and streaming XLSX — and
the print view. Every export is written to the audit log.

Both exports walk the list by seeking in chunks, so memory stays bounded whatever the row count: CSV
streams straight to the response; XLSX is written by xlsxwriter in ``constant_memory`` mode (each row
flushed to disk as it is written) into a temporary file that is streamed and then deleted.
"""

from __future__ import annotations

import csv
import enum
import io
import os
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import quote

import anyio.to_thread
import msgspec
from litestar import Request
from litestar.background_tasks import BackgroundTask
from litestar.response import File, Stream

from etax.platform import clock
from etax.platform.audit import record
from etax.platform.listing.columns import Column, Format
from etax.platform.listing.page import ListQuery, ReadRows, walk

R = TypeVar("R", bound=msgspec.Struct)

MAX_EXPORT_ROWS = 100_000
"""The most rows one export holds (the filters narrow a bigger result)."""
MAX_PRINT_ROWS = 1_000
CHUNK = 1_000
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True)
class Exporter:
    """Who exports what, for the audit log and the file name."""

    title: str
    """The list's name (file name, sheet, audit target), e.g. 历史办税操作查询."""
    actor: str
    acting_for: str = ""
    taxpayer_id: int | None = None


def _disposition(filename: str) -> str:
    return f"attachment; filename=\"export\"; filename*=UTF-8''{quote(filename)}"


def _stamp() -> str:
    return clock.now().strftime("%Y%m%d%H%M%S")


async def _audit(
    request: Request[Any, Any, Any], who: Exporter, fmt: ExportFormat, query: ListQuery[Any]
) -> None:
    await record(
        actor=who.actor,
        acting_for=who.acting_for,
        taxpayer_id=who.taxpayer_id,
        action="导出查询结果",
        target=f"{who.title}（{fmt.value.upper()}）",
        detail=f"查询条件：{query.describe()}",
        outcome="success",
        connection=request,
    )


async def export_response(
    request: Request[Any, Any, Any],
    fmt: ExportFormat,
    query: ListQuery[R],
    read: ReadRows[R],
    columns: Sequence[Column],
    who: Exporter,
) -> Stream | File:
    """The filtered rows of ``query`` (every page, at most :data:`MAX_EXPORT_ROWS`) as a download."""
    await _audit(request, who, fmt, query)
    filename = f"{who.title}_{_stamp()}.{fmt.value}"
    if fmt is ExportFormat.CSV:
        return Stream(
            _csv_lines(query, read, columns),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": _disposition(filename)},
        )
    path = await write_xlsx(walk(query, read, limit=MAX_EXPORT_ROWS, chunk=CHUNK), columns, who.title)
    return File(
        path=path,
        media_type=XLSX_TYPE,
        content_disposition_type="attachment",
        headers={"Content-Disposition": _disposition(filename)},
        background=BackgroundTask(os.unlink, path),
    )


async def _csv_lines(query: ListQuery[R], read: ReadRows[R], columns: Sequence[Column]) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in columns])
    yield BOM + buffer.getvalue()
    async for row in walk(query, read, limit=MAX_EXPORT_ROWS, chunk=CHUNK):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([column.text(row) for column in columns])
        yield buffer.getvalue()


def _cell(column: Column, row: Any) -> Any:
    value = column.value(row)
    if value is not None and column.numeric and isinstance(value, Decimal | int):
        return value
    return column.text(row)


async def write_xlsx(rows: AsyncIterator[Any], columns: Sequence[Column], title: str) -> str:
    """Write ``rows`` to a new XLSX file (constant memory) and return its path; the caller deletes it."""
    handle, path = tempfile.mkstemp(prefix="etax-export-", suffix=".xlsx")
    os.close(handle)
    import xlsxwriter  # imported on first export, not at start-up

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    for index, column in enumerate(columns):
        sheet.set_column(index, index, 14 if column.numeric else 20)
    sheet.write_row(0, 0, [column.label for column in columns], bold)
    line = 1
    batch: list[Any] = []

    def flush(start: int, chunk: list[Any]) -> None:
        for offset, row in enumerate(chunk):
            for index, column in enumerate(columns):
                value = _cell(column, row)
                if isinstance(value, Decimal | int):
                    sheet.write_number(
                        start + offset, index, float(value), money if column.format is Format.MONEY else None
                    )
                else:
                    sheet.write_string(start + offset, index, value)

    async for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            await anyio.to_thread.run_sync(flush, line, batch)
            line += len(batch)
            batch = []
    if batch:
        await anyio.to_thread.run_sync(flush, line, batch)
    await anyio.to_thread.run_sync(workbook.close)
    return path


async def print_rows(query: ListQuery[R], read: ReadRows[R]) -> tuple[list[R], bool]:
    """The filtered rows for the print view (at most :data:`MAX_PRINT_ROWS`) and whether more exist."""
    rows = [row async for row in walk(query, read, limit=MAX_PRINT_ROWS + 1, chunk=CHUNK)]
    return rows[:MAX_PRINT_ROWS], len(rows) > MAX_PRINT_ROWS


def printed_at() -> str:
    """When a print view was made, in Beijing time."""
    return clock.now().strftime("%Y-%m-%d %H:%M:%S")
