"""Small rules shared by the forms and the decisions: tax names, month arithmetic, phone numbers."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal

from etax.platform.api import ledger

# 税（费）种认定 here covers taxes; 社会保险费 registrations belong to the social-insurance system.
TAX_BY_LABEL: dict[str, ledger.TaxType] = {
    tax.label: tax for tax in ledger.TaxType if tax not in ledger.SOCIAL_INSURANCE_FEES
}
TAX_LABELS: tuple[str, ...] = tuple(TAX_BY_LABEL)
PERIOD_BY_LABEL: dict[str, ledger.PeriodKind] = {
    "按月": ledger.PeriodKind.MONTH,
    "按季": ledger.PeriodKind.QUARTER,
    "按年": ledger.PeriodKind.YEAR,
    "按次": ledger.PeriodKind.EVENT,
}
MOBILE = re.compile(r"^1[3-9]\d{9}$")

SMALL_SCALE_RATE = Decimal("0.01")
"""增值税小规模纳税人 levy rate 3 % reduced to 1 % (财政部 税务总局公告2023年第19号, to 2027-12-31)."""
MONTHLY_EXEMPT_LIMIT = Decimal("100000.00")
"""月销售额10万元以下（含本数）免征增值税 (公告2023年第19号)."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has fewer days): 2月28日 + 3 = 5月28日."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def looks_like_mobile(text: str) -> bool:
    """Whether a number typed as a fixed line is really a mobile number (FAQ 3)."""
    return bool(MOBILE.match(re.sub(r"[\s-]", "", text)))


def is_individual_business(tin: str) -> bool:
    """个体工商户: a 统一社会信用代码 of registration authority 9 / kind 2, or registered under the operator's ID."""
    return tin.startswith("92") or (len(tin) == 18 and tin[:6].isdigit() and not tin.startswith("9"))


def fixed_monthly_tax(monthly_sales: Decimal) -> Decimal:
    """The monthly VAT of a 定期定额 small-scale taxpayer: exempt up to 10万元 a month, else 1 %."""
    if monthly_sales <= MONTHLY_EXEMPT_LIMIT:
        return Decimal("0.00")
    return (monthly_sales * SMALL_SCALE_RATE).quantize(Decimal("0.01"))
