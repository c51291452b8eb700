"""Refund claims the bureau approves (一般退（抵）税管理, 出口退税管理): a new module of the ledger.

The bureau's approval of a claim becomes a ``ledger_credit`` of the claim's kind (误收多缴税款, 增值税留抵
退税, 出口退税) that is used at once 先抵后退 (:func:`etax.platform.ledger.service.use_credit`): it
offsets the taxpayer's 欠税 first and the rest is refunded to the bank (国库处理完成). Every grant is keyed
by the claim's reference (the application number), so a replayed decision grants nothing twice.

- 误收多缴退抵税 (征管法 第51条): :func:`refundable_declarations` lists the paid returns whose latest
  payment lies within three years; :func:`check_overpayment` refuses an amount above what was paid and
  not yet claimed, or a payment older than three years; :func:`grant_overpayment` writes the credit.
- 增值税留抵退税 (财政部 税务总局公告2022年第14号): :func:`retained_credit` is the 期末留抵税额 (line 20)
  of the latest general VAT return; :func:`check_retained` applies the conditions (一般纳税人, 纳税信用
  A or B, the amount ≤ 期末留抵 × 进项构成比例); :func:`grant_retained` writes the credit.
- 出口退税: :func:`grant_export` writes the approved refund.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec

from etax.platform import clock
from etax.platform.ledger.service import (
    declaration_by_number,
    declaration_lines,
    refunds,
    taxpayer_kind,
    use_credit,
)
from etax.platform.ledger.tables import (
    LedgerCredit,
    LedgerDeclaration,
    LedgerPayment,
    LedgerPaymentItem,
    LedgerRefund,
)
from etax.platform.ledger.types import (
    CreditKind,
    Declaration,
    LedgerError,
    PaymentStatus,
    Refund,
    RefundKind,
    RefundStatus,
    TaxpayerKind,
    TaxType,
    from_fen,
    money,
    to_fen,
)

CLAIM_YEARS = 3
"""误收多缴: the taxpayer may claim within three years of the payment (征管法 第51条)."""
VAT_GENERAL_FORM = "BDA0610606"
RETAINED_LINE = "M.20"  # 期末留抵税额, line 20 of the general VAT return's main table


class RefundableDeclaration(msgspec.Struct, frozen=True, kw_only=True):
    """A paid return that a 误收多缴 claim may name: paid, last paid on, already claimed, claimable."""

    declaration_id: int
    number: str
    tax_type: TaxType
    period_start: dt.date
    period_end: dt.date
    paid: Decimal
    paid_on: dt.date
    claimed: Decimal

    @property
    def claimable(self) -> Decimal:
        return money(self.paid - self.claimed)


def claim_deadline(paid_on: dt.date) -> dt.date:
    """The last day a claim on a payment made on ``paid_on`` may be filed (three years later)."""
    try:
        return paid_on.replace(year=paid_on.year + CLAIM_YEARS)
    except ValueError:  # 29 February
        return paid_on.replace(year=paid_on.year + CLAIM_YEARS, day=28)


async def _claimed_fen(declaration_id: int) -> int:
    rows = await LedgerCredit.select(LedgerCredit.amount_fen).where(
        (LedgerCredit.source_declaration == declaration_id)
        & LedgerCredit.kind.is_in([CreditKind.MISCOLLECTED.value, CreditKind.OVERPAID.value])
    )
    return sum(int(r["amount_fen"]) for r in rows)


async def _last_paid_on(declaration_id: int) -> dt.date | None:
    rows = await LedgerPaymentItem.select(LedgerPaymentItem.payment.paid_on).where(
        (LedgerPaymentItem.declaration == declaration_id)
        & (LedgerPaymentItem.payment.status == PaymentStatus.SUCCEEDED.value)
    )
    days = [r["payment.paid_on"] for r in rows if r["payment.paid_on"] is not None]
    return max(days) if days else None


async def _refundable(found: Declaration, today: dt.date) -> RefundableDeclaration | None:
    if found.paid <= 0:
        return None
    paid_on = await _last_paid_on(found.id)
    if paid_on is None or claim_deadline(paid_on) < today:
        return None
    return RefundableDeclaration(
        declaration_id=found.id,
        number=found.number,
        tax_type=found.tax_type,
        period_start=found.period_start,
        period_end=found.period_end,
        paid=found.paid,
        paid_on=paid_on,
        claimed=from_fen(await _claimed_fen(found.id)),
    )


async def refundable_declarations(taxpayer_id: int) -> list[RefundableDeclaration]:
    """The taxpayer's paid returns whose latest payment lies within three years, newest first."""
    today = clock.today()
    since = today.replace(year=today.year - CLAIM_YEARS) - dt.timedelta(days=1)
    rows = await LedgerPayment.select(LedgerPayment.id).where(
        (LedgerPayment.taxpayer == taxpayer_id)
        & (LedgerPayment.status == PaymentStatus.SUCCEEDED.value)
        & (LedgerPayment.paid_on >= since)
    )
    payment_ids = [int(r["id"]) for r in rows]
    if not payment_ids:
        return []
    items = await LedgerPaymentItem.select(LedgerPaymentItem.declaration.number).where(
        LedgerPaymentItem.payment.is_in(payment_ids)
    )
    found: list[RefundableDeclaration] = []
    for number in sorted({str(i["declaration.number"]) for i in items}, reverse=True):
        declaration = await declaration_by_number(taxpayer_id, number)
        if declaration is None:
            continue
        item = await _refundable(declaration, today)
        if item is not None and item.claimable > 0:
            found.append(item)
    return found


async def check_overpayment(taxpayer_id: int, number: str, amount: Decimal) -> RefundableDeclaration:
    """The paid return ``number`` of the taxpayer if ``amount`` may be claimed on it; else LedgerError."""
    found = await declaration_by_number(taxpayer_id, number.strip())
    if found is None:
        raise LedgerError("未找到该申报序号对应的本单位申报记录")
    if found.paid <= 0:
        raise LedgerError("该申报尚未缴款，不能申请误收多缴退抵税")
    paid_on = await _last_paid_on(found.id)
    if paid_on is None:
        raise LedgerError("该申报尚未缴款，不能申请误收多缴退抵税")
    today = clock.today()
    if claim_deadline(paid_on) < today:
        raise LedgerError(
            f"该税款于{paid_on:%Y年%m月%d日}缴纳，已超过自结算缴纳税款之日起三年的申请期限（征管法第五十一条）"
        )
    item = await _refundable(found, today)
    assert item is not None
    amount = money(amount)
    if amount <= 0:
        raise LedgerError("申请退抵税额应大于零")
    if amount > item.claimable:
        raise LedgerError(f"申请退抵税额超过该申报已缴且未申请退抵的金额（{item.claimable}元）")
    return item


async def _already(taxpayer_id: int, key: str) -> list[Refund]:
    return [r for r in await refunds(taxpayer_id) if r.key.split("#")[0] == key]


async def _grant(
    taxpayer_id: int,
    *,
    kind: CreditKind,
    tax_type: TaxType,
    amount: Decimal,
    source_declaration_id: int | None,
    key: str,
    by: str,
) -> list[Refund]:
    done = await _already(taxpayer_id, key)
    if done:
        return done
    fen = to_fen(amount)
    if fen <= 0:
        raise LedgerError("退税额应大于零")
    rows = await LedgerCredit.insert(
        LedgerCredit(
            taxpayer=taxpayer_id,
            tax_type=tax_type.value,
            kind=kind.value,
            source_declaration=source_declaration_id,
            amount_fen=fen,
            remaining_fen=fen,
        )
    ).returning(LedgerCredit.id)
    created = await use_credit(taxpayer_id, int(rows[0]["id"]), from_fen(fen), key=key, requested_by=by)
    refunded = [r.id for r in created if r.kind is RefundKind.REFUND]
    if refunded:  # approved by the bureau: the 税收收入退还书 goes to the treasury, which pays at once here
        await LedgerRefund.update({LedgerRefund.status: RefundStatus.DONE.value}).where(
            LedgerRefund.id.is_in(refunded)
        )
    return await _already(taxpayer_id, key)


async def grant_overpayment(
    taxpayer_id: int, number: str, amount: Decimal, *, key: str, by: str
) -> list[Refund]:
    """An approved 误收多缴退抵税: credit ``amount`` of return ``number``, offset 欠税 first, refund the rest."""
    done = await _already(taxpayer_id, key)
    if done:
        return done
    item = await check_overpayment(taxpayer_id, number, amount)
    return await _grant(
        taxpayer_id,
        kind=CreditKind.MISCOLLECTED,
        tax_type=item.tax_type,
        amount=amount,
        source_declaration_id=item.declaration_id,
        key=key,
        by=by,
    )


class RetainedCredit(msgspec.Struct, frozen=True, kw_only=True):
    """期末留抵税额 of the latest general VAT return, and that return."""

    amount: Decimal
    declaration_number: str
    period_start: dt.date
    period_end: dt.date
    already_refunded: Decimal

    @property
    def available(self) -> Decimal:
        return money(max(Decimal(0), self.amount - self.already_refunded))


async def retained_credit(taxpayer_id: int) -> RetainedCredit | None:
    """The 期末留抵税额 (line 20) of the latest filed general VAT return, less what was refunded since."""
    row = (
        await LedgerDeclaration.select(LedgerDeclaration.id, LedgerDeclaration.number)
        .where(
            (LedgerDeclaration.taxpayer == taxpayer_id)
            & (LedgerDeclaration.tax_type == TaxType.VAT.value)
            & (LedgerDeclaration.form_code == VAT_GENERAL_FORM)
            & (LedgerDeclaration.status == "filed")
        )
        .order_by(LedgerDeclaration.period_end, ascending=False)
        .first()
    )
    if row is None:
        return None
    found = await declaration_by_number(taxpayer_id, str(row["number"]))
    lines = await declaration_lines(taxpayer_id, int(row["id"]))
    if found is None or lines is None:
        return None
    try:
        amount = money(Decimal(str(lines.lines.get(RETAINED_LINE, "0")) or "0"))
    except ArithmeticError:
        amount = Decimal("0.00")
    refunded = await LedgerCredit.select(LedgerCredit.amount_fen).where(
        (LedgerCredit.taxpayer == taxpayer_id)
        & (LedgerCredit.kind == CreditKind.RETAINED.value)
        & (LedgerCredit.source_declaration == found.id)
    )
    return RetainedCredit(
        amount=amount,
        declaration_number=found.number,
        period_start=found.period_start,
        period_end=found.period_end,
        already_refunded=from_fen(sum(int(r["amount_fen"]) for r in refunded)),
    )


async def check_retained(
    taxpayer_id: int, amount: Decimal, ratio_percent: Decimal, credit_level: str | None
) -> RetainedCredit:
    """The conditions of 留抵退税 (公告2022年第14号, simplified); the retained credit, or LedgerError."""
    if await taxpayer_kind(taxpayer_id) is not TaxpayerKind.GENERAL:
        raise LedgerError("增值税留抵退税仅限增值税一般纳税人申请")
    if credit_level not in ("A", "B"):
        shown = credit_level or "未评价"
        raise LedgerError(f"纳税信用级别为{shown}，留抵退税须纳税信用级别为A级或者B级")
    retained = await retained_credit(taxpayer_id)
    if retained is None or retained.available <= 0:
        raise LedgerError("最近一期增值税申报表第20栏“期末留抵税额”为零，没有可退还的留抵税额")
    if not Decimal(0) < ratio_percent <= Decimal(100):
        raise LedgerError("进项构成比例应大于0且不超过100%")
    allowed = money(retained.available * ratio_percent / 100)
    if money(amount) <= 0:
        raise LedgerError("申请退还的留抵税额应大于零")
    if money(amount) > allowed:
        raise LedgerError(
            f"申请退还的留抵税额超过允许退还的金额：期末留抵税额{retained.available}元×进项构成比例"
            f"{ratio_percent}%={allowed}元"
        )
    return retained


async def grant_retained(
    taxpayer_id: int, amount: Decimal, ratio_percent: Decimal, credit_level: str | None, *, key: str, by: str
) -> list[Refund]:
    """An approved 增值税留抵退税 (先抵后退)."""
    done = await _already(taxpayer_id, key)
    if done:
        return done
    retained = await check_retained(taxpayer_id, amount, ratio_percent, credit_level)
    found = await declaration_by_number(taxpayer_id, retained.declaration_number)
    return await _grant(
        taxpayer_id,
        kind=CreditKind.RETAINED,
        tax_type=TaxType.VAT,
        amount=amount,
        source_declaration_id=None if found is None else found.id,
        key=key,
        by=by,
    )


async def grant_export(taxpayer_id: int, amount: Decimal, *, key: str, by: str) -> list[Refund]:
    """An approved 出口退税 (免抵退税申报): credited and refunded 先抵后退."""
    return await _grant(
        taxpayer_id,
        kind=CreditKind.EXPORT,
        tax_type=TaxType.VAT,
        amount=amount,
        source_declaration_id=None,
        key=key,
        by=by,
    )


async def granted(taxpayer_id: int, key: str) -> list[Refund]:
    """What the claim ``key`` granted (offsets and refunds), empty before approval."""
    return await _already(taxpayer_id, key)


def describe(refund: Refund) -> dict[str, Any]:
    """A refund as a page shows it."""
    return {
        "kind": refund.kind.label,
        "amount": refund.amount,
        "status": refund.status.label,
        "at": refund.requested_at,
    }
