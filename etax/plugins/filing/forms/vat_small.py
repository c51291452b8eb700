"""增值税及附加税费申报表（小规模纳税人适用） BDA0610610, quarterly (or monthly) with the reduced rate,
the small-business exemption and the 六税两费 halving of the surcharges (docs/domain/etax-domain-facts.md §2.4).

The taxpayer enters the period's sales by rate and invoice kind (本期销售额采集, pre-filled from
invoices); the engine places them on the official lines:

- total sales of the period ≤ the exemption threshold (季 30万 / 月 10万 while the policy runs): sales on
  增值税专用发票 stay taxable (lines 1/2, 4/5), everything else is 小微企业免税销售额 (line 10);
- above it, all sales are taxable (lines 1–8).

Line 15 is the tax at the statutory 征收率 (3%, 5%); line 16 the reduction to the reduced rate (3% → 1%
while the policy runs, 财政部 税务总局公告2023年第19号); line 18 the exempt tax at the rate the sales
would have borne.
"""

from __future__ import annotations

from decimal import Decimal

from etax.plugins.filing.engine import ZERO, FormSpec, Kind, Line, Row, Section, Values, money
from etax.plugins.filing.forms.common import (
    SURCHARGES,
    cell,
    halving_ratio,
    location_line,
    positive,
    six_two_line,
    surcharge_rate,
)
from etax.plugins.filing.periods import PeriodKind

COLUMNS = (("g", "货物及劳务·本期数"), ("s", "服务、不动产和无形资产·本期数"))
SIDES = ("g", "s")

ENTRY = "本期销售额采集"
ENTRY_ROWS = (
    ("a1", "3%征收率：开具增值税专用发票的不含税销售额", "invoices.sales.0.03.special.amount"),
    ("a2", "3%征收率：开具其他发票的不含税销售额", "invoices.sales.0.03.ordinary.amount"),
    ("a3", "3%征收率：未开具发票的不含税销售额", None),
    ("b1", "5%征收率：开具增值税专用发票的不含税销售额", "invoices.sales.0.05.special.amount"),
    ("b2", "5%征收率：开具其他发票的不含税销售额", "invoices.sales.0.05.ordinary.amount"),
    ("b3", "5%征收率：未开具发票的不含税销售额", None),
    ("c1", "销售使用过的固定资产不含税销售额", None),
    ("d1", "其他免税销售额", None),
    ("e1", "出口免税销售额", None),
)


def e(row: str, side: str) -> str:
    return f"S.{row}.{side}"


def q(no: str, side: str) -> str:
    return f"Q.{no}.{side}"


def _entry_row(row: str, label: str, source: str | None) -> Row:
    cells = tuple(
        cell(
            ENTRY,
            row,
            label,
            "",
            column_label,
            e(row, side),
            kind=Kind.PREFILL if source else Kind.INPUT,
            source=f"{source}.{side}" if source else None,
        )
        for side, column_label in COLUMNS
    )
    return Row(no=row, label=label, cells=cells)


def total_sales(v: Values) -> Decimal:
    return v.sum(e(row, side) for row, _, _ in ENTRY_ROWS for side in SIDES)


def threshold(v: Values) -> Decimal:
    key = "vat.small.exempt_quarter" if v.period.kind is PeriodKind.QUARTER else "vat.small.exempt_month"
    return v.policy_or(key, Decimal("-1"))


def exempt(v: Values) -> bool:
    """Whether the period's sales are within the small-business exemption."""
    return total_sales(v) <= threshold(v)


def levy(v: Values) -> Decimal:
    return v.policy("vat.small.levy_rate")


def reduced(v: Values) -> Decimal:
    return v.policy_or("vat.small.reduced_rate", levy(v))


# (no, label, formula per side)
def _lines(side: str) -> dict[str, object]:
    def s(row: str) -> str:
        return e(row, side)

    return {
        "1": lambda v: v[s("a1")] if exempt(v) else v.sum((s("a1"), s("a2"), s("a3"))),
        "2": lambda v: v[s("a1")],
        "3": lambda v: ZERO if exempt(v) else v[s("a2")],
        "4": lambda v: v[s("b1")] if exempt(v) else v.sum((s("b1"), s("b2"), s("b3"))),
        "5": lambda v: v[s("b1")],
        "6": lambda v: ZERO if exempt(v) else v[s("b2")],
        "7": lambda v: ZERO if exempt(v) else v[s("c1")],
        "8": lambda v: ZERO if exempt(v) else v[s("c1")],
        "9": lambda v: v[q("10", side)] + v[q("11", side)] + v[q("12", side)],
        "10": lambda v: v.sum((s("a2"), s("a3"), s("b2"), s("b3"), s("c1"))) if exempt(v) else ZERO,
        "11": lambda v: ZERO,
        "12": lambda v: v[s("d1")],
        "13": lambda v: v[s("e1")],
        "14": lambda v: v[s("e1")],
        "15": lambda v: (
            money((v[q("1", side)] + v[q("7", side)]) * levy(v))
            + money(v[q("4", side)] * v.policy("vat.small.levy_rate_5"))
        ),
        "16": lambda v: money((v[q("1", side)] + v[q("7", side)]) * (levy(v) - reduced(v))),
        "17": lambda v: v[q("18", side)] + v[q("19", side)],
        "18": lambda v: (
            money(v.sum((s("a2"), s("a3"), s("c1"))) * reduced(v))
            + money(v.sum((s("b2"), s("b3"))) * v.policy("vat.small.levy_rate_5"))
            if exempt(v)
            else ZERO
        ),
        "19": lambda v: ZERO,
        "20": lambda v: v[q("15", side)] - v[q("16", side)],
        "22": lambda v: v[q("20", side)] - v[q("21", side)],
    }


LABELS = (
    ("1", "（一）应征增值税不含税销售额（3%征收率）"),
    ("2", "增值税专用发票不含税销售额"),
    ("3", "其他增值税发票不含税销售额"),
    ("4", "（二）应征增值税不含税销售额（5%征收率）"),
    ("5", "增值税专用发票不含税销售额"),
    ("6", "其他增值税发票不含税销售额"),
    ("7", "（三）销售使用过的固定资产不含税销售额"),
    ("8", "其中：其他增值税发票不含税销售额"),
    ("9", "（四）免税销售额"),
    ("10", "其中：小微企业免税销售额"),
    ("11", "未达起征点销售额"),
    ("12", "其他免税销售额"),
    ("13", "（五）出口免税销售额"),
    ("14", "其中：其他增值税发票不含税销售额"),
    ("15", "本期应纳税额"),
    ("16", "本期应纳税额减征额"),
    ("17", "本期免税额"),
    ("18", "其中：小微企业免税额"),
    ("19", "未达起征点免税额"),
    ("20", "应纳税额合计"),
    ("21", "本期预缴税额"),
    ("22", "本期应补（退）税额"),
)
HINTS = {
    "11": "个体工商户和其他个人适用，企业不填",
    "19": "个体工商户和其他个人适用，企业不填",
    "20": "20＝15－16",
    "22": "22＝20－21",
}
MAIN_TABLE = "主表"


def _main_row(no: str, label: str) -> Row:
    formulas = {side: _lines(side) for side in SIDES}
    cells: list[Line | None] = []
    for side, column_label in COLUMNS:
        code = q(no, side)
        if no == "21":
            cells.append(
                Line(code=code, no=no, label=f"{label}（{column_label}）", hint="本期已预缴的增值税")
            )
            continue
        cells.append(
            Line(
                code=code,
                no=no,
                label=f"{label}（{column_label}）",
                kind=Kind.COMPUTED,
                formula=formulas[side][no],  # type: ignore[arg-type]
                negative=no == "22",
                hint=HINTS.get(no, ""),
            )
        )
    indent = 1 if no in ("2", "3", "5", "6", "8", "10", "11", "12", "14", "18", "19") else 0
    return Row(no=no, label=label, cells=tuple(cells), indent=indent)


def _surcharge_row(no: str, name: str, which: str) -> Row:
    def tax(v: Values) -> Decimal:
        base = positive(v[q("22", "g")] + v[q("22", "s")])
        due = money(base * surcharge_rate(v, which))
        return due - money(due * halving_ratio(v))

    line = Line(
        code=f"Q.{no}",
        no=no,
        label=f"{name}本期应补（退）{'费' if '附加' in name else '税'}额",
        kind=Kind.COMPUTED,
        formula=tax,
        hint="（第22栏合计）×税（费）率，“六税两费”减半",
    )
    return Row(no=no, label=line.label, cells=(line, None))


ENTRY_SECTION = Section(
    code="S",
    title="本期销售额采集",
    columns=tuple(label for _, label in COLUMNS),
    rows=tuple(_entry_row(row, label, source) for row, label, source in ENTRY_ROWS),
    note="按征收率和发票种类填写本期全部不含税销售额（开具发票的部分由发票数据预填）；"
    "系统据此判断是否享受小微企业免征增值税政策并填入主表。",
)
MAIN = Section(
    code="Q",
    title="增值税及附加税费申报表（小规模纳税人适用）",
    columns=tuple(label for _, label in COLUMNS),
    rows=(
        *(_main_row(no, label) for no, label in LABELS),
        *(_surcharge_row(str(23 + i), name, which) for i, (name, which, _) in enumerate(SURCHARGES)),
    ),
    note="本期销售额合计未超过季度30万元（按月申报10万元）的，开具增值税专用发票以外的销售额免征增值税；"
    "3%征收率的应税销售收入减按1%征收，减征额填入第16栏（2023-01-01至2027-12-31）。",
)

VAT_SMALL = FormSpec(
    code="BDA0610610",
    version="2021",
    name="增值税及附加税费申报表（小规模纳税人适用）",
    title="增值税及附加税费申报表（小规模纳税人适用）",
    period_kinds=frozenset({PeriodKind.QUARTER, PeriodKind.MONTH}),
    header=(
        location_line(),
        six_two_line(default="是"),
        Line(
            code="Q.vat",
            label="增值税本期应补（退）税额合计",
            kind=Kind.COMPUTED,
            formula=lambda v: v[q("22", "g")] + v[q("22", "s")],
            negative=True,
            hint="第22栏货物及劳务＋服务、不动产和无形资产",
        ),
    ),
    sections=(ENTRY_SECTION, MAIN),
    items=(
        ("增值税", "Q.vat"),
        ("城市维护建设税", "Q.23"),
        ("教育费附加", "Q.24"),
        ("地方教育附加", "Q.25"),
    ),
    total="Q.vat",
)
