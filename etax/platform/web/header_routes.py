"""``/shell/header-links``: the header's plugin links (我的消息 with its unread count …) for this visitor.

See :mod:`etax.platform.header`. Each plugin offers :class:`~etax.platform.header.HeaderLink` entries
through ``etax_header_links``; this route shows those whose function the visitor may open, with the
count each one reports (a failing count shows the link without a number).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from litestar import Request, get
from litestar.response import Template

from etax.platform.access import can_open
from etax.platform.runtime import get_runtime

log = logging.getLogger("etax.shell")


@dataclass(frozen=True)
class ShownLink:
    label: str
    url: str
    function: str
    count: int
    badge_label: str


@get("/shell/header-links", name="shell-header-links", cache=False, include_in_schema=False)
async def header_links(request: Request[Any, Any, Any]) -> Template:
    """The plugins' header links for this visitor (htmx partial, loaded once per page); none when anonymous."""
    runtime = get_runtime(request.app)
    principal = await runtime.principal_of(request)
    shown: list[ShownLink] = []
    if principal is not None and not principal.must_change_password:
        for link in runtime.host.header_links():
            spec = runtime.registry.get(link.function)
            if spec is None or not can_open(principal, spec):
                continue
            count = 0
            if link.count is not None:
                try:
                    count = await link.count(principal)
                except Exception:
                    log.exception("header link %s: count failed", link.function)
            shown.append(ShownLink(link.label, link.url, link.function, count, link.badge_label))
    return Template("partials/header_links.html", context={"links": shown})
