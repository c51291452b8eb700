"""A link in the portal header that a plugin contributes (hook ``etax_header_links``).

The portal shell (``base.html``) loads ``/shell/header-links`` (``etax/platform/web/header_routes.py``),
the platform's own route; it never calls a plugin route that may not exist (a plugin left out or
denied). Only links whose function the visitor may open are shown.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from etax.platform.identity import Principal


@dataclass(frozen=True)
class HeaderLink:
    """A link in the portal header for logged-in visitors who may open ``function``.

    ``count`` (optional) gives the number shown as a badge (e.g. unread messages); ``badge_label``
    describes it for screen readers (``{n}条未读``).
    """

    function: str
    label: str
    url: str
    count: Callable[[Principal], Awaitable[int]] | None = None
    badge_label: str = "{n}条"
