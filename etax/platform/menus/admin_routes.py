"""The back-office routes of the menus, relative to ``/admin`` (mounted behind the admin guard).

* ``/admin/packages…`` — 套餐业务 composition (:mod:`etax.platform.menus.packages.admin`);
* ``/admin/featured…`` — 特色业务 (:mod:`etax.platform.menus.featured_admin`).

Both need 内容管理员 (系统管理员 may too), stated on each controller as ``opt={"admin_role": …}``.
"""

from __future__ import annotations

from typing import Any

from etax.platform.menus.featured_admin import FeaturedAdmin
from etax.platform.menus.packages.admin import PackageAdmin

MENU_ADMIN_ROUTE_HANDLERS: list[Any] = [PackageAdmin, FeaturedAdmin]
