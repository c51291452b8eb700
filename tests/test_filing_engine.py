"""The forms engine on its own: the worked examples of the facts sheets, reproduced line by line.

- 增值税一般纳税人: docs/domain/etax-domain-facts.md §2.3 (and its 留抵 variant);
- 小规模纳税人: below and above the quarterly exemption, 专票 sales taxed even below it (§2.4 rules);
- 企业所得税预缴 A类: docs/domain/filing-facts.md §1.5, quarter by quarter, and the 300万 cliff;
- 财产和行为税: the vectors of docs/domain/filing-facts.md §2.6;
- bad input: Chinese messages naming the line, tampered and unknown lines refused;
- policy data: dated, so a past period is computed with the rules of its time.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from etax.plugins.filing import policy
from etax.plugins.filing.engine import EngineError, compute, is_zero_return
from etax.plugins.filing.forms import CIT_PREPAY, PROPERTY_BEHAVIOUR, VAT_GENERAL, VAT_SMALL, form_named
from etax.plugins.filing.periods import Period, PeriodError


def D(text: str) -> Decimal:
    return Decimal(text)


def vat_general(input_tax: str) -> dict[str, Decimal | str]:
    result = compute(
        VAT_GENERAL,
        Period.parse("2026-10"),
        {
            "T1.1.1": "1000000",  # 13% 货物, 专票 销售额
            "T1.1.2": "130000",  # 销项税额 → line 11 = 130,000
            "T2.2.n": "12",
            "T2.2.a": "615384.62",
            "T2.2.t": input_tax,  # → line 12
            "T2.23b.t": "2000",  # 进项税额转出 → line 14
            "H.location": "市区",
        },
        system={"M.13": "10000"},  # 上期留抵
    )
    assert result.ok, result.messages()
    return result.values


def test_vat_general_reproduces_the_worked_example_of_the_facts_sheet() -> None:
    values = vat_general("80000")
    expected = {
        "M.11": "130000.00",
        "M.12": "80000.00",
        "M.13": "10000.00",
        "M.14": "2000.00",
        "M.17": "88000.00",
        "M.18": "88000.00",
        "M.19": "42000.00",
        "M.20": "0.00",
        "M.24": "42000.00",
        "M.34": "42000.00",
        "M.39": "2940.00",
        "M.40": "1260.00",
        "M.41": "840.00",
    }
    assert {code: str(values[code]) for code in expected} == expected


def test_vat_general_larger_input_tax_leaves_a_carry_forward_and_no_surcharge() -> None:
    values = vat_general("150000")
    assert (values["M.17"], values["M.18"], values["M.19"], values["M.20"]) == (
        D("158000.00"),
        D("130000.00"),
        D("0.00"),
        D("28000.00"),
    )
    assert values["M.39"] == values["M.40"] == values["M.41"] == D("0.00")


@pytest.mark.parametrize(
    ("location", "urban"), [("市区", "2940.00"), ("县城镇", "2100.00"), ("其他", "420.00")]
)
def test_urban_construction_tax_follows_the_location_class(location: str, urban: str) -> None:
    result = compute(
        VAT_GENERAL,
        Period.parse("2026-10"),
        {"T1.1.1": "1000000", "T1.1.2": "130000", "T2.2.t": "88000", "H.location": location},
    )
    assert result.values["M.34"] == D("42000.00")
    assert result.values["M.39"] == D(urban)


def test_vat_general_surcharges_are_halved_for_a_qualifying_taxpayer() -> None:
    result = compute(
        VAT_GENERAL,
        Period.parse("2026-10"),
        {"T1.5.5": "100000", "H.six_two": "是"},  # 6% 未开票 → 6,000 VAT
    )
    assert result.values["M.34"] == D("6000.00")
    assert (result.values["M.39"], result.values["M.40"], result.values["M.41"]) == (
        D("210.00"),
        D("90.00"),
        D("60.00"),
    )


def small(period: str, **sales: str) -> dict[str, Decimal | str]:
    result = compute(
        VAT_SMALL, Period.parse(period), {f"S.{k.replace('_', '.')}": v for k, v in sales.items()}
    )
    assert result.ok, result.messages()
    return result.values


def test_small_scale_below_the_quarterly_exemption_pays_only_on_special_invoices() -> None:
    values = small("2026Q3", a1_g="50000", a2_g="200000")  # 25万 in the quarter ≤ 30万
    assert values["Q.1.g"] == values["Q.2.g"] == D("50000.00")  # 专票 sales stay taxable
    assert values["Q.10.g"] == D("200000.00")  # 小微企业免税销售额
    assert values["Q.15.g"] == D("1500.00")  # 3%
    assert values["Q.16.g"] == D("1000.00")  # reduced to 1%
    assert values["Q.20.g"] == values["Q.22.g"] == values["Q.vat"] == D("500.00")
    assert values["Q.18.g"] == D("2000.00")
    # 附加税费 on 500, halved (六税两费): 35 → 17.50, 15 → 7.50, 10 → 5.00
    assert (values["Q.23"], values["Q.24"], values["Q.25"]) == (D("17.50"), D("7.50"), D("5.00"))


def test_small_scale_without_special_invoices_below_the_exemption_owes_nothing() -> None:
    values = small("2026Q3", a2_g="120000", a3_s="80000")
    assert values["Q.vat"] == D("0.00")
    assert [values["Q.10.g"], values["Q.10.s"]] == [D("120000.00"), D("80000.00")]
    assert values["Q.23"] == D("0.00")


def test_small_scale_above_the_quarterly_exemption_taxes_all_sales_at_the_reduced_rate() -> None:
    values = small("2026Q3", a1_g="50000", a2_g="300000")  # 35万 > 30万
    assert values["Q.1.g"] == D("350000.00")
    assert values["Q.3.g"] == D("300000.00")
    assert values["Q.10.g"] == D("0.00")
    assert values["Q.15.g"] == D("10500.00")
    assert values["Q.16.g"] == D("7000.00")
    assert values["Q.vat"] == D("3500.00")
    assert (values["Q.23"], values["Q.24"], values["Q.25"]) == (D("122.50"), D("52.50"), D("35.00"))


def test_small_scale_monthly_filer_uses_the_monthly_threshold() -> None:
    assert small("2026-10", a2_g="100000")["Q.vat"] == D("0.00")
    assert small("2026-10", a2_g="100001")["Q.vat"] == D("1000.01")


def test_small_scale_rules_of_2022_come_from_their_own_dated_entries() -> None:
    """In 2022 the quarterly exemption was 45万 (公告2021年第11号): 40万 of sales owed nothing then."""
    assert small("2022Q4", a2_g="400000")["Q.10.g"] == D("400000.00")
    assert small("2026Q3", a2_g="400000")["Q.10.g"] == D("0.00")


SIZE = {
    "Z.hc.1c": "90",
    "Z.hc.1e": "90",
    "Z.as.1c": "2200",
    "Z.as.1e": "2200",
    "Z.hc.2c": "110",
    "Z.hc.2e": "110",
    "Z.as.2c": "2500",
    "Z.as.2e": "2500",
    "Z.hc.3c": "110",
    "Z.hc.3e": "110",
    "Z.as.3c": "2500",
    "Z.as.3e": "2500",
}


@pytest.mark.parametrize(
    ("period", "profit", "exempt_income", "prepaid", "line10", "line12", "line13", "line16"),
    [
        ("2026Q1", "600000", "20000", "0", "500000.00", "125000.00", "100000.00", "25000.00"),
        ("2026Q2", "1500000", "40000", "25000", "1380000.00", "345000.00", "276000.00", "44000.00"),
        ("2026Q3", "3600000", "60000", "69000", "3460000.00", "865000.00", "0.00", "796000.00"),
        ("2026Q3", "2940000", "60000", "69000", "2800000.00", "700000.00", "560000.00", "71000.00"),
    ],
)
def test_cit_prepayment_reproduces_the_worked_example(
    period: str,
    profit: str,
    exempt_income: str,
    prepaid: str,
    line10: str,
    line12: str,
    line13: str,
    line16: str,
) -> None:
    result = compute(
        CIT_PREPAY,
        Period.parse(period),
        {**SIZE, "A.3": profit, "A.7": exempt_income, "A.9": "80000"},
        system={"A.14": prepaid},
    )
    assert result.ok, result.messages()
    got = [str(result.values[c]) for c in ("A.10", "A.12", "A.13", "A.16")]
    assert got == [line10, line12, line13, line16]
    assert result.values["H.small"] == ("否" if line13 == "0.00" else "是")


def test_cit_amount_due_is_never_negative() -> None:
    result = compute(CIT_PREPAY, Period.parse("2026Q2"), {**SIZE, "A.3": "100000"}, system={"A.14": "90000"})
    assert result.values["A.16"] == D("0.00")


def test_cit_loss_offset_cannot_exceed_the_profit_and_headcount_is_required() -> None:
    result = compute(CIT_PREPAY, Period.parse("2026Q1"), {"A.3": "50000", "A.9": "80000"})
    assert result.errors["A.9"].startswith("第9栏“减：弥补以前年度亏损”：不能大于")
    assert "季末从业人数必须为大于0的整数" in result.errors["Z.hc.1e"]


@pytest.mark.parametrize(
    ("period", "inputs", "line", "expected"),
    [
        ("2026", {"F.1.1": "10000000"}, "F.1.6", "84000.00"),  # 从价, 30% deduction
        ("2026H1", {"F.1.1": "10000000"}, "F.1.6", "42000.00"),
        ("2026", {"F.2.1": "600000"}, "F.2.6", "72000.00"),  # 从租 12%
        ("2026", {"L.1.1": "2000", "L.1.2": "6"}, "L.1.4", "12000.00"),
        ("2026Q1", {"L.1.1": "2000", "L.1.2": "6"}, "L.1.4", "3000.00"),
        ("2026Q3", {"Y.3.1": "1200000"}, "Y.3.3", "360.00"),  # 买卖合同 0.3‰
        ("2026Q3", {"Y.3.1": "1200000", "H.six_two": "是"}, "P.1.4", "180.00"),  # halved
        ("2026Q3", {"Y.14.1": "6000000"}, "Y.14.3", "1500.00"),  # 营业账簿 0.25‰ of 500万+100万
        ("2026Q3", {"Y.8.1": "120000"}, "Y.8.3", "120.00"),  # 租赁合同 1‰
    ],
)
def test_property_and_behaviour_taxes_match_the_vectors(
    period: str, inputs: dict[str, str], line: str, expected: str
) -> None:
    result = compute(PROPERTY_BEHAVIOUR, Period.parse(period), inputs)
    assert result.ok, result.messages()
    assert str(result.values[line]) == expected


def test_property_and_behaviour_main_table_sums_the_three_taxes() -> None:
    result = compute(
        PROPERTY_BEHAVIOUR,
        Period.parse("2026Q1"),
        {"Y.3.1": "1200000", "F.1.1": "10000000", "L.1.1": "2000", "L.1.2": "6"},
    )
    assert [str(result.values[f"P.{r}.4"]) for r in "1234"] == ["360.00", "21000.00", "3000.00", "24360.00"]


def test_bad_amounts_get_chinese_messages_naming_the_line() -> None:
    result = compute(
        VAT_GENERAL,
        Period.parse("2026-10"),
        {
            "T1.5.5": "-3",
            "T1.3.5": "一百",
            "M.28": "1.234",
            "M.15": "99999999999999",
            "T1.1.4": "77",
        },
    )
    assert result.errors["T1.5.5"] == "附列资料（一）第5行第5列“6%税率·未开具发票·销售额”：不能为负数"
    assert result.errors["T1.3.5"].endswith("：请填写数字")
    assert result.errors["M.28"] == "第28栏“①分次预缴税额”：金额最多保留两位小数（列至角分）"
    assert result.errors["M.15"].endswith("数值过大，请核对")
    assert result.errors["T1.1.4"].endswith("没有销售额却填写了税额")
    assert not result.ok


def test_computed_system_and_unknown_lines_cannot_be_posted() -> None:
    result = compute(VAT_GENERAL, Period.parse("2026-10"), {"M.34": "0", "M.13": "99999", "X.1": "5"})
    assert result.errors["M.34"] == "第34栏“本期应补（退）税额”：由系统计算，不能修改"
    assert result.errors["M.13"] == "第13栏“上期留抵税额”：由系统带出，不能修改"
    assert result.problems == ["表单中没有栏次“X.1”，请刷新页面后重新填写"]
    assert result.values["M.13"] == D("0.00")


def test_wrong_period_kind_and_period_text_are_refused() -> None:
    with pytest.raises(EngineError, match="按月申报"):
        compute(VAT_GENERAL, Period.parse("2026Q3"), {})
    with pytest.raises(PeriodError, match="格式不正确"):
        Period.parse("2026-13x")
    with pytest.raises(PeriodError, match="月份不正确"):
        Period.parse("2026-13")


def test_a_period_without_policy_data_is_refused_clearly() -> None:
    with pytest.raises(policy.PolicyMissing, match="没有适用于 2028-03-31 的取值"):
        policy.value("vat.small.reduced_rate", dt.date(2028, 3, 31))
    assert policy.optional("six_two.halving", dt.date(2028, 3, 31)) is None


def test_overlapping_policy_entries_are_refused() -> None:
    text = """
[[param]]
key = "x"
value = "1"
from = 2023-01-01
[[param]]
key = "x"
value = "2"
from = 2024-01-01
"""
    with pytest.raises(ValueError, match="overlap"):
        policy.parse_policy(text)


def test_zero_return_is_recognised() -> None:
    assert is_zero_return(VAT_GENERAL, compute(VAT_GENERAL, Period.parse("2026-10"), {}))
    assert not is_zero_return(VAT_GENERAL, compute(VAT_GENERAL, Period.parse("2026-10"), {"T1.5.5": "1"}))


def test_forms_are_found_by_code_or_short_name() -> None:
    assert form_named("vat-general") is VAT_GENERAL
    assert form_named("bda0610610") is VAT_SMALL
    with pytest.raises(EngineError, match="没有申报表"):
        form_named("nope")


def test_etax_forms_compute_prints_every_line_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line reproduces §2.3 from a JSON file, through the plugin's etax_cli_commands hook."""
    from etax.cli import main

    source = tmp_path / "october.json"
    source.write_text(
        json.dumps(
            {"T1.1.1": "1000000", "T1.1.2": "130000", "T2.2.t": "80000", "T2.23b.t": "2000", "M.13": "10000"}
        ),
        encoding="utf-8",
    )
    assert main(["forms", "compute", "vat-general", "--period", "2026-10", "--input", str(source)]) == 0
    output = json.loads(capsys.readouterr().out)
    lines = {line["code"]: line for line in output["lines"]}
    assert output["form"] == "BDA0610606" and output["ok"] is True
    assert len(lines) == len(VAT_GENERAL.lines)
    assert lines["M.34"] == {
        "code": "M.34",
        "no": "34",
        "label": "本期应补（退）税额",
        "kind": "计算",
        "value": "42000.00",
        "error": "",
    }
    assert [lines[c]["value"] for c in ("M.39", "M.40", "M.41")] == ["2940.00", "1260.00", "840.00"]


def test_etax_forms_compute_reports_problems_and_bad_requests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from etax.cli import main

    source = tmp_path / "bad.json"
    source.write_text(json.dumps({"A.3": "-5", "A.9": "abc"}), encoding="utf-8")
    assert main(["forms", "compute", "cit", "--period", "2026Q1", "--input", str(source)]) == 1
    output = json.loads(capsys.readouterr().out)
    errors = {line["code"]: line["error"] for line in output["lines"] if line["error"]}
    assert errors["A.9"] == "第9栏“减：弥补以前年度亏损”：请填写数字"
    assert main(["forms", "compute", "cit", "--period", "2026-13", "--input", str(source)]) == 2
    assert "月份不正确" in capsys.readouterr().err
    assert main(["forms", "compute", "vat-general", "--period", "2026Q1", "--input", str(source)]) == 2
    assert "按月申报" in capsys.readouterr().err
