"""Money on invoices: tax rates, rounding to the fen, 含税/不含税 entry and amounts in Chinese capitals (大写).

Every amount is a ``Decimal``; tax is computed per line and rounded half-up to the fen (分), as the
数电发票 platform does.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_INVOICE_TOTAL = Decimal("9999999999.99")

# The rates (税率 / 征收率) a 数电发票 line may carry, as percentages.
RATES: tuple[Decimal, ...] = tuple(Decimal(p) for p in ("13", "9", "6", "5", "3", "1", "0"))
# 小规模纳税人 issue at 征收率 only (5 %, 3 %, 1 %, or 0 % for 免税).
SMALL_SCALE_RATES: frozenset[Decimal] = frozenset(Decimal(p) for p in ("5", "3", "1", "0"))

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
SECTIONS = ("", "万", "亿", "万亿")


def fen(value: Decimal) -> Decimal:
    """``value`` rounded half-up to the fen."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def rate_label(rate: Decimal) -> str:
    """``13`` → ``13%``; ``0`` → ``免税`` is not assumed: 0 % shows as ``0%``."""
    return f"{rate.normalize():f}%"


def split_inclusive(total: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """A tax-inclusive line amount split into (金额, 税额): tax = total − total/(1+rate), to the fen."""
    amount = fen(total / (Decimal(1) + rate / 100))
    return amount, fen(total) - amount


def line_tax(amount: Decimal, rate: Decimal) -> Decimal:
    """The tax of a tax-exclusive line amount, rounded to the fen."""
    return fen(amount * rate / 100)


def _four_digits(number: int) -> str:
    """Capitals of 0 < number < 10000, with 零 where a unit is skipped inside."""
    text = ""
    zero_pending = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            if text:
                zero_pending = True
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += DIGITS[digit] + UNITS[position]
    return text


def capitals(value: Decimal) -> str:
    """An amount in Chinese capitals as printed on invoices, e.g. ``1130.50`` → ``壹仟壹佰叁拾圆伍角``.

    Negative amounts (red-letter invoices) start with 负; whole amounts end with 整.
    """
    value = fen(value)
    prefix = "负" if value < 0 else ""
    value = abs(value)
    yuan = int(value)
    cents = int((value - yuan) * 100)
    jiao, fen_digit = divmod(cents, 10)
    text = ""
    if yuan:
        sections: list[int] = []
        rest = yuan
        while rest:
            sections.append(rest % 10000)
            rest //= 10000
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
        text = "".join(parts) + "圆"
    if not jiao and not fen_digit:
        return prefix + (text or "零圆") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen_digit:
        text += DIGITS[fen_digit] + "分"
    else:
        text += "整"
    return prefix + text
