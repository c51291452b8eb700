"""Menus: 常用功能 (favourites) as a core plugin, plus the 套餐业务, 特色业务 and 定制业务 the bureau composes.

Its pages (收藏夹维护, 套餐业务 ``/packages``, the 个性化办税 centre ``/menu/个性化办税``), its part of the home page, the refresh of package search
documents, its back-office pages (``/admin/packages``, ``/admin/featured``, ``/admin/custom``) with their menu entries and
its Piccolo app all arrive through the same hooks as any plugin's.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from etax.platform import FunctionSpec, hookimpl
from etax.platform.admin.roles import NavItem
from etax.platform.home import HomeContent, SearchRefresher
from etax.platform.menus.admin_routes import MENU_ADMIN_ROUTE_HANDLERS
from etax.platform.menus.favourites_routes import FAVOURITES, FavouritesController
from etax.platform.menus.home import MenusHome
from etax.platform.menus.packages.routes import PACKAGES, PackageController
from etax.platform.menus.packages.search import refresh_before_request
from etax.platform.menus.personalised_routes import personalised_page


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [FAVOURITES, PACKAGES]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [FavouritesController, PackageController, personalised_page]


@hookimpl
def etax_admin_route_handlers() -> list[ControllerRouterHandler]:
    return list(MENU_ADMIN_ROUTE_HANDLERS)


@hookimpl
def etax_admin_nav() -> list[NavItem]:
    return [
        NavItem(
            label="套餐业务",
            url="/admin/packages",
            requirement="content",
            description="编排套餐业务的办理步骤，发布到首页和搜索",
        ),
        NavItem(
            label="特色业务",
            url="/admin/featured",
            requirement="content",
            description="挑选并排序各类纳税人的特色业务",
        ),
        NavItem(
            label="定制业务",
            url="/admin/custom",
            requirement="content",
            description="为指定纳税人或某一行业、税种、地区的纳税人编排专属的功能和套餐",
        ),
    ]


@hookimpl
def etax_piccolo_apps() -> list[str]:
    return ["etax.platform.menus.piccolo_app"]


@hookimpl
def etax_home_content() -> list[HomeContent]:
    return [MenusHome()]


@hookimpl
def etax_search_refreshers() -> list[SearchRefresher]:
    return [refresh_before_request]
