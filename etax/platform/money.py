"""Money shown to people: amounts with thousands separators and amounts in Chinese capitals (大写).

One place for both, used by certificates (完税证明: 元) and invoices (数电发票: 圆) alike.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
SECTIONS = ("", "万", "亿", "万亿")


def format_money(value: Decimal | int | None) -> str:
    """Two decimal places with thousands separators: ``1,234,567.80`` (empty for ``None``)."""
    return "" if value is None else f"{Decimal(value):,.2f}"


def _four_digits(number: int) -> str:
    """Capitals of 0 < number < 10000, with 零 where a unit is skipped inside (e.g. 1005 → 壹仟零伍)."""
    text = ""
    zero_pending = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += DIGITS[digit] + UNITS[position]
    return text


def capitals(value: Decimal, *, unit: str = "元") -> str:
    """An amount in Chinese capitals, rounded to the fen: ``42210.50`` → ``肆万贰仟贰佰壹拾元伍角整``.

    ``unit`` is 元 (certificates) or 圆 (invoices). Negative amounts (red-letter invoices) start with
    负; an amount without 分 ends with 整; a skipped 角 reads 零 (``100000.05`` → ``壹拾万元零伍分``).
    """
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    prefix = "负" if value < 0 else ""
    value = abs(value)
    whole = int(value)
    jiao, fen = divmod(int((value - whole) * 100), 10)
    text = ""
    if whole:
        sections: list[int] = []
        while whole:
            sections.append(whole % 10000)
            whole //= 10000
        parts: list[str] = []
        need_zero = False
        for index in range(len(sections) - 1, -1, -1):
            section = sections[index]
            if section == 0:
                need_zero = bool(parts)
                continue
            if parts and (need_zero or section < 1000):
                parts.append("零")
            parts.append(_four_digits(section) + SECTIONS[index])
            need_zero = False
        text = "".join(parts) + unit
    if not jiao and not fen:
        return prefix + (text or "零" + unit) + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif text:
        text += "零"
    text += DIGITS[fen] + "分" if fen else "整"
    return prefix + text
