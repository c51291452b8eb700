"""Money on invoices: tax rates, rounding to the fen, 含税/不含税 entry and amounts in Chinese capitals (大写).

Every amount is a ``Decimal``; tax is computed per line and rounded half-up to the fen (分), as the
数电发票 platform does.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from etax.platform import api

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_INVOICE_TOTAL = Decimal("9999999999.99")

# The rates (税率 / 征收率) a 数电发票 line may carry, as percentages.
RATES: tuple[Decimal, ...] = tuple(Decimal(p) for p in ("13", "9", "6", "5", "3", "1", "0"))
# 小规模纳税人 issue at 征收率 only (5 %, 3 %, 1 %, or 0 % for 免税).
SMALL_SCALE_RATES: frozenset[Decimal] = frozenset(Decimal(p) for p in ("5", "3", "1", "0"))


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


def capitals(value: Decimal) -> str:
    """An amount in Chinese capitals as printed on invoices (圆), e.g. ``1130.50`` → ``壹仟壹佰叁拾圆伍角整``."""
    return api.capitals(value, unit="圆")
