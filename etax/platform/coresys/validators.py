"""Identifier check digits: 统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt
import re

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
LEGACY_TIN_PATTERN = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-Z]{20}$")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")

# Real codes in use that fail the check character; accepted explicitly (see docs/domain/etax-domain-facts.md §4.1).
USCC_OVERRIDES: frozenset[str] = frozenset({"91350203M0001QAY9B"})


def normalise_code(text: str) -> str:
    """Upper-case and strip a typed identifier (full-width characters folded)."""
    folded = "".join(chr(ord(ch) - 0xFEE0) if "！" <= ch <= "～" else ch for ch in text)
    return folded.strip().upper()


def uscc_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 whose first 17 characters are given."""
    total = sum(USCC_CHARSET.index(ch) * weight for ch, weight in zip(first17, USCC_WEIGHTS, strict=True))
    value = 31 - total % 31
    return USCC_CHARSET[0 if value == 31 else value]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码, or None when it is."""
    if len(code) != 18:
        return "统一社会信用代码应为18位"
    if not USCC_PATTERN.match(code):
        return "统一社会信用代码含有不允许的字符（不使用I、O、S、V、Z）"
    if code in USCC_OVERRIDES:
        return None
    if uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确，请核对后重新输入"
    return None


def tin_problem(tin: str) -> str | None:
    """Why ``tin`` is not a valid 纳税人识别号 (18-character USCC, or a legacy 15/20-character number)."""
    if not tin:
        return "请输入纳税人识别号"
    if len(tin) == 18:
        return uscc_problem(tin)
    if LEGACY_TIN_PATTERN.match(tin):
        return None
    return "纳税人识别号应为15位、18位或20位数字或大写字母"


def id_check_digit(first17: str) -> str:
    """The check character of an 18-digit 居民身份证号码."""
    total = sum(int(ch) * weight for ch, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def resident_id_problem(number: str) -> str | None:
    """Why ``number`` is not a valid 居民身份证号码, or None when it is."""
    if len(number) != 18:
        return "居民身份证号码应为18位"
    if not ID_PATTERN.match(number):
        return "居民身份证号码前17位应为数字，末位为数字或大写X"
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期不正确"
    if id_check_digit(number[:17]) != number[17]:
        return "居民身份证号码校验位不正确，请核对后重新输入"
    return None


def lookup_code_problem(code: str) -> str | None:
    """Why ``code`` is neither a 纳税人识别号 nor a 居民身份证号码 (the public queries accept both:
    individual businesses and natural persons are looked up by their ID number)."""
    if not code:
        return "请输入统一社会信用代码（纳税人识别号）；个体工商户、自然人可输入居民身份证号码"
    if len(code) == 18 and code[:17].isdigit():
        if resident_id_problem(code) is None or uscc_problem(code) is None:
            return None
        return "号码校验位不正确，请核对18位统一社会信用代码（纳税人识别号）或18位居民身份证号码"
    return tin_problem(code)


def is_resident_id(code: str) -> bool:
    return resident_id_problem(code) is None
