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

from etax.platform.api import FunctionSpec, MessageSource, hookimpl
from etax.plugins.queries import history, progress
from etax.plugins.queries.controller import query_controller
from etax.plugins.queries.reminders import ApplicationReminders, CorrectionTodos
from etax.plugins.queries.spec import QuerySpec

QUERIES: tuple[QuerySpec[Any], ...] = (progress.QUERY, history.QUERY)
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
