"""The ledger's demo world, and synthetic taxpayers at scale (``etax demo load --scale N``).

The demo world is set in autumn 2026: the named demo enterprises have registrations and two years of
declarations and payments (2024-10 … 2026-09, quarters 2024Q4 … 2026Q3); October 2026's returns are
left for the visitor to file. Some returns were filed or paid late (逾期申报, 滞纳金), 大连海辰贸易 owes its
September 2026 VAT (欠税), and 鞍山旧城建材 (非正常户) stopped filing after 2026Q1.

History is written in bulk (COPY on PostgreSQL, ``executemany`` on SQLite) straight into the ledger's
tables, with the same numbers, deadlines and late fees the service functions would produce; it is not a
second code path for filing, only for loading. Loading twice changes nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

from etax.platform import clock
from etax.platform.calendar.service import Calendar, calendar
from etax.platform.coresys.tables import Taxpayer
from etax.platform.ledger.service import compact_lines, late_fee, live_key, period_of, statutory_deadline
from etax.platform.ledger.tables import (
    LedgerAgreement,
    LedgerDeclaration,
    LedgerDeclarationData,
    LedgerPayment,
    LedgerPaymentItem,
    LedgerRegistration,
    LedgerTaxpayerKind,
)
from etax.platform.ledger.types import (
    Channel,
    DeclarationKind,
    DeclarationStatus,
    PaymentMethod,
    PaymentStatus,
    PeriodKind,
    TaxpayerKind,
    TaxType,
    to_fen,
)

FIRST_MONTH = dt.date(2024, 10, 1)
LAST_MONTH = dt.date(2026, 9, 1)
SURCHARGES = (
    (TaxType.URBAN_CONSTRUCTION, Decimal("0.07")),
    (TaxType.EDUCATION, Decimal("0.03")),
    (TaxType.LOCAL_EDUCATION, Decimal("0.02")),
)
VAT_TAXES = (TaxType.VAT, *(tax for tax, _ in SURCHARGES))
FORMS = {
    TaxpayerKind.GENERAL: ("BDA0610606", "2021"),
    TaxpayerKind.SMALL: ("BDA0610610", "2021"),
    "cit": ("BDA0640110", "2021"),
}


@dataclass
class Profile:
    """How a demo taxpayer files: its type, sales range and the irregularities of its history."""

    tin: str
    kind: TaxpayerKind
    sales: tuple[int, int]  # monthly sales range (yuan)
    cit: bool = True
    late_filed: set[dt.date] = field(default_factory=set)  # VAT periods filed 3 days late
    late_paid: set[dt.date] = field(default_factory=set)  # periods paid 6 days late
    unpaid: set[dt.date] = field(default_factory=set)  # periods filed but never paid (欠税)
    stop_after: dt.date | None = None  # no returns for periods after this date
    account: str = ""  # a valid 三方协议 on this account (工商银行)


def _months() -> list[dt.date]:
    months: list[dt.date] = []
    current = FIRST_MONTH
    while current <= LAST_MONTH:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


@functools.lru_cache(maxsize=8192)
def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=clock.BEIJING).astimezone(dt.UTC)


@functools.lru_cache(maxsize=8192)
def _day_prefix(day: dt.date) -> str:
    return f"{day:%Y%m%d}"


# Stored values computed once (an enum's .value is a property call; the loader writes millions of rows).
FILED = DeclarationStatus.FILED.value
NORMAL = DeclarationKind.NORMAL.value
LATE = DeclarationKind.LATE.value
ONLINE = Channel.ONLINE.value


@dataclass
class Batch:
    """Rows to write for a set of taxpayers."""

    registrations: list[dict[str, Any]] = field(default_factory=list)
    kinds: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    declarations: list[dict[str, Any]] = field(default_factory=list)
    lines: dict[str, str] = field(default_factory=dict)  # declaration number → compact lines
    payments: list[dict[str, Any]] = field(default_factory=list)
    items: list[tuple[str, str, int, int, int]] = field(default_factory=list)  # key, number, tax, fee, days


class Builder:
    """Builds a taxpayer's history rows (numbers unique per run prefix)."""

    def __init__(self, cal: Calendar, base: int) -> None:
        self.cal = cal
        self.sequence = base  # numbers are date + a 10-digit serial above anything the service issues
        self.batch = Batch()
        self.deadlines: dict[tuple[TaxType, PeriodKind, dt.date, dt.date], dt.date] = {}

    def _serial(self) -> int:
        self.sequence += 1
        return self.sequence

    def _number(self, day: dt.date) -> str:
        return f"{_day_prefix(day)}{self._serial():010d}"

    def _deadline(self, tax: TaxType, period: PeriodKind, start: dt.date, end: dt.date) -> dt.date:
        key = (tax, period, start, end)
        found = self.deadlines.get(key)
        if found is None:
            found = self.deadlines[key] = statutory_deadline(self.cal, tax, period, start, end)
        return found

    def taxpayer(self, taxpayer_id: int, profile: Profile, rng: random.Random) -> None:
        b = self.batch
        kind = profile.kind
        b.kinds.append(
            {
                "taxpayer": taxpayer_id,
                "kind": kind.value,
                "effective_from": dt.date(2015, 6, 1),
                "reference": "演示数据",
                "key": f"{taxpayer_id}:2015-06-01",
            }
        )
        vat_period = PeriodKind.MONTH if kind is TaxpayerKind.GENERAL else PeriodKind.QUARTER
        taxes: list[tuple[TaxType, PeriodKind]] = [(tax, vat_period) for tax in VAT_TAXES]
        if profile.cit:
            taxes.append((TaxType.CIT, PeriodKind.QUARTER))
        for tax, period in taxes:
            b.registrations.append(
                {
                    "taxpayer": taxpayer_id,
                    "tax_type": tax.value,
                    "item": "货物及劳务" if tax is TaxType.VAT else "",
                    "period_kind": period.value,
                    "valid_from": dt.date(2015, 6, 1),
                    "valid_to": None,
                }
            )
        if profile.account:
            b.agreements.append(
                {
                    "number": f"3{taxpayer_id:012d}",
                    "taxpayer": taxpayer_id,
                    "bank_code": "102",
                    "bank_name": "中国工商银行",
                    "account_number": profile.account,
                    "account_name": "",
                    "status": "valid",
                    "message": "三方协议验证成功",
                    "live_key": f"{taxpayer_id}:102:{profile.account}",
                    "signed_by": "演示数据",
                    "created_at": _at(dt.date(2024, 6, 3)),
                    "verified_at": _at(dt.date(2024, 6, 3)),
                }
            )
        periods: list[tuple[dt.date, dt.date]] = []
        seen: set[dt.date] = set()
        for month in _months():
            start, end = period_of(vat_period, month)
            if start not in seen and end <= LAST_MONTH.replace(day=30):
                seen.add(start)
                periods.append((start, end))
        cumulative = 0
        for start, end in periods:
            if profile.stop_after and start > profile.stop_after:
                continue
            months = 1 if vat_period is PeriodKind.MONTH else 3
            sales = rng.randint(*profile.sales) * months
            if kind is TaxpayerKind.GENERAL:
                output = Decimal(sales) * Decimal("0.13")
                vat = (output * Decimal(rng.randint(12, 40)) / 100).quantize(Decimal("0.01"))
                lines = {
                    "T1.1.1": f"{sales}.00",
                    "T1.1.2": f"{output:.2f}",
                    "T2.2.t": f"{output - vat:.2f}",
                    "H.location": "市区",
                    "H.six_two": "否",
                }
            else:
                vat = (
                    Decimal("0.00")
                    if sales <= 300_000
                    else (Decimal(sales) * Decimal("0.01")).quantize(Decimal("0.01"))
                )
                lines = {"sales": f"{sales}.00"}
            amounts = [(TaxType.VAT, Decimal(sales), vat)]
            halve = kind is TaxpayerKind.SMALL
            for tax, rate in SURCHARGES:
                due = (vat * rate * (Decimal("0.5") if halve else 1)).quantize(Decimal("0.01"))
                amounts.append((tax, vat, due))
            self._file(taxpayer_id, profile, kind, vat_period, start, end, amounts, lines, rng)
            if profile.cit and end.month % 3 == 0:
                q_start, q_end = period_of(PeriodKind.QUARTER, start)
                if q_start.month == 1:
                    cumulative = 0
                profit = rng.randint(50_000, 400_000)
                cumulative += profit
                cit_due = (Decimal(profit) * Decimal("0.25")).quantize(Decimal("0.01"))
                self._file(
                    taxpayer_id,
                    profile,
                    "cit",
                    PeriodKind.QUARTER,
                    q_start,
                    q_end,
                    [(TaxType.CIT, Decimal(cumulative), cit_due)],
                    {},
                    rng,
                )

    def _file(
        self,
        taxpayer_id: int,
        profile: Profile,
        form: Any,
        period: PeriodKind,
        start: dt.date,
        end: dt.date,
        amounts: Sequence[tuple[TaxType, Decimal, Decimal]],
        lines: dict[str, str],
        rng: random.Random,
    ) -> None:
        b = self.batch
        main_tax = amounts[0][0]
        deadline = self._deadline(main_tax, period, start, end)
        late = form != "cit" and start in profile.late_filed
        filed_on = (
            deadline + dt.timedelta(days=3) if late else deadline - dt.timedelta(days=rng.randint(1, 8))
        )
        unpaid = start in profile.unpaid and form != "cit"
        paid_on = filed_on
        if start in profile.late_paid:
            paid_on = deadline + dt.timedelta(days=6)
        form_code, form_version = FORMS[form]
        batch = f"demo:{taxpayer_id}:{form if isinstance(form, str) else 'vat'}:{start.isoformat()}"
        numbers: list[tuple[str, int]] = []
        for tax, income, due in amounts:
            number = self._number(filed_on)
            payable = to_fen(due)
            b.declarations.append(
                {
                    "number": number,
                    "submission": f"{batch}#{tax.value}#",
                    "batch": batch,
                    "taxpayer": taxpayer_id,
                    "tax_type": tax.value,
                    "form_code": form_code,
                    "form_version": form_version,
                    "period_kind": period.value,
                    "period_start": start,
                    "period_end": end,
                    "event_ref": "",
                    "kind": LATE if late else NORMAL,
                    "status": FILED,
                    "live_key": live_key(taxpayer_id, tax, start, end, ""),
                    "income_fen": to_fen(income),
                    "tax_fen": payable,
                    "relief_fen": 0,
                    "prepaid_fen": 0,
                    "payable_fen": payable,
                    "paid_fen": 0 if unpaid else payable,
                    "credit_fen": 0,
                    "deadline": deadline,
                    "payment_deadline": deadline,
                    "late": late,
                    "filed_at": _at(filed_on),
                    "filed_by": "演示办税员",
                    "channel": ONLINE,
                    "agency": None,
                    "agency_name": "",
                    "corrects": None,
                    "data_version": 1,
                    "payment_lock": None,
                    "voided_at": None,
                    "void_reason": "",
                }
            )
            if tax is main_tax and lines:
                b.lines[number] = compact_lines(lines)
            if payable > 0:
                numbers.append((number, payable))
        if unpaid or not numbers:
            return
        key = f"demo-pay:{batch}"
        tax_total = sum(fen for _, fen in numbers)
        fee_total = 0
        for number, fen in numbers:
            fee = late_fee(Decimal(fen) / 100, deadline, paid_on)
            fee_fen = to_fen(fee.fee)
            fee_total += fee_fen
            b.items.append((key, number, fen, fee_fen, fee.days))
        serial = self._serial()
        b.payments.append(
            {
                "key": key,
                "taxpayer": taxpayer_id,
                "method": PaymentMethod.AGREEMENT.value,
                "status": PaymentStatus.SUCCEEDED.value,
                "amount_fen": tax_total + fee_total,
                "tax_fen": tax_total,
                "late_fee_fen": fee_total,
                "agreement": None,
                "agreement_number": "",
                "bank_serial": f"B{serial:015d}",
                "voucher_number": f"4{paid_on:%Y%m%d}{serial:010d}",
                "message": "三方协议扣款成功",
                "requested_by": "演示办税员",
                "requested_at": _at(paid_on, 11),
                "paid_on": paid_on,
            }
        )


# --- bulk writing ------------------------------------------------------------------------------------


async def bulk_insert(table: type[Table], rows: list[dict[str, Any]]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, ``executemany`` in one transaction on SQLite."""
    if not rows:
        return
    began = time.perf_counter()
    try:
        await _bulk_insert(table, rows)
    finally:
        if os.environ.get("ETAX_BULK_TIMING"):
            print(f"{table._meta.tablename}: {len(rows)} rows in {time.perf_counter() - began:.2f}s")


async def _bulk_insert(table: type[Table], rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    name = table._meta.tablename
    engine = table._meta.db
    if isinstance(engine, SQLiteEngine):
        connection = await engine.get_connection()
        try:
            sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
            # One transaction (the engine's connections autocommit: one fsync per row otherwise).
            await connection.execute("BEGIN IMMEDIATE")
            await connection.executemany(sql, [tuple(row[c] for c in columns) for row in rows])
            await connection.execute("COMMIT")
        finally:
            await connection.close()
        return
    connection = await engine.get_new_connection()  # type: ignore[attr-defined]
    try:
        await connection.copy_records_to_table(
            name, records=[tuple(row[c] for c in columns) for row in rows], columns=columns
        )
    finally:
        await connection.close()


async def write(batch: Batch, names: dict[int, str]) -> dict[str, int]:
    """Write a built batch; ``names`` gives each taxpayer's name for its agreements."""
    for agreement in batch.agreements:
        agreement["account_name"] = names.get(agreement["taxpayer"], "")
    await bulk_insert(LedgerTaxpayerKind, batch.kinds)
    await bulk_insert(LedgerRegistration, batch.registrations)
    await bulk_insert(LedgerAgreement, batch.agreements)
    await bulk_insert(LedgerDeclaration, batch.declarations)
    taxpayers = sorted({row["taxpayer"] for row in batch.declarations})
    ids: dict[str, int] = {}
    for start in range(0, len(taxpayers), 500):
        chunk = taxpayers[start : start + 500]
        for row in await LedgerDeclaration.select(LedgerDeclaration.id, LedgerDeclaration.number).where(
            LedgerDeclaration.taxpayer.is_in(chunk)
        ):
            ids[row["number"]] = int(row["id"])
    await bulk_insert(
        LedgerDeclarationData,
        [
            {
                "declaration": ids[number],
                "version": 1,
                "lines": lines,
                "saved_at": batch.declarations[0]["filed_at"],
                "key": f"{ids[number]}:1",
            }
            for number, lines in batch.lines.items()
        ],
    )
    await bulk_insert(LedgerPayment, batch.payments)
    payment_ids: dict[str, int] = {}
    for start in range(0, len(taxpayers), 500):
        chunk = taxpayers[start : start + 500]
        for row in await LedgerPayment.select(LedgerPayment.id, LedgerPayment.key).where(
            LedgerPayment.taxpayer.is_in(chunk)
        ):
            payment_ids[row["key"]] = int(row["id"])
    await bulk_insert(
        LedgerPaymentItem,
        [
            {
                "payment": payment_ids[key],
                "declaration": ids[number],
                "tax_fen": tax,
                "late_fee_fen": fee,
                "late_days": days,
            }
            for key, number, tax, fee, days in batch.items
        ],
    )
    return {
        "declarations": len(batch.declarations),
        "payments": len(batch.payments),
        "registrations": len(batch.registrations),
    }


# --- the named demo enterprises ------------------------------------------------------------------------

PROFILES: tuple[Profile, ...] = (
    Profile(
        tin="91210102MA0Y8K3P1",  # 沈阳和信科技 (first 17 characters)
        kind=TaxpayerKind.GENERAL,
        sales=(600_000, 1_800_000),
        late_filed={dt.date(2025, 4, 1)},
        late_paid={dt.date(2025, 7, 1)},
        account="6222020200001234567",
    ),
    Profile(
        tin="91210211MA0Y8K3P5",  # 大连海辰贸易: September 2026 VAT unpaid (欠税)
        kind=TaxpayerKind.GENERAL,
        sales=(1_500_000, 3_000_000),
        unpaid={dt.date(2026, 9, 1)},
        late_paid={dt.date(2025, 12, 1)},
        account="6222020200007654321",
    ),
    Profile(
        tin="91210106MA0Y8K3P4",  # 辽宁正衡税务师事务所
        kind=TaxpayerKind.GENERAL,
        sales=(200_000, 500_000),
        account="6222020200005556667",
    ),
    Profile(
        tin="92210124MA0Y8K3P2",  # 康平县兴农农资经营部: small-scale, mostly below the exemption
        kind=TaxpayerKind.SMALL,
        sales=(60_000, 140_000),
        cit=False,
    ),
    Profile(
        tin="91210302MA0Y8K3P6",  # 鞍山旧城建材 (非正常户): stopped filing after 2026Q1
        kind=TaxpayerKind.SMALL,
        sales=(40_000, 90_000),
        cit=False,
        stop_after=dt.date(2026, 1, 1),
    ),
)


async def load_ledger_demo() -> dict[str, int]:
    """Give the demo enterprises their ledger (idempotent: enterprises with registrations are skipped)."""
    cal = await calendar()
    builder = Builder(cal, 9_000_000_000)
    names: dict[int, str] = {}
    for profile in PROFILES:
        row = (
            await Taxpayer.select(Taxpayer.id, Taxpayer.name)
            .where(Taxpayer.tin.like(f"{profile.tin}%"))
            .first()
        )
        if row is None:
            continue
        taxpayer_id = int(row["id"])
        if await LedgerRegistration.exists().where(LedgerRegistration.taxpayer == taxpayer_id):
            continue
        names[taxpayer_id] = row["name"]
        builder.taxpayer(taxpayer_id, profile, random.Random(profile.tin))
    if not names:
        return {"ledger": 0}
    written = await write(builder.batch, names)
    return {"ledger": len(names), "ledger_declarations": written["declarations"]}


# --- synthetic taxpayers at scale --------------------------------------------------------------------------

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _synthetic_tin(index: int) -> str:
    from etax.platform.demo import uscc

    body = ""
    value = index
    for _ in range(9):
        body = CHARSET[value % 31] + body
        value //= 31
    return uscc("91219900" + body)


class ScaleReport(dict[str, float]):
    """Counts and seconds of a scale load."""


async def load_scale(count: int, *, chunk: int = 200) -> ScaleReport:
    """Add ``count`` synthetic taxpayers with 24 months of ledger each (skips those already there)."""
    started = time.perf_counter()
    cal = await calendar()
    report = ScaleReport(taxpayers=0, declarations=0, payments=0)
    existing = {
        row["tin"] for row in await Taxpayer.select(Taxpayer.tin).where(Taxpayer.tin.like("91219900%"))
    }
    todo = [i for i in range(count) if _synthetic_tin(i) not in existing]
    overlap = not isinstance(Taxpayer._meta.db, SQLiteEngine)
    writing: asyncio.Future[dict[str, int]] | None = None
    for offset in range(0, len(todo), chunk):
        part = todo[offset : offset + chunk]
        tins = {i: _synthetic_tin(i) for i in part}
        await bulk_insert(
            Taxpayer,
            [
                {
                    "tin": tins[i],
                    "name": f"演示规模企业{i + 1:05d}号有限公司",
                    "taxpayer_type": "一般纳税人" if i % 2 == 0 else "小规模纳税人",
                    "status": "正常",
                    "location_class": "市区",
                    "tax_office": "国家税务总局沈阳市和平区税务局",
                    "pure_social_security": False,
                    "is_agency": False,
                    "registered_taxes": "增值税,企业所得税",
                    "registered_on": dt.date(2015, 6, 1),
                    "general_since": dt.date(2018, 1, 1) if i % 2 == 0 else None,
                    "address": "辽宁省沈阳市和平区",
                }
                for i in part
            ],
        )
        rows = await Taxpayer.select(Taxpayer.id, Taxpayer.tin, Taxpayer.name).where(
            Taxpayer.tin.is_in(list(tins.values()))
        )
        by_tin = {row["tin"]: row for row in rows}
        builder = Builder(cal, 5_000_000_000 + part[0] * 1000)  # < 1000 records per taxpayer
        names = {int(by_tin[tins[i]]["id"]): str(by_tin[tins[i]]["name"]) for i in part}
        ids = [(i, int(by_tin[tins[i]]["id"])) for i in part]
        # Build this chunk's rows (CPU) in a thread while the previous chunk is copied into PostgreSQL.
        await asyncio.to_thread(_build_synthetic, builder, tins, ids)
        if writing is not None:
            _count(report, await writing)
        writing = asyncio.ensure_future(write(builder.batch, names))
        if not overlap:  # SQLite: one writer at a time
            _count(report, await writing)
            writing = None
        report["taxpayers"] += len(part)
    if writing is not None:
        _count(report, await writing)
    report["seconds"] = round(time.perf_counter() - started, 2)
    return report


def _build_synthetic(builder: Builder, tins: dict[int, str], ids: list[tuple[int, int]]) -> None:
    """The history of synthetic taxpayers ``ids`` (index, taxpayer id): half general, half small-scale,
    some filed or paid late, one in fifty in arrears."""
    for i, taxpayer_id in ids:
        profile = Profile(
            tin=tins[i],
            kind=TaxpayerKind.GENERAL if i % 2 == 0 else TaxpayerKind.SMALL,
            sales=(300_000, 2_000_000) if i % 2 == 0 else (50_000, 150_000),
            cit=i % 2 == 0,
            late_filed={dt.date(2025, 1 + i % 12, 1)} if i % 7 == 0 else set(),
            late_paid={dt.date(2025, 1 + (i * 5) % 12, 1)} if i % 5 == 0 else set(),
            unpaid={dt.date(2026, 9, 1)} if i % 50 == 0 else set(),
        )
        builder.taxpayer(taxpayer_id, profile, random.Random(i))


def _count(report: ScaleReport, written: dict[str, int]) -> None:
    report["declarations"] += written["declarations"]
    report["payments"] += written["payments"]
