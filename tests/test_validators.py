"""Identifier check digits, with the vectors of docs/domain/etax-domain-facts.md §4."""

from __future__ import annotations

import pytest

from etax.platform.coresys.validators import (
    id_check_digit,
    normalise_code,
    resident_id_problem,
    tin_problem,
    uscc_check_char,
    uscc_problem,
)


def test_uscc_standard_example() -> None:
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert uscc_problem("91350100M000100Y43") is None


def test_uscc_wrong_check_character_is_explained() -> None:
    assert uscc_problem("91350100M000100Y44") == "统一社会信用代码校验位不正确，请核对后重新输入"


def test_uscc_forbidden_letters_and_length() -> None:
    assert "不使用I、O、S、V、Z" in (uscc_problem("91350100M000100O43") or "")
    assert uscc_problem("9135010") == "统一社会信用代码应为18位"


def test_real_code_that_fails_the_check_is_accepted_by_explicit_override() -> None:
    assert uscc_check_char("91350203M0001QAY9") != "B"
    assert uscc_problem("91350203M0001QAY9B") is None


def test_tin_accepts_legacy_15_and_20_character_numbers() -> None:
    assert tin_problem("210102123456789") is None
    assert tin_problem("21010212345678901234") is None
    assert tin_problem("") == "请输入纳税人识别号"
    assert tin_problem("12345") == "纳税人识别号应为15位、18位或20位数字或大写字母"


def test_normalise_folds_full_width_and_case() -> None:
    assert normalise_code(" ９１３５０１００ｍ000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_valid_resident_ids(number: str) -> None:
    assert resident_id_problem(number) is None


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "居民身份证号码校验位不正确，请核对后重新输入"),
        ("110105194902300028", "居民身份证号码中的出生日期不正确"),
        ("11010519491231002x", "居民身份证号码前17位应为数字，末位为数字或大写X"),
        ("1101051949", "居民身份证号码应为18位"),
    ],
)
def test_invalid_resident_ids(number: str, message: str) -> None:
    assert resident_id_problem(number) == message


def test_id_check_digit() -> None:
    assert id_check_digit("11010519491231002") == "X"


def test_pdf_with_chinese_text_and_a_qr_code() -> None:
    """The platform's PDF helper embeds the CJK font (a subset) and a QR code image."""
    from etax.platform.pdf import new_pdf, pdf_bytes, qr_png

    pdf = new_pdf()
    pdf.add_page()
    pdf.cell(text="税收完税证明 价税合计（大写）壹佰圆整")
    pdf.image(qr_png("https://etax.example/verify?code=ABC123"), w=30)
    data = pdf_bytes(pdf)
    assert data.startswith(b"%PDF") and b"NotoSansCJK" in data
    assert len(data) < 200_000


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        ("42210.50", "元", "肆万贰仟贰佰壹拾元伍角整"),
        ("42000", "元", "肆万贰仟元整"),
        ("1130.50", "圆", "壹仟壹佰叁拾圆伍角整"),
        ("12359.99", "圆", "壹万贰仟叁佰伍拾玖圆玖角玖分"),
        ("-5650", "圆", "负伍仟陆佰伍拾圆整"),
        ("100000.05", "元", "壹拾万元零伍分"),
        ("1005", "元", "壹仟零伍元整"),
        ("100010000", "元", "壹亿零壹万元整"),
        ("0", "元", "零元整"),
        ("0.4", "元", "肆角整"),
    ],
)
def test_amounts_in_chinese_capitals(amount: str, unit: str, expected: str) -> None:
    """One 大写 for certificates (元) and invoices (圆), with 零 where units are skipped."""
    from decimal import Decimal

    from etax.platform.money import capitals

    assert capitals(Decimal(amount), unit=unit) == expected
