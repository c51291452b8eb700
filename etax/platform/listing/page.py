"""A declared list (:class:`Listing`), the visitor's request for one page of it (:class:`ListQuery`),
and keyset (seek) pagination over a Piccolo select (:class:`PageRequest`).

Pagination never uses ``OFFSET``: a page is "the next *n* rows after this row" in a stable order whose
last key is unique (the row id), so page 500 costs what page 1 costs when an index covers the order.
The read function of a service receives a :class:`PageRequest` and calls :meth:`PageRequest.apply` on
its select; the list page turns the rows into a :class:`Page` with signed "next" and "previous" cursors.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

import msgspec
from piccolo.columns import Column as PiccoloColumn
from piccolo.columns.combination import WhereRaw
from piccolo.query import Select
from piccolo.table import Table

from etax.platform.listing.cursor import (
    CursorError,
    CursorPayload,
    decode_cursor,
    encode_cursor,
    fingerprint,
)
from etax.platform.listing.filters import Filter, FilterValues, parse_filters

R = TypeVar("R", bound=msgspec.Struct)

PAGE_SIZES = (10, 20, 50, 100)
CURSOR_PARAM = "cursor"
SIZE_PARAM = "size"


@dataclass(frozen=True)
class SortKey:
    """One key of the stable order: a column of the list's base table (and attribute of its rows)."""

    column: str
    descending: bool = True


@dataclass(frozen=True)
class PageRequest:
    """Which rows a read function should return: the order, where to seek from, how many."""

    sort: tuple[SortKey, ...]
    seek: tuple[Any, ...] | None = None
    backward: bool = False
    limit: int = 21

    def apply(self, query: Select[Any]) -> Select[Any]:
        """Add the seek condition, the order and the limit to ``query`` (a select of the base table)."""
        table = query.table
        columns: list[PiccoloColumn] = [table._meta.get_column_by_name(key.column) for key in self.sort]
        # Reading backward (the previous page) flips every key; the rows are put back in order later.
        descending = [key.descending != self.backward for key in self.sort]
        if self.seek is not None:
            query = query.where(_seek_condition(columns, descending, self.seek))
        for column, desc in zip(columns, descending, strict=True):
            query = query.order_by(column, ascending=not desc)
        return query.limit(self.limit)

    def sql(self, table: type[Table]) -> tuple[str, list[Any], str]:
        """The same as :meth:`apply` as raw SQL for a hand-written select of ``table`` (``{}``
        placeholders): the seek condition (``""`` on the first page), its arguments, and the
        ``ORDER BY … LIMIT n`` tail. For hot list reads, where building the query through the ORM
        costs more than running it."""
        names = [_quoted(table._meta.get_column_by_name(key.column)) for key in self.sort]
        descending = [key.descending != self.backward for key in self.sort]
        condition, args = ("", []) if self.seek is None else _seek_sql(names, descending, self.seek)
        order = ", ".join(
            f"{name} {'DESC' if desc else 'ASC'}" for name, desc in zip(names, descending, strict=True)
        )
        return condition, args, f"ORDER BY {order} LIMIT {int(self.limit)}"

    def take(self, rows: Iterable[Any]) -> list[Any]:
        """The same page from rows already in memory (a computed list such as 欠税 or 应申报清册):
        ordered by the sort keys, after the seek position, at most :attr:`limit`."""
        descending = [key.descending != self.backward for key in self.sort]

        def compare(a: tuple[Any, ...], b: tuple[Any, ...]) -> int:
            for left, right, desc in zip(a, b, descending, strict=True):
                if left != right:
                    smaller = left < right
                    return (1 if smaller else -1) if desc else (-1 if smaller else 1)
            return 0

        def key(row: Any) -> tuple[Any, ...]:
            return tuple(getattr(row, k.column) for k in self.sort)

        ordered = sorted(rows, key=lambda row: functools.cmp_to_key(compare)(key(row)))
        if self.seek is not None:
            seek = tuple(self.seek)
            ordered = [row for row in ordered if compare(key(row), seek) > 0]
        return ordered[: self.limit]


def _quoted(column: PiccoloColumn) -> str:
    return f'"{column._meta.table._meta.tablename}"."{column._meta.db_column_name}"'


def _seek_condition(
    columns: Sequence[PiccoloColumn], descending: Sequence[bool], values: Sequence[Any]
) -> WhereRaw:
    """Rows strictly after ``values`` in the order. One row-value comparison when every key runs the
    same way (an index range scan on PostgreSQL and SQLite), the expanded form otherwise."""
    sql, args = _seek_sql([_quoted(column) for column in columns], descending, values)
    return WhereRaw(sql, *args)


def _seek_sql(
    names: Sequence[str], descending: Sequence[bool], values: Sequence[Any]
) -> tuple[str, list[Any]]:
    if len(set(descending)) == 1:
        operator = "<" if descending[0] else ">"
        placeholders = ", ".join("{}" for _ in values)
        return f"({', '.join(names)}) {operator} ({placeholders})", list(values)
    clauses: list[str] = []
    args: list[Any] = []
    for index, name in enumerate(names):
        parts = [f"{names[i]} = {{}}" for i in range(index)]
        parts.append(f"{name} {'<' if descending[index] else '>'} {{}}")
        clauses.append("(" + " AND ".join(parts) + ")")
        args.extend([*values[:index], values[index]])
    return "(" + " OR ".join(clauses) + ")", args


@dataclass(frozen=True)
class Page(Generic[R]):
    """One page of rows with the cursors of its neighbours (``None``: no such page)."""

    rows: list[R]
    next_cursor: str | None
    prev_cursor: str | None
    first: bool
    """Whether this is the first page (no cursor was followed)."""
    total: int | None = None


@dataclass(frozen=True)
class Listing(Generic[R]):
    """A list page declared as data: its rows' type, its stable order, its filters, its page sizes.

    ``code`` names the list in its cursors (usually the function code). The last sort key must be
    unique (the row id), so the order is total and no row is shown twice or skipped.
    """

    code: str
    row: type[R]
    sort: tuple[SortKey, ...]
    filters: tuple[Filter, ...] = ()
    page_sizes: tuple[int, ...] = PAGE_SIZES
    default_size: int = 20

    def parse(self, params: Mapping[str, str], *, scope: str, secret: str) -> ListQuery[R]:
        """The visitor's request (filters, page size, cursor) for this list, as seen by ``scope``.

        ``scope`` is who the rows belong to (``taxpayer:42``); a cursor made for another scope, list
        or set of filters is refused with a message in :attr:`ListQuery.errors` and page 1 is shown.
        """
        values = parse_filters(self.filters, params)
        errors = dict(values.errors)
        size = self.default_size
        raw_size = params.get(SIZE_PARAM, "").strip()
        if raw_size:
            if raw_size.isdigit() and int(raw_size) in self.page_sizes:
                size = int(raw_size)
            else:
                sizes = "、".join(str(s) for s in self.page_sizes)
                errors[SIZE_PARAM] = f"每页条数只能选择{sizes}条，已按每页{self.default_size}条显示"
        digest = fingerprint(values.params)
        request = PageRequest(sort=self.sort, limit=size + 1)
        raw_cursor = params.get(CURSOR_PARAM, "")
        if raw_cursor:
            try:
                payload = decode_cursor(secret, raw_cursor, listing=self.code, scope=scope, filters=digest)
                seek = self._seek_values(payload.key)
                request = PageRequest(sort=self.sort, seek=seek, backward=payload.backward, limit=size + 1)
            except CursorError as error:
                errors[CURSOR_PARAM] = str(error)
        return ListQuery(
            listing=self,
            filters=values,
            errors=errors,
            size=size,
            page=request,
            scope=scope,
            secret=secret,
            digest=digest,
        )

    def _seek_values(self, raw: list[Any]) -> tuple[Any, ...]:
        types = {f.name: f.type for f in msgspec.structs.fields(self.row)}
        if len(raw) != len(self.sort):
            raise CursorError("翻页链接无效，已为您显示第一页")
        try:
            return tuple(
                msgspec.convert(value, types[key.column], strict=False)
                for key, value in zip(self.sort, raw, strict=True)
            )
        except (msgspec.ValidationError, KeyError) as error:
            raise CursorError("翻页链接无效，已为您显示第一页") from error


@dataclass
class ListQuery(Generic[R]):
    """One visitor's request for a page of a :class:`Listing`."""

    listing: Listing[R]
    filters: FilterValues
    errors: dict[str, str]
    size: int
    page: PageRequest
    scope: str
    secret: str
    digest: str
    extra: dict[str, str] = field(default_factory=dict)

    def chunks(self, chunk: int) -> PageRequest:
        """The first request of a walk over every filtered row in pages of ``chunk`` (exports)."""
        return PageRequest(sort=self.listing.sort, limit=chunk)

    def after(self, request: PageRequest, row: R) -> PageRequest:
        """The request for the rows after ``row`` (the next chunk of a walk)."""
        return PageRequest(sort=request.sort, seek=self._key(row), limit=request.limit)

    def _key(self, row: R) -> tuple[Any, ...]:
        return tuple(getattr(row, key.column) for key in self.listing.sort)

    def _cursor(self, row: R, *, backward: bool) -> str:
        key = msgspec.to_builtins(list(self._key(row)))
        payload = CursorPayload(self.listing.code, self.scope, self.digest, backward, key)
        return encode_cursor(self.secret, payload)

    def result(self, rows: list[R], total: int | None = None) -> Page[R]:
        """Turn the rows a read function returned for :attr:`page` into a :class:`Page`."""
        more = len(rows) > self.size
        rows = rows[: self.size]
        if self.page.backward:
            rows.reverse()
            prev_cursor = self._cursor(rows[0], backward=True) if more and rows else None
            next_cursor = self._cursor(rows[-1], backward=False) if rows else None
            first = not more
        else:
            next_cursor = self._cursor(rows[-1], backward=False) if more else None
            prev_cursor = (
                self._cursor(rows[0], backward=True) if self.page.seek is not None and rows else None
            )
            first = self.page.seek is None
        return Page(rows=rows, next_cursor=next_cursor, prev_cursor=prev_cursor, first=first, total=total)

    def href(self, cursor: str | None = None, **extra: str) -> str:
        """``?…``: this query's filters and page size, with ``cursor`` and ``extra`` parameters."""
        params = list(self.filters.params)
        if self.size != self.listing.default_size:
            params.append((SIZE_PARAM, str(self.size)))
        if cursor:
            params.append((CURSOR_PARAM, cursor))
        params.extend((key, value) for key, value in {**self.extra, **extra}.items() if value)
        return "?" + urlencode(params)

    def describe(self) -> str:
        """The filters in words (print view, audit)."""
        return self.filters.describe(self.listing.filters)


ReadRows = Callable[[PageRequest], Awaitable[list[R]]]
"""A read function bound to one visitor's filters: the rows of one page request."""


async def walk(query: ListQuery[R], read: ReadRows[R], *, limit: int, chunk: int = 1000) -> AsyncIterator[R]:
    """Every filtered row (at most ``limit``), read in chunks by seeking, in the list's order.

    An async generator: only one chunk is in memory at a time.
    """
    request = query.chunks(min(chunk, limit))
    count = 0
    while count < limit:
        rows = await read(request)
        for row in rows:
            yield row
            count += 1
            if count >= limit:
                return
        if len(rows) < request.limit:
            return
        request = query.after(request, rows[-1])
