"""Ledger records written by the bureau's decisions on 综合信息报告 and read by queries and checks.

Plugins use it as ``from etax.platform.api import ledger_records``:

- reported bank accounts (存款账户账号报告): :func:`report_bank_account`, :func:`bank_accounts`,
  :func:`close_bank_account` — the accounts 三方协议 and refunds choose from;
- 备案 on record (财务会计制度及核算软件备案, 停业 …): :func:`record_filing`, :func:`filings`;
- VAT type changes with their registrations (增值税一般纳税人登记): :func:`become_general`;
- ending every registration (注销): :func:`end_all_registrations`;
- what stands in the way of 清税 and 无欠税证明: :func:`outstanding` (unfiled returns, unpaid tax).

Refusals raise :class:`~etax.platform.ledger.types.LedgerError` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import msgspec

from etax.platform import clock
from etax.platform.db.integrity import is_unique_violation, write_transaction
from etax.platform.ledger.records_tables import LedgerBankAccount, LedgerFiling
from etax.platform.ledger.service import (
    end_registration,
    obligations,
    register_tax,
    registrations,
    set_taxpayer_kind,
    unpaid,
)
from etax.platform.ledger.tables import LedgerRegistration
from etax.platform.ledger.types import (
    LedgerError,
    ObligationStatus,
    PeriodKind,
    Registration,
    TaxpayerKind,
    TaxType,
)

VAT_AND_SURCHARGES = frozenset(
    {TaxType.VAT, TaxType.URBAN_CONSTRUCTION, TaxType.EDUCATION, TaxType.LOCAL_EDUCATION}
)


class BankAccount(msgspec.Struct, frozen=True, kw_only=True):
    """A reported bank account."""

    id: int
    taxpayer_id: int
    bank_code: str
    bank_name: str
    account_number: str
    account_name: str
    account_type: str
    opened_on: dt.date
    closed_on: dt.date | None
    reference: str

    @property
    def open(self) -> bool:
        return self.closed_on is None


class Filing(msgspec.Struct, frozen=True, kw_only=True):
    """A 备案 on record."""

    id: int
    taxpayer_id: int
    kind: str
    title: str
    detail: dict[str, str]
    valid_from: dt.date
    valid_to: dt.date | None
    reference: str


class Outstanding(msgspec.Struct, frozen=True, kw_only=True):
    """What the taxpayer still owes the bureau: unfiled returns and unpaid tax (one Chinese line each)."""

    unfiled: list[str]  # every period ended and not filed
    overdue: list[str]  # of those, the ones past their deadline (逾期未申报)
    unpaid: list[str]  # every amount filed and not paid
    arrears: list[str]  # of those, the ones past their payment deadline (欠税)

    @property
    def clear(self) -> bool:
        return not self.unfiled and not self.unpaid


def _account(row: dict[str, Any]) -> BankAccount:
    return BankAccount(
        id=int(row["id"]),
        taxpayer_id=int(row["taxpayer"]),
        bank_code=row["bank_code"],
        bank_name=row["bank_name"],
        account_number=row["account_number"],
        account_name=row["account_name"],
        account_type=row["account_type"],
        opened_on=row["opened_on"],
        closed_on=row["closed_on"],
        reference=row["reference"],
    )


async def report_bank_account(
    taxpayer_id: int,
    *,
    bank_code: str,
    bank_name: str,
    account_number: str,
    account_name: str,
    account_type: str,
    opened_on: dt.date,
    reference: str = "",
) -> BankAccount:
    """Record a reported account; the same open account reported again is refused."""
    try:
        rows = await LedgerBankAccount.insert(
            LedgerBankAccount(
                taxpayer=taxpayer_id,
                bank_code=bank_code,
                bank_name=bank_name,
                account_number=account_number,
                account_name=account_name,
                account_type=account_type,
                opened_on=opened_on,
                reference=reference,
                reported_at=clock.utcnow(),
                live_key=f"{taxpayer_id}:{account_number}",
            )
        ).returning(*LedgerBankAccount.all_columns())
    except Exception as error:
        if is_unique_violation(error):
            raise LedgerError(f"账号{account_number}已报告，无需重复报告") from error
        raise
    return _account(rows[0])


async def bank_accounts(taxpayer_id: int, *, open_only: bool = False) -> list[BankAccount]:
    """The taxpayer's reported accounts, oldest first."""
    rows = (
        await LedgerBankAccount.select()
        .where(LedgerBankAccount.taxpayer == taxpayer_id)
        .order_by(LedgerBankAccount.id)
    )
    found = [_account(r) for r in rows]
    return [a for a in found if a.open] if open_only else found


async def close_bank_account(taxpayer_id: int, account_id: int, closed_on: dt.date) -> BankAccount:
    """Mark a reported account closed (销户)."""
    rows = (
        await LedgerBankAccount.update(
            {LedgerBankAccount.closed_on: closed_on, LedgerBankAccount.live_key: None}
        )
        .where(
            (LedgerBankAccount.id == account_id)
            & (LedgerBankAccount.taxpayer == taxpayer_id)
            & (LedgerBankAccount.closed_on.is_null())
        )
        .returning(*LedgerBankAccount.all_columns())
    )
    if not rows:
        raise LedgerError("未找到该存款账户")
    return _account(rows[0])


def _filing(row: dict[str, Any]) -> Filing:
    detail = json.loads(row["detail"] or "{}")
    return Filing(
        id=int(row["id"]),
        taxpayer_id=int(row["taxpayer"]),
        kind=row["kind"],
        title=row["title"],
        detail={str(k): str(v) for k, v in detail.items()},
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        reference=row["reference"],
    )


async def record_filing(
    taxpayer_id: int,
    kind: str,
    title: str,
    detail: dict[str, str],
    valid_from: dt.date,
    *,
    valid_to: dt.date | None = None,
    reference: str,
) -> Filing:
    """Record a 备案 (idempotent per kind and reference: a replay returns the record on file)."""
    key = f"{taxpayer_id}:{kind}:{reference}"
    existing = await LedgerFiling.select().where(LedgerFiling.key == key).first()
    if existing is not None:
        return _filing(existing)
    try:
        rows = await LedgerFiling.insert(
            LedgerFiling(
                taxpayer=taxpayer_id,
                kind=kind,
                title=title,
                detail=json.dumps(detail, ensure_ascii=False, separators=(",", ":")),
                valid_from=valid_from,
                valid_to=valid_to,
                reference=reference,
                recorded_at=clock.utcnow(),
                key=key,
            )
        ).returning(*LedgerFiling.all_columns())
    except Exception as error:
        if not is_unique_violation(error):
            raise
        again = await LedgerFiling.select().where(LedgerFiling.key == key).first()
        assert again is not None
        return _filing(again)
    return _filing(rows[0])


async def filings(taxpayer_id: int, kind: str | None = None) -> list[Filing]:
    """The taxpayer's 备案 (of one kind when given), newest first."""
    query = LedgerFiling.select().where(LedgerFiling.taxpayer == taxpayer_id)
    if kind is not None:
        query = query.where(LedgerFiling.kind == kind)
    return [_filing(r) for r in await query.order_by(LedgerFiling.id, ascending=False)]


async def become_general(taxpayer_id: int, effective_from: dt.date, *, reference: str) -> list[Registration]:
    """增值税一般纳税人登记: the type changes from ``effective_from`` (the first of a month) and the
    VAT and surcharge registrations filed quarterly end the day before; they are filed monthly from then.

    Returns the new monthly registrations. A replay (already monthly from that day) changes nothing.
    """
    if effective_from.day != 1:
        raise LedgerError("一般纳税人生效之日应为某月1日")
    await set_taxpayer_kind(taxpayer_id, TaxpayerKind.GENERAL, effective_from, reference=reference)
    created: list[Registration] = []
    async with write_transaction(LedgerRegistration):
        current = [
            r
            for r in await registrations(taxpayer_id)
            if r.tax_type in VAT_AND_SURCHARGES and (r.valid_to is None or r.valid_to >= effective_from)
        ]
        monthly = {
            r.tax_type
            for r in current
            if r.period_kind is PeriodKind.MONTH and r.valid_from <= effective_from
        }
        for reg in current:
            if reg.period_kind is PeriodKind.MONTH:
                continue
            await end_registration(taxpayer_id, reg.id, effective_from - dt.timedelta(days=1))
        wanted = {r.tax_type for r in current} | {TaxType.VAT}
        for tax in sorted(wanted - monthly, key=lambda t: t.value):
            item = next((r.item for r in current if r.tax_type is tax), "")
            created.append(await register_tax(taxpayer_id, tax, PeriodKind.MONTH, effective_from, item=item))
    return created


async def end_all_registrations(taxpayer_id: int, on: dt.date) -> int:
    """注销: every registration still running after ``on`` ends that day. Returns how many ended."""
    ended = 0
    for reg in await registrations(taxpayer_id):
        if reg.valid_to is None or reg.valid_to > on:
            await end_registration(taxpayer_id, reg.id, max(on, reg.valid_from))
            ended += 1
    return ended


async def outstanding(taxpayer_id: int, on: dt.date | None = None) -> Outstanding:
    """Returns not filed (应申报未申报, periods ended before ``on``) and tax not paid, as Chinese lines."""
    day = on or clock.today()
    open_items = [
        o
        for o in await obligations(taxpayer_id, dt.date(2000, 1, 1), day)
        if o.status is not ObligationStatus.FILED
    ]
    unfiled = [
        f"{o.tax_type.label} {o.period_start:%Y-%m-%d}至{o.period_end:%Y-%m-%d} 未申报（申报期限{o.deadline:%Y-%m-%d}）"
        for o in open_items
    ]
    overdue = [
        line for o, line in zip(open_items, unfiled, strict=True) if o.status is ObligationStatus.OVERDUE
    ]
    owed = await unpaid(taxpayer_id, day)
    unpaid_lines = [
        f"{item.declaration.tax_type.label} {item.declaration.period_start:%Y-%m-%d}至"
        f"{item.declaration.period_end:%Y-%m-%d} 未缴税款{item.amount:,.2f}元"
        for item in owed
    ]
    arrears_lines = [line for item, line in zip(owed, unpaid_lines, strict=True) if item.in_arrears]
    return Outstanding(unfiled=unfiled, overdue=overdue, unpaid=unpaid_lines, arrears=arrears_lines)
