"""一般退（抵）税管理 and 出口退税管理: refund claims the bureau reviews, granted in the platform ledger.

- 误收多缴退抵税 (within three years of payment) and 增值税留抵退税申请 (一般纳税人, 纳税信用 A/B, 期末留抵 ×
  进项构成比例) are applications; 办结 writes a ledger credit used 先抵后退 (``ledger_claims``): 欠税 are
  offset first, the rest is refunded.
- 出口退（免）税备案 (its 办结 records the filing in this plugin's table) and 出口退（免）税申报 (refused
  before the filing and for a month already approved; 办结 grants the refund).
- 退税金额审核情况查询 shows what was granted, what may still be claimed and the export records.
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
from etax.plugins.refunds.decisions import decided
from etax.plugins.refunds.forms import (
    APPLICATIONS,
    EXPORT_FILING_APPLICATION,
    EXPORT_RETURN_APPLICATION,
    OVERPAID_APPLICATION,
    RETAINED_APPLICATION,
)
from etax.plugins.refunds.functions import EXPORT_FILING, EXPORT_RETURN, FUNCTIONS, OVERPAID, RETAINED
from etax.plugins.refunds.routes import RefundStatusController


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return list(FUNCTIONS)


@hookimpl
def etax_applications() -> list[ApplicationSpec]:
    return list(APPLICATIONS)


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [
        application_controller(OVERPAID, OVERPAID_APPLICATION),
        application_controller(RETAINED, RETAINED_APPLICATION),
        application_controller(EXPORT_FILING, EXPORT_FILING_APPLICATION),
        application_controller(EXPORT_RETURN, EXPORT_RETURN_APPLICATION),
        RefundStatusController,
    ]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def etax_piccolo_apps() -> list[str]:
    return ["etax.plugins.refunds.piccolo_app"]


@hookimpl
async def etax_application_decided(application: ApplicationRecord, decision: Decision) -> None:
    """办结 of a refund application grants it in the ledger (idempotent, keyed by the application)."""
    await decided(application, decision)
