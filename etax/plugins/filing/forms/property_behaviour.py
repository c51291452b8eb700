"""财产和行为税纳税申报表 BDA0661110 (合并申报) with 印花税, 房产税 and 城镇土地使用税 (docs/domain/filing-facts.md §2).

The sources (税源) are collected first — contracts by 税目, buildings, land — and offered to the return
as pre-filled lines; the return computes each tax for the period and sums them in the main table.
房产税 and 城镇土地使用税 are yearly taxes paid in instalments: the period's share is months ÷ 12. The
六税两费 halving (small-scale taxpayers, 小型微利企业, 个体工商户) applies to all three (not to 证券交易).
"""

from __future__ import annotations

from decimal import Decimal

from etax.plugins.filing.engine import FormSpec, Kind, Line, Row, Section, Values, ValueType
from etax.plugins.filing.forms.common import cell, halving_ratio, six_two_line
from etax.plugins.filing.periods import PeriodKind

STAMP_ITEMS = (
    "借款合同",
    "融资租赁合同",
    "买卖合同",
    "承揽合同",
    "建设工程合同",
    "运输合同",
    "技术合同",
    "租赁合同",
    "保管合同",
    "仓储合同",
    "财产保险合同",
    "产权转移书据（土地、房屋、股权）",
    "产权转移书据（商标、著作权、专利、专有技术）",
    "营业账簿",
)
STAMP_TABLE = "印花税"
STAMP_COLUMNS = (
    ("1", "计税金额"),
    ("2", "适用税率"),
    ("3", "本期应纳税额"),
    ("4", "“六税两费”减征额"),
    ("5", "本期已缴税额"),
    ("6", "本期应补（退）税额"),
)


def y(row: int, column: str) -> str:
    return f"Y.{row}.{column}"


def _stamp_row(row: int, item: str) -> Row:
    labels = dict(STAMP_COLUMNS)

    def c(column: str, **kw: object) -> Line:
        return cell(STAMP_TABLE, str(row), item, column, labels[column], y(row, column), **kw)

    return Row(
        no=str(row),
        label=item,
        cells=(
            c(
                "1",
                kind=Kind.PREFILL,
                source=f"sources.stamp.{item}",
                hint="营业账簿：实收资本（股本）＋资本公积（以后年度为增加额）" if item == "营业账簿" else "",
            ),
            c("2", kind=Kind.COMPUTED, type=ValueType.RATE, formula=lambda v: v.policy(f"stamp.{item}")),
            c("3", kind=Kind.COMPUTED, formula=lambda v: v[y(row, "1")] * v[y(row, "2")]),
            c("4", kind=Kind.COMPUTED, formula=lambda v: v[y(row, "3")] * halving_ratio(v)),
            c("5"),
            c(
                "6",
                kind=Kind.COMPUTED,
                negative=True,
                formula=lambda v: v[y(row, "3")] - v[y(row, "4")] - v[y(row, "5")],
            ),
        ),
    )


STAMP = Section(
    code="Y",
    title="印花税税源明细",
    columns=tuple(label for _, label in STAMP_COLUMNS),
    rows=tuple(_stamp_row(i, item) for i, item in enumerate(STAMP_ITEMS, start=1)),
    note="税率按《印花税法》税目税率表；同一凭证载有两个以上税目未分别列明金额的，从高适用税率。",
)

PROPERTY_TABLE = "房产税"
PROPERTY_COLUMNS = (
    ("1", "房产原值或租金收入"),
    ("2", "减除比例"),
    ("3", "计税依据"),
    ("4", "税率"),
    ("5", "本期月数"),
    ("6", "本期应纳税额"),
    ("7", "“六税两费”减征额"),
    ("8", "本期已缴税额"),
    ("9", "本期应补（退）税额"),
)


def f(row: str, column: str) -> str:
    return f"F.{row}.{column}"


def _tail(
    table: str, row: str, label: str, labels: dict[str, str], code: str, due: str, first: int
) -> tuple[Line, ...]:
    """减征额, 已缴, 应补（退） cells of a row whose 本期应纳税额 is ``due``."""
    relief, paid, balance = (str(first), str(first + 1), str(first + 2))
    return (
        cell(
            table,
            row,
            label,
            relief,
            labels[relief],
            f"{code}.{relief}",
            kind=Kind.COMPUTED,
            formula=lambda v: v[due] * halving_ratio(v),
        ),
        cell(table, row, label, paid, labels[paid], f"{code}.{paid}"),
        cell(
            table,
            row,
            label,
            balance,
            labels[balance],
            f"{code}.{balance}",
            kind=Kind.COMPUTED,
            negative=True,
            formula=lambda v: v[due] - v[f"{code}.{relief}"] - v[f"{code}.{paid}"],
        ),
    )


def _months(v: Values) -> Decimal:
    return Decimal(v.period.months)


PROPERTY_LABELS = dict(PROPERTY_COLUMNS)
PROPERTY = Section(
    code="F",
    title="房产税税源明细",
    columns=tuple(label for _, label in PROPERTY_COLUMNS),
    rows=(
        Row(
            no="1",
            label="从价计征",
            cells=(
                cell(
                    PROPERTY_TABLE,
                    "1",
                    "从价计征",
                    "1",
                    "房产原值",
                    f("1", "1"),
                    kind=Kind.PREFILL,
                    source="sources.property.value",
                ),
                cell(
                    PROPERTY_TABLE,
                    "1",
                    "从价计征",
                    "2",
                    "减除比例",
                    f("1", "2"),
                    kind=Kind.COMPUTED,
                    type=ValueType.RATE,
                    formula=lambda v: v.policy("property.deduction_ratio"),
                ),
                cell(
                    PROPERTY_TABLE,
                    "1",
                    "从价计征",
                    "3",
                    "计税依据",
                    f("1", "3"),
                    kind=Kind.COMPUTED,
                    formula=lambda v: v[f("1", "1")] * (1 - v[f("1", "2")]),
                ),
                cell(
                    PROPERTY_TABLE,
                    "1",
                    "从价计征",
                    "4",
                    "税率",
                    f("1", "4"),
                    kind=Kind.COMPUTED,
                    type=ValueType.RATE,
                    formula=lambda v: v.policy("property.ad_valorem_rate"),
                ),
                cell(
                    PROPERTY_TABLE,
                    "1",
                    "从价计征",
                    "5",
                    "本期月数",
                    f("1", "5"),
                    kind=Kind.COMPUTED,
                    type=ValueType.COUNT,
                    formula=_months,
                ),
                cell(
                    PROPERTY_TABLE,
                    "1",
                    "从价计征",
                    "6",
                    "本期应纳税额",
                    f("1", "6"),
                    kind=Kind.COMPUTED,
                    formula=lambda v: v[f("1", "3")] * v[f("1", "4")] * v[f("1", "5")] / 12,
                    hint="原值×（1－减除比例）×1.2%×月数÷12",
                ),
                *_tail(PROPERTY_TABLE, "1", "从价计征", PROPERTY_LABELS, "F.1", f("1", "6"), 7),
            ),
        ),
        Row(
            no="2",
            label="从租计征",
            cells=(
                cell(
                    PROPERTY_TABLE,
                    "2",
                    "从租计征",
                    "1",
                    "本期租金收入",
                    f("2", "1"),
                    kind=Kind.PREFILL,
                    source="sources.property.rent",
                ),
                None,
                cell(
                    PROPERTY_TABLE,
                    "2",
                    "从租计征",
                    "3",
                    "计税依据",
                    f("2", "3"),
                    kind=Kind.COMPUTED,
                    formula=lambda v: v[f("2", "1")],
                ),
                cell(
                    PROPERTY_TABLE,
                    "2",
                    "从租计征",
                    "4",
                    "税率",
                    f("2", "4"),
                    kind=Kind.COMPUTED,
                    type=ValueType.RATE,
                    formula=lambda v: v.policy("property.rent_rate"),
                ),
                None,
                cell(
                    PROPERTY_TABLE,
                    "2",
                    "从租计征",
                    "6",
                    "本期应纳税额",
                    f("2", "6"),
                    kind=Kind.COMPUTED,
                    formula=lambda v: v[f("2", "3")] * v[f("2", "4")],
                    hint="租金收入×12%",
                ),
                *_tail(PROPERTY_TABLE, "2", "从租计征", PROPERTY_LABELS, "F.2", f("2", "6"), 7),
            ),
        ),
    ),
    note="房产税按年计算、分期缴纳：从价计征的本期税额＝年税额×本期月数÷12；从租计征按本期租金收入计算。",
)

LAND_TABLE = "城镇土地使用税"
LAND_COLUMNS = (
    ("1", "占用土地面积（平方米）"),
    ("2", "单位税额（元/平方米·年）"),
    ("3", "本期月数"),
    ("4", "本期应纳税额"),
    ("5", "“六税两费”减征额"),
    ("6", "本期已缴税额"),
    ("7", "本期应补（退）税额"),
)
LAND_LABELS = dict(LAND_COLUMNS)


def _unit_tax_check(v: Values) -> str | None:
    area, unit = v["L.1.1"], v["L.1.2"]
    low, high = v.policy("land.unit_tax_min"), v.policy("land.unit_tax_max")
    if area > 0 and not low <= unit <= high:
        return f"应在 {low} 至 {high} 元之间"
    return None


LAND = Section(
    code="L",
    title="城镇土地使用税税源明细",
    columns=tuple(label for _, label in LAND_COLUMNS),
    rows=(
        Row(
            no="1",
            label="应税土地",
            cells=(
                cell(
                    LAND_TABLE,
                    "1",
                    "应税土地",
                    "1",
                    LAND_LABELS["1"],
                    "L.1.1",
                    kind=Kind.PREFILL,
                    type=ValueType.QUANTITY,
                    source="sources.land.area",
                ),
                cell(
                    LAND_TABLE,
                    "1",
                    "应税土地",
                    "2",
                    LAND_LABELS["2"],
                    "L.1.2",
                    kind=Kind.PREFILL,
                    type=ValueType.QUANTITY,
                    source="sources.land.unit_tax",
                    check=_unit_tax_check,
                ),
                cell(
                    LAND_TABLE,
                    "1",
                    "应税土地",
                    "3",
                    LAND_LABELS["3"],
                    "L.1.3",
                    kind=Kind.COMPUTED,
                    type=ValueType.COUNT,
                    formula=_months,
                ),
                cell(
                    LAND_TABLE,
                    "1",
                    "应税土地",
                    "4",
                    LAND_LABELS["4"],
                    "L.1.4",
                    kind=Kind.COMPUTED,
                    formula=lambda v: v["L.1.1"] * v["L.1.2"] * v["L.1.3"] / 12,
                    hint="面积×单位税额×月数÷12",
                ),
                *_tail(LAND_TABLE, "1", "应税土地", LAND_LABELS, "L.1", "L.1.4", 5),
            ),
        ),
    ),
    note="单位税额由省级人民政府在法定幅度内确定（大城市1.5–30元，中等城市1.2–24元，小城市0.9–18元，县城、建制镇、工矿区0.6–12元）。",
)

SUMMARY_TABLE = "财产和行为税纳税申报表"
SUMMARY_COLUMNS = (("1", "本期应纳税额"), ("2", "减免税额"), ("3", "已缴税额"), ("4", "本期应补（退）税额"))
SUMMARY_ROWS: tuple[
    tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...
] = (
    (
        "1",
        "印花税",
        tuple(y(i, "3") for i in range(1, len(STAMP_ITEMS) + 1)),
        tuple(y(i, "4") for i in range(1, len(STAMP_ITEMS) + 1)),
        tuple(y(i, "5") for i in range(1, len(STAMP_ITEMS) + 1)),
        tuple(y(i, "6") for i in range(1, len(STAMP_ITEMS) + 1)),
    ),
    (
        "2",
        "房产税",
        (f("1", "6"), f("2", "6")),
        (f("1", "7"), f("2", "7")),
        (f("1", "8"), f("2", "8")),
        (f("1", "9"), f("2", "9")),
    ),
    ("3", "城镇土地使用税", ("L.1.4",), ("L.1.5",), ("L.1.6",), ("L.1.7",)),
)


def _summary_row(row: str, name: str, *parts: tuple[str, ...]) -> Row:
    return Row(
        no=row,
        label=name,
        cells=tuple(
            cell(
                SUMMARY_TABLE,
                row,
                name,
                column,
                label,
                f"P.{row}.{column}",
                kind=Kind.COMPUTED,
                negative=column == "4",
                formula=lambda v, codes=codes: v.sum(codes),
            )
            for (column, label), codes in zip(SUMMARY_COLUMNS, parts, strict=True)
        ),
    )


SUMMARY = Section(
    code="P",
    title="财产和行为税纳税申报表",
    columns=tuple(label for _, label in SUMMARY_COLUMNS),
    rows=(
        *(_summary_row(row, name, *parts) for row, name, *parts in SUMMARY_ROWS),
        Row(
            no="4",
            label="合计",
            cells=tuple(
                cell(
                    SUMMARY_TABLE,
                    "4",
                    "合计",
                    column,
                    label,
                    f"P.4.{column}",
                    kind=Kind.COMPUTED,
                    negative=column == "4",
                    formula=lambda v, column=column: v.sum(f"P.{r}.{column}" for r in ("1", "2", "3")),
                )
                for column, label in SUMMARY_COLUMNS
            ),
        ),
    ),
    note="一张报表、一次申报、一次缴款：本表各税种数据由税源明细计算带出。",
)


PROPERTY_BEHAVIOUR = FormSpec(
    code="BDA0661110",
    version="2021",
    name="财产和行为税纳税申报表",
    title="财产和行为税纳税申报表",
    period_kinds=frozenset({PeriodKind.QUARTER, PeriodKind.HALF_YEAR, PeriodKind.YEAR}),
    header=(six_two_line(default="否"),),
    sections=(SUMMARY, STAMP, PROPERTY, LAND),
    items=(("印花税", "P.1.4"), ("房产税", "P.2.4"), ("城镇土地使用税", "P.3.4")),
    total="P.4.4",
)
