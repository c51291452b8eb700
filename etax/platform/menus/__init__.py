"""Menus: 常用功能 (favourites) as a core plugin, plus the 套餐业务 and 特色业务 the bureau composes."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from etax.platform import FunctionSpec, hookimpl
from etax.platform.menus.favourites_routes import FAVOURITES, FavouritesController


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [FAVOURITES]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [FavouritesController]
