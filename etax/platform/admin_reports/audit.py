"""Reading the whole audit log for administrators: filters, pagination, newest first.

Filters: actor (contains, case-insensitive for Latin letters), the taxpayer's 纳税人识别号, action
(an exact action or a prefix such as ``admin.package``), outcome and a date range in Beijing time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from etax.platform.admin.common import BEIJING, beijing
from etax.platform.audit.tables import AuditLog
from etax.platform.coresys.tables import Taxpayer
from etax.platform.listing.pager import Paged, Pager

PAGE_SIZE = 30
OUTCOME_LABELS = {"success": "成功", "failure": "失败", "refused": "拒绝"}


class AuditFilter(msgspec.Struct, frozen=True, kw_only=True):
    """The checked filters of the audit page (all optional)."""

    actor: str = ""
    taxpayer_id: int | None = None
    action: str = ""
    outcome: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1


class AuditRow(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    actor: str
    acting_for: str
    taxpayer_id: int | None
    action: str
    target: str
    ip: str
    outcome: str
    detail: str

    @property
    def at_text(self) -> str:
        return beijing(self.at)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


class AuditPage(Paged, frozen=True, kw_only=True):
    rows: list[AuditRow]
    taxpayers: dict[int, tuple[str, str]]  # id -> (识别号, 名称)


def _like_pattern(text: str, *, prefix: bool) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%" if prefix else f"%{escaped}%"


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=BEIJING)


def _where(flt: AuditFilter) -> Any:
    conditions: list[Any] = []
    if flt.actor:
        conditions.append(
            WhereRaw("LOWER(actor) LIKE LOWER({}) ESCAPE '\\'", _like_pattern(flt.actor, prefix=False))
        )
    if flt.taxpayer_id is not None:
        conditions.append(AuditLog.taxpayer_id == flt.taxpayer_id)
    if flt.action:
        conditions.append(WhereRaw("action LIKE {} ESCAPE '\\'", _like_pattern(flt.action, prefix=True)))
    if flt.outcome:
        conditions.append(AuditLog.outcome == flt.outcome)
    if flt.date_from is not None:
        conditions.append(AuditLog.at >= _day_start(flt.date_from))
    if flt.date_to is not None:
        conditions.append(AuditLog.at < _day_start(flt.date_to + dt.timedelta(days=1)))
    if not conditions:
        return None
    where = conditions[0]
    for condition in conditions[1:]:
        where &= condition
    return where


async def taxpayer_by_tin(tin: str) -> int | None:
    row = await Taxpayer.select(Taxpayer.id).where(Taxpayer.tin == tin).first()
    return None if row is None else int(row["id"])


async def audit_page(flt: AuditFilter) -> AuditPage:
    """One page of audit entries matching ``flt``, newest first, with the taxpayers they concern."""
    where = _where(flt)
    count = AuditLog.count()
    select = AuditLog.select(
        AuditLog.at,
        AuditLog.actor,
        AuditLog.acting_for,
        AuditLog.taxpayer_id,
        AuditLog.action,
        AuditLog.target,
        AuditLog.ip,
        AuditLog.outcome,
        AuditLog.detail,
    )
    if where is not None:
        count = count.where(where)
        select = select.where(where)
    total = int(await count)
    pager = Pager.at(flt.page, total=total, size=PAGE_SIZE)
    rows = await pager.slice(
        select.order_by(AuditLog.at, ascending=False).order_by(AuditLog.id, ascending=False)
    )
    entries = [msgspec.convert(row, AuditRow) for row in rows]
    ids = sorted({entry.taxpayer_id for entry in entries if entry.taxpayer_id is not None})
    taxpayers: dict[int, tuple[str, str]] = {}
    if ids:
        found = await Taxpayer.select(Taxpayer.id, Taxpayer.tin, Taxpayer.name).where(Taxpayer.id.is_in(ids))
        taxpayers = {int(row["id"]): (str(row["tin"]), str(row["name"])) for row in found}
    return AuditPage(rows=entries, taxpayers=taxpayers, pager=pager)


async def known_actions() -> list[str]:
    """Every action the log holds (for the filter's suggestions)."""
    rows = await AuditLog.select(AuditLog.action).distinct()
    return sorted(str(row["action"]) for row in rows)
