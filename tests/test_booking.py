"""预约办税 (interaction plugin): booking window from the calendar, one booking per day, replay, cancel,
取号码 and arrivals in the back office, no-show blocking — and no overbooking under concurrency (PostgreSQL).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import secrets
from collections.abc import Callable

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import api
from etax.platform.halls.service import HallInput, save_hall, set_windows
from etax.plugins.interaction import booking as B
from etax.plugins.interaction.tables import Booking, BookingSlot
from tests.conftest import BACKEND, new_client
from tests.factories import create_enterprise, log_in_staff
from tests.test_admin_support import log_in_as, run
from tests.test_admin_support import post as admin_post

Pin = Callable[[dt.date | dt.datetime], None]
URL = "/interaction/booking"
TUESDAY = dt.datetime(2026, 12, 1, 10, 0, tzinfo=api.BEIJING)  # working days after it: 12-02 … 12-08


def new_hall(windows: int = 2, *, same_day: bool = False) -> int:
    code = "T-" + secrets.token_hex(4).upper()
    hall_id = run(
        save_hall(
            HallInput(
                code=code,
                city="测试市",
                name=f"测试办税服务厅{code}",
                address="测试路1号",
                periods="09:00-11:00,13:00-15:00",
                same_day=same_day,
            )
        )
    )
    run(set_windows(hall_id, api.HallBusiness.INVOICE, windows))
    return hall_id


def token(client: TestClient[Litestar], hall_id: int, day: str = "2026-12-02") -> str:
    page = client.get(URL + "/", params={"hall": hall_id, "business": "invoice", "day": day}).text
    match = re.search(r'name="submission" value="([^"]+)"', page)
    assert match, page[-3000:]
    return match.group(1)


def book(client: TestClient[Litestar], hall_id: int, day: str, start: str, submission: str) -> str:
    """POST a booking; return the notice shown afterwards."""
    csrf = client.cookies.get("etax_csrf") or ""
    response = client.post(
        URL + "/book",
        data={
            "hall": str(hall_id),
            "business": "invoice",
            "day": day,
            "start": start,
            "submission": submission,
        },
        headers={"x-csrftoken": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:2000]
    page = client.get(response.headers["location"]).text
    notice = re.search(r'data-testid="notice">([^<]*)<', page)
    return notice.group(1) if notice else ""


def booking_rows(taxpayer_id: int) -> list[dict[str, object]]:
    return run(Booking.select().where(Booking.taxpayer == taxpayer_id).order_by(Booking.id))


def test_book_replay_one_per_day_todo_cancel_and_rebook(app: Litestar, pin_clock: Pin) -> None:
    pin_clock(TUESDAY)
    hall_id = new_hall()
    ours, theirs = create_enterprise("预约企业有限公司"), create_enterprise("旁人企业有限公司")
    with new_client(app) as client, new_client(app) as other:
        log_in_staff(client, ours, "legal_rep")
        log_in_staff(other, theirs, "legal_rep")
        page = client.get(URL + "/", params={"hall": hall_id, "business": "invoice"}).text
        days = re.findall(r'<option value="(2026-12-\d\d)"', page)
        assert days == ["2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08"]
        assert "09:00-09:30" in page and "14:30-15:00" in page and "11:00-11:30" not in page
        submission = token(client, hall_id)
        notice = book(client, hall_id, "2026-12-02", "09:30", submission)
        code = re.search(r"取号码 (\d{8})", notice)
        assert code and "预约成功：2026-12-02 09:30-10:00" in notice
        assert book(client, hall_id, "2026-12-02", "09:30", submission).startswith("预约成功")  # replay
        assert len(booking_rows(ours.taxpayer_id)) == 1
        assert "1 / 2" in client.get(URL + "/", params={"hall": hall_id, "business": "invoice"}).text
        home = client.get("/").text
        assert f"取号码{code.group(1)}" in home and "预约办税：2026-12-02 09:30-10:00" in home

        assert "一天只能预约一个业务" in book(client, hall_id, "2026-12-02", "13:00", token(client, hall_id))
        assert "5个工作日" in book(client, hall_id, "2026-12-09", "09:00", token(client, hall_id))
        assert "5个工作日" in book(client, hall_id, "2026-12-05", "09:00", token(client, hall_id))  # Saturday
        assert "办公时间内" in book(client, hall_id, "2026-12-03", "11:30", token(client, hall_id))
        assert "页面已过期" in book(client, hall_id, "2026-12-03", "09:00", "forged-token")

        booking_id = int(str(booking_rows(ours.taxpayer_id)[0]["id"]))
        other.get(URL + "/")
        csrf = other.cookies.get("etax_csrf") or ""
        refused = other.post(
            f"{URL}/{booking_id}/cancel", headers={"x-csrftoken": csrf}, follow_redirects=False
        )
        assert refused.status_code == 404
        csrf = client.cookies.get("etax_csrf") or ""
        cancelled = client.post(f"{URL}/{booking_id}/cancel", headers={"x-csrftoken": csrf})
        assert "已取消 2026-12-02 09:30-10:00 的预约" in cancelled.text
        assert "预约办税：" not in client.get("/").text
        again = client.post(f"{URL}/{booking_id}/cancel", headers={"x-csrftoken": csrf})
        assert "该预约已取消" in again.text
        assert book(client, hall_id, "2026-12-02", "13:00", token(client, hall_id)).startswith("预约成功")
        slot = run(BookingSlot.select().where(BookingSlot.hall == hall_id).order_by(BookingSlot.id))
        assert [int(str(s["booked"])) for s in slot] == [0, 1]


def test_a_full_slot_and_a_started_slot_cannot_be_booked_or_cancelled(app: Litestar, pin_clock: Pin) -> None:
    pin_clock(TUESDAY)
    hall_id = new_hall(windows=1, same_day=True)
    first, second = create_enterprise("先约企业有限公司"), create_enterprise("后约企业有限公司")
    with new_client(app) as a, new_client(app) as b:
        log_in_staff(a, first, "legal_rep")
        log_in_staff(b, second, "legal_rep")
        assert book(a, hall_id, "2026-12-01", "13:00", token(a, hall_id, "2026-12-01")).startswith("预约成功")
        assert "已约满" in book(b, hall_id, "2026-12-01", "13:00", token(b, hall_id, "2026-12-01"))
        assert "已开始" in book(b, hall_id, "2026-12-01", "09:30", token(b, hall_id, "2026-12-01"))
        pin_clock(dt.datetime(2026, 12, 1, 13, 0, tzinfo=api.BEIJING))
        booking_id = int(str(booking_rows(first.taxpayer_id)[0]["id"]))
        csrf = a.cookies.get("etax_csrf") or ""
        late = a.post(f"{URL}/{booking_id}/cancel", headers={"x-csrftoken": csrf})
        assert "不能取消" in late.text


def test_hall_staff_mark_arrivals_by_code_and_three_no_shows_block_booking(
    app: Litestar, pin_clock: Pin
) -> None:
    pin_clock(TUESDAY)
    hall_id = new_hall()
    ours = create_enterprise("到厅企业有限公司")
    with new_client(app) as client, new_client(app) as staff:
        log_in_staff(client, ours, "legal_rep")
        notice = book(client, hall_id, "2026-12-02", "09:00", token(client, hall_id))
        code = re.search(r"取号码 (\d{8})", notice)
        assert code
        log_in_as(staff, "hall")
        admin_post(staff, "/admin/bookings/arrive", {"code": code.group(1), "hall": str(hall_id)})
        assert "只能在当天登记到达" in staff.get(f"/admin/bookings/?hall={hall_id}").text
        pin_clock(dt.datetime(2026, 12, 2, 9, 10, tzinfo=api.BEIJING))
        assert code.group(1) in staff.get(f"/admin/bookings/?hall={hall_id}").text
        admin_post(staff, "/admin/bookings/arrive", {"code": code.group(1), "hall": str(hall_id)})
        assert "已登记到达" in staff.get(f"/admin/bookings/?hall={hall_id}").text
        admin_post(staff, "/admin/bookings/arrive", {"code": "12ab", "hall": str(hall_id)})
        assert "取号码为8位数字" in staff.get(f"/admin/bookings/?hall={hall_id}").text
        assert "已到达" in client.get(URL + "/").text

        # three no-shows within three months: blocked for six months from the third
        fresh = token(client, hall_id, "2026-12-03")
        for index, day in enumerate((dt.date(2026, 10, 12), dt.date(2026, 11, 3), dt.date(2026, 11, 25))):
            run(
                Booking.insert(
                    Booking(
                        code=f"{secrets.randbelow(10**8):08d}",
                        submission=secrets.token_urlsafe(16),
                        taxpayer=ours.taxpayer_id,
                        slot=0,
                        hall=hall_id,
                        business="invoice",
                        day=day,
                        starts_at=dt.datetime.combine(day, dt.time(9, 0), tzinfo=api.BEIJING),
                        booked_by=f"失约{index}",
                    )
                )
            )
        page = client.get(URL + "/").text
        assert "2027-05-25前不能预约办税" in page and "失约" in page
        assert "2027-05-25前不能预约" in book(client, hall_id, "2026-12-03", "09:00", fresh)


@pytest.mark.parametrize(
    ("days", "until"),
    [
        ([dt.date(2026, 1, 5), dt.date(2026, 2, 1), dt.date(2026, 4, 5)], dt.date(2026, 10, 5)),
        ([dt.date(2026, 1, 5), dt.date(2026, 2, 1), dt.date(2026, 4, 6)], None),  # 3 months and a day
        ([dt.date(2026, 1, 5), dt.date(2026, 3, 1)], None),
        ([dt.date(2025, 11, 30), dt.date(2025, 12, 15), dt.date(2026, 2, 28)], dt.date(2026, 8, 28)),
    ],
)
def test_three_no_shows_within_three_months_block_for_six_months(
    days: list[dt.date], until: dt.date | None
) -> None:
    assert B.blocked_until(days) == until


@pytest.mark.skipif(BACKEND != "postgres", reason="races are tested on PostgreSQL")
def test_a_hundred_parallel_bookings_of_a_five_place_slot_make_exactly_five(pin_clock: Pin) -> None:
    pin_clock(TUESDAY)
    hall_id = new_hall(windows=5)
    day, start = dt.date(2026, 12, 3), dt.time(10, 0)

    async def attempt(taxpayer_id: int, gate: asyncio.Semaphore) -> str:
        async with gate:  # at most 40 connections at once: the test server is shared
            try:
                await B.book(
                    taxpayer_id=taxpayer_id,
                    hall_id=hall_id,
                    business=api.HallBusiness.INVOICE,
                    day=day,
                    start=start,
                    submission=secrets.token_urlsafe(16),
                    booked_by="并发测试",
                )
            except B.BookingError as error:
                return error.message
            return "ok"

    async def burst() -> list[str]:
        gate = asyncio.Semaphore(40)
        return list(await asyncio.gather(*(attempt(900_000 + i, gate) for i in range(100))))

    answers = run(burst())
    assert answers.count("ok") == 5
    assert set(answers) == {"ok", "该时段已约满，请选择其他时段"}
    slot = run(BookingSlot.select().where(BookingSlot.hall == hall_id).first())
    assert slot is not None and slot["booked"] == 5 and slot["capacity"] == 5
    assert run(Booking.count().where(Booking.hall == hall_id)) == 5
