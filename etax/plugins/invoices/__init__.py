"""发票使用: 发票票种核定 (a tax-matter application reviewed by the bureau), 购票信息查询, and the 数电发票
that flow between taxpayers: 蓝字发票开具 on a total quota (issuing/), received invoices and 发票勾选确认
(received/), 红字发票 through 红字发票信息确认单 (redletter/), 全量发票查询 (search/) and the public
发票查验 (verification/). The ``etax_invoice_figures`` hook answers the filing plugin's pre-fill.

The application's form, rules and 事项代码 are declared through ``etax_applications``; the platform
serves the form (mounted here with ``application_controller``), numbers and stores applications and
runs the review. When the bureau completes (办结) a 票种核定, ``etax_application_decided`` sets the
enterprise's quota in this plugin's own table, shown by 购票信息查询.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from litestar.types import ControllerRouterHandler

from etax.platform.api import (
    ApplicationRecord,
    ApplicationSpec,
    Decision,
    FunctionSpec,
    InvoiceFigures,
    InvoiceRecord,
    InvoiceRecordDetail,
    InvoiceRecordQuery,
    MessageSource,
    StaticDir,
    application_controller,
    hookimpl,
)
from etax.plugins.invoices.adjustment import (
    QUOTA_ADJUSTMENT,
    QUOTA_ADJUSTMENT_APPLICATION,
    QuotaAdjustmentForm,
    apply_adjustment,
)
from etax.plugins.invoices.agent import AGENT_ISSUE
from etax.plugins.invoices.customs import CUSTOMS
from etax.plugins.invoices.figures import invoice_figures
from etax.plugins.invoices.forms import TYPE_APPROVAL_APPLICATION, TypeApprovalForm
from etax.plugins.invoices.functions import FUNCTIONS, TYPE_APPROVAL
from etax.plugins.invoices.issuing.agent_routes import AgentIssueController
from etax.plugins.invoices.issuing.routes import IssueController
from etax.plugins.invoices.issuing.service import sync_account
from etax.plugins.invoices.paper.loss import LOSS_REPORT
from etax.plugins.invoices.paper.routes import LossReportController, PaperPurchaseController
from etax.plugins.invoices.permits import (
    DEVICE,
    DEVICE_APPLICATION,
    LIMIT_APPROVAL,
    LIMIT_APPROVAL_APPLICATION,
    DeviceForm,
    LimitApprovalForm,
    apply_limit,
    issue_devices,
)
from etax.plugins.invoices.quota import approve
from etax.plugins.invoices.received.customs_routes import CustomsController
from etax.plugins.invoices.received.routes import DeductController, NonDeductController
from etax.plugins.invoices.records import invoice_record, invoice_records
from etax.plugins.invoices.redletter.routes import RedLetterController
from etax.plugins.invoices.redletter.todo import PendingRedLetters
from etax.plugins.invoices.routes import InvoiceInfoController
from etax.plugins.invoices.search.routes import FullQueryController, TransferOutController
from etax.plugins.invoices.verification.routes import VerificationController

COMPLETED = "已办结"


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [*FUNCTIONS, QUOTA_ADJUSTMENT, LIMIT_APPROVAL, DEVICE, LOSS_REPORT, CUSTOMS, AGENT_ISSUE]


@hookimpl
def etax_applications() -> list[ApplicationSpec]:
    return [
        TYPE_APPROVAL_APPLICATION,
        QUOTA_ADJUSTMENT_APPLICATION,
        LIMIT_APPROVAL_APPLICATION,
        DEVICE_APPLICATION,
    ]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [
        application_controller(TYPE_APPROVAL, TYPE_APPROVAL_APPLICATION),
        application_controller(QUOTA_ADJUSTMENT, QUOTA_ADJUSTMENT_APPLICATION),
        application_controller(LIMIT_APPROVAL, LIMIT_APPROVAL_APPLICATION),
        application_controller(DEVICE, DEVICE_APPLICATION),
        InvoiceInfoController,
        IssueController,
        DeductController,
        NonDeductController,
        RedLetterController,
        FullQueryController,
        TransferOutController,
        VerificationController,
        PaperPurchaseController,
        LossReportController,
        CustomsController,
        AgentIssueController,
    ]


@hookimpl
def etax_message_sources() -> list[MessageSource]:
    return [PendingRedLetters()]


@hookimpl
def etax_static_dirs() -> list[StaticDir]:
    return [StaticDir(name="invoices", directory=str(Path(__file__).parent / "static"))]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def etax_piccolo_apps() -> list[str]:
    return ["etax.plugins.invoices.piccolo_app"]


@hookimpl
async def etax_application_decided(application: ApplicationRecord, decision: Decision) -> None:
    """An approved (办结) 票种核定 sets the enterprise's quota for that invoice type; an approved
    发票额度调整申请 changes its 授信总额度."""
    if decision.status != COMPLETED:
        return
    if application.function == QUOTA_ADJUSTMENT.code:
        adjustment = application.form_as(QuotaAdjustmentForm)
        await apply_adjustment(application.taxpayer_id, application.number, adjustment, decision.at)
        return
    if application.function == LIMIT_APPROVAL.code:
        await apply_limit(
            application.taxpayer_id, application.number, application.form_as(LimitApprovalForm), decision.at
        )
        return
    if application.function == DEVICE.code:
        await issue_devices(
            application.taxpayer_id, application.number, application.form_as(DeviceForm), decision.at
        )
        return
    if application.function != TYPE_APPROVAL.code:
        return
    form = application.form_as(TypeApprovalForm)
    await approve(application.taxpayer_id, form, application.number, decision.at)
    await sync_account(application.taxpayer_id)  # 授信总额度 follows the approved 票种核定


@hookimpl
async def etax_invoice_figures(taxpayer_id: int, start: dt.date, end: dt.date) -> InvoiceFigures | None:
    """Sales by rate and kind, confirmed deductible input and 进项税额转出 for the filing pre-fill."""
    return await invoice_figures(taxpayer_id, start, end)


@hookimpl
async def etax_invoice_records(query: InvoiceRecordQuery) -> list[InvoiceRecord] | None:
    """One keyset page of a taxpayer's issued or received invoices (the query centre's 购票信息查询)."""
    return await invoice_records(query)


@hookimpl
async def etax_invoice_record(taxpayer_id: int, invoice_id: int) -> InvoiceRecordDetail | None:
    """One invoice the taxpayer issued or received, with its lines; ``None`` for anyone else's."""
    return await invoice_record(taxpayer_id, invoice_id)
