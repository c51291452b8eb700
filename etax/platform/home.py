"""What features contribute to the portal shell: home-page content and search refreshers.

The core (``web/pages.py``, ``app.py``) imports no feature: the home page asks every
:class:`HomeContent` (hook ``etax_home_content``) for its part of the template context, and the home,
search and suggestion routes call every :data:`SearchRefresher` (hook ``etax_search_refreshers``)
first, so search documents another worker changed are rebuilt before the request is answered.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, runtime_checkable

from litestar import Request

from etax.platform.identity import Principal


@runtime_checkable
class HomeContent(Protocol):
    """A part of the home page's template context for one visitor (``principal`` None when anonymous)."""

    async def context(self, request: Request[Any, Any, Any], principal: Principal | None) -> dict[str, Any]:
        """Return template variables (e.g. ``packages``, ``featured``, ``popular``)."""
        ...


SearchRefresher = Callable[[Request[Any, Any, Any]], Awaitable[None]]
"""Called before a search, suggestion, home-page or package request; cheap when nothing changed."""
