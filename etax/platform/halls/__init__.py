"""The hall directory (办税服务厅): a platform service read by 预约办税, 办税地图 and regional displays.

See :mod:`etax.platform.halls.service` and docs/halls.md. Plugins use ``api.list_halls()``,
``api.get_hall()`` and ``api.hall_cities()``. As a core plugin it mounts the back-office page 办税服务厅
(``/admin/halls``, 系统管理员) where the bureau maintains halls, opening periods and windows.
"""

from __future__ import annotations

from typing import Any

from etax.platform import hookimpl
from etax.platform.admin.roles import NavItem
from etax.platform.halls.service import (
    BUSINESS_LABELS,
    Hall,
    HallBusiness,
    HallError,
    HallInput,
    HallWindow,
    Period,
    get_hall,
    hall_cities,
    list_halls,
)

__all__ = [
    "BUSINESS_LABELS",
    "Hall",
    "HallBusiness",
    "HallError",
    "HallInput",
    "HallWindow",
    "Period",
    "get_hall",
    "hall_cities",
    "list_halls",
]


@hookimpl
def etax_admin_route_handlers() -> list[Any]:
    from etax.platform.halls.admin import HallsAdmin

    return [HallsAdmin]


@hookimpl
def etax_admin_nav() -> list[NavItem]:
    from etax.platform.halls.admin import NAV

    return [NAV]
