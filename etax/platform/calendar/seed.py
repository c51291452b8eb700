"""The 2027 holiday arrangement seeded into the bureau table.

``chinese-calendar`` 1.11.0 stops at 2026. No State Council notice for 2027 could be checked from
here, so 2027 is **derived from the rules** of 《全国年节及纪念日放假办法》 (2024 revision: 元旦 1 day,
春节 4 days from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3) and the lunar dates of 2027 (除夕
2月5日, 清明 4月5日, 端午 6月9日, 中秋 9月15日), arranged the way recent notices bridge weekends. The
back office marks it 未核对 until an administrator checks it against the notice and corrects it there.
"""

from __future__ import annotations

import datetime as dt

from etax.platform.calendar.service import DayKind, SpecialDay

SOURCE_2027 = (
    "按《全国年节及纪念日放假办法》推定（chinese-calendar 1.11.0 尚无2027年数据）；"
    "国务院办公厅通知发布后请核对并更正"
)


def _holidays(name: str, start: dt.date, end: dt.date) -> list[SpecialDay]:
    days = (end - start).days + 1
    return [
        SpecialDay(day=start + dt.timedelta(days=i), kind=DayKind.HOLIDAY, name=name) for i in range(days)
    ]


def _work(*days: dt.date) -> list[SpecialDay]:
    return [SpecialDay(day=d, kind=DayKind.WORKDAY, name="调休上班") for d in days]


def arrangement_2027() -> list[SpecialDay]:
    """2027: holidays and adjusted working days (derived, see the module docstring)."""
    d = dt.date
    return [
        *_holidays("元旦", d(2027, 1, 1), d(2027, 1, 3)),
        *_holidays("春节", d(2027, 2, 5), d(2027, 2, 12)),
        *_work(d(2027, 1, 31), d(2027, 2, 20)),
        *_holidays("清明节", d(2027, 4, 3), d(2027, 4, 5)),
        *_holidays("劳动节", d(2027, 5, 1), d(2027, 5, 5)),
        *_work(d(2027, 5, 8)),
        *_holidays("端午节", d(2027, 6, 9), d(2027, 6, 9)),
        *_holidays("中秋节", d(2027, 9, 15), d(2027, 9, 15)),
        *_holidays("国庆节", d(2027, 10, 1), d(2027, 10, 7)),
        *_work(d(2027, 9, 26), d(2027, 10, 9)),
    ]
