"""涉税事项: the 我要办税 groups whose functions are applications the bureau decides — 综合信息报告
(存款账户账号报告, 财务会计制度及核算软件备案报告, 变更税务登记, 增值税一般纳税人登记, 税（费）种认定, 停业/复业,
注销税务登记 with 清税申报), 税收减免 (备案, 核准), 证明开具 (中国税收居民身份证明, 开具无欠税证明,
转开税收完税证明), 税务行政许可 (延期申报, 延期缴纳税款) and 核定管理 (定期定额).

Each form is a msgspec Struct declared through ``etax_applications`` and served by the platform's
``application_controller``; the bureau reviews it in the back office's queue. When a reviewer completes
(办结) one, ``etax_application_decided`` writes its effect through platform services only: the core
registry (staff links and phones, status, type), the ledger (registrations, reliefs, extensions, fixed
amounts, taxpayer type, bank accounts, 备案) and the certificate service. See docs/tax-matters.md.
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
    application_controller,
    hookimpl,
)
from etax.plugins.matters import decisions
from etax.plugins.matters.forms import APPLICATIONS
from etax.plugins.matters.functions import FUNCTIONS
from etax.plugins.matters.reminders import MatterReminders
from etax.plugins.matters.routes import ROUTES

COMPLETED = "已办结"
BY_CODE = {function.code: function for function in FUNCTIONS}


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return list(FUNCTIONS)


@hookimpl
def etax_applications() -> list[ApplicationSpec]:
    return list(APPLICATIONS.values())


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    forms: list[ControllerRouterHandler] = [
        application_controller(BY_CODE[code], spec) for code, spec in APPLICATIONS.items()
    ]
    return [*forms, *ROUTES]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def etax_message_sources() -> list[MessageSource]:
    return [MatterReminders()]


@hookimpl
async def etax_application_decided(application: ApplicationRecord, decision: Decision) -> None:
    """A completed (办结) application of this plugin changes the registry, the ledger or issues a certificate."""
    if decision.status != COMPLETED:
        return
    await decisions.apply(application)
