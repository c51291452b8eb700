"""A query declared as data: its function, its typed read function, filters, columns, order, detail.

One generic controller (:mod:`etax.plugins.queries.controller`) and one template render every
:class:`QuerySpec`; a query module only declares one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import msgspec
from litestar import Request
from litestar.response import Template

from etax.platform.api import Actor, Choice, Column, FunctionSpec, Listing, ListQuery, PageRequest

R = TypeVar("R", bound=msgspec.Struct)

Read = Callable[[Actor, ListQuery[R], PageRequest], Awaitable[list[R]]]
"""The rows of one page request for the actor's taxpayer (a platform service's read function)."""
RequestRead = Callable[[Request[Any, Any, Any], Actor, ListQuery[R], PageRequest], Awaitable[list[R]]]
"""A read function that asks the platform through the request (a hook answered by another plugin)."""
Count = Callable[[Actor, ListQuery[R]], Awaitable[int]]
Choices = Callable[[Actor], Awaitable[Sequence[Choice]]]
"""Filters whose options depend on the taxpayer (e.g. the matters it has applied for)."""


class DetailTable(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    headings: list[str]
    rows: list[list[str]]


class Detail(msgspec.Struct, frozen=True, kw_only=True):
    """A record's detail: labelled fields and optional tables (e.g. its tracking history)."""

    title: str
    fields: list[tuple[str, str]]
    sections: list[DetailTable] = []


Summary = Callable[[Actor, ListQuery[Any]], Awaitable[list[tuple[str, str]]]]
"""Figures over the whole filtered result shown above the table (e.g. 邮寄件数 by state)."""
DetailRead = Callable[[Actor, int], Awaitable[Detail | None]]
"""The detail of one record of the actor's taxpayer (``None``: not theirs, or no such record → 404)."""
DetailPage = Callable[[Request[Any, Any, Any], Actor, int], Awaitable[Template | None]]
"""A query whose detail has its own page (办税进度: the application with its 补正 form)."""


@dataclass(frozen=True)
class QuerySpec(Generic[R]):
    function: FunctionSpec
    listing: Listing[R]
    columns: tuple[Column, ...]
    read: Read[R] | None = None
    request_read: RequestRead[R] | None = None
    """Instead of ``read``: rows that come through a platform hook (发票信息查询 asks the invoices plugin)."""
    count: Count[R] | None = None
    """Only where counting is cheap (small per-taxpayer tables)."""
    choices: Choices | None = None
    summary: Summary | None = None
    detail: DetailRead | None = None
    detail_page: DetailPage | None = None
    detail_label: str = "查看"
    empty: str = "没有符合条件的记录。"
    notes: tuple[str, ...] = field(default_factory=tuple)
    """Lines shown under the title (what the query shows, where the records come from)."""

    async def rows(
        self, request: Request[Any, Any, Any], actor: Actor, query: ListQuery[R], page: PageRequest
    ) -> list[R]:
        """The rows of one page request, from whichever read function the query declares."""
        if self.request_read is not None:
            return await self.request_read(request, actor, query, page)
        assert self.read is not None, f"query {self.function.code} declares no read function"
        return await self.read(actor, query, page)

    @property
    def has_detail(self) -> bool:
        return self.detail is not None or self.detail_page is not None
