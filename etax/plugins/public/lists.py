"""信用等级A类纳税人查询 and 重大税收违法案件查询: public lists by year and 主管税务机关 (platform reads)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from etax.platform.api import a_level_taxpayers, a_level_years, clock, major_cases, tax_offices
from etax.plugins.public.functions import CREDIT_A, MAJOR_CASES


def _year(text: str, default: int) -> tuple[int, str]:
    if not text:
        return default, ""
    if len(text) == 4 and text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text), ""
    return default, "年度应为2000至2100之间的四位数字"


class CreditListController(Controller):
    path = CREDIT_A.url
    opt = {"function": CREDIT_A.code}

    @get("/", cache=False)
    async def listing(self, year: str = "", office: str = "") -> Template:
        years = await a_level_years()
        chosen, problem = _year(year[:10], years[0] if years else clock.today().year - 1)
        offices = await tax_offices()
        office = office if office in offices else ""
        return Template(
            "public/credit_a.html",
            context={
                "rows": await a_level_taxpayers(chosen, office),
                "years": years,
                "year": chosen,
                "offices": offices,
                "office": office,
                "problem": problem,
            },
        )


class MajorCaseController(Controller):
    path = MAJOR_CASES.url
    opt = {"function": MAJOR_CASES.code}

    @get("/", cache=False)
    async def listing(self, year: str = "", office: str = "") -> Template:
        chosen, problem = _year(year[:10], clock.today().year)
        offices = await tax_offices()
        office = office if office in offices else ""
        return Template(
            "public/major_cases.html",
            context={
                "rows": await major_cases(chosen, office),
                "years": list(range(clock.today().year, clock.today().year - 6, -1)),
                "year": chosen,
                "offices": offices,
                "office": office,
                "problem": problem,
            },
        )
