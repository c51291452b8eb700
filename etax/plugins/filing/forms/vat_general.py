"""增值税及附加税费申报表（一般纳税人适用） BDA0610606: 主表, 附列资料（一）（二）（五）.

Line names and 栏次 formulas as in docs/domain/etax-domain-facts.md §2.1–2.3. Only the 一般项目
本月数 column of the main table is kept; the 即征即退 columns are not filed through this portal.
"""

from __future__ import annotations

from decimal import Decimal

from etax.plugins.filing.engine import ZERO, Check, FormSpec, Kind, Line, Row, Section, Values, ValueType
from etax.plugins.filing.forms.common import (
    SURCHARGES,
    cell,
    computed,
    halving_ratio,
    location_line,
    positive,
    six_two_line,
    surcharge_rate,
)
from etax.plugins.filing.periods import PeriodKind

# --- 附列资料（一）本期销售情况明细 -----------------------------------------------------------------------
T1 = "附列资料（一）"
# (row, label, rate, general method?)
SALES_ROWS: tuple[tuple[str, str, Decimal | None, bool], ...] = (
    ("1", "13%税率的货物及加工修理修配劳务", Decimal("0.13"), True),
    ("2", "13%税率的服务、不动产和无形资产", Decimal("0.13"), True),
    ("3", "9%税率的货物及加工修理修配劳务", Decimal("0.09"), True),
    ("4", "9%税率的服务、不动产和无形资产", Decimal("0.09"), True),
    ("5", "6%税率", Decimal("0.06"), True),
    ("9a", "5%征收率的货物及加工修理修配劳务", Decimal("0.05"), False),
    ("9b", "5%征收率的服务、不动产和无形资产", Decimal("0.05"), False),
    ("11", "3%征收率的货物及加工修理修配劳务", Decimal("0.03"), False),
    ("12", "3%征收率的服务、不动产和无形资产", Decimal("0.03"), False),
    ("18", "免税货物及加工修理修配劳务", None, False),
    ("19", "免税服务、不动产和无形资产", None, False),
)
SALES_COLUMNS = (
    ("1", "开具增值税专用发票·销售额"),
    ("2", "开具增值税专用发票·销项（应纳）税额"),
    ("3", "开具其他发票·销售额"),
    ("4", "开具其他发票·销项（应纳）税额"),
    ("5", "未开具发票·销售额"),
    ("6", "未开具发票·销项（应纳）税额"),
    ("7", "纳税检查调整·销售额"),
    ("8", "纳税检查调整·销项（应纳）税额"),
    ("9", "合计·销售额"),
    ("10", "合计·销项（应纳）税额"),
)
GENERAL_ROWS = ("1", "2", "3", "4", "5")
SIMPLE_ROWS = ("9a", "9b", "11", "12")
GOODS_ROWS = ("1", "3")
# Which 附列资料（一） row invoice figures of a rate go to (pre-fill).
ROW_OF_RATE: dict[Decimal, str] = {
    Decimal("0.13"): "1",
    Decimal("0.09"): "3",
    Decimal("0.06"): "5",
    Decimal("0.05"): "9b",
    Decimal("0.03"): "11",
    Decimal("0"): "18",
}


def t1(row: str, column: str) -> str:
    return f"T1.{row}.{column}"


def _tax_of(row: str, sales_column: str, rate: Decimal) -> Line:
    label = dict(SALES_COLUMNS)[str(int(sales_column) + 1)]
    return cell(
        T1,
        row,
        dict((r[0], r[1]) for r in SALES_ROWS)[row],
        str(int(sales_column) + 1),
        label,
        t1(row, str(int(sales_column) + 1)),
        kind=Kind.COMPUTED,
        formula=lambda v: v[t1(row, sales_column)] * rate,
        negative=True,
    )


def _invoice_tax_check(row: str, sales_column: str, rate: Decimal) -> Check:
    def check(v: Values) -> str | None:
        sales = v[t1(row, sales_column)]
        tax = v[t1(row, str(int(sales_column) + 1))]
        if sales == 0 and tax != 0:
            return "没有销售额却填写了税额"
        # Invoices round per line: allow 1 元 plus 0.1% of the tax before calling the figures inconsistent.
        if abs(tax - sales * rate) > Decimal("1.00") + abs(sales * rate) / 1000:
            return f"税额与销售额×{rate * 100:.0f}%不符"
        return None

    return check


def _sales_row(row: str, label: str, rate: Decimal | None) -> Row:
    cells: list[Line | None] = []
    for column, column_label in SALES_COLUMNS:
        code = t1(row, column)
        if rate is None and column in ("1", "2", "4", "6", "7", "8", "10"):
            cells.append(None)
            continue
        if column in ("1", "3"):
            kind = Kind.PREFILL
            source = f"invoices.sales.{row}.{'special' if column == '1' else 'ordinary'}.amount"
            cells.append(
                cell(T1, row, label, column, column_label, code, kind=kind, source=source, negative=True)
            )
        elif column in ("2", "4") and rate is not None:
            sales_column = str(int(column) - 1)
            source = f"invoices.sales.{row}.{'special' if column == '2' else 'ordinary'}.tax"
            cells.append(
                cell(
                    T1,
                    row,
                    label,
                    column,
                    column_label,
                    code,
                    kind=Kind.PREFILL,
                    source=source,
                    negative=True,
                    check=_invoice_tax_check(row, sales_column, rate),
                )
            )
        elif column in ("5", "7"):
            cells.append(cell(T1, row, label, column, column_label, code, negative=column == "7"))
        elif column in ("6", "8") and rate is not None:
            cells.append(_tax_of(row, str(int(column) - 1), rate))
        elif column == "9":
            parts = [t1(row, c) for c in ("1", "3", "5", "7") if not (rate is None and c in ("1", "7"))]
            cells.append(
                cell(
                    T1,
                    row,
                    label,
                    column,
                    column_label,
                    code,
                    kind=Kind.COMPUTED,
                    formula=lambda v, parts=parts: v.sum(parts),
                    negative=True,
                )
            )
        elif column == "10":
            parts = [t1(row, c) for c in ("2", "4", "6", "8")]
            cells.append(
                cell(
                    T1,
                    row,
                    label,
                    column,
                    column_label,
                    code,
                    kind=Kind.COMPUTED,
                    formula=lambda v, parts=parts: v.sum(parts),
                    negative=True,
                )
            )
    return Row(no=row, label=label, cells=tuple(cells))


SALES = Section(
    code="T1",
    title="附列资料（一）本期销售情况明细",
    columns=tuple(label for _, label in SALES_COLUMNS),
    rows=tuple(_sales_row(row, label, rate) for row, label, rate, _ in SALES_ROWS),
    note="第1至5行为一般计税方法计税项目，第9a至12行为简易计税方法计税项目，第18、19行为免税项目。"
    "开具发票的销售额和税额可由发票数据预填。",
)

# --- 附列资料（二）本期进项税额明细 -----------------------------------------------------------------------
T2 = "附列资料（二）"
INPUT_COLUMNS = (("n", "份数"), ("a", "金额"), ("t", "税额"))


# Rows whose columns are not all of 份数, 金额, 税额.
INPUT_ROW_COLUMNS = {"7": "nt", "11": "t"}


def t2(row: str, column: str = "t") -> str:
    return f"T2.{row}.{column}"


def _input_row(
    row: str, label: str, *, parts: tuple[str, ...] = (), columns: str = "nat", source: bool = False
) -> Row:
    cells: list[Line | None] = []
    for column, column_label in INPUT_COLUMNS:
        if column not in columns:
            cells.append(None)
            continue
        code = t2(row, column)
        line_type = ValueType.COUNT if column == "n" else ValueType.MONEY
        if parts:
            members = [t2(p, column) for p in parts if column in INPUT_ROW_COLUMNS.get(p, "nat")]
            cells.append(
                cell(
                    T2,
                    row,
                    label,
                    "",
                    column_label,
                    code,
                    kind=Kind.COMPUTED,
                    type=line_type,
                    formula=lambda v, members=members: v.sum(members),
                )
            )
        elif source:
            name = {"n": "count", "a": "amount", "t": "tax"}[column]
            cells.append(
                cell(
                    T2,
                    row,
                    label,
                    "",
                    column_label,
                    code,
                    kind=Kind.PREFILL,
                    type=line_type,
                    source=f"invoices.deductible.{name}",
                )
            )
        else:
            cells.append(cell(T2, row, label, "", column_label, code, type=line_type))
    return Row(no=row, label=label, cells=tuple(cells))


TRANSFER_ROWS = (
    ("14", "免税项目用"),
    ("15", "集体福利、个人消费"),
    ("16", "非正常损失"),
    ("17", "简易计税方法征税项目用"),
    ("18", "免抵退税办法不得抵扣的进项税额"),
    ("19", "纳税检查调减进项税额"),
    ("20", "红字专用发票信息表注明的进项税额"),
    ("21", "上期留抵税额抵减欠税"),
    ("22", "上期留抵税额退税"),
    ("23a", "异常凭证转出进项税额"),
    ("23b", "其他应作进项税额转出的情形"),
)


def _transfer_row(row: str, label: str) -> Row:
    source = "invoices.transfer_out.tax" if row == "20" else None
    kind = Kind.PREFILL if source else Kind.INPUT
    return Row(
        no=row,
        label=label,
        cells=(None, None, cell(T2, row, label, "", "税额", t2(row), kind=kind, source=source)),
        indent=1,
    )


INPUTS = Section(
    code="T2",
    title="附列资料（二）本期进项税额明细",
    columns=tuple(label for _, label in INPUT_COLUMNS),
    rows=(
        _input_row("1", "（一）认证相符的增值税专用发票", parts=("2", "3")),
        _input_row("2", "其中：本期认证相符且本期申报抵扣", source=True),
        _input_row("3", "前期认证相符且本期申报抵扣"),
        _input_row("4", "（二）其他扣税凭证", parts=("5", "6", "7", "8b")),
        _input_row("5", "其中：海关进口增值税专用缴款书"),
        _input_row("6", "农产品收购发票或者销售发票"),
        _input_row("7", "代扣代缴税收缴款凭证", columns=INPUT_ROW_COLUMNS["7"]),
        _input_row("8b", "其他"),
        _input_row("9", "（三）本期用于购建不动产的扣税凭证"),
        _input_row("10", "（四）本期用于抵扣的旅客运输服务扣税凭证"),
        _input_row("11", "（五）外贸企业进项税额抵扣证明", columns=INPUT_ROW_COLUMNS["11"]),
        _input_row("12", "当期申报抵扣进项税额合计", parts=("1", "4", "11")),
        Row(
            no="13",
            label="本期进项税额转出额",
            cells=(
                None,
                None,
                cell(
                    T2,
                    "13",
                    "本期进项税额转出额",
                    "",
                    "税额",
                    t2("13"),
                    kind=Kind.COMPUTED,
                    formula=lambda v: v.sum(t2(r) for r, _ in TRANSFER_ROWS),
                ),
            ),
        ),
        *(_transfer_row(row, label) for row, label in TRANSFER_ROWS),
    ),
    note="第2行由发票勾选确认的抵扣数据预填；第12栏税额＝第1＋4＋11栏，转入主表第12栏。",
)

# --- 主表 -------------------------------------------------------------------------------------------
M = "M."


def m(no: str) -> str:
    return f"M.{no}"


def _main(no: str, label: str, **kw: object) -> Line:
    return Line(code=m(no), no=no, label=label, **kw)  # type: ignore[arg-type]


def _col9(rows: tuple[str, ...]) -> object:
    return lambda v: v.sum(t1(r, "9") for r in rows)


MAIN_LINES: tuple[tuple[str, Line], ...] = (
    (
        "销售额",
        computed(
            m("1"),
            "（一）按适用税率计税销售额",
            "1",
            lambda v: v.sum(t1(r, "9") for r in GENERAL_ROWS),
            negative=True,
        ),
    ),
    (
        "销售额",
        computed(
            m("2"),
            "其中：应税货物销售额",
            "2",
            lambda v: v.sum(t1(r, "9") for r in GOODS_ROWS),
            negative=True,
        ),
    ),
    (
        "销售额",
        _main(
            "3",
            "应税劳务销售额",
            hint="第1、3行中加工修理修配劳务的销售额",
            check=lambda v: "不能大于第2栏应税货物销售额" if v[m("3")] > max(v[m("2")], ZERO) else None,
        ),
    ),
    (
        "销售额",
        computed(
            m("4"),
            "纳税检查调整的销售额",
            "4",
            lambda v: v.sum(t1(r, "7") for r in GENERAL_ROWS),
            negative=True,
        ),
    ),
    (
        "销售额",
        computed(
            m("5"),
            "（二）按简易办法计税销售额",
            "5",
            lambda v: v.sum(t1(r, "9") for r in SIMPLE_ROWS),
            negative=True,
        ),
    ),
    (
        "销售额",
        computed(
            m("6"),
            "其中：纳税检查调整的销售额",
            "6",
            lambda v: v.sum(t1(r, "7") for r in SIMPLE_ROWS),
            negative=True,
        ),
    ),
    ("销售额", _main("7", "（三）免、抵、退办法出口销售额")),
    ("销售额", computed(m("8"), "（四）免税销售额", "8", lambda v: v[t1("18", "9")] + v[t1("19", "9")])),
    ("销售额", computed(m("9"), "其中：免税货物销售额", "9", lambda v: v[t1("18", "9")])),
    ("销售额", computed(m("10"), "免税劳务销售额", "10", lambda v: v[t1("19", "9")])),
    (
        "税款计算",
        computed(
            m("11"), "销项税额", "11", lambda v: v.sum(t1(r, "10") for r in GENERAL_ROWS), negative=True
        ),
    ),
    ("税款计算", computed(m("12"), "进项税额", "12", lambda v: v[t2("12")])),
    (
        "税款计算",
        _main(
            "13",
            "上期留抵税额",
            kind=Kind.SYSTEM,
            source="ledger.previous.M.20",
            hint="上期申报表第20栏期末留抵税额，由系统带出",
        ),
    ),
    ("税款计算", computed(m("14"), "进项税额转出", "14", lambda v: v[t2("13")])),
    ("税款计算", _main("15", "免、抵、退应退税额")),
    ("税款计算", _main("16", "按适用税率计算的纳税检查应补缴税额")),
    (
        "税款计算",
        computed(
            m("17"),
            "应抵扣税额合计",
            "17",
            lambda v: v[m("12")] + v[m("13")] - v[m("14")] - v[m("15")] + v[m("16")],
            negative=True,
        ),
    ),
    (
        "税款计算",
        computed(
            m("18"),
            "实际抵扣税额",
            "18",
            lambda v: v[m("17")] if v[m("17")] < v[m("11")] else v[m("11")],
            negative=True,
            hint="如17<11，则为17，否则为11",
        ),
    ),
    ("税款计算", computed(m("19"), "应纳税额", "19", lambda v: v[m("11")] - v[m("18")], negative=True)),
    ("税款计算", computed(m("20"), "期末留抵税额", "20", lambda v: v[m("17")] - v[m("18")], negative=True)),
    (
        "税款计算",
        computed(
            m("21"),
            "简易计税办法计算的应纳税额",
            "21",
            lambda v: v.sum(t1(r, "10") for r in SIMPLE_ROWS),
            negative=True,
        ),
    ),
    ("税款计算", _main("22", "按简易计税办法计算的纳税检查应补缴税额")),
    (
        "税款计算",
        _main(
            "23",
            "应纳税额减征额",
            check=lambda v: (
                "不能大于第19栏与第21栏之和" if v[m("23")] > positive(v[m("19")] + v[m("21")]) else None
            ),
        ),
    ),
    (
        "税款计算",
        computed(
            m("24"), "应纳税额合计", "24", lambda v: v[m("19")] + v[m("21")] - v[m("23")], negative=True
        ),
    ),
    (
        "税款缴纳",
        _main(
            "25",
            "期初未缴税额（多缴为负数）",
            kind=Kind.SYSTEM,
            source="ledger.previous.M.32",
            negative=True,
            hint="上期申报表第32栏期末未缴税额，由系统带出",
        ),
    ),
    ("税款缴纳", _main("26", "实收出口开具专用缴款书退税额")),
    (
        "税款缴纳",
        computed(m("27"), "本期已缴税额", "27", lambda v: v[m("28")] + v[m("29")] + v[m("30")] + v[m("31")]),
    ),
    ("税款缴纳", _main("28", "①分次预缴税额")),
    ("税款缴纳", _main("29", "②出口开具专用缴款书预缴税额")),
    ("税款缴纳", _main("30", "③本期缴纳上期应纳税额")),
    ("税款缴纳", _main("31", "④本期缴纳欠缴税额")),
    (
        "税款缴纳",
        computed(
            m("32"),
            "期末未缴税额（多缴为负数）",
            "32",
            lambda v: v[m("24")] + v[m("25")] + v[m("26")] - v[m("27")],
            negative=True,
        ),
    ),
    (
        "税款缴纳",
        computed(
            m("33"), "其中：欠缴税额（≥0）", "33", lambda v: positive(v[m("25")] + v[m("26")] - v[m("27")])
        ),
    ),
    (
        "税款缴纳",
        computed(
            m("34"), "本期应补（退）税额", "34", lambda v: v[m("24")] - v[m("28")] - v[m("29")], negative=True
        ),
    ),
    ("税款缴纳", _main("35", "即征即退实际退税额")),
    ("税款缴纳", _main("36", "期初未缴查补税额")),
    ("税款缴纳", _main("37", "本期入库查补税额")),
    (
        "税款缴纳",
        computed(
            m("38"),
            "期末未缴查补税额",
            "38",
            lambda v: v[m("16")] + v[m("22")] + v[m("36")] - v[m("37")],
            negative=True,
        ),
    ),
    (
        "附加税费",
        computed(m("39"), "城市维护建设税本期应补（退）税额", "39", lambda v: v["T5.1.10"], negative=True),
    ),
    (
        "附加税费",
        computed(m("40"), "教育费附加本期应补（退）费额", "40", lambda v: v["T5.2.10"], negative=True),
    ),
    (
        "附加税费",
        computed(m("41"), "地方教育附加本期应补（退）费额", "41", lambda v: v["T5.3.10"], negative=True),
    ),
)

MAIN = Section(
    code="M",
    title="增值税及附加税费申报表（一般纳税人适用）主表",
    columns=("一般项目·本月数",),
    rows=tuple(
        Row(
            no=line.no,
            label=line.label,
            cells=(line,),
            indent=1 if line.label.startswith(("其中", "①", "②", "③", "④")) else 0,
        )
        for _, line in MAIN_LINES
    ),
    note="第17＝12＋13－14－15＋16；第18：如17<11则为17，否则为11；第19＝11－18；第20＝17－18；"
    "第24＝19＋21－23；第32＝24＋25＋26－27；第34＝24－28－29。",
)

# --- 附列资料（五）附加税费情况表 ---------------------------------------------------------------------------
T5 = "附列资料（五）"
SURCHARGE_COLUMNS = (
    ("1", "计税（费）依据·增值税税额"),
    ("2", "计税（费）依据·增值税免抵税额"),
    ("3", "计税（费）依据·留抵退税本期扣除额"),
    ("4", "税（费）率"),
    ("5", "本期应纳税（费）额"),
    ("6", "本期减免税（费）额"),
    ("7", "“六税两费”减征比例"),
    ("8", "“六税两费”减征额"),
    ("9", "本期已缴税（费）额"),
    ("10", "本期应补（退）税（费）额"),
)


def t5(row: str, column: str) -> str:
    return f"T5.{row}.{column}"


def _surcharge_row(row: str, name: str, which: str) -> Row:
    labels = dict(SURCHARGE_COLUMNS)

    def c(column: str, **kw: object) -> Line:
        return cell(T5, row, name, column, labels[column], t5(row, column), **kw)

    shared = row != "1"
    return Row(
        no=row,
        label=name,
        cells=(
            c(
                "1",
                kind=Kind.COMPUTED,
                formula=lambda v: positive(v[m("34")]),
                hint="主表第34栏本期应补（退）税额",
            ),
            c("2", kind=Kind.COMPUTED, formula=lambda v: v[t5("1", "2")]) if shared else c("2"),
            c("3", kind=Kind.COMPUTED, formula=lambda v: v[t5("1", "3")]) if shared else c("3"),
            c("4", kind=Kind.COMPUTED, type=ValueType.RATE, formula=lambda v: surcharge_rate(v, which)),
            c(
                "5",
                kind=Kind.COMPUTED,
                formula=lambda v: (
                    positive(v[t5(row, "1")] + v[t5(row, "2")] - v[t5(row, "3")]) * v[t5(row, "4")]
                ),
            ),
            c(
                "6",
                check=lambda v: "不能大于本期应纳税（费）额" if v[t5(row, "6")] > v[t5(row, "5")] else None,
            ),
            c("7", kind=Kind.COMPUTED, type=ValueType.RATE, formula=lambda v: halving_ratio(v)),
            c(
                "8",
                kind=Kind.COMPUTED,
                formula=lambda v: (v[t5(row, "5")] - v[t5(row, "6")]) * v[t5(row, "7")],
            ),
            c("9"),
            c(
                "10",
                kind=Kind.COMPUTED,
                negative=True,
                formula=lambda v: v[t5(row, "5")] - v[t5(row, "6")] - v[t5(row, "8")] - v[t5(row, "9")],
            ),
        ),
    )


def _total_cell(column: str) -> Line | None:
    if column not in ("5", "6", "8", "9", "10"):
        return None
    return cell(
        T5,
        "4",
        "合计",
        column,
        dict(SURCHARGE_COLUMNS)[column],
        t5("4", column),
        kind=Kind.COMPUTED,
        negative=column == "10",
        formula=lambda v: v.sum(t5(r, column) for r in ("1", "2", "3")),
    )


SURCHARGE = Section(
    code="T5",
    title="附列资料（五）附加税费情况表",
    columns=tuple(label for _, label in SURCHARGE_COLUMNS),
    rows=(
        *(_surcharge_row(str(i), name, which) for i, (name, which, _) in enumerate(SURCHARGES, start=1)),
        Row(no="4", label="合计", cells=tuple(_total_cell(c) for c, _ in SURCHARGE_COLUMNS)),
    ),
    note="第5栏＝（第1＋2－3栏）×第4栏；第8栏＝（第5－6栏）×第7栏；第10栏＝第5－6－8－9栏。"
    "城市维护建设税税率按纳税人所在地：市区7%、县城镇5%、其他1%。",
)

VAT_GENERAL = FormSpec(
    code="BDA0610606",
    version="2021",
    name="增值税及附加税费申报表（一般纳税人适用）",
    title="增值税及附加税费申报表（一般纳税人适用）",
    period_kinds=frozenset({PeriodKind.MONTH}),
    header=(location_line(), six_two_line(default="否")),
    sections=(MAIN, SALES, INPUTS, SURCHARGE),
    items=(
        ("增值税", m("34")),
        ("城市维护建设税", m("39")),
        ("教育费附加", m("40")),
        ("地方教育附加", m("41")),
    ),
    total=m("34"),
)
