"""Record ids in URLs: one bounded path-parameter type for every ``/{…_id:int}`` route.

Record ids are Piccolo ``Serial`` columns: 32-bit ``integer`` on PostgreSQL (``serial``), so an id
outside 1 … 2³¹−1 names no record; without a bound it would reach the database driver and fail there
(asyncpg "value out of int32 range", SQLite ``OverflowError`` above 2⁶³ — a 500).
Handlers annotate their id parameters with :data:`RecordId` (documented in the OpenAPI schema as its
bounds), and :func:`bounded_ids_guard`, an application guard, answers 404 for any integer path
parameter outside the bounds before a handler or another guard runs — also for a route that forgot
the annotation.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import Parameter

MAX_RECORD_ID = 2**31 - 1  # PostgreSQL integer, the type of Piccolo's Serial

RecordId = Annotated[int, Parameter(ge=1, le=MAX_RECORD_ID, description="记录编号（1 至 2147483647）")]
"""A record id in a URL path: an integer from 1 to 2³¹−1; anything else answers 404."""


def is_record_id(value: int) -> bool:
    return 1 <= value <= MAX_RECORD_ID


def bounded_ids_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Answer 404 for an integer path parameter that cannot be a record id."""
    for value in connection.path_params.values():
        if isinstance(value, int) and not isinstance(value, bool) and not is_record_id(value):
            raise NotFoundException()
