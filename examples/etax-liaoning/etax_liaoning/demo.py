"""Demo data of the distribution (``etax demo load``): the 纯社保户's fee registrations and history.

Every 纯社保户 of the registry whose 税务登记 lists 社会保险费 but which has no fee registration in the
ledger yet gets: the registrations (monthly, from 2026-08), a verified 三方协议, August 2026 declared and
paid, September 2026 declared and not paid. October 2026 is left to declare. Running it again changes
nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from etax.platform.api import Taxpayer, clock, ledger
from etax_liaoning import fees

L = ledger
FROM = dt.date(2026, 8, 1)
ACCOUNT = "6217213100012345671"  # 盛京银行; the development bank verifies and debits it


async def load() -> str:
    rows = await Taxpayer.select(Taxpayer.id, Taxpayer.name, Taxpayer.registered_taxes).where(
        Taxpayer.pure_social_security == True  # noqa: E712 (a Piccolo expression)
    )
    loaded = 0
    for row in rows:
        taxpayer_id = int(row["id"])
        wanted = [fee for fee in L.SOCIAL_INSURANCE_FEES if fee.label in str(row["registered_taxes"])]
        if not wanted or fees.registered_fees(await L.registrations(taxpayer_id)):
            continue
        for fee in wanted:
            await L.register_tax(taxpayer_id, fee, L.PeriodKind.MONTH, FROM)
        with clock.pinned(dt.date(2026, 7, 20)):
            await L.sign_agreement(
                taxpayer_id,
                bank_code="313",
                bank_name="盛京银行",
                account_number=ACCOUNT,
                account_name=str(row["name"]),
                signed_by="演示数据",
            )
        for month, filed_on, paid in (
            (dt.date(2026, 8, 1), dt.date(2026, 9, 8), True),
            (dt.date(2026, 9, 1), dt.date(2026, 10, 12), False),
        ):
            end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            period = fees.DuePeriod(start=month, end=end, deadline=end, fees=tuple(wanted), late=False)
            with clock.pinned(filed_on):
                filed = await fees.declare(
                    taxpayer_id,
                    period,
                    12,
                    Decimal("62400.00"),
                    filed_by="演示数据",
                    submission=f"demo:liaoning:{taxpayer_id}:{month:%Y-%m}",
                )
                if paid:
                    await L.pay(
                        taxpayer_id,
                        [d.id for d in filed],
                        key=f"demo:liaoning-pay:{taxpayer_id}:{month:%Y-%m}",
                        requested_by="演示数据",
                    )
        loaded += 1
    return f"辽宁特色业务：{loaded} 户纯社保户的社保费登记和缴费记录"
