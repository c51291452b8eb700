"""Demo compliance records (违法违章, 失信) for the demo world; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from etax.platform.compliance import (
    DishonestyInput,
    DishonestyKind,
    ViolationInput,
    ViolationKind,
    add_dishonesty,
    add_violation,
    handle_violation,
    remove_dishonesty,
)
from etax.platform.compliance.tables import Dishonesty, Violation

BUREAU = "演示数据（业务审核员）"


async def load_compliance_demo(tins: list[str]) -> int:
    """Violations and a 失信 record for the first two demo enterprises; returns how many were added."""
    added = 0
    violations = [
        (
            tins[0],
            ViolationKind.LATE_FILING,
            "2026年5月增值税未按期申报",
            Decimal("200.00"),
            dt.date(2026, 6, 20),
            ("沈和税简罚〔2026〕318号", dt.date(2026, 6, 25)),
        ),
        (
            tins[1],
            ViolationKind.INVOICE,
            "未按规定保管发票，丢失增值税普通发票2份",
            Decimal("500.00"),
            dt.date(2026, 10, 12),
            None,
        ),
    ]
    for tin, kind, facts, penalty, found_on, handled in violations:
        if await Violation.exists().where(Violation.facts == facts):
            continue
        record_id = await add_violation(
            ViolationInput(
                tin=tin,
                kind=kind,
                facts=facts,
                basis="《中华人民共和国税收征收管理法》第六十二条"
                if kind is ViolationKind.LATE_FILING
                else "《中华人民共和国发票管理办法》第三十六条",
                penalty=penalty,
                found_on=found_on,
            ),
            by=BUREAU,
        )
        if handled is not None:
            await handle_violation(record_id, handled_on=handled[1], document=handled[0], by=BUREAU)
        added += 1
    facts = "2025年度欠缴城市维护建设税逾期未缴"
    if not await Dishonesty.exists().where(Dishonesty.facts == facts):
        record_id = await add_dishonesty(
            DishonestyInput(
                tin=tins[0],
                kind=DishonestyKind.ARREARS,
                case_nature="欠税",
                facts=facts,
                penalty="已责令限期缴纳，税款及滞纳金已于2026年3月缴清",
                published_on=dt.date(2026, 2, 10),
            ),
            by=BUREAU,
        )
        await remove_dishonesty(record_id, removed_on=dt.date(2026, 4, 1))
        added += 1
    return added
