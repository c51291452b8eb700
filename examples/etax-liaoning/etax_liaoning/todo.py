"""我的待办 of 社保费: months not yet declared and declared fees not yet paid."""

from __future__ import annotations

from decimal import Decimal

from etax.platform.api import HomeMessage, Principal, can_open, clock
from etax_liaoning import fees
from etax_liaoning.functions import FEE_DECLARATION, FEE_PAYMENT


class FeesDue:
    """A home-page message source: one entry per undeclared month, one for everything unpaid."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        if principal is None or not can_open(principal, FEE_DECLARATION):
            return []
        taxpayer_id = principal.client_or_own_taxpayer
        if taxpayer_id is None:
            return []
        today = clock.today()
        found: list[HomeMessage] = []
        for period in await fees.due_periods(taxpayer_id):
            tag = "逾期未申报" if period.late else "未申报"
            left = (period.deadline - today).days
            due = f"申报期限{period.deadline:%Y-%m-%d}" + (f"，剩余{left}天" if 0 <= left <= 31 else "")
            found.append(
                HomeMessage(
                    tab="todo",
                    title=f"社保费（{period.key}）{tag}，{due}",
                    url=f"{FEE_DECLARATION.url}/",
                    date=period.deadline,
                    tag=tag,
                )
            )
        unpaid = await fees.unpaid_fees(taxpayer_id)
        if unpaid and can_open(principal, FEE_PAYMENT):
            total = sum((item.amount + item.late_fee for item in unpaid), Decimal(0))
            first = min(item.payment_deadline for item in unpaid)
            found.append(
                HomeMessage(
                    tab="todo",
                    title=f"社保费待缴纳{len(unpaid)}笔，合计{total:,.2f}元（含滞纳金）",
                    url=f"{FEE_PAYMENT.url}/",
                    date=first,
                    tag="未缴费",
                )
            )
        return found
