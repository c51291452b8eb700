"""Reading the audit log of one taxpayer (历史办税操作查询), page by page through the list-page service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from etax.platform.audit.tables import AuditLog
from etax.platform.listing import PageRequest, Span, moments

OUTCOME_LABELS = {"success": "成功", "failure": "失败", "refused": "拒绝"}


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One audit entry as the taxpayer sees it."""

    id: int
    at: dt.datetime
    actor: str
    acting_for: str
    action: str
    target: str
    ip: str
    outcome: str


class AuditFilter(msgspec.Struct, frozen=True, kw_only=True):
    days: Span[dt.date] = Span()
    action: str = ""
    outcome: str = ""


def _where(taxpayer_id: int, flt: AuditFilter) -> Any:
    condition: Any = AuditLog.taxpayer_id == taxpayer_id
    start, end = moments(flt.days)
    if start is not None:
        condition &= AuditLog.at >= start
    if end is not None:
        condition &= AuditLog.at < end
    if flt.action:
        condition &= AuditLog.action == flt.action
    if flt.outcome:
        condition &= AuditLog.outcome == flt.outcome
    return condition


async def audit_entries(taxpayer_id: int, flt: AuditFilter, page: PageRequest) -> list[AuditEntry]:
    """One keyset page of the taxpayer's audit entries."""
    select = AuditLog.select(
        AuditLog.id,
        AuditLog.at,
        AuditLog.actor,
        AuditLog.acting_for,
        AuditLog.action,
        AuditLog.target,
        AuditLog.ip,
        AuditLog.outcome,
    ).where(_where(taxpayer_id, flt))
    return [msgspec.convert(row, AuditEntry) for row in await page.apply(select)]


async def count_audit_entries(taxpayer_id: int, flt: AuditFilter) -> int:
    return int(await AuditLog.count().where(_where(taxpayer_id, flt)))


async def audit_actions(taxpayer_id: int) -> list[str]:
    """The operations that occur in the taxpayer's audit log (the 操作 filter's options)."""
    rows = await AuditLog.select(AuditLog.action).where(AuditLog.taxpayer_id == taxpayer_id).distinct()
    return sorted(str(row["action"]) for row in rows)
