"""Helpers the form declarations share: building lines and table cells, surcharges, choices."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from etax.plugins.filing.engine import ZERO, Kind, Line, Values, ValueType

LOCATIONS = ("市区", "县城镇", "其他")
YES_NO = ("否", "是")


def cell(table: str, row: str, row_label: str, column: str, column_label: str, code: str, **kw: Any) -> Line:
    """A table cell as a line: messages name it 附列资料（一）第1行第9列“…·合计销售额”."""
    return Line(
        code=code,
        no=f"{table}第{row}行第{column}列" if column.isdigit() else f"{table}第{row}行",
        label=f"{row_label}·{column_label}",
        **kw,
    )


def computed(code: str, label: str, no: str, formula: Callable[[Values], Decimal | str], **kw: Any) -> Line:
    return Line(code=code, label=label, no=no, kind=Kind.COMPUTED, formula=formula, **kw)


def location_line(code: str = "H.location") -> Line:
    return Line(
        code=code,
        label="纳税人所在地（城市维护建设税适用税率）",
        kind=Kind.PREFILL,
        type=ValueType.CHOICE,
        choices=LOCATIONS,
        default="市区",
        source="taxpayer.location",
        hint="市区 7%、县城镇 5%、其他 1%",
    )


def six_two_line(code: str = "H.six_two", *, default: str = "否", hint: str = "") -> Line:
    return Line(
        code=code,
        label="适用“六税两费”减征政策",
        kind=Kind.PREFILL,
        type=ValueType.CHOICE,
        choices=YES_NO,
        default=default,
        source="taxpayer.six_two",
        hint=hint or "增值税小规模纳税人、小型微利企业和个体工商户减半征收（2023-01-01至2027-12-31）",
    )


SURCHARGES: tuple[tuple[str, str, str], ...] = (
    ("城市维护建设税", "urban", ""),
    ("教育费附加", "education", "surcharge.education"),
    ("地方教育附加", "local_education", "surcharge.local_education"),
)


def surcharge_rate(values: Values, which: str, location_code: str = "H.location") -> Decimal:
    """The rate of one surcharge: 城建税 by location class, the two 附加 fixed."""
    if which == "urban":
        return values.policy(f"surcharge.urban.{values.text(location_code)}")
    return values.policy(f"surcharge.{which}")


def halving_ratio(values: Values, six_two_code: str = "H.six_two") -> Decimal:
    """The 六税两费 reduction ratio (0.50 while the policy runs) when the taxpayer qualifies, else 0."""
    if values.text(six_two_code) != "是":
        return ZERO
    return values.policy_or("six_two.halving", ZERO)


def positive(amount: Decimal) -> Decimal:
    return max(amount, ZERO)
