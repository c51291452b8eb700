"""我的待办 of returns: every return due this period (and every earlier one not filed), from the ledger."""

from __future__ import annotations

from etax.platform.api import HomeMessage, Principal, clock, ledger
from etax.platform.api import ledger as L
from etax.plugins.filing.service import ReturnKind, period_from_dates, return_for


class ReturnsDue:
    """A home-page message source: one 我的待办 entry per obligation of the filing window."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        if principal is None:
            return []
        taxpayer_id = principal.client_or_own_taxpayer
        if taxpayer_id is None:
            return []
        found: list[HomeMessage] = []
        shown: set[tuple[str, str]] = set()
        today = clock.today()
        returns: dict[L.TaxType, ReturnKind | None] = {}  # 增值税's return reads the taxpayer type: once
        for o in await ledger.current_obligations(taxpayer_id):
            if o.period_kind is L.PeriodKind.EVENT:
                continue
            if o.tax_type not in returns:
                returns[o.tax_type] = await return_for(taxpayer_id, o.tax_type)
            ret = returns[o.tax_type]
            if ret is None or (o.tax_type is not ret.main and not ret.any_of):
                continue  # 附加税费 are filed with their VAT return
            period = period_from_dates(o.period_kind, o.period_start)
            if period.kind not in ret.form.period_kinds or (ret.form.code, period.code) in shown:
                continue
            shown.add((ret.form.code, period.code))
            name = ret.function.name if not ret.any_of else "财产和行为税合并申报"
            if o.status is L.ObligationStatus.FILED and o.declaration is not None:
                tag = "已申报"
                title = f"{name}（{period.label}）已申报，申报序号{o.declaration.number}"
                url = f"/filing/records/{o.declaration.number}"
            else:
                tag = "逾期未申报" if o.status is L.ObligationStatus.OVERDUE else "未申报"
                left = (o.deadline - today).days
                due = f"申报期限{o.deadline:%Y-%m-%d}" + (f"，剩余{left}天" if 0 <= left <= 31 else "")
                title = f"{name}（{period.label}）{tag}，{due}"
                url = f"{ret.function.url}?period={period.code}"
            found.append(HomeMessage(tab="todo", title=title, url=url, date=o.deadline, tag=tag))
        return found
