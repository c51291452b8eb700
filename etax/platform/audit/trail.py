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
    agency: bool = False  # an agency acting for the client reads it: see AGENCY_HIDDEN_PREFIXES


AGENCY_HIDDEN_PREFIXES = ("login.", "logout", "account.", "password.", "usercentre.", "staff.", "admin.")
"""What an agency acting for a client does not see of the client's trail: its staff's logins, lockouts,
passwords and staff or agency maintenance — only the operations on the client's tax matters, and no
network addresses (:func:`audit_entries` leaves ``ip`` empty)."""


def _where(taxpayer_id: int, flt: AuditFilter) -> Any:
    condition: Any = AuditLog.taxpayer_id == taxpayer_id
    if flt.agency:
        for prefix in AGENCY_HIDDEN_PREFIXES:
            condition &= AuditLog.action.not_like(f"{prefix}%")
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
    rows = await page.apply(select)
    if flt.agency:
        for row in rows:
            row["ip"] = ""
    return [msgspec.convert(row, AuditEntry) for row in rows]


async def count_audit_entries(taxpayer_id: int, flt: AuditFilter) -> int:
    return int(await AuditLog.count().where(_where(taxpayer_id, flt)))


async def audit_actions(taxpayer_id: int, *, agency: bool = False) -> list[str]:
    """The operations that occur in the taxpayer's audit log (the 操作 filter's options)."""
    rows = (
        await AuditLog.select(AuditLog.action)
        .where(_where(taxpayer_id, AuditFilter(agency=agency)))
        .distinct()
    )
    return sorted(str(row["action"]) for row in rows)
