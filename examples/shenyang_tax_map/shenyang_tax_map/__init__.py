"""办税地图 — an example regional plugin: the tax service halls of a city, searchable by district.

It shows everything a regional bureau needs: a function declared with its menu path, a controller
bound to it, a template directory, and search documents (each hall is findable by its district).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import QueryParameter
from litestar.response import Template
from litestar.types import ControllerRouterHandler

from etax.platform.api import Audience, FunctionSpec, hookimpl
from etax.search_index import SearchDocument

TAX_MAP = FunctionSpec(
    code="shenyang.tax_map",
    name="办税地图",
    path=("公众服务", "办税地图"),
    url="/shenyang/tax-map",
    keywords=("办税服务厅", "地址", "营业时间", "办税大厅", "沈阳"),
    initials=("bsdt",),
    audiences=frozenset({Audience.PUBLIC}),
    description="沈阳市各区县办税服务厅的地址、办公时间和咨询电话。",
)


class Hall(msgspec.Struct, frozen=True, kw_only=True):
    """One tax service hall (办税服务厅)."""

    district: str
    name: str
    address: str
    hours: str
    phone: str


HALLS: tuple[Hall, ...] = (
    Hall(
        district="和平区",
        name="国家税务总局沈阳市和平区税务局第一税务分局办税服务厅",
        address="沈阳市和平区南京北街100号",
        hours="工作日 8:30-11:30，13:00-17:00",
        phone="024-12366",
    ),
    Hall(
        district="沈河区",
        name="国家税务总局沈阳市沈河区税务局办税服务厅",
        address="沈阳市沈河区北站路6号",
        hours="工作日 8:30-11:30，13:00-17:00",
        phone="024-12366",
    ),
    Hall(
        district="铁西区",
        name="国家税务总局沈阳市铁西区税务局办税服务厅",
        address="沈阳市铁西区北二中路12号",
        hours="工作日 8:30-11:30，13:00-17:00",
        phone="024-12366",
    ),
    Hall(
        district="康平县",
        name="国家税务总局康平县税务局办税服务厅",
        address="沈阳市康平县康平镇胜利街8号",
        hours="工作日 8:30-11:30，13:00-16:30",
        phone="024-12366",
    ),
)


class TaxMapController(Controller):
    """The hall list, optionally filtered by district."""

    path = TAX_MAP.url
    opt = {"function": TAX_MAP.code}

    @get("/")
    async def halls(self, district: Annotated[str, QueryParameter(max_length=20)] = "") -> Template:
        shown = [hall for hall in HALLS if not district or hall.district == district]
        districts = sorted({hall.district for hall in HALLS})
        return Template(
            "shenyang_tax_map/halls.html",
            context={"halls": shown, "districts": districts, "district": district},
        )


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [TAX_MAP]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [TaxMapController]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def etax_search_documents() -> list[SearchDocument]:
    return [
        SearchDocument(
            key=f"shenyang.tax_map:{hall.district}",
            kind="article",
            title=hall.name,
            short_title=f"{hall.district}办税服务厅",
            path=TAX_MAP.path,
            url=f"{TAX_MAP.url}?district={hall.district}",
            keywords=(hall.district, "办税服务厅", "地址"),
            body=hall.address,
        )
        for hall in HALLS
    ]
