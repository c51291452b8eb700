"""The hall directory (办税服务厅), a platform service: demo halls, reads, back-office maintenance."""

from __future__ import annotations

import datetime as dt

import pytest
from litestar import Litestar

from etax.platform import api
from etax.platform.halls.service import HallError, parse_periods
from tests.conftest import new_client
from tests.test_admin_support import log_in_as, run
from tests.test_admin_support import post as admin_post


def test_demo_halls_come_from_the_directory_with_half_hour_slots() -> None:
    halls = run(api.list_halls("沈阳市"))
    names = {hall.district: hall for hall in halls}
    assert {"和平区", "沈河区", "铁西区", "康平县"} <= set(names)
    kangping = names["康平县"]
    assert kangping.hours == "工作日 08:30-11:30，13:00-16:30"
    starts = kangping.slot_starts()
    assert starts[0] == dt.time(8, 30) and starts[-1] == dt.time(16, 0)
    assert dt.time(11, 30) not in starts and dt.time(12, 30) not in starts
    assert len(starts) == 6 + 7
    assert kangping.windows_for(api.HallBusiness.GENERAL) == 2
    assert kangping.windows_for(api.HallBusiness.SOCIAL) == 0
    assert "沈阳市" in run(api.hall_cities())
    assert run(api.get_hall(kangping.id)) == kangping
    assert run(api.get_hall(2_000_000_000)) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "1至3段"),
        ("8:30-11:30", "格式"),
        ("08:15-11:30", "整点或半点"),
        ("11:30-08:30", "晚于"),
        ("13:00-17:00,08:30-11:30", "先后"),
    ],
)
def test_bad_opening_periods_are_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(HallError) as error:
        parse_periods(text)
    assert message in error.value.message


def test_system_administrator_adds_a_hall_sets_windows_and_closes_it(app: Litestar) -> None:
    with new_client(app) as client:
        log_in_as(client, "system")
        fields = {
            "code": "dl-zs-09",
            "city": "大连市",
            "district": "中山区",
            "name": "<b>测试</b>办税服务厅",
            "address": "大连市中山区测试路1号",
            "phone": "0411-12366",
            "periods": "09:00-12:00",
            "active": "1",
        }
        bad = admin_post(client, "/admin/halls/", {**fields, "periods": "09:00-08:00"})
        assert bad.status_code == 303 and "晚于" in client.get("/admin/halls/").text
        added = admin_post(client, "/admin/halls/", fields)
        assert added.status_code == 303
        url = added.headers["location"]
        page = client.get(url).text
        assert "&lt;b&gt;测试&lt;/b&gt;办税服务厅" in page and "<b>测试</b>" not in page
        assert admin_post(client, f"{url}/windows", {"general": "5", "invoice": "x"}).status_code == 303
        assert "窗口数应为0至50的整数" in client.get(url).text
        admin_post(client, f"{url}/windows", {"general": "5", "invoice": "2"})
        hall = next(h for h in run(api.list_halls("大连市")) if h.code == "DL-ZS-09")
        assert hall.windows_for(api.HallBusiness.GENERAL) == 5
        assert hall.businesses == (api.HallBusiness.GENERAL, api.HallBusiness.INVOICE)
        assert admin_post(client, "/admin/halls/", fields).status_code == 303
        assert "已被使用" in client.get("/admin/halls/").text
        admin_post(client, url, {**fields, "active": "0"})
        assert all(h.code != "DL-ZS-09" for h in run(api.list_halls()))
        assert run(api.get_hall(hall.id)) is not None
        assert client.get("/admin/halls/999999").status_code == 404
