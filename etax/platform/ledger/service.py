"""The tax ledger service: every write is one of these typed, transactional functions.

Plugins call them through :mod:`etax.platform.api` (``api.ledger``). Reads are scoped by taxpayer:
a declaration id of another taxpayer is simply not found. Dates come from the platform clock,
deadlines from the platform calendar. Refusals raise :class:`LedgerError` with a Chinese message and
change nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from etax.platform import clock
from etax.platform.calendar.service import Calendar, calendar
from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.integrity import is_unique_violation, write_transaction
from etax.platform.ledger.bank import BankGateway, DebitRequest, VerifyRequest, bank_gateway
from etax.platform.ledger.tables import (
    LedgerAgreement,
    LedgerCounter,
    LedgerCredit,
    LedgerDeclaration,
    LedgerDeclarationData,
    LedgerExtension,
    LedgerFixedAmount,
    LedgerPayment,
    LedgerPaymentItem,
    LedgerRefund,
    LedgerRegistration,
    LedgerRelief,
    LedgerTaxEvent,
    LedgerTaxpayerKind,
)
from etax.platform.ledger.types import (
    LATE_FEE_RATE,
    Agreement,
    AgreementStatus,
    AlreadyFiled,
    Amounts,
    Channel,
    Credit,
    CreditKind,
    Declaration,
    DeclarationKind,
    DeclarationLines,
    DeclarationStatus,
    Extension,
    ExtensionKind,
    FilingRequest,
    FixedAmount,
    LateFee,
    LedgerError,
    Obligation,
    ObligationStatus,
    Payment,
    PaymentInProgress,
    PaymentItem,
    PaymentMethod,
    PaymentStatus,
    PeriodKind,
    Refund,
    RefundKind,
    RefundStatus,
    Registration,
    Relief,
    TaxEvent,
    TaxpayerKind,
    TaxpayerKindRecord,
    TaxType,
    UnpaidItem,
    from_fen,
    money,
    to_fen,
)

MAX_FEN = 10**15  # 10 万亿元: anything larger is a typo, not a tax


# --- periods and deadlines -----------------------------------------------------------------------


def period_of(kind: PeriodKind, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month, quarter or year containing ``day`` (for 按次: the day itself)."""
    if kind is PeriodKind.MONTH:
        start = day.replace(day=1)
    elif kind is PeriodKind.QUARTER:
        start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    elif kind is PeriodKind.YEAR:
        start = dt.date(day.year, 1, 1)
    else:
        return day, day
    return start, _period_end(kind, start)


def _period_end(kind: PeriodKind, start: dt.date) -> dt.date:
    months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[kind]
    month = start.month - 1 + months
    following = dt.date(start.year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def periods_between(kind: PeriodKind, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Every period of ``kind`` overlapping ``first``–``last`` (not for 按次)."""
    periods: list[tuple[dt.date, dt.date]] = []
    start, end = period_of(kind, first)
    while start <= last:
        periods.append((start, end))
        start = end + dt.timedelta(days=1)
        end = _period_end(kind, start)
    return periods


def statutory_deadline(
    cal: Calendar, tax_type: TaxType, kind: PeriodKind, period_start: dt.date, period_end: dt.date
) -> dt.date:
    """The legal filing deadline of a period, holiday extensions applied (no decisions).

    Month and quarter: the 15th of the next month, extended. Year: 企业所得税 31 May of the next year
    (汇算清缴); other annual taxes 15 days after the year. 按次: 15 days after the event.
    """
    if kind is PeriodKind.EVENT:
        return cal.extended(period_start + dt.timedelta(days=15))
    if kind is PeriodKind.YEAR and tax_type is TaxType.CIT:
        return cal.extended(dt.date(period_end.year + 1, 5, 31))
    return cal.period_deadline(period_end)


def late_fee(amount: Decimal, payment_deadline: dt.date, pay_day: dt.date) -> LateFee:
    """滞纳金: 0.05 % of ``amount`` per day from the day after ``payment_deadline`` to ``pay_day`` inclusive.

    >>> late_fee(Decimal("42000.00"), dt.date(2026, 3, 16), dt.date(2026, 3, 26))
    LateFee(days=10, fee=Decimal('210.00'))
    """
    days = max(0, (pay_day - payment_deadline).days)
    return LateFee(days=days, fee=money(money(amount) * LATE_FEE_RATE * days))


# --- conversions ------------------------------------------------------------------------------------


def _fk(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return int(value["id"])
    return int(value)


def _declaration(row: dict[str, Any]) -> Declaration:
    payable, paid = int(row["payable_fen"]), int(row["paid_fen"])
    return Declaration(
        id=int(row["id"]),
        number=row["number"],
        taxpayer_id=int(row["taxpayer"]),
        tax_type=TaxType(row["tax_type"]),
        form_code=row["form_code"],
        form_version=row["form_version"],
        period_kind=PeriodKind(row["period_kind"]),
        period_start=row["period_start"],
        period_end=row["period_end"],
        event_ref=row["event_ref"],
        kind=DeclarationKind(row["kind"]),
        status=DeclarationStatus(row["status"]),
        amounts=Amounts(
            income=from_fen(int(row["income_fen"])),
            tax=from_fen(int(row["tax_fen"])),
            relief=from_fen(int(row["relief_fen"])),
            prepaid=from_fen(int(row["prepaid_fen"])),
            payable=from_fen(payable),
            credit=from_fen(int(row["credit_fen"])),
        ),
        paid=from_fen(paid),
        outstanding=from_fen(payable - paid),
        deadline=row["deadline"],
        payment_deadline=row["payment_deadline"],
        late=bool(row["late"]),
        filed_at=row["filed_at"],
        filed_by=row["filed_by"],
        channel=Channel(row["channel"]),
        agency_taxpayer_id=_fk(row["agency"]),
        agency_name=row["agency_name"],
        corrects_id=_fk(row["corrects"]),
        batch=row["batch"],
        data_version=int(row["data_version"]),
        voided_at=row["voided_at"],
        void_reason=row["void_reason"],
    )


def _registration(row: dict[str, Any]) -> Registration:
    return Registration(
        id=int(row["id"]),
        taxpayer_id=int(row["taxpayer"]),
        tax_type=TaxType(row["tax_type"]),
        item=row["item"],
        period_kind=PeriodKind(row["period_kind"]),
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
    )


def _agreement(row: dict[str, Any]) -> Agreement:
    return Agreement(
        id=int(row["id"]),
        taxpayer_id=int(row["taxpayer"]),
        number=row["number"],
        bank_code=row["bank_code"],
        bank_name=row["bank_name"],
        account_number=row["account_number"],
        account_name=row["account_name"],
        status=AgreementStatus(row["status"]),
        message=row["message"],
        signed_by=row["signed_by"],
        created_at=row["created_at"],
        verified_at=row["verified_at"],
    )


def live_key(
    taxpayer_id: int, tax_type: TaxType, period_start: dt.date, period_end: dt.date, event_ref: str
) -> str:
    """The uniqueness key of a live declaration: taxpayer, tax type and period (or 按次 event)."""
    if event_ref:
        return f"{taxpayer_id}:{tax_type.value}:E:{event_ref}"
    return f"{taxpayer_id}:{tax_type.value}:{period_start.isoformat()}:{period_end.isoformat()}"


def compact_lines(lines: dict[str, str]) -> str:
    """Lines as compact JSON: sorted, zero amounts left out (a missing line reads as 0)."""
    kept = {k: v for k, v in sorted(lines.items()) if not _is_zero(v)}
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))


def _is_zero(value: str) -> bool:
    try:
        return Decimal(value) == 0
    except (InvalidOperation, ValueError):
        return value == ""


async def _next_number(name: str, day: dt.date, digits: int) -> str:
    """``YYYYMMDD`` + a per-day sequence: one atomic upsert (``INSERT … ON CONFLICT DO UPDATE … RETURNING``).

    One statement on both databases, so the first numbers of a day drawn concurrently never collide and
    never abort the caller's transaction on PostgreSQL (as a failed INSERT would).
    """
    counter = f"{name}:{day:%Y%m%d}"
    rows = await LedgerCounter.raw(
        "INSERT INTO ledger_counter (name, last) VALUES ({}, 1) "
        "ON CONFLICT (name) DO UPDATE SET last = ledger_counter.last + 1 RETURNING last",
        counter,
    )
    if not rows:
        raise LedgerError("编号生成失败，请稍后重试")
    return f"{day:%Y%m%d}{int(rows[0]['last']):0{digits}d}"


# --- taxpayer kind and registrations --------------------------------------------------------------


async def set_taxpayer_kind(
    taxpayer_id: int, kind: TaxpayerKind, effective_from: dt.date, *, reference: str = ""
) -> TaxpayerKindRecord:
    """Record the VAT taxpayer type (一般纳税人登记 / 转登记) effective from a date (replaces one of the same day)."""
    key = f"{taxpayer_id}:{effective_from.isoformat()}"
    async with write_transaction(LedgerTaxpayerKind):
        await LedgerTaxpayerKind.delete().where(LedgerTaxpayerKind.key == key)
        await LedgerTaxpayerKind.insert(
            LedgerTaxpayerKind(
                taxpayer=taxpayer_id,
                kind=kind.value,
                effective_from=effective_from,
                reference=reference,
                key=key,
            )
        )
    current = await taxpayer_kind(taxpayer_id)
    if current is not None:
        # The registry's current type (shown across the portal) follows the ledger's record.
        await Taxpayer.update({Taxpayer.taxpayer_type: current.label}).where(Taxpayer.id == taxpayer_id)
    return TaxpayerKindRecord(
        taxpayer_id=taxpayer_id, kind=kind, effective_from=effective_from, reference=reference
    )


async def taxpayer_kind_history(taxpayer_id: int) -> list[TaxpayerKindRecord]:
    """Every recorded VAT taxpayer type of a taxpayer, oldest first."""
    rows = (
        await LedgerTaxpayerKind.select()
        .where(LedgerTaxpayerKind.taxpayer == taxpayer_id)
        .order_by(LedgerTaxpayerKind.effective_from)
    )
    return [
        TaxpayerKindRecord(
            taxpayer_id=taxpayer_id,
            kind=TaxpayerKind(r["kind"]),
            effective_from=r["effective_from"],
            reference=r["reference"],
        )
        for r in rows
    ]


async def taxpayer_kind(taxpayer_id: int, on: dt.date | None = None) -> TaxpayerKind | None:
    """The VAT taxpayer type in force on ``on`` (today by default); ``None`` if none recorded."""
    day = on or clock.today()
    current = None
    for record in await taxpayer_kind_history(taxpayer_id):
        if record.effective_from <= day:
            current = record.kind
    return current


async def register_tax(
    taxpayer_id: int,
    tax_type: TaxType,
    period_kind: PeriodKind,
    valid_from: dt.date,
    *,
    valid_to: dt.date | None = None,
    item: str = "",
) -> Registration:
    """税费种认定: register ``tax_type`` filed every ``period_kind`` from ``valid_from``."""
    if valid_to is not None and valid_to < valid_from:
        raise LedgerError("认定有效期止不能早于有效期起")
    rows = await LedgerRegistration.insert(
        LedgerRegistration(
            taxpayer=taxpayer_id,
            tax_type=tax_type.value,
            item=item,
            period_kind=period_kind.value,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    ).returning(*LedgerRegistration.all_columns())
    return _registration(rows[0])


async def end_registration(taxpayer_id: int, registration_id: int, valid_to: dt.date) -> Registration:
    """End a registration on ``valid_to`` (注销 or a change of period kind)."""
    rows = (
        await LedgerRegistration.update({LedgerRegistration.valid_to: valid_to})
        .where((LedgerRegistration.id == registration_id) & (LedgerRegistration.taxpayer == taxpayer_id))
        .returning(*LedgerRegistration.all_columns())
    )
    if not rows:
        raise LedgerError("未找到该税费种认定")
    return _registration(rows[0])


async def registrations(taxpayer_id: int, on: dt.date | None = None) -> list[Registration]:
    """The taxpayer's registrations (only those valid on ``on`` when given)."""
    rows = (
        await LedgerRegistration.select()
        .where(LedgerRegistration.taxpayer == taxpayer_id)
        .order_by(LedgerRegistration.id)
    )
    found = [_registration(r) for r in rows]
    if on is not None:
        found = [r for r in found if r.valid_from <= on and (r.valid_to is None or r.valid_to >= on)]
    return found


async def record_event(
    taxpayer_id: int, tax_type: TaxType, event_date: dt.date, reference: str, *, description: str = ""
) -> TaxEvent:
    """Record a taxable event of a 按次 tax (its obligation then appears in 应申报清册)."""
    reference = reference.strip()
    if not reference:
        raise LedgerError("请填写应税行为的凭证号（如合同编号）")
    key = f"{taxpayer_id}:{tax_type.value}:{reference}"
    try:
        rows = await LedgerTaxEvent.insert(
            LedgerTaxEvent(
                taxpayer=taxpayer_id,
                tax_type=tax_type.value,
                event_date=event_date,
                reference=reference,
                description=description,
                key=key,
            )
        ).returning(*LedgerTaxEvent.all_columns())
    except Exception as error:
        if is_unique_violation(error):
            raise LedgerError(f"凭证号{reference}已登记") from error
        raise
    return _event(rows[0])


def _event(row: dict[str, Any]) -> TaxEvent:
    return TaxEvent(
        id=int(row["id"]),
        taxpayer_id=int(row["taxpayer"]),
        tax_type=TaxType(row["tax_type"]),
        event_date=row["event_date"],
        reference=row["reference"],
        description=row["description"],
    )


async def tax_events(taxpayer_id: int, start: dt.date, end: dt.date) -> list[TaxEvent]:
    """按次 events of the taxpayer dated ``start``–``end``."""
    rows = (
        await LedgerTaxEvent.select()
        .where(
            (LedgerTaxEvent.taxpayer == taxpayer_id)
            & (LedgerTaxEvent.event_date >= start)
            & (LedgerTaxEvent.event_date <= end)
        )
        .order_by(LedgerTaxEvent.event_date)
    )
    return [_event(r) for r in rows]


# --- decisions: extensions, reliefs, fixed amounts ------------------------------------------------


async def grant_extension(
    taxpayer_id: int,
    kind: ExtensionKind,
    tax_type: TaxType,
    period_start: dt.date,
    new_deadline: dt.date,
    *,
    reference: str = "",
) -> Extension:
    """Record a 延期申报 / 延期缴纳 decision for one period; a live declaration's deadlines follow it."""
    key = f"{taxpayer_id}:{kind.value}:{tax_type.value}:{period_start.isoformat()}"
    async with write_transaction(LedgerExtension):
        await LedgerExtension.delete().where(LedgerExtension.key == key)
        rows = await LedgerExtension.insert(
            LedgerExtension(
                taxpayer=taxpayer_id,
                kind=kind.value,
                tax_type=tax_type.value,
                period_start=period_start,
                new_deadline=new_deadline,
                reference=reference,
                decided_at=clock.utcnow(),
                key=key,
            )
        ).returning(*LedgerExtension.all_columns())
        column = (
            LedgerDeclaration.payment_deadline
            if kind is ExtensionKind.PAYMENT
            else LedgerDeclaration.deadline
        )
        await LedgerDeclaration.update({column: new_deadline}).where(
            (LedgerDeclaration.taxpayer == taxpayer_id)
            & (LedgerDeclaration.tax_type == tax_type.value)
            & (LedgerDeclaration.period_start == period_start)
            & (LedgerDeclaration.status == DeclarationStatus.FILED.value)
        )
    return _extension(rows[0])


def _extension(row: dict[str, Any]) -> Extension:
    return Extension(
        id=int(row["id"]),
        taxpayer_id=int(row["taxpayer"]),
        kind=ExtensionKind(row["kind"]),
        tax_type=TaxType(row["tax_type"]),
        period_start=row["period_start"],
        new_deadline=row["new_deadline"],
        reference=row["reference"],
        decided_at=row["decided_at"],
    )


async def extensions(taxpayer_id: int) -> list[Extension]:
    """Every extension decision of the taxpayer."""
    rows = (
        await LedgerExtension.select()
        .where(LedgerExtension.taxpayer == taxpayer_id)
        .order_by(LedgerExtension.id)
    )
    return [_extension(r) for r in rows]


async def add_relief(
    taxpayer_id: int,
    tax_type: TaxType,
    code: str,
    name: str,
    valid_from: dt.date,
    *,
    valid_to: dt.date | None = None,
    reference: str = "",
) -> Relief:
    """Record a 减免 (备案 or 核准) that the taxpayer's returns of ``tax_type`` apply."""
    rows = await LedgerRelief.insert(
        LedgerRelief(
            taxpayer=taxpayer_id,
            tax_type=tax_type.value,
            code=code,
            name=name,
            valid_from=valid_from,
            valid_to=valid_to,
            reference=reference,
        )
    ).returning(*LedgerRelief.all_columns())
    return _relief(rows[0])


def _relief(row: dict[str, Any]) -> Relief:
    return Relief(
        id=int(row["id"]),
        taxpayer_id=int(row["taxpayer"]),
        tax_type=TaxType(row["tax_type"]),
        code=row["code"],
        name=row["name"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        reference=row["reference"],
    )


async def reliefs(
    taxpayer_id: int, tax_type: TaxType | None = None, on: dt.date | None = None
) -> list[Relief]:
    """The taxpayer's reliefs (of a tax type, in force on a day, when given)."""
    rows = await LedgerRelief.select().where(LedgerRelief.taxpayer == taxpayer_id).order_by(LedgerRelief.id)
    found = [_relief(r) for r in rows]
    if tax_type is not None:
        found = [r for r in found if r.tax_type is tax_type]
    if on is not None:
        found = [r for r in found if r.valid_from <= on and (r.valid_to is None or r.valid_to >= on)]
    return found


async def set_fixed_amount(
    taxpayer_id: int,
    tax_type: TaxType,
    monthly_sales: Decimal,
    monthly_tax: Decimal,
    valid_from: dt.date,
    *,
    valid_to: dt.date | None = None,
    reference: str = "",
) -> FixedAmount:
    """Record a 定期定额 decision."""
    if monthly_sales < 0 or monthly_tax < 0:
        raise LedgerError("定额不能为负数")
    rows = await LedgerFixedAmount.insert(
        LedgerFixedAmount(
            taxpayer=taxpayer_id,
            tax_type=tax_type.value,
            monthly_sales_fen=to_fen(monthly_sales),
            monthly_tax_fen=to_fen(monthly_tax),
            valid_from=valid_from,
            valid_to=valid_to,
            reference=reference,
        )
    ).returning(*LedgerFixedAmount.all_columns())
    return _fixed(rows[0])


def _fixed(row: dict[str, Any]) -> FixedAmount:
    return FixedAmount(
        id=int(row["id"]),
        taxpayer_id=int(row["taxpayer"]),
        tax_type=TaxType(row["tax_type"]),
        monthly_sales=from_fen(int(row["monthly_sales_fen"])),
        monthly_tax=from_fen(int(row["monthly_tax_fen"])),
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        reference=row["reference"],
    )


async def fixed_amounts(taxpayer_id: int, on: dt.date | None = None) -> list[FixedAmount]:
    """The taxpayer's fixed amounts (in force on ``on`` when given)."""
    rows = await LedgerFixedAmount.select().where(LedgerFixedAmount.taxpayer == taxpayer_id)
    found = [_fixed(r) for r in rows]
    if on is not None:
        found = [f for f in found if f.valid_from <= on and (f.valid_to is None or f.valid_to >= on)]
    return found


# --- deadlines and obligations ------------------------------------------------------------------------


async def _extension_map(taxpayer_id: int) -> dict[tuple[str, str, dt.date], dt.date]:
    rows = await LedgerExtension.select(
        LedgerExtension.kind,
        LedgerExtension.tax_type,
        LedgerExtension.period_start,
        LedgerExtension.new_deadline,
    ).where(LedgerExtension.taxpayer == taxpayer_id)
    return {(r["kind"], r["tax_type"], r["period_start"]): r["new_deadline"] for r in rows}


async def filing_deadline(
    taxpayer_id: int, tax_type: TaxType, period_kind: PeriodKind, period_start: dt.date, period_end: dt.date
) -> dt.date:
    """申报期限 of one period: the statutory deadline, or a 延期申报 decision's date.

    Raises :class:`~etax.platform.calendar.service.CalendarUnavailable` when the deadline's year has
    no holiday data.
    """
    cal = await calendar()
    decided = (await _extension_map(taxpayer_id)).get(
        (ExtensionKind.FILING.value, tax_type.value, period_start)
    )
    return decided or statutory_deadline(cal, tax_type, period_kind, period_start, period_end)


async def obligations(taxpayer_id: int, start: dt.date, end: dt.date) -> list[Obligation]:
    """应申报清册: every return due for periods ending ``start``–``end`` (and ended before today).

    Periodic taxes come from the registrations; 按次 taxes from recorded events. Ordered by deadline.
    """
    return await _obligations(taxpayer_id, start, end, None)


_LiveKey = tuple[TaxType, dt.date, dt.date, str]


async def _obligations(
    taxpayer_id: int, start: dt.date, end: dt.date, keep: Callable[[Obligation], bool] | None
) -> list[Obligation]:
    """:func:`obligations`, only those ``keep`` accepts (when given); a declaration is converted only for the
    obligations returned (a taxpayer's history holds many more than a filing window shows)."""
    today = clock.today()
    last = min(end, today - dt.timedelta(days=1))
    cal = await calendar()
    decided = await _extension_map(taxpayer_id)
    rows = (
        await LedgerDeclaration.select()
        .where(
            (LedgerDeclaration.taxpayer == taxpayer_id)
            & (LedgerDeclaration.status == DeclarationStatus.FILED.value)
            & (LedgerDeclaration.period_end >= start - dt.timedelta(days=366))
        )
        .order_by(LedgerDeclaration.id, ascending=False)
    )
    live: dict[_LiveKey, dict[str, Any]] = {}
    for row in rows:
        # Newest first, as :func:`declarations` reads them (the last row read for a key is kept).
        live[(TaxType(row["tax_type"]), row["period_start"], row["period_end"], row["event_ref"])] = row
    found: list[Obligation] = []
    for reg in await registrations(taxpayer_id):
        if reg.period_kind is PeriodKind.EVENT:
            continue
        first = max(start, reg.valid_from)
        final = min(last, reg.valid_to) if reg.valid_to else last
        if first > final:
            continue
        # Periods are calendar months, quarters or years: those ending before ``first`` are never due here.
        for period_start, period_end in periods_between(reg.period_kind, first, final):
            if period_end < start or period_end > final:
                continue
            deadline = decided.get(
                (ExtensionKind.FILING.value, reg.tax_type.value, period_start)
            ) or statutory_deadline(cal, reg.tax_type, reg.period_kind, period_start, period_end)
            found.append(
                _obligation(
                    reg.taxpayer_id,
                    reg.tax_type,
                    reg.item,
                    reg.period_kind,
                    period_start,
                    period_end,
                    "",
                    deadline,
                    today,
                    live,
                )
            )
    for event in await tax_events(taxpayer_id, start, last):
        deadline = decided.get(
            (ExtensionKind.FILING.value, event.tax_type.value, event.event_date)
        ) or statutory_deadline(cal, event.tax_type, PeriodKind.EVENT, event.event_date, event.event_date)
        found.append(
            _obligation(
                taxpayer_id,
                event.tax_type,
                event.description,
                PeriodKind.EVENT,
                event.event_date,
                event.event_date,
                event.reference,
                deadline,
                today,
                live,
            )
        )
    if keep is not None:
        found = [o for o in found if keep(o)]
    converted: dict[int, Declaration] = {}
    for index, o in enumerate(found):
        if o.status is ObligationStatus.FILED:
            row = live[(o.tax_type, o.period_start, o.period_end, o.event_ref)]
            declaration = converted.get(int(row["id"])) or converted.setdefault(
                int(row["id"]), _declaration(row)
            )
            found[index] = msgspec.structs.replace(o, declaration=declaration)
    found.sort(key=lambda o: (o.deadline, o.tax_type.value, o.period_start))
    return found


def _obligation(
    taxpayer_id: int,
    tax_type: TaxType,
    item: str,
    kind: PeriodKind,
    start: dt.date,
    end: dt.date,
    event_ref: str,
    deadline: dt.date,
    today: dt.date,
    live: dict[_LiveKey, dict[str, Any]],
) -> Obligation:
    """One obligation; FILED when a live declaration covers it (attached by :func:`_obligations`)."""
    if (tax_type, start, end, event_ref) in live:
        status = ObligationStatus.FILED
    else:
        status = ObligationStatus.OVERDUE if today > deadline else ObligationStatus.DUE
    return Obligation(
        taxpayer_id=taxpayer_id,
        tax_type=tax_type,
        item=item,
        period_kind=kind,
        period_start=start,
        period_end=end,
        event_ref=event_ref,
        deadline=deadline,
        status=status,
        declaration=None,
    )


async def current_obligations(taxpayer_id: int) -> list[Obligation]:
    """我的待办 of returns: this filing window's obligations (filed or not) and every earlier unfiled one."""
    today = clock.today()
    recent = today - dt.timedelta(days=31)
    return await _obligations(
        taxpayer_id,
        today - dt.timedelta(days=730),
        today,
        lambda o: o.deadline >= recent or o.status is ObligationStatus.OVERDUE,
    )


# --- declarations ---------------------------------------------------------------------------------------


def _check_amounts(amounts: Amounts) -> None:
    names = {
        "income": "收入（销售额）",
        "tax": "应纳税额",
        "relief": "减免税额",
        "prepaid": "已缴税额",
        "payable": "本期应补（退）税额",
        "credit": "期末留抵（多缴）税额",
    }
    for field, label in names.items():
        value: Decimal = getattr(amounts, field)
        if not value.is_finite():
            raise LedgerError(f"{label}不是有效金额")
        if value < 0:
            raise LedgerError(f"{label}不能为负数")
        if value >= Decimal(MAX_FEN) / 100:
            raise LedgerError(f"{label}金额过大，请核对")
        if value != money(value):
            raise LedgerError(f"{label}最多保留两位小数")


async def _registered(request: FilingRequest) -> bool:
    if request.period_kind is PeriodKind.EVENT:
        event = (
            await LedgerTaxEvent.select(LedgerTaxEvent.id)
            .where(
                LedgerTaxEvent.key == f"{request.taxpayer_id}:{request.tax_type.value}:{request.event_ref}"
            )
            .first()
        )
        if event is not None:
            return True
    for reg in await registrations(request.taxpayer_id):
        if (
            reg.tax_type is request.tax_type
            and reg.valid_from <= request.period_end
            and (reg.valid_to is None or reg.valid_to >= request.period_start)
        ):
            return True
    return False


def _check_request(request: FilingRequest) -> None:
    if request.period_start > request.period_end:
        raise LedgerError("税款所属期起不能晚于所属期止")
    if request.period_kind is PeriodKind.EVENT and not request.event_ref:
        raise LedgerError("按次申报须注明应税行为")
    if request.period_kind is not PeriodKind.EVENT:
        start, end = period_of(request.period_kind, request.period_start)
        if (start, end) != (request.period_start, request.period_end):
            raise LedgerError("税款所属期与纳税期限不符")
    if request.period_end >= clock.today():
        raise LedgerError("税款所属期尚未结束，不能申报")
    if not request.submission or len(request.submission) > 80:
        raise LedgerError("表单已失效，请刷新页面后重新提交")
    _check_amounts(request.amounts)


async def declarations_of_batch(taxpayer_id: int, batch: str) -> list[Declaration]:
    """The declarations filed together under one submission (main return first)."""
    rows = (
        await LedgerDeclaration.select()
        .where((LedgerDeclaration.taxpayer == taxpayer_id) & (LedgerDeclaration.batch == batch))
        .order_by(LedgerDeclaration.id)
    )
    return [_declaration(r) for r in rows]


async def file_declarations(requests: Sequence[FilingRequest]) -> list[Declaration]:
    """File returns together (a VAT return with its 附加税费): all recorded, or none.

    Every request carries the same ``taxpayer_id`` and ``submission``; a replay of the same submission
    returns the declarations already filed. Checks: the tax type is registered (or the 按次 event
    recorded), the period has ended and matches the period kind, amounts are non-negative with two
    places, and no live declaration exists (:class:`AlreadyFiled`, offer 更正申报). Filing after the
    deadline marks the record 逾期申报 (``late``); its late fee runs from the day after the deadline.
    """
    if not requests:
        raise LedgerError("没有可申报的报表")
    first = requests[0]
    if any(r.taxpayer_id != first.taxpayer_id or r.submission != first.submission for r in requests):
        raise LedgerError("同一次申报的报表须属于同一纳税人")
    replay = await declarations_of_batch(first.taxpayer_id, first.submission)
    if replay:
        return replay
    for request in requests:
        _check_request(request)
        if not await _registered(request):
            raise LedgerError(f"未认定{request.tax_type.label}税费种，不能申报，请先办理税费种认定")
    today = clock.today()
    try:
        async with write_transaction(LedgerDeclaration):
            filed = [
                await _insert_declaration(r, today, kind=None, corrects=None, paid_fen=0) for r in requests
            ]
    except Exception as error:
        if not is_unique_violation(error):
            raise
        replay = await declarations_of_batch(first.taxpayer_id, first.submission)
        if replay:
            return replay
        for request in requests:
            existing = await live_declaration(
                request.taxpayer_id,
                request.tax_type,
                request.period_start,
                request.period_end,
                request.event_ref,
            )
            if existing is not None:
                raise AlreadyFiled(existing) from error
        raise
    return filed


async def file_declaration(request: FilingRequest) -> Declaration:
    """File one return (see :func:`file_declarations`)."""
    return (await file_declarations([request]))[0]


async def _insert_declaration(
    request: FilingRequest,
    today: dt.date,
    *,
    kind: DeclarationKind | None,
    corrects: Declaration | None,
    paid_fen: int,
) -> Declaration:
    if corrects is not None:
        deadline, payment_deadline, late = corrects.deadline, corrects.payment_deadline, corrects.late
    else:
        deadline = await filing_deadline(
            request.taxpayer_id,
            request.tax_type,
            request.period_kind,
            request.period_start,
            request.period_end,
        )
        decided = (await _extension_map(request.taxpayer_id)).get(
            (ExtensionKind.PAYMENT.value, request.tax_type.value, request.period_start)
        )
        payment_deadline = max(deadline, decided) if decided else deadline
        late = today > deadline
    kind = kind or (DeclarationKind.LATE if late else DeclarationKind.NORMAL)
    number = await _next_number("decl", today, 10)
    amounts = request.amounts
    rows = await LedgerDeclaration.insert(
        LedgerDeclaration(
            number=number,
            submission=f"{request.submission}#{request.tax_type.value}#{request.event_ref}",
            batch=request.submission,
            taxpayer=request.taxpayer_id,
            tax_type=request.tax_type.value,
            form_code=request.form_code,
            form_version=request.form_version,
            period_kind=request.period_kind.value,
            period_start=request.period_start,
            period_end=request.period_end,
            event_ref=request.event_ref,
            kind=kind.value,
            status=DeclarationStatus.FILED.value,
            live_key=live_key(
                request.taxpayer_id,
                request.tax_type,
                request.period_start,
                request.period_end,
                request.event_ref,
            ),
            income_fen=to_fen(amounts.income),
            tax_fen=to_fen(amounts.tax),
            relief_fen=to_fen(amounts.relief),
            prepaid_fen=to_fen(amounts.prepaid),
            payable_fen=to_fen(amounts.payable),
            paid_fen=paid_fen,
            credit_fen=to_fen(amounts.credit),
            deadline=deadline,
            payment_deadline=payment_deadline,
            late=late,
            filed_at=clock.utcnow(),
            filed_by=request.filed_by,
            channel=request.channel.value,
            agency=request.agency_taxpayer_id,
            agency_name=request.agency_name,
            corrects=corrects.id if corrects else None,
            data_version=1,
        )
    ).returning(*LedgerDeclaration.all_columns())
    declaration = _declaration(rows[0])
    await LedgerDeclarationData.insert(
        LedgerDeclarationData(
            declaration=declaration.id,
            version=1,
            lines=compact_lines(request.lines),
            saved_at=clock.utcnow(),
            key=f"{declaration.id}:1",
        )
    )
    return declaration


async def correct_declarations(
    taxpayer_id: int, declaration_id: int, requests: Sequence[FilingRequest]
) -> list[Declaration]:
    """更正申报: replace the live declarations of ``declaration_id``'s batch by ``requests``.

    The old records become 已更正; the new ones (申报类型 更正申报) keep the original deadlines, so extra
    tax carries 滞纳金 from the day after the original deadline. What was paid moves to the new
    records; what was paid beyond the new amount becomes a 多缴 credit (:func:`credits`). Refused
    while a payment holds the declaration.
    """
    original = await declaration(taxpayer_id, declaration_id)
    if original is None or original.status is not DeclarationStatus.FILED:
        raise LedgerError("未找到可更正的申报记录")
    if not requests or any(r.taxpayer_id != taxpayer_id for r in requests):
        raise LedgerError("没有可更正的报表")
    replay = await declarations_of_batch(taxpayer_id, requests[0].submission)
    if replay:
        return replay
    for request in requests:
        _check_request(request)
    old_batch = [
        d
        for d in await declarations_of_batch(taxpayer_id, original.batch)
        if d.status is DeclarationStatus.FILED
    ]
    by_type = {(d.tax_type, d.event_ref): d for d in old_batch}
    today = clock.today()
    try:
        async with write_transaction(LedgerDeclaration):
            for stale in old_batch:
                done = (
                    await LedgerDeclaration.update(
                        {
                            LedgerDeclaration.status: DeclarationStatus.CORRECTED.value,
                            LedgerDeclaration.live_key: None,
                        }
                    )
                    .where(
                        (LedgerDeclaration.id == stale.id)
                        & (LedgerDeclaration.status == DeclarationStatus.FILED.value)
                        & LedgerDeclaration.payment_lock.is_null()
                    )
                    .returning(LedgerDeclaration.id)
                )
                if not done:
                    raise PaymentInProgress("该申报正在缴款处理中，请稍后再更正")
            filed: list[Declaration] = []
            for request in requests:
                old = by_type.get((request.tax_type, request.event_ref))
                old_paid = to_fen(old.paid) if old else 0
                new_payable = to_fen(request.amounts.payable)
                paid = min(old_paid, new_payable)
                new = await _insert_declaration(
                    request, today, kind=DeclarationKind.CORRECTION, corrects=old or original, paid_fen=paid
                )
                if old_paid > paid:
                    await LedgerCredit.insert(
                        LedgerCredit(
                            taxpayer=taxpayer_id,
                            tax_type=request.tax_type.value,
                            kind=CreditKind.OVERPAID.value,
                            source_declaration=new.id,
                            amount_fen=old_paid - paid,
                            remaining_fen=old_paid - paid,
                            created_at=clock.utcnow(),
                        )
                    )
                filed.append(new)
    except Exception as error:
        if is_unique_violation(error):
            replay = await declarations_of_batch(taxpayer_id, requests[0].submission)
            if replay:
                return replay
            raise LedgerError("该所属期已有其他更正记录，请刷新后重试") from error
        raise
    return filed


async def void_declaration(
    taxpayer_id: int, declaration_id: int, *, reason: str, by: str
) -> list[Declaration]:
    """作废申报: void a declaration and the others filed with it (附加税费 with 增值税).

    Only inside the filing period (today ≤ the deadline) and only while nothing has been paid;
    otherwise 更正申报 is the way. Returns the voided records.
    """
    reason = reason.strip()
    if not reason:
        raise LedgerError("请填写作废原因")
    if len(reason) > 200:
        raise LedgerError("作废原因不能超过200个字")
    target = await declaration(taxpayer_id, declaration_id)
    if target is None:
        raise LedgerError("未找到该申报记录")
    if target.status is not DeclarationStatus.FILED:
        raise LedgerError(f"该申报记录{target.status.label}，不能作废")
    today = clock.today()
    if today > target.deadline:
        raise LedgerError("已过申报期限，不能作废，请使用更正申报")
    batch = [
        d
        for d in await declarations_of_batch(taxpayer_id, target.batch)
        if d.status is DeclarationStatus.FILED
    ]
    if any(d.paid > 0 for d in batch):
        raise LedgerError("已缴款的申报不能作废，请使用更正申报")
    async with write_transaction(LedgerDeclaration):
        voided: list[Declaration] = []
        for item in batch:
            rows = (
                await LedgerDeclaration.update(
                    {
                        LedgerDeclaration.status: DeclarationStatus.VOIDED.value,
                        LedgerDeclaration.live_key: None,
                        LedgerDeclaration.voided_at: clock.utcnow(),
                        LedgerDeclaration.void_reason: f"{reason}（{by}）",
                    }
                )
                .where(
                    (LedgerDeclaration.id == item.id)
                    & (LedgerDeclaration.status == DeclarationStatus.FILED.value)
                    & (LedgerDeclaration.paid_fen == 0)
                    & LedgerDeclaration.payment_lock.is_null()
                )
                .returning(*LedgerDeclaration.all_columns())
            )
            if not rows:
                raise LedgerError("该申报正在缴款或已缴款，不能作废")
            voided.append(_declaration(rows[0]))
    return voided


async def declaration(taxpayer_id: int, declaration_id: int) -> Declaration | None:
    """One declaration of the taxpayer (``None`` if it does not exist or belongs to someone else)."""
    row = (
        await LedgerDeclaration.select()
        .where((LedgerDeclaration.id == declaration_id) & (LedgerDeclaration.taxpayer == taxpayer_id))
        .first()
    )
    return _declaration(row) if row else None


async def declaration_by_number(taxpayer_id: int, number: str) -> Declaration | None:
    """One declaration of the taxpayer by its 申报序号."""
    row = (
        await LedgerDeclaration.select()
        .where((LedgerDeclaration.number == number) & (LedgerDeclaration.taxpayer == taxpayer_id))
        .first()
    )
    return _declaration(row) if row else None


async def live_declaration(
    taxpayer_id: int, tax_type: TaxType, period_start: dt.date, period_end: dt.date, event_ref: str = ""
) -> Declaration | None:
    """The live (已申报) declaration of a period or 按次 event, if any."""
    key = live_key(taxpayer_id, tax_type, period_start, period_end, event_ref)
    row = await LedgerDeclaration.select().where(LedgerDeclaration.live_key == key).first()
    return _declaration(row) if row else None


async def declarations(
    taxpayer_id: int,
    *,
    tax_types: Iterable[TaxType] | None = None,
    statuses: Iterable[DeclarationStatus] | None = None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    filed_from: dt.date | None = None,
    filed_to: dt.date | None = None,
    before_id: int | None = None,
    limit: int | None = None,
) -> list[Declaration]:
    """The taxpayer's declarations, newest first; filters by 征收项目, status, 所属期 and 申报日期 (Beijing days).

    For keyset pagination pass the last id seen as ``before_id``.
    """
    where: Any = LedgerDeclaration.taxpayer == taxpayer_id
    if tax_types is not None:
        where &= LedgerDeclaration.tax_type.is_in([t.value for t in tax_types] or [""])
    if statuses is not None:
        where &= LedgerDeclaration.status.is_in([s.value for s in statuses] or [""])
    if period_from is not None:
        where &= LedgerDeclaration.period_end >= period_from
    if period_to is not None:
        where &= LedgerDeclaration.period_start <= period_to
    if filed_from is not None:
        where &= LedgerDeclaration.filed_at >= dt.datetime.combine(
            filed_from, dt.time.min, tzinfo=clock.BEIJING
        )
    if filed_to is not None:
        where &= LedgerDeclaration.filed_at < dt.datetime.combine(
            filed_to + dt.timedelta(days=1), dt.time.min, tzinfo=clock.BEIJING
        )
    if before_id is not None:
        where &= LedgerDeclaration.id < before_id
    query = LedgerDeclaration.select().where(where).order_by(LedgerDeclaration.id, ascending=False)
    if limit is not None:
        query = query.limit(limit)
    return [_declaration(r) for r in await query]


async def declaration_lines(
    taxpayer_id: int, declaration_id: int, version: int | None = None
) -> DeclarationLines | None:
    """The lines of a declaration (the latest version unless ``version``); missing lines are zero."""
    found = await declaration(taxpayer_id, declaration_id)
    if found is None:
        return None
    query = LedgerDeclarationData.select().where(LedgerDeclarationData.declaration == declaration_id)
    if version is not None:
        query = query.where(LedgerDeclarationData.version == version)
    row = await query.order_by(LedgerDeclarationData.version, ascending=False).first()
    if row is None:
        return None
    return DeclarationLines(
        declaration_id=declaration_id,
        version=int(row["version"]),
        form_code=found.form_code,
        form_version=found.form_version,
        lines=json.loads(row["lines"]),
        saved_at=row["saved_at"],
    )


# --- unpaid, arrears, late fees --------------------------------------------------------------------------


def _unpaid_item(declaration: Declaration, on: dt.date) -> UnpaidItem:
    fee = late_fee(declaration.outstanding, declaration.payment_deadline, on)
    return UnpaidItem(
        declaration=declaration,
        amount=declaration.outstanding,
        late_days=fee.days,
        late_fee=fee.fee,
        payment_deadline=declaration.payment_deadline,
        in_arrears=on > declaration.payment_deadline,
    )


async def unpaid(taxpayer_id: int, on: dt.date | None = None) -> list[UnpaidItem]:
    """我要缴税: live declarations with tax still to pay, with 滞纳金 accrued up to ``on`` (today)."""
    day = on or clock.today()
    rows = (
        await LedgerDeclaration.select()
        .where(
            (LedgerDeclaration.taxpayer == taxpayer_id)
            & (LedgerDeclaration.status == DeclarationStatus.FILED.value)
            & WhereRaw("paid_fen < payable_fen")
        )
        .order_by(LedgerDeclaration.payment_deadline)
    )
    return [_unpaid_item(_declaration(r), day) for r in rows]


async def arrears(taxpayer_id: int, on: dt.date | None = None) -> list[UnpaidItem]:
    """欠税: tax filed but unpaid after its payment deadline (滞纳金 shown, not counted as 欠税)."""
    day = on or clock.today()
    return [item for item in await unpaid(taxpayer_id, day) if item.in_arrears]


async def taxpayers_in_arrears(on: dt.date | None = None) -> list[int]:
    """Ids of every taxpayer with 欠税 on ``on`` (for 欠税公告 and 无欠税证明 checks)."""
    day = on or clock.today()
    rows = (
        await LedgerDeclaration.select(LedgerDeclaration.taxpayer)
        .where(
            (LedgerDeclaration.status == DeclarationStatus.FILED.value)
            & WhereRaw("paid_fen < payable_fen")
            & (LedgerDeclaration.payment_deadline < day)
        )
        .distinct()
    )
    return sorted(int(r["taxpayer"]) for r in rows)


# --- 三方协议 ------------------------------------------------------------------------------------------------


async def sign_agreement(
    taxpayer_id: int,
    *,
    bank_code: str,
    bank_name: str,
    account_number: str,
    account_name: str,
    signed_by: str,
    gateway: BankGateway | None = None,
) -> Agreement:
    """网签三方协议: record the agreement and verify it with the bank at once (验证成功 / 验证失败)."""
    account_number = account_number.strip().replace(" ", "")
    account_name = account_name.strip()
    if not account_number.isdigit() or not 8 <= len(account_number) <= 32:
        raise LedgerError("银行账号应为8至32位数字")
    if not account_name:
        raise LedgerError("请填写账户名称")
    taxpayer = await Taxpayer.select(Taxpayer.name, Taxpayer.tin).where(Taxpayer.id == taxpayer_id).first()
    if taxpayer is None:
        raise LedgerError("未找到纳税人")
    today = clock.today()
    number = "3" + await _next_number("agreement", today, 8)
    live = f"{taxpayer_id}:{bank_code}:{account_number}"
    try:
        rows = await LedgerAgreement.insert(
            LedgerAgreement(
                number=number,
                taxpayer=taxpayer_id,
                bank_code=bank_code,
                bank_name=bank_name,
                account_number=account_number,
                account_name=account_name,
                status=AgreementStatus.PENDING.value,
                live_key=live,
                signed_by=signed_by,
                created_at=clock.utcnow(),
            )
        ).returning(*LedgerAgreement.all_columns())
    except Exception as error:
        if is_unique_violation(error):
            raise LedgerError("该账户已签订有效的三方协议，无需重复签订") from error
        raise
    agreement_id = int(rows[0]["id"])
    answer = await (gateway or bank_gateway()).verify(
        VerifyRequest(
            request_id=f"verify-{number}",
            agreement_number=number,
            bank_code=bank_code,
            account_number=account_number,
            account_name=account_name,
            taxpayer_name=taxpayer["name"],
            taxpayer_code=taxpayer["tin"],
        )
    )
    status = AgreementStatus.VALID if answer.ok else AgreementStatus.FAILED
    updated = (
        await LedgerAgreement.update(
            {
                LedgerAgreement.status: status.value,
                LedgerAgreement.message: answer.message,
                LedgerAgreement.verified_at: clock.utcnow(),
                LedgerAgreement.live_key: live if answer.ok else None,
            }
        )
        .where(LedgerAgreement.id == agreement_id)
        .returning(*LedgerAgreement.all_columns())
    )
    return _agreement(updated[0])


async def agreements(taxpayer_id: int) -> list[Agreement]:
    """The taxpayer's agreements, newest first."""
    rows = (
        await LedgerAgreement.select()
        .where(LedgerAgreement.taxpayer == taxpayer_id)
        .order_by(LedgerAgreement.id, ascending=False)
    )
    return [_agreement(r) for r in rows]


async def active_agreement(taxpayer_id: int) -> Agreement | None:
    """The newest valid agreement (the one payments deduct through)."""
    for agreement in await agreements(taxpayer_id):
        if agreement.status is AgreementStatus.VALID:
            return agreement
    return None


async def terminate_agreement(taxpayer_id: int, agreement_id: int) -> Agreement:
    """终止三方协议."""
    rows = (
        await LedgerAgreement.update(
            {LedgerAgreement.status: AgreementStatus.TERMINATED.value, LedgerAgreement.live_key: None}
        )
        .where(
            (LedgerAgreement.id == agreement_id)
            & (LedgerAgreement.taxpayer == taxpayer_id)
            & (LedgerAgreement.status == AgreementStatus.VALID.value)
        )
        .returning(*LedgerAgreement.all_columns())
    )
    if not rows:
        raise LedgerError("未找到有效的三方协议")
    return _agreement(rows[0])


# --- payments ----------------------------------------------------------------------------------------------


async def _payment(row: dict[str, Any]) -> Payment:
    items = (
        await LedgerPaymentItem.select(
            LedgerPaymentItem.declaration,
            LedgerPaymentItem.tax_fen,
            LedgerPaymentItem.late_fee_fen,
            LedgerPaymentItem.late_days,
            LedgerPaymentItem.declaration.number,
            LedgerPaymentItem.declaration.tax_type,
            LedgerPaymentItem.declaration.period_start,
            LedgerPaymentItem.declaration.period_end,
        )
        .where(LedgerPaymentItem.payment == row["id"])
        .order_by(LedgerPaymentItem.id)
    )
    return Payment(
        id=int(row["id"]),
        key=row["key"],
        taxpayer_id=int(row["taxpayer"]),
        method=PaymentMethod(row["method"]),
        status=PaymentStatus(row["status"]),
        amount=from_fen(int(row["amount_fen"])),
        tax=from_fen(int(row["tax_fen"])),
        late_fee=from_fen(int(row["late_fee_fen"])),
        agreement_number=row["agreement_number"],
        bank_serial=row["bank_serial"],
        voucher_number=row["voucher_number"] or "",
        message=row["message"],
        requested_by=row["requested_by"],
        requested_at=row["requested_at"],
        paid_on=row["paid_on"],
        items=[
            PaymentItem(
                declaration_id=int(i["declaration"]),
                declaration_number=i["declaration.number"],
                tax_type=TaxType(i["declaration.tax_type"]),
                period_start=i["declaration.period_start"],
                period_end=i["declaration.period_end"],
                tax=from_fen(int(i["tax_fen"])),
                late_fee=from_fen(int(i["late_fee_fen"])),
                late_days=int(i["late_days"]),
            )
            for i in items
        ],
    )


async def payment_by_key(taxpayer_id: int, key: str) -> Payment | None:
    """The payment requested with ``key`` (of this taxpayer)."""
    row = (
        await LedgerPayment.select()
        .where((LedgerPayment.key == key) & (LedgerPayment.taxpayer == taxpayer_id))
        .first()
    )
    return await _payment(row) if row else None


async def payment(taxpayer_id: int, payment_id: int) -> Payment | None:
    """One payment of the taxpayer."""
    row = (
        await LedgerPayment.select()
        .where((LedgerPayment.id == payment_id) & (LedgerPayment.taxpayer == taxpayer_id))
        .first()
    )
    return await _payment(row) if row else None


async def payments(
    taxpayer_id: int,
    *,
    statuses: Iterable[PaymentStatus] | None = None,
    paid_from: dt.date | None = None,
    paid_to: dt.date | None = None,
    before_id: int | None = None,
    limit: int | None = None,
) -> list[Payment]:
    """The taxpayer's payments, newest first; filters by status and 缴款日期."""
    where: Any = LedgerPayment.taxpayer == taxpayer_id
    if statuses is not None:
        where &= LedgerPayment.status.is_in([s.value for s in statuses] or [""])
    if paid_from is not None:
        where &= LedgerPayment.paid_on >= paid_from
    if paid_to is not None:
        where &= LedgerPayment.paid_on <= paid_to
    if before_id is not None:
        where &= LedgerPayment.id < before_id
    query = LedgerPayment.select().where(where).order_by(LedgerPayment.id, ascending=False)
    if limit is not None:
        query = query.limit(limit)
    return [await _payment(r) for r in await query]


async def pay(
    taxpayer_id: int,
    declaration_ids: Sequence[int],
    *,
    key: str,
    requested_by: str,
    gateway: BankGateway | None = None,
) -> Payment:
    """税款缴纳 through the 三方协议: deduct the chosen declarations' tax and accrued 滞纳金, once.

    Exactly one deduction per ``key``: the payment row is inserted first under the unique key, so a
    double click, a replay or a concurrent request gets the same payment back (possibly still
    扣款处理中) and the bank is asked once. The chosen declarations are then held by this payment
    (``payment_lock``), so two different keys cannot deduct the same tax twice. On success the
    declarations are paid, on failure released; the returned payment says which.
    """
    if not key or len(key) > 80:
        raise LedgerError("表单已失效，请刷新页面后重新提交")
    existing = await payment_by_key(taxpayer_id, key)
    if existing is not None:
        return existing
    ids = sorted({int(i) for i in declaration_ids})
    if not ids:
        raise LedgerError("请选择缴税项目！")
    agreement = await active_agreement(taxpayer_id)
    if agreement is None:
        raise LedgerError("您的三方协议号为空，请先进行三方协议签订！")
    try:
        inserted = await LedgerPayment.insert(
            LedgerPayment(
                key=key,
                taxpayer=taxpayer_id,
                method=PaymentMethod.AGREEMENT.value,
                status=PaymentStatus.PENDING.value,
                agreement=agreement.id,
                agreement_number=agreement.number,
                requested_by=requested_by,
                requested_at=clock.utcnow(),
            )
        ).returning(LedgerPayment.id)
    except Exception as error:
        if is_unique_violation(error):
            found = await payment_by_key(taxpayer_id, key)
            if found is not None:
                return found
            raise LedgerError("表单已失效，请刷新页面后重新提交") from error
        raise
    payment_id = int(inserted[0]["id"])
    today = clock.today()
    locked = await LedgerDeclaration.raw(
        "UPDATE ledger_declaration SET payment_lock = {} WHERE taxpayer = {} AND status = {} "
        "AND payment_lock IS NULL AND paid_fen < payable_fen AND id IN ("
        + ", ".join("{}" for _ in ids)
        + ") RETURNING id",
        key,
        taxpayer_id,
        DeclarationStatus.FILED.value,
        *ids,
    )
    if len(locked) != len(ids):
        await _release(key)
        return await _fail(payment_id, taxpayer_id, "所选项目已缴款或存在正在处理的缴款，请刷新后重新选择")
    rows = await LedgerDeclaration.select().where(LedgerDeclaration.id.is_in(ids))
    items = [_unpaid_item(_declaration(r), today) for r in rows]
    tax_fen = sum(to_fen(i.amount) for i in items)
    fee_fen = sum(to_fen(i.late_fee) for i in items)
    try:
        answer = await (gateway or bank_gateway()).debit(
            DebitRequest(
                request_id=key,
                agreement_number=agreement.number,
                bank_code=agreement.bank_code,
                account_number=agreement.account_number,
                amount=from_fen(tax_fen + fee_fen),
            )
        )
    except Exception:
        await _release(key)
        return await _fail(payment_id, taxpayer_id, "银行系统暂时无法响应，本次未扣款，请稍后再试")
    if not answer.ok:
        await _release(key)
        return await _fail(payment_id, taxpayer_id, answer.message, tax_fen=tax_fen, fee_fen=fee_fen)
    voucher = "4" + await _next_number("voucher", today, 9)
    async with write_transaction(LedgerPayment):
        for item in items:
            amount = to_fen(item.amount)
            await LedgerDeclaration.raw(
                "UPDATE ledger_declaration SET paid_fen = paid_fen + {}, payment_lock = NULL "
                "WHERE id = {} AND payment_lock = {}",
                amount,
                item.declaration.id,
                key,
            )
            await LedgerPaymentItem.insert(
                LedgerPaymentItem(
                    payment=payment_id,
                    declaration=item.declaration.id,
                    tax_fen=amount,
                    late_fee_fen=to_fen(item.late_fee),
                    late_days=item.late_days,
                )
            )
        await LedgerPayment.update(
            {
                LedgerPayment.status: PaymentStatus.SUCCEEDED.value,
                LedgerPayment.amount_fen: tax_fen + fee_fen,
                LedgerPayment.tax_fen: tax_fen,
                LedgerPayment.late_fee_fen: fee_fen,
                LedgerPayment.bank_serial: answer.serial,
                LedgerPayment.voucher_number: voucher,
                LedgerPayment.message: answer.message,
                LedgerPayment.paid_on: today,
            }
        ).where(LedgerPayment.id == payment_id)
    found = await payment(taxpayer_id, payment_id)
    assert found is not None
    return found


async def _release(key: str) -> None:
    await LedgerDeclaration.update({LedgerDeclaration.payment_lock: None}).where(
        LedgerDeclaration.payment_lock == key
    )


async def _fail(
    payment_id: int, taxpayer_id: int, message: str, *, tax_fen: int = 0, fee_fen: int = 0
) -> Payment:
    await LedgerPayment.update(
        {
            LedgerPayment.status: PaymentStatus.FAILED.value,
            LedgerPayment.message: message[:200],
            LedgerPayment.amount_fen: tax_fen + fee_fen,
            LedgerPayment.tax_fen: tax_fen,
            LedgerPayment.late_fee_fen: fee_fen,
        }
    ).where(LedgerPayment.id == payment_id)
    found = await payment(taxpayer_id, payment_id)
    assert found is not None
    return found


# --- credits and refunds ------------------------------------------------------------------------------------


def _credit(row: dict[str, Any]) -> Credit:
    return Credit(
        id=int(row["id"]),
        taxpayer_id=int(row["taxpayer"]),
        tax_type=TaxType(row["tax_type"]),
        kind=CreditKind(row["kind"]),
        source_declaration_id=_fk(row["source_declaration"]),
        amount=from_fen(int(row["amount_fen"])),
        remaining=from_fen(int(row["remaining_fen"])),
        created_at=row["created_at"],
    )


async def credits(taxpayer_id: int) -> list[Credit]:
    """The taxpayer's 多缴 credits (with what is left of each), oldest first."""
    rows = await LedgerCredit.select().where(LedgerCredit.taxpayer == taxpayer_id).order_by(LedgerCredit.id)
    return [_credit(r) for r in rows]


def _refund(row: dict[str, Any]) -> Refund:
    return Refund(
        id=int(row["id"]),
        key=row["key"],
        taxpayer_id=int(row["taxpayer"]),
        credit_id=int(row["credit"]),
        kind=RefundKind(row["kind"]),
        amount=from_fen(int(row["amount_fen"])),
        offset_declaration_id=_fk(row["offset_declaration"]),
        status=RefundStatus(row["status"]),
        requested_by=row["requested_by"],
        requested_at=row["requested_at"],
    )


async def refunds(taxpayer_id: int) -> list[Refund]:
    """The taxpayer's refunds and offsets, newest first."""
    rows = (
        await LedgerRefund.select()
        .where(LedgerRefund.taxpayer == taxpayer_id)
        .order_by(LedgerRefund.id, ascending=False)
    )
    return [_refund(r) for r in rows]


async def use_credit(
    taxpayer_id: int, credit_id: int, amount: Decimal, *, key: str, requested_by: str
) -> list[Refund]:
    """一站式退抵税: use ``amount`` of a credit — 先抵后退: offset 欠税 first, refund the rest.

    One use per ``key`` (a replay returns what the first did). The credit's remaining amount is
    decremented atomically and never goes below zero.
    """
    done = [r for r in await refunds(taxpayer_id) if r.key.split("#")[0] == key]
    if done:
        return done
    amount = money(amount)
    if amount <= 0:
        raise LedgerError("本次申请退税额应大于零")
    fen = to_fen(amount)
    today = clock.today()
    created: list[Refund] = []
    async with write_transaction(LedgerCredit):
        rows = await LedgerCredit.raw(
            "UPDATE ledger_credit SET remaining_fen = remaining_fen - {} "
            "WHERE id = {} AND taxpayer = {} AND remaining_fen >= {} RETURNING id",
            fen,
            credit_id,
            taxpayer_id,
            fen,
        )
        if not rows:
            raise LedgerError("本次申请退税额超过可退金额")
        left = fen
        for index, item in enumerate(await arrears(taxpayer_id, today)):
            if left <= 0:
                break
            use = min(left, to_fen(item.amount))
            paid = await LedgerDeclaration.raw(
                "UPDATE ledger_declaration SET paid_fen = paid_fen + {} WHERE id = {} "
                "AND payment_lock IS NULL AND paid_fen + {} <= payable_fen RETURNING id",
                use,
                item.declaration.id,
                use,
            )
            if not paid:
                continue
            left -= use
            created.append(
                await _insert_refund(
                    f"{key}#o{index}",
                    taxpayer_id,
                    credit_id,
                    RefundKind.OFFSET,
                    use,
                    item.declaration.id,
                    requested_by,
                )
            )
        if left > 0:
            created.append(
                await _insert_refund(
                    f"{key}#r", taxpayer_id, credit_id, RefundKind.REFUND, left, None, requested_by
                )
            )
    return created


async def _insert_refund(
    key: str,
    taxpayer_id: int,
    credit_id: int,
    kind: RefundKind,
    fen: int,
    declaration_id: int | None,
    by: str,
) -> Refund:
    rows = await LedgerRefund.insert(
        LedgerRefund(
            key=key,
            taxpayer=taxpayer_id,
            credit=credit_id,
            kind=kind.value,
            amount_fen=fen,
            offset_declaration=declaration_id,
            status=(RefundStatus.DONE if kind is RefundKind.OFFSET else RefundStatus.SUBMITTED).value,
            requested_by=by,
            requested_at=clock.utcnow(),
        )
    ).returning(*LedgerRefund.all_columns())
    return _refund(rows[0])


def parse_amount(text: str, label: str) -> Decimal:
    """A yuan amount typed by a person (两位小数, not negative), or :class:`LedgerError` naming ``label``."""
    cleaned = text.strip().replace(",", "")
    try:
        value = Decimal(cleaned or "0")
    except InvalidOperation as error:
        raise LedgerError(f"{label}应为金额数字") from error
    if not value.is_finite():
        raise LedgerError(f"{label}应为金额数字")
    if value < 0:
        raise LedgerError(f"{label}不能为负数")
    if value != money(value):
        raise LedgerError(f"{label}最多保留两位小数")
    if value >= Decimal(MAX_FEN) / 100:
        raise LedgerError(f"{label}金额过大，请核对")
    return money(value)


def new_key() -> str:
    """A fresh idempotency key (pages usually take theirs from ``api.issue_token``)."""
    return secrets.token_urlsafe(24)
