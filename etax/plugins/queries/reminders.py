"""The home page's 服务提醒 (every status change of the enterprise's applications) and 我的待办 (需补正).

Both are shown only to visitors who may open 办税进度及结果信息查询, where their links lead.
"""

from __future__ import annotations

from etax.platform.api import BEIJING, HomeMessage, Principal, can_open, in_correction, service_reminders
from etax.plugins.queries.progress import PROGRESS


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
        return [
            HomeMessage(
                tab="reminder",
                title=row.title,
                url=f"{PROGRESS.url}/{row.application}",
                date=row.created_at.astimezone(BEIJING).date(),
                tag=row.status,
            )
            for row in await service_reminders(taxpayer_id)
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
