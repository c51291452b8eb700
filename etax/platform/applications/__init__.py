"""Tax-matter applications (涉税事项) and 电子资料, as a core plugin of the platform.

For plugins: declare an :class:`ApplicationSpec` through ``etax_applications``, mount
:func:`application_controller` for it through ``etax_route_handlers`` and, to react to decisions,
implement ``etax_application_decided(application, decision)``. The platform renders and checks the
form, numbers and stores the application with its attachments, runs the bureau's review queue and
tells the enterprise about every status change (服务提醒, 我的待办, 办税进度及结果信息查询).

This core plugin itself provides 电子资料查询 and 电子资料报送, and the back office's 审核队列
(``/admin/reviews``); 办税进度及结果信息查询 and the home page's 服务提醒 / 我的待办 of applications are
the query centre's, reading this service. Its tables are the ``etax_applications`` Piccolo app; pages,
menu entries and app all arrive through the plugin hooks.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from etax.platform import FunctionSpec, hookimpl
from etax.platform.admin.roles import NavItem
from etax.platform.application_spec import (
    Applicant,
    ApplicationRecord,
    ApplicationSpec,
    AttachmentRule,
    Decision,
)
from etax.platform.applications.admin_routes import REVIEW_ROUTE_HANDLERS
from etax.platform.applications.documents_routes import DocumentController
from etax.platform.applications.functions import FUNCTIONS
from etax.platform.applications.routes import application_controller

__all__ = [
    "Applicant",
    "ApplicationRecord",
    "ApplicationSpec",
    "AttachmentRule",
    "Decision",
    "application_controller",
]


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return list(FUNCTIONS)


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [DocumentController]


@hookimpl
def etax_admin_route_handlers() -> list[ControllerRouterHandler]:
    return list(REVIEW_ROUTE_HANDLERS)


@hookimpl
def etax_admin_nav() -> list[NavItem]:
    return [
        NavItem(
            label="审核队列",
            url="/admin/reviews",
            requirement="reviewer",
            description="受理、审核纳税人提交的涉税事项申请并答复",
        ),
    ]


@hookimpl
def etax_piccolo_apps() -> list[str]:
    return ["etax.platform.applications.piccolo_app"]
