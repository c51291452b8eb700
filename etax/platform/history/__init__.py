"""历史办税操作查询: a taxpayer's own audit trail, as a core plugin of the platform."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from etax.platform import FunctionSpec, hookimpl
from etax.platform.history.routes import HISTORY, HistoryController


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [HISTORY]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [HistoryController]
