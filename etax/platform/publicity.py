"""Public lists over the bureau's records (公众服务): 信用等级A类纳税人 and 重大税收违法失信案件.

Read-only and open to everyone, so they show only what is published anyway: the taxpayers rated A
in a year's 纳税信用评价 (``credit_evaluation``), and the 重大税收违法失信主体 records the bureau entered
in the back office (``compliance_dishonesty``) that are still 公布中 — by year and by 主管税务机关.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from etax.platform.compliance import DishonestyKind, DishonestyStatus
from etax.platform.compliance.tables import Dishonesty
from etax.platform.coresys.tables import Taxpayer
from etax.platform.credit.tables import CreditEvaluation

LIMIT = 500


class ACreditRow(msgspec.Struct, frozen=True, kw_only=True):
    """A taxpayer rated A (纳税信用等级A级) in ``year``."""

    year: int
    tin: str
    name: str
    tax_office: str


class MajorCaseRow(msgspec.Struct, frozen=True, kw_only=True):
    """A published 重大税收违法失信案件."""

    tin: str
    name: str
    tax_office: str
    case_nature: str
    facts: str
    penalty: str
    published_on: dt.date


async def a_level_taxpayers(year: int, tax_office: str = "") -> list[ACreditRow]:
    query = CreditEvaluation.select(
        CreditEvaluation.year,
        CreditEvaluation.taxpayer.tin.as_alias("tin"),
        CreditEvaluation.taxpayer.name.as_alias("name"),
        CreditEvaluation.taxpayer.tax_office.as_alias("tax_office"),
    ).where((CreditEvaluation.year == year) & (CreditEvaluation.level == "A"))
    if tax_office:
        query = query.where(CreditEvaluation.taxpayer.tax_office == tax_office)
    rows = await query.order_by(CreditEvaluation.taxpayer.tin).limit(LIMIT)
    return [msgspec.convert(r, ACreditRow) for r in rows]


async def a_level_years() -> list[int]:
    rows = (
        await CreditEvaluation.select(CreditEvaluation.year).where(CreditEvaluation.level == "A").distinct()
    )
    return sorted({int(r["year"]) for r in rows}, reverse=True)


async def major_cases(year: int, tax_office: str = "") -> list[MajorCaseRow]:
    query = Dishonesty.select(
        Dishonesty.taxpayer.tin.as_alias("tin"),
        Dishonesty.taxpayer.name.as_alias("name"),
        Dishonesty.taxpayer.tax_office.as_alias("tax_office"),
        Dishonesty.case_nature,
        Dishonesty.facts,
        Dishonesty.penalty,
        Dishonesty.published_on,
    ).where(
        (Dishonesty.kind == DishonestyKind.MAJOR.value)
        & (Dishonesty.status == DishonestyStatus.PUBLISHED.value)
        & (Dishonesty.published_on >= dt.date(year, 1, 1))
        & (Dishonesty.published_on <= dt.date(year, 12, 31))
    )
    if tax_office:
        query = query.where(Dishonesty.taxpayer.tax_office == tax_office)
    rows = await query.order_by(Dishonesty.published_on, ascending=False).limit(LIMIT)
    return [msgspec.convert(r, MajorCaseRow) for r in rows]


async def tax_offices() -> list[str]:
    """Every 主管税务机关 of the registry (the region filter of the public lists)."""
    rows = await Taxpayer.select(Taxpayer.tax_office).distinct()
    return sorted({str(r["tax_office"]) for r in rows if r["tax_office"]})
