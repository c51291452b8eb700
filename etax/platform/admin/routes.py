"""The back-office routes the application mounts under /admin."""

from __future__ import annotations

from typing import Any

ADMIN_ROUTE_HANDLERS: list[Any] = []
