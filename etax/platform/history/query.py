"""Reading the audit log for one taxpayer, with filters and pagination."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from etax.platform.auth.tables import AuditLog

PAGE_SIZE = 20
# Taxpayers pick dates as they read them on the page: Beijing time.
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")
OUTCOME_LABELS = {"success": "成功", "failure": "失败", "refused": "拒绝"}


class HistoryFilter(msgspec.Struct, kw_only=True):
    """The filters of 历史办税操作查询 (all optional)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""
    outcome: str = ""
    page: int = 1


class HistoryEntry(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    actor: str
    acting_for: str
    action: str
    target: str
    ip: str
    outcome: str

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


class HistoryPage(msgspec.Struct, frozen=True, kw_only=True):
    entries: list[HistoryEntry]
    total: int
    page: int
    pages: int
    actions: list[str]


AGENCY_HIDDEN_PREFIXES = ("login.", "logout", "account.", "password.", "usercentre.", "staff.", "admin.")
"""What an agency acting for a client does not see of the client's trail: its staff's logins, lockouts,
passwords and staff or agency maintenance — only the operations made on the client's tax matters."""


def _where(taxpayer_id: int, flt: HistoryFilter, *, agency: bool = False) -> Any:
    condition: Any = AuditLog.taxpayer_id == taxpayer_id
    if agency:
        for prefix in AGENCY_HIDDEN_PREFIXES:
            condition &= AuditLog.action.not_like(f"{prefix}%")
    if flt.date_from is not None:
        condition &= AuditLog.at >= dt.datetime.combine(flt.date_from, dt.time.min, tzinfo=BEIJING)
    if flt.date_to is not None:
        condition &= AuditLog.at < dt.datetime.combine(
            flt.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=BEIJING
        )
    if flt.action:
        condition &= AuditLog.action == flt.action
    if flt.outcome:
        condition &= AuditLog.outcome == flt.outcome
    return condition


async def history_page(taxpayer_id: int, flt: HistoryFilter, *, agency: bool = False) -> HistoryPage:
    """One page of ``taxpayer_id``'s audit entries, newest first. For an ``agency`` acting for the
    client: only the operations on its tax matters, and no network addresses."""
    where = _where(taxpayer_id, flt, agency=agency)
    total = int(await AuditLog.count().where(where))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(flt.page, 1), pages)
    rows = (
        await AuditLog.select(
            AuditLog.at,
            AuditLog.actor,
            AuditLog.acting_for,
            AuditLog.action,
            AuditLog.target,
            AuditLog.ip,
            AuditLog.outcome,
        )
        .where(where)
        .order_by(AuditLog.at, ascending=False)
        .order_by(AuditLog.id, ascending=False)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    action_rows = (
        await AuditLog.select(AuditLog.action)
        .where(_where(taxpayer_id, HistoryFilter(), agency=agency))
        .distinct()
    )
    if agency:
        for row in rows:
            row["ip"] = ""
    return HistoryPage(
        entries=[msgspec.convert(row, HistoryEntry) for row in rows],
        total=total,
        page=page,
        pages=pages,
        actions=sorted(str(row["action"]) for row in action_rows),
    )
