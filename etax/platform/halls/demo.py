"""The demo hall directory: the Shenyang halls the 办税地图 example used to carry (idempotent)."""

from __future__ import annotations

from etax.platform.halls.service import HallBusiness, HallInput, save_hall, set_windows
from etax.platform.halls.tables import HallRow

DAYTIME = "08:30-11:30,13:00-17:00"

DEMO_HALLS: tuple[tuple[HallInput, dict[HallBusiness, int]], ...] = (
    (
        HallInput(
            code="SY-HP-01",
            city="沈阳市",
            district="和平区",
            name="国家税务总局沈阳市和平区税务局第一税务分局办税服务厅",
            address="沈阳市和平区南京北街100号",
            phone="024-12366",
            periods=DAYTIME,
            same_day=True,
        ),
        {HallBusiness.GENERAL: 4, HallBusiness.INVOICE: 3, HallBusiness.FILING: 2, HallBusiness.GUIDANCE: 1},
    ),
    (
        HallInput(
            code="SY-SH-01",
            city="沈阳市",
            district="沈河区",
            name="国家税务总局沈阳市沈河区税务局办税服务厅",
            address="沈阳市沈河区北站路6号",
            phone="024-12366",
            periods=DAYTIME,
        ),
        {
            HallBusiness.GENERAL: 3,
            HallBusiness.INVOICE: 2,
            HallBusiness.REGISTRATION: 1,
            HallBusiness.SOCIAL: 1,
        },
    ),
    (
        HallInput(
            code="SY-TX-01",
            city="沈阳市",
            district="铁西区",
            name="国家税务总局沈阳市铁西区税务局办税服务厅",
            address="沈阳市铁西区北二中路12号",
            phone="024-12366",
            periods=DAYTIME,
        ),
        {HallBusiness.GENERAL: 3, HallBusiness.INVOICE: 2, HallBusiness.FILING: 2},
    ),
    (
        HallInput(
            code="SY-KP-01",
            city="沈阳市",
            district="康平县",
            name="国家税务总局康平县税务局办税服务厅",
            address="沈阳市康平县康平镇胜利街8号",
            phone="024-12366",
            periods="08:30-11:30,13:00-16:30",
        ),
        {HallBusiness.GENERAL: 2, HallBusiness.INVOICE: 1},
    ),
)


async def load_halls_demo() -> int:
    """Add the demo halls that are missing (by code); return how many were added."""
    added = 0
    for entry, windows in DEMO_HALLS:
        if await HallRow.exists().where(HallRow.code == entry.code):
            continue
        hall_id = await save_hall(entry)
        for business, count in windows.items():
            await set_windows(hall_id, business, count)
        added += 1
    return added
