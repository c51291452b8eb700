"""纳税信用评价 (platform service): a yearly evaluation of each taxpayer from what the platform holds.

The evaluation reads the ledger (returns filed late, tax unpaid past its deadline) and the compliance
records (violations, 重大税收违法失信) of the year and keeps the result with its deductions, so
纳税信用状态信息查询 shows the current level and its history. The rules follow the published index in a
simplified form: start from 100; each late return −5; each return of the year still unpaid past its
payment deadline at the evaluation −5; each violation registered in the year −11 (−5 once handled);
a 重大税收违法失信主体 record published in the year makes the level D. A year without any return is M
(no business recorded). Levels: A ≥ 90, B ≥ 70, C ≥ 40, D below.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import msgspec

from etax.platform import clock, ledger
from etax.platform.compliance.tables import Dishonesty, Violation
from etax.platform.credit.tables import CreditEvaluation
from etax.platform.ledger.tables import LedgerDeclaration


class CreditLevel(enum.StrEnum):
    A = "A"
    B = "B"
    M = "M"
    C = "C"
    D = "D"


class Deduction(msgspec.Struct, frozen=True):
    reason: str
    points: int


class Evaluation(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    taxpayer_id: int
    year: int
    score: int
    level: CreditLevel
    deductions: list[Deduction]
    evaluated_by: str
    evaluated_at: dt.datetime


def level_of(score: int) -> CreditLevel:
    if score >= 90:
        return CreditLevel.A
    if score >= 70:
        return CreditLevel.B
    if score >= 40:
        return CreditLevel.C
    return CreditLevel.D


async def evaluate(taxpayer_id: int, year: int, *, by: str) -> Evaluation:
    """Evaluate ``year`` for the taxpayer from the ledger and compliance records and store the result."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    declarations = await LedgerDeclaration.select(
        LedgerDeclaration.id, LedgerDeclaration.late, LedgerDeclaration.tax_type, LedgerDeclaration.period_end
    ).where(
        (LedgerDeclaration.taxpayer == taxpayer_id)
        & (LedgerDeclaration.period_end >= start)
        & (LedgerDeclaration.period_end <= end)
        & (LedgerDeclaration.status == ledger.DeclarationStatus.FILED.value)
    )
    deductions: list[Deduction] = []
    for row in declarations:
        if row["late"]:
            deductions.append(
                Deduction(f"逾期申报：{ledger.TaxType(row['tax_type']).label} 所属期止{row['period_end']}", 5)
            )
    for item in await ledger.arrears(taxpayer_id):
        if start <= item.declaration.period_end <= end:
            deductions.append(
                Deduction(f"未按期缴纳已申报税款：{item.declaration.tax_type.label} {item.amount}元", 5)
            )
    violations = await Violation.select(Violation.kind, Violation.status).where(
        (Violation.taxpayer == taxpayer_id) & (Violation.found_on >= start) & (Violation.found_on <= end)
    )
    for row in violations:
        handled = row["status"] == "已处理"
        deductions.append(Deduction(f"违法违章：{row['kind']}（{row['status']}）", 5 if handled else 11))
    major = await Dishonesty.exists().where(
        (Dishonesty.taxpayer == taxpayer_id)
        & (Dishonesty.kind == "重大税收违法失信主体")
        & (Dishonesty.published_on >= start)
        & (Dishonesty.published_on <= end)
    )
    score = max(0, 100 - sum(d.points for d in deductions))
    if major:
        level = CreditLevel.D
        deductions.append(Deduction("被确定为重大税收违法失信主体，直接判为D级", 0))
    elif not declarations and not violations:
        level = CreditLevel.M
    else:
        level = level_of(score)
    values: dict[Any, Any] = {
        CreditEvaluation.score: score,
        CreditEvaluation.level: level.value,
        CreditEvaluation.deductions: msgspec.json.encode(deductions).decode(),
        CreditEvaluation.evaluated_by: by,
        CreditEvaluation.evaluated_at: clock.utcnow(),
    }
    key = f"{taxpayer_id}:{year}"
    updated = (
        await CreditEvaluation.update(values)
        .where(CreditEvaluation.key == key)
        .returning(CreditEvaluation.id)
    )
    if not updated:
        await CreditEvaluation.insert(
            CreditEvaluation(
                key=key,
                taxpayer=taxpayer_id,
                year=year,
                score=score,
                level=level.value,
                deductions=values[CreditEvaluation.deductions],
                evaluated_by=by,
                evaluated_at=values[CreditEvaluation.evaluated_at],
            )
        ).on_conflict(target=CreditEvaluation.key, action="DO NOTHING")
    found = await evaluation_for_year(taxpayer_id, year)
    assert found is not None
    return found


def _evaluation(row: dict[str, Any]) -> Evaluation:
    return Evaluation(
        id=int(row["id"]),
        taxpayer_id=int(row["taxpayer"]),
        year=int(row["year"]),
        score=int(row["score"]),
        level=CreditLevel(row["level"]),
        deductions=msgspec.json.decode(str(row["deductions"]), type=list[Deduction]),
        evaluated_by=str(row["evaluated_by"]),
        evaluated_at=row["evaluated_at"],
    )


async def evaluation_for_year(taxpayer_id: int, year: int) -> Evaluation | None:
    row = await CreditEvaluation.select().where(CreditEvaluation.key == f"{taxpayer_id}:{year}").first()
    return None if row is None else _evaluation(row)


async def evaluations(taxpayer_id: int) -> list[Evaluation]:
    """The taxpayer's evaluations, latest year first."""
    rows = (
        await CreditEvaluation.select()
        .where(CreditEvaluation.taxpayer == taxpayer_id)
        .order_by(CreditEvaluation.year, ascending=False)
    )
    return [_evaluation(row) for row in rows]


async def evaluation(taxpayer_id: int, evaluation_id: int) -> Evaluation | None:
    row = (
        await CreditEvaluation.select()
        .where((CreditEvaluation.id == evaluation_id) & (CreditEvaluation.taxpayer == taxpayer_id))
        .first()
    )
    return None if row is None else _evaluation(row)


async def evaluate_all(year: int, *, by: str) -> int:
    """Evaluate every taxpayer with returns or records in ``year``; returns how many were evaluated."""
    from etax.platform.coresys.tables import Taxpayer

    ids = [int(row["id"]) for row in await Taxpayer.select(Taxpayer.id)]
    for taxpayer_id in ids:
        await evaluate(taxpayer_id, year, by=by)
    return len(ids)
