"""公众服务: announcements, the knowledge base (咨询辅导), public queries, 证明查验, 办税地图 (the platform's
hall directory) and 办税日历 (the platform calendar) — open without login."""

from __future__ import annotations

from pathlib import Path

from litestar.types import ControllerRouterHandler

from etax.platform.api import FunctionSpec, hookimpl
from etax.plugins.public.functions import FUNCTIONS
from etax.plugins.public.halls import TaxCalendarController, TaxMapController
from etax.plugins.public.knowledge import search_documents
from etax.plugins.public.lists import CreditListController, MajorCaseController
from etax.plugins.public.routes import AnnouncementController, KnowledgeController, PublicQueryController
from etax.plugins.public.verification import CertificateCheckController
from etax.search_index import SearchDocument


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return list(FUNCTIONS)


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [
        AnnouncementController,
        KnowledgeController,
        PublicQueryController,
        CertificateCheckController,
        TaxMapController,
        TaxCalendarController,
        CreditListController,
        MajorCaseController,
    ]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def etax_search_documents() -> list[SearchDocument]:
    return search_documents()
