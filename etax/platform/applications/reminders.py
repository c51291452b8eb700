"""The home page's 服务提醒 (every status change of the enterprise's applications) and 我的待办 (需补正).

Both are shown only to visitors who may open 办税进度及结果信息查询, where their links lead.
"""

from __future__ import annotations

from etax.platform.access import can_open
from etax.platform.applications.common import BEIJING
from etax.platform.applications.functions import PROGRESS
from etax.platform.applications.queries import in_correction
from etax.platform.applications.tables import ServiceReminder
from etax.platform.identity import Principal
from etax.platform.messages import HomeMessage

LIMIT = 8


def _taxpayer(principal: Principal | None) -> int | None:
    if principal is None or not can_open(principal, PROGRESS):
        return None
    return principal.client_or_own_taxpayer


class ApplicationReminders:
    """服务提醒: the latest status changes of the enterprise's applications."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        taxpayer_id = _taxpayer(principal)
        if taxpayer_id is None:
            return []
        rows = (
            await ServiceReminder.select(
                ServiceReminder.title,
                ServiceReminder.status,
                ServiceReminder.application,
                ServiceReminder.created_at,
            )
            .where(ServiceReminder.taxpayer == taxpayer_id)
            .order_by(ServiceReminder.id, ascending=False)
            .limit(LIMIT)
        )
        return [
            HomeMessage(
                tab="reminder",
                title=str(row["title"]),
                url=f"{PROGRESS.url}/{row['application']}",
                date=row["created_at"].astimezone(BEIJING).date(),
                tag=str(row["status"]),
            )
            for row in rows
        ]


class CorrectionTodos:
    """我的待办: applications the bureau sent back for correction (补正中 → 去补正)."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        taxpayer_id = _taxpayer(principal)
        if taxpayer_id is None:
            return []
        return [
            HomeMessage(
                tab="todo",
                title=f"{row.function_name}（{row.number}）需补正，请去补正",
                url=f"{PROGRESS.url}/{row.id}",
                date=row.updated_at.astimezone(BEIJING).date(),
                tag="补正中",
            )
            for row in await in_correction(taxpayer_id)
        ]
