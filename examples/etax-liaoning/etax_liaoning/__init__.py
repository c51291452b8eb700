"""etax-liaoning: 辽宁特色业务 as a separately installed etax plugin distribution.

- 社保费征收 (我要办税 › 社保费业务（单位）): 社保费申报, 社保费缴纳 and 社保费缴费记录查询 over the platform
  ledger, declared ``social_security=True`` so that a 纯社保户 lands on them after 普通登录;
- 沈阳办税服务厅排队情况: waiting counts per hall and online 取号 (its own table and migration);
- 大连港口涉税指引: the tax matters of port and import-export businesses, each topic searchable;
- search synonyms of its own, a 我的待办 source, demo data, and a 套餐业务 proposed to administrators.

It imports the platform only through ``etax.platform.api`` (and ``etax.search_index`` documents).
"""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path

from litestar import Controller, get
from litestar.response import Template
from litestar.types import ControllerRouterHandler

from etax.platform.api import FunctionSpec, MessageSource, NavItem, PackageProposal, hookimpl
from etax.search_index import SearchDocument
from etax_liaoning import demo, port
from etax_liaoning.functions import FEE_DECLARATION, FEE_PAYMENT, FEE_RECORDS, FUNCTIONS, PORT_GUIDE
from etax_liaoning.queue_routes import HallQueueController, HallTicketController, QueueAdmin
from etax_liaoning.routes import ROUTES
from etax_liaoning.todo import FeesDue

__version__ = "1.0.0"
ETAX_HOOK_API = ">=1.2,<2"

SYNONYMS: dict[str, tuple[str, ...]] = {
    "五险": ("社会保险费",),
    "交社保": ("社保费缴纳",),
    "社保扣款": ("社保费缴纳",),
    "社保明细": ("社保费缴费记录查询",),
    "大厅排队": ("排队情况",),
    "叫号": ("排队情况",),
    "吨税": ("船舶吨税",),
    "大窑湾": ("保税区",),
}


class PortGuideController(Controller):
    """大连港口涉税指引: every topic on one page, each with its own anchor."""

    path = PORT_GUIDE.url
    opt = {"function": PORT_GUIDE.code}

    @get("/")
    async def guide(self) -> Template:
        return Template("liaoning/port_guide.html", context={"function": PORT_GUIDE, "topics": port.TOPICS})


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return list(FUNCTIONS)


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [*ROUTES, PortGuideController, HallQueueController, HallTicketController]


@hookimpl
def etax_admin_route_handlers() -> list[ControllerRouterHandler]:
    return [QueueAdmin]


@hookimpl
def etax_admin_nav() -> list[NavItem]:
    return [
        NavItem(
            label="排队叫号",
            url="/admin/liaoning/queue/",
            requirement="hall",
            description="沈阳市办税服务厅：叫下一个号，查看等候人数",
        )
    ]


@hookimpl
def etax_piccolo_apps() -> list[str]:
    return ["etax_liaoning.piccolo_app"]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def etax_search_documents() -> list[SearchDocument]:
    return port.search_documents()


@hookimpl
def etax_search_synonyms() -> dict[str, tuple[str, ...]]:
    return SYNONYMS


@hookimpl
def etax_message_sources() -> list[MessageSource]:
    return [FeesDue()]


@hookimpl
def etax_demo_load() -> Awaitable[str]:
    return demo.load()


@hookimpl
def etax_package_proposals() -> list[PackageProposal]:
    return [
        PackageProposal(
            name="社保费申报缴纳套餐",
            description="按月申报本单位社会保险费，接着通过三方协议缴费，最后核对缴费记录。",
            audience="enterprise",
            steps=(FEE_DECLARATION.code, FEE_PAYMENT.code, FEE_RECORDS.code),
        )
    ]
