"""办税地图 (the platform's hall directory by city) and 办税日历 (deadlines from the platform calendar)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from litestar.testing import TestClient

Pin = Callable[[dt.date | dt.datetime], None]


def test_tax_map_lists_the_directory_halls_by_city_and_word(client: TestClient) -> None:  # type: ignore[type-arg]
    page = client.get("/public/tax-map/").text
    assert "国家税务总局康平县税务局办税服务厅" in page and "工作日 08:30-11:30，13:00-16:30" in page
    assert "发票业务（3个窗口）" in page
    shenhe = client.get("/public/tax-map/", params={"city": "沈阳市", "q": "北站路"}).text
    assert "沈河区税务局办税服务厅" in shenhe and "康平县" not in shenhe.split('data-testid="halls"')[1]
    nothing = client.get("/public/tax-map/", params={"city": "<script>", "q": "<b>x</b>" * 20}).text
    assert 'data-testid="no-halls"' in nothing and "<b>x</b>" not in nothing
    found = client.get("/api/search", params={"q": "办税服务厅地址"}).json()["results"]
    assert "public.tax_map" in [r["code"] for r in found[:3]]


def test_tax_calendar_shows_the_months_deadline_and_holidays(client: TestClient, pin_clock: Pin) -> None:  # type: ignore[type-arg]
    pin_clock(dt.date(2026, 11, 30))
    october = client.get("/public/tax-calendar/", params={"month": "2026-10"}).text
    assert "本月申报纳税期限：<strong>2026-10-26</strong>" in october  # 国庆节 extends the 15th
    assert "国庆节" in october and "调休上班" in october
    now = client.get("/public/tax-calendar/").text
    assert "2026年11月" in now and "2026-11-16" in now and "今天" in now
    bad = client.get("/public/tax-calendar/", params={"month": "2026-13"})
    assert bad.status_code == 200 and "月份格式应为" in bad.text
    unknown = client.get("/public/tax-calendar/", params={"month": "2099-01"}).text
    assert "暂无2099年的法定节假日安排" in unknown
