"""发票使用: 发票票种核定 (a tax-matter application reviewed by the bureau) and 发票信息查询.

The application's form, rules and 事项代码 are declared through ``etax_applications``; the platform
serves the form (mounted here with ``application_controller``), numbers and stores applications and
runs the review. When the bureau completes (办结) a 票种核定, ``etax_application_decided`` sets the
enterprise's quota in this plugin's own table, shown by 发票信息查询.
"""

from __future__ import annotations

from pathlib import Path

from litestar.types import ControllerRouterHandler

from etax.platform.api import (
    ApplicationRecord,
    ApplicationSpec,
    Decision,
    FunctionSpec,
    application_controller,
    hookimpl,
)
from etax.plugins.invoices.forms import TYPE_APPROVAL_APPLICATION, TypeApprovalForm
from etax.plugins.invoices.functions import FUNCTIONS, TYPE_APPROVAL
from etax.plugins.invoices.quota import approve
from etax.plugins.invoices.routes import InvoiceInfoController

COMPLETED = "已办结"


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return list(FUNCTIONS)


@hookimpl
def etax_applications() -> list[ApplicationSpec]:
    return [TYPE_APPROVAL_APPLICATION]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [application_controller(TYPE_APPROVAL, TYPE_APPROVAL_APPLICATION), InvoiceInfoController]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def etax_piccolo_apps() -> list[str]:
    return ["etax.plugins.invoices.piccolo_app"]


@hookimpl
async def etax_application_decided(application: ApplicationRecord, decision: Decision) -> None:
    """An approved (办结) 票种核定 sets the enterprise's quota for that invoice type."""
    if application.function != TYPE_APPROVAL.code or decision.status != COMPLETED:
        return
    form = application.form_as(TypeApprovalForm)
    await approve(application.taxpayer_id, form, application.number, decision.at)
