"""Notices shown once on the next page (after a redirect), on Litestar's flash messages.

:func:`set_notice` flashes a message (category ``info`` or ``error``) into the session; the next page
takes it with :func:`pop_notice` (handlers) or ``get_flashes()`` (templates, registered by Litestar's
``FlashPlugin``, which the application installs). One mechanism for the portal, the user centre,
applications and the back office.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.plugins.flash import flash

FLASH_KEY = "_messages"  # where Litestar's flash() keeps messages in the session


def set_notice(request: ASGIConnection[Any, Any, Any, Any], text: str, *, error: bool = False) -> None:
    """Remember a message to show on the next page (after a redirect)."""
    flash(request, text, "error" if error else "info")


def pop_notice(request: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any] | None:
    """The latest message left by :func:`set_notice`, as ``{"text", "error"}``, once (``None`` if none)."""
    messages = request.session.pop(FLASH_KEY, None)
    if not isinstance(messages, list) or not messages:
        return None
    last = messages[-1]
    if not isinstance(last, dict):
        return None
    return {"text": str(last.get("message", "")), "error": last.get("category") == "error"}
