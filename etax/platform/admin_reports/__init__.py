"""The back office's reports, as a core plugin: the whole audit log (系统管理员) and search analytics
(内容管理员). Pages and menu entries arrive through ``etax_admin_route_handlers`` and ``etax_admin_nav``.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from etax.platform import hookimpl
from etax.platform.admin.roles import NavItem
from etax.platform.admin_reports.routes import REPORT_ROUTE_HANDLERS


@hookimpl
def etax_admin_route_handlers() -> list[ControllerRouterHandler]:
    return list(REPORT_ROUTE_HANDLERS)


@hookimpl
def etax_admin_nav() -> list[NavItem]:
    return [
        NavItem(
            label="搜索分析",
            url="/admin/search-analytics",
            requirement="content",
            description="热门搜索词、无结果的搜索和各功能的点击情况",
        ),
        NavItem(
            label="审计日志",
            url="/admin/audit",
            requirement="system",
            description="全部操作记录：登录、人员变更、申请、审核、菜单修改",
        ),
    ]
