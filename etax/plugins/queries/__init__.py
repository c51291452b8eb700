"""查询中心 (我要查询): the seed's queries, each declared as data over the platform's read services.

Every query is a :class:`~etax.plugins.queries.spec.QuerySpec` (function, typed read function, filters,
columns, order, detail) rendered by one controller and one template on the platform's list-page
service; this plugin reads platform services only (audit, applications, …), never another plugin's
tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar.types import ControllerRouterHandler

from etax.platform.api import FunctionSpec, MessageSource, NavItem, hookimpl
from etax.plugins.queries import (
    agencies,
    compliance,
    credit,
    filing_system,
    history,
    invoices,
    ledger_queries,
    postal,
    progress,
)
from etax.plugins.queries.admin import ADMIN_HANDLERS, ADMIN_NAV
from etax.plugins.queries.controller import query_controller
from etax.plugins.queries.reminders import ApplicationReminders, CorrectionTodos
from etax.plugins.queries.spec import QuerySpec

# In the seed's order (六(三) 查询中心).
QUERIES: tuple[QuerySpec[Any], ...] = (
    progress.QUERY,
    invoices.QUERY,
    ledger_queries.DECLARATION_QUERY,
    ledger_queries.PAYMENT_QUERY,
    ledger_queries.ARREARS_QUERY,
    ledger_queries.RELIEF_QUERY,
    ledger_queries.FIXED_QUERY,
    ledger_queries.CERTIFICATE_QUERY,
    agencies.QUERY,
    credit.QUERY,
    compliance.VIOLATION_QUERY,
    history.QUERY,
    ledger_queries.OBLIGATION_QUERY,
    postal.POSTAL_QUERY,
    postal.LOGISTICS_QUERY,
    filing_system.QUERY,
    compliance.DISHONESTY_QUERY,
)
TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [query.function for query in QUERIES]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [query_controller(query) for query in QUERIES]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(TEMPLATES)]


@hookimpl
def etax_message_sources() -> list[MessageSource]:
    return [ApplicationReminders(), CorrectionTodos()]


@hookimpl
def etax_admin_route_handlers() -> list[ControllerRouterHandler]:
    return list(ADMIN_HANDLERS)


@hookimpl
def etax_admin_nav() -> list[NavItem]:
    return list(ADMIN_NAV)
