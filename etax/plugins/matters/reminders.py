"""Home-page messages of 涉税事项: what a decision left the taxpayer to do or to know.

- 我的待办: 停业 — 恢复经营请办理复业登记;
- 服务提醒: an approved 延期申报 or 延期缴纳税款 that is still running (the new deadline).
"""

from __future__ import annotations

from etax.platform.api import HomeMessage, Principal, can_open, clock, ledger, registry
from etax.plugins.matters import functions as F


class MatterReminders:
    """A message source over the registry status and the ledger's extension decisions."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        if principal is None:
            return []
        taxpayer_id = principal.client_or_own_taxpayer
        if taxpayer_id is None:
            return []
        found: list[HomeMessage] = []
        taxpayer = await registry.taxpayer_by_id(taxpayer_id)
        if taxpayer is not None and taxpayer.status == "停业" and can_open(principal, F.RESUME):
            found.append(
                HomeMessage(
                    tab="todo",
                    title="本企业处于停业状态，停业期间不能办理申报；恢复经营请办理复业登记",
                    url=F.RESUME.url,
                    tag="停业",
                )
            )
        today = clock.today()
        for extension in await ledger.extensions(taxpayer_id):
            if extension.new_deadline < today:
                continue
            what = "申报期限" if extension.kind is ledger.ExtensionKind.FILING else "缴款期限"
            found.append(
                HomeMessage(
                    tab="reminder",
                    title=f"{extension.kind.label}已核准：{extension.tax_type.label}"
                    f"（所属期起{extension.period_start.isoformat()}）{what}延至{extension.new_deadline.isoformat()}",
                    url="/query/obligations"
                    if extension.kind is ledger.ExtensionKind.FILING
                    else "/filing/payment",
                    date=extension.decided_at.astimezone(clock.BEIJING).date(),
                    tag="已核准",
                )
            )
        return found
