"""The login-side routes the application mounts (login page, flows, logout, dev SMS outbox)."""

from __future__ import annotations

from typing import Any

AUTH_ROUTE_HANDLERS: list[Any] = []
