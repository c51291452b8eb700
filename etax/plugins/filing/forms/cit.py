"""居民企业（查账征收）企业所得税月（季）度预缴纳税申报表（A类） A200000 (docs/domain/filing-facts.md §1).

All amounts are 本年累计 (1 January to the end of the period). Line 14 (本年实际已缴纳所得税额) comes
from the ledger (this year's earlier prepayments) and cannot be typed. The 小型微利企业 test is made on
the data as of the end of the period: cumulative 实际利润额 ≤ 300万, average headcount ≤ 300 and average
assets ≤ 5000万 over the quarters so far, and not in a restricted industry; the relief (line 13.1) is
实际利润额 × 20% (taxed at 5% instead of 25%) and drops to 0 above the cap — a cliff, as the rules say.
Line 16 is never below 0: there is no in-year refund.
"""

from __future__ import annotations

from decimal import Decimal

from etax.plugins.filing.engine import ZERO, Check, FormSpec, Kind, Line, Row, Section, Values, ValueType
from etax.plugins.filing.forms.common import YES_NO, computed, positive
from etax.plugins.filing.periods import PeriodKind

QUARTERS = ("一季度", "二季度", "三季度", "四季度")
SIZE_ITEMS = (("hc", "从业人数", ValueType.COUNT), ("as", "资产总额（万元）", ValueType.QUANTITY))


def size(item: str, quarter: int, end: str) -> str:
    return f"Z.{item}.{quarter}{end}"


def quarter_average(v: Values, item: str, quarter: int) -> Decimal:
    return (v[size(item, quarter, "c")] + v[size(item, quarter, "e")]) / 2


def year_average(v: Values, item: str) -> Decimal:
    """全年季度平均值 so far: the mean of the quarterly averages of the quarters up to this period."""
    quarters = v.period.quarter
    return sum((quarter_average(v, item, n) for n in range(1, quarters + 1)), ZERO) / quarters


def _size_row(item: str, label: str, line_type: ValueType) -> Row:
    cells: list[Line | None] = []
    columns: list[str] = []
    for quarter, name in enumerate(QUARTERS, start=1):
        for end, end_label in (("c", "季初"), ("e", "季末")):
            columns.append(f"{name}·{end_label}")
            cells.append(
                Line(
                    code=size(item, quarter, end),
                    label=f"{label}·{name}{end_label}",
                    type=line_type,
                    check=_current_quarter_check(item, quarter) if end == "e" and item == "hc" else None,
                )
            )
    cells.append(
        Line(
            code=f"Z.{item}.avg",
            label=f"{label}·季度平均值",
            kind=Kind.COMPUTED,
            type=ValueType.QUANTITY,
            formula=lambda v: year_average(v, item),
        )
    )
    return Row(no="", label=label, cells=tuple(cells))


def _current_quarter_check(item: str, quarter: int) -> Check:
    def check(v: Values) -> str | None:
        if quarter == v.period.quarter and v[size(item, quarter, "e")] <= 0:
            return "本季度季末从业人数必须为大于0的整数"
        return None

    return check


def small_low_profit(v: Values) -> str:
    """是 when the enterprise qualifies as 小型微利企业 on the data as of the end of the period."""
    cap = v.policy_or("cit.small.relief_rate", ZERO)
    if cap == 0:
        return "否"
    qualifies = (
        v.text("H.restricted") == "否"
        and v["A.10"] <= v.policy("cit.small.income_cap")
        and year_average(v, "hc") <= v.policy("cit.small.headcount_cap")
        and year_average(v, "as") <= v.policy("cit.small.assets_cap_10k")
    )
    return "是" if qualifies else "否"


def a(no: str) -> str:
    return f"A.{no}"


def _input(no: str, label: str, **kw: object) -> Line:
    return Line(code=a(no), no=no, label=label, **kw)  # type: ignore[arg-type]


def _loss_check(v: Values) -> str | None:
    room = positive(v[a("3")] + v[a("4")] - v[a("5")] - v[a("6")] - v[a("7")] - v[a("8")])
    if v[a("9")] > room:
        return f"不能大于第3＋4－5－6－7－8栏（{room:,.2f}）"
    return None


def _relief_check(v: Values) -> str | None:
    if v[a("13")] > v[a("12")]:
        return "减免所得税额不能大于第12栏应纳所得税额"
    if v[a("13.1")] > 0 and v[a("13.2")] > 0:
        return "小型微利企业减免不能与其他减免所得税额同时享受"
    return None


LINES: tuple[Line, ...] = (
    _input("1", "营业收入"),
    _input("2", "营业成本"),
    _input("3", "利润总额", negative=True),
    _input("4", "加：特定业务计算的应纳税所得额"),
    _input("5", "减：不征税收入"),
    _input("6", "减：资产加速折旧、摊销（扣除）调减额"),
    _input("7", "减：免税收入、减计收入、加计扣除"),
    _input("8", "减：所得减免"),
    _input("9", "减：弥补以前年度亏损", check=_loss_check),
    computed(
        a("10"),
        "实际利润额",
        "10",
        lambda v: v[a("3")] + v[a("4")] - v[a("5")] - v[a("6")] - v[a("7")] - v[a("8")] - v[a("9")],
        negative=True,
        hint="3＋4－5－6－7－8－9",
    ),
    computed(a("11"), "税率", "11", lambda v: v.policy("cit.rate"), type=ValueType.RATE),
    computed(
        a("12"), "应纳所得税额", "12", lambda v: positive(v[a("10")] * v[a("11")]), hint="10×11，不小于0"
    ),
    computed(a("13"), "减：减免所得税额", "13", lambda v: v[a("13.1")] + v[a("13.2")], check=_relief_check),
    computed(
        a("13.1"),
        "其中：符合条件的小型微利企业减免企业所得税",
        "13.1",
        lambda v: (
            positive(v[a("10")]) * v.policy("cit.small.relief_rate") if v.text("H.small") == "是" else ZERO
        ),
        hint="实际利润额×20%（系统自动计算）",
    ),
    _input("13.2", "其他减免所得税额"),
    _input(
        "14",
        "减：本年实际已缴纳所得税额",
        kind=Kind.SYSTEM,
        source="ledger.year_prepaid",
        hint="本年度以前各期已预缴的企业所得税，由系统带出",
    ),
    _input("15", "减：特定业务预缴（征）所得税额"),
    computed(
        a("16"),
        "本期应补（退）所得税额",
        "16",
        lambda v: positive(v[a("12")] - v[a("13")] - v[a("14")] - v[a("15")]),
        hint="12－13－14－15，小于0时填0",
    ),
    _input("23", "减：民族自治地区企业所得税地方分享部分减免金额"),
    computed(
        a("24"),
        "实际应补（退）所得税额",
        "24",
        lambda v: positive(v[a("16")] - v[a("23")]),
        check=lambda v: "不能大于第16栏" if v[a("23")] > v[a("16")] else None,
    ),
)

HEADER = (
    Line(
        code="H.mode",
        label="预缴方式",
        type=ValueType.CHOICE,
        choices=("按照实际利润额预缴",),
        default="按照实际利润额预缴",
    ),
    Line(code="H.kind", label="企业类型", type=ValueType.CHOICE, choices=("一般企业",), default="一般企业"),
    Line(
        code="H.restricted", label="国家限制或禁止行业", type=ValueType.CHOICE, choices=YES_NO, default="否"
    ),
    Line(
        code="H.small",
        label="小型微利企业",
        kind=Kind.COMPUTED,
        type=ValueType.CHOICE,
        choices=YES_NO,
        formula=small_low_profit,
        hint="按本期末累计数据自动判断：实际利润额≤300万元、从业人数≤300人、资产总额≤5000万元",
    ),
)

SIZE = Section(
    code="Z",
    title="按季度填报信息",
    columns=(*(f"{q}·{e}" for q in QUARTERS for e in ("季初", "季末")), "季度平均值"),
    rows=tuple(_size_row(item, label, t) for item, label, t in SIZE_ITEMS),
    note="季度平均值＝（季初值＋季末值）÷2；全年季度平均值＝截至本期末各季度平均值之和÷相应季度数。资产总额以万元填列。",
)
MAIN = Section(
    code="A",
    title="预缴税款计算",
    columns=("本年累计",),
    rows=tuple(
        Row(no=line.no, label=line.label, cells=(line,), indent=1 if "." in line.no else 0) for line in LINES
    ),
    note="跨地区经营汇总纳税企业的总机构、分支机构分摊栏次（第17至22行）不适用一般企业，不在此填报。",
)

CIT_PREPAY = FormSpec(
    code="BDA0640110",
    version="2021",
    name="企业所得税月（季）度预缴纳税申报表（A类）",
    title="中华人民共和国企业所得税月（季）度预缴纳税申报表（A类）",
    period_kinds=frozenset({PeriodKind.QUARTER, PeriodKind.MONTH}),
    header=HEADER,
    sections=(SIZE, MAIN),
    checks=(
        lambda v: (
            "小型微利企业只能按季度预缴申报，不能按月申报"
            if v.text("H.small") == "是" and v.period.kind is PeriodKind.MONTH
            else None
        ),
    ),
    items=(("企业所得税", a("24")),),
    total=a("24"),
)
