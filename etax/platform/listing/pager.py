"""Numbered pages of a short list (back-office lists, 电子资料, 通知公告, 我的消息): page *n* of *m*.

Long lists of records use keyset pages (:mod:`etax.platform.listing.page`); a short list ordered by
time shows "共 N 条，第 n / m 页" with 上一页 / 下一页 links, drawn by the ``numbered_pager`` macro of
``macros/listing.html``. A page number past the end shows the last page.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

Q = TypeVar("Q")


class Pager(msgspec.Struct, frozen=True, kw_only=True):
    """Where a numbered list stands: ``page`` (1-based, within range) of ``pages``, ``size`` rows a page."""

    page: int
    size: int
    total: int

    @classmethod
    def at(cls, page: int, *, total: int, size: int) -> Pager:
        """Page ``page`` of ``total`` rows, clamped to the pages there are."""
        pages = max(1, -(-max(total, 0) // size))
        return cls(page=min(max(page, 1), pages), size=size, total=max(total, 0))

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def slice(self, query: Q) -> Q:
        """``query`` (a Piccolo select) limited to this page's rows."""
        limited: Any = query
        return limited.limit(self.size).offset(self.offset)  # type: ignore[no-any-return]


class Paged(msgspec.Struct, frozen=True, kw_only=True):
    """Base of a page of rows with its :class:`Pager` (``total``, ``page`` and ``pages`` read through)."""

    pager: Pager

    @property
    def total(self) -> int:
        return self.pager.total

    @property
    def page(self) -> int:
        return self.pager.page

    @property
    def pages(self) -> int:
        return self.pager.pages
