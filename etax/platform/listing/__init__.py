"""The platform's list-page service: declared filters kept in the URL, keyset pagination with signed
cursors, one pager macro, CSV/XLSX export (audited) and the print view.

Used by the query centre, the invoices plugin and the back office. Plugins reach it through
``etax.platform.api``; docs/plugins.md §9 shows a complete list page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec
from litestar import Request

from etax.platform.listing.columns import (
    Column,
    Format,
    Tone,
    beijing_day,
    beijing_moment,
    money,
    row_cells,
)
from etax.platform.listing.cursor import CursorError
from etax.platform.listing.export import (
    MAX_EXPORT_ROWS,
    MAX_PRINT_ROWS,
    Exporter,
    ExportFormat,
    export_response,
    print_rows,
    printed_at,
    write_xlsx,
)
from etax.platform.listing.filters import (
    AmountRange,
    Choice,
    DateRange,
    Filter,
    FilterValues,
    PeriodRange,
    Span,
    Text,
    moments,
    parse_filters,
)
from etax.platform.listing.page import (
    PAGE_SIZES,
    Listing,
    ListQuery,
    Page,
    PageRequest,
    ReadRows,
    SortKey,
    walk,
)

R = TypeVar("R", bound=msgspec.Struct)


def list_query(request: Request[Any, Any, Any], listing: Listing[R], scope: str) -> ListQuery[R]:
    """``listing`` as the visitor of ``request`` asked for it (query string), its cursors bound to ``scope``."""
    from etax.platform.runtime import get_runtime

    query = request.query_params
    params: Mapping[str, str] = {key: str(query.get(key, "")) for key in query}
    return listing.parse(params, scope=scope, secret=get_runtime(request.app).settings.secret_key)


__all__ = [
    "MAX_EXPORT_ROWS",
    "MAX_PRINT_ROWS",
    "PAGE_SIZES",
    "AmountRange",
    "Choice",
    "Column",
    "CursorError",
    "DateRange",
    "ExportFormat",
    "Exporter",
    "Filter",
    "FilterValues",
    "Format",
    "ListQuery",
    "Listing",
    "Page",
    "PageRequest",
    "PeriodRange",
    "ReadRows",
    "SortKey",
    "Span",
    "Text",
    "Tone",
    "beijing_day",
    "beijing_moment",
    "export_response",
    "list_query",
    "moments",
    "money",
    "parse_filters",
    "print_rows",
    "printed_at",
    "row_cells",
    "walk",
    "write_xlsx",
]
