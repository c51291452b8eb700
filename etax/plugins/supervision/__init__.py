"""纳税信用, 涉税专业服务机构管理, 其他服务事项 and 风险管理: how the bureau oversees taxpayers and the
people and agencies around them (docs/refunds-credit-services.md).

- 纳税信用复评申请 / 纳税信用补评申请: applications whose 办结 re-evaluates the year through the platform
  credit service (from the ledger: late filing, arrears; and compliance records), keeping before/after.
- 涉税专业服务协议要素信息报告: an agency reports a client agreement; refused unless the client certified
  the agency (代理机构认定); 办结 records it and tells the client.
- 解除相关人员关联关系: a natural person removes their 办税员 link (core registry through the platform).
- 风险提示: sent from the back office, 我的待办 › 风险疑点, answered by 风险疑点说明 (attachments), closed
  or sent back by the reviewer.
"""

from __future__ import annotations

from pathlib import Path

from litestar.types import ControllerRouterHandler

from etax.platform.api import (
    ApplicationRecord,
    ApplicationSpec,
    Decision,
    FunctionSpec,
    MessageSource,
    NavItem,
    application_controller,
    hookimpl,
)
from etax.plugins.supervision.agreements import AgreementListController
from etax.plugins.supervision.decisions import decided
from etax.plugins.supervision.forms import (
    AGENCY_AGREEMENT_APPLICATION,
    APPLICATIONS,
    CREDIT_REVIEW_APPLICATION,
    CREDIT_SUPPLEMENT_APPLICATION,
    RISK_ANSWER_APPLICATION,
)
from etax.plugins.supervision.functions import (
    AGENCY_AGREEMENT,
    CREDIT_REVIEW,
    CREDIT_SUPPLEMENT,
    FUNCTIONS,
    RISK_ANSWER,
)
from etax.plugins.supervision.relations import UnlinkController
from etax.plugins.supervision.risks import RISK_NAV, RiskAdmin, RiskController, RiskTodos


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return list(FUNCTIONS)


@hookimpl
def etax_applications() -> list[ApplicationSpec]:
    return list(APPLICATIONS)


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [
        application_controller(CREDIT_REVIEW, CREDIT_REVIEW_APPLICATION),
        application_controller(CREDIT_SUPPLEMENT, CREDIT_SUPPLEMENT_APPLICATION),
        application_controller(AGENCY_AGREEMENT, AGENCY_AGREEMENT_APPLICATION),
        application_controller(RISK_ANSWER, RISK_ANSWER_APPLICATION),
        AgreementListController,
        UnlinkController,
        RiskController,
    ]


@hookimpl
def etax_admin_route_handlers() -> list[ControllerRouterHandler]:
    return [RiskAdmin]


@hookimpl
def etax_admin_nav() -> list[NavItem]:
    return [RISK_NAV]


@hookimpl
def etax_message_sources() -> list[MessageSource]:
    return [RiskTodos()]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def etax_piccolo_apps() -> list[str]:
    return ["etax.plugins.supervision.piccolo_app"]


@hookimpl
async def etax_application_decided(application: ApplicationRecord, decision: Decision) -> None:
    """Re-evaluate credit, record agency agreements, close or reopen risk notices."""
    await decided(application, decision)
