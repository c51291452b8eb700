"""The runtime of one application: settings, plugins, registry, search and who is asking."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionConfig

from etax.platform.identity import Principal
from etax.platform.messages import MessageSource
from etax.platform.plugins import PluginHost
from etax.platform.registry import FunctionRegistry
from etax.platform.search import SearchService
from etax.platform.settings import Settings

STATE_KEY = "etax_runtime"
PRINCIPAL_STATE = "etax_principal"

PrincipalResolver = Callable[["Runtime", ASGIConnection[Any, Any, Any, Any]], Awaitable[Principal | None]]


async def session_principal(
    runtime: Runtime, connection: ASGIConnection[Any, Any, Any, Any]
) -> Principal | None:
    """Default resolver: nobody is logged in."""
    return None


@dataclass
class Runtime:
    """Everything the platform's handlers need, kept in ``app.state``."""

    settings: Settings
    host: PluginHost
    registry: FunctionRegistry
    search: SearchService
    message_sources: list[MessageSource]
    routes_per_plugin: dict[str, int] = field(default_factory=dict)
    resolver: PrincipalResolver = session_principal
    session_config: ServerSideSessionConfig | None = None
    switches_checked_at: float | None = None  # when this worker last read the plugin switches

    async def principal_of(self, connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
        """The visitor's principal, resolved once per request."""
        state = connection.state
        if PRINCIPAL_STATE not in state:
            state[PRINCIPAL_STATE] = await self.resolver(self, connection)
        principal = state[PRINCIPAL_STATE]
        return principal if isinstance(principal, Principal) else None


def get_runtime(app: Litestar) -> Runtime:
    runtime = app.state[STATE_KEY]
    assert isinstance(runtime, Runtime)
    return runtime
