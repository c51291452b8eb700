"""The platform clock and calendar: pinned days, holiday-extended deadlines, the 2027 table, refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from litestar import Litestar

from etax.platform import clock
from etax.platform.calendar.service import (
    Calendar,
    CalendarUnavailable,
    DayKind,
    calendar,
    remove_day,
    save_year,
    set_day,
)
from etax.platform.calendar.tables import CalendarDayRow, CalendarYearRow
from tests.conftest import new_client
from tests.login_helpers import run
from tests.test_admin_support import log_in_as
from tests.test_admin_support import post as admin_post

# Published deadlines (docs/domain/etax-domain-facts.md §2.5 for 2024; the STA's 2025 calendar).
DEADLINES_2024 = [15, 23, 15, 18, 22, 19, 15, 15, 18, 24, 15, 16]
DEADLINES_2025 = [15, 20, 17, 18, 22, 16, 15, 15, 15, 27, 17, 15]


def test_pinned_clock_is_beijing_today(pin_clock: Callable[[dt.date | dt.datetime], None]) -> None:
    pin_clock(dt.date(2026, 2, 24))
    assert clock.today() == dt.date(2026, 2, 24)
    assert clock.now().utcoffset() == dt.timedelta(hours=8)
    # 23:30 UTC on the 1st is already the 2nd in Beijing.
    pin_clock(dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))
    assert clock.today() == dt.date(2026, 3, 2)


def test_clock_runs_when_not_pinned() -> None:
    assert not clock.is_pinned()
    assert abs((clock.now() - dt.datetime.now(dt.UTC)).total_seconds()) < 5
    with clock.pinned(dt.date(2025, 5, 1)):
        assert clock.today() == dt.date(2025, 5, 1)
    assert not clock.is_pinned()


@pytest.mark.parametrize(("year", "expected"), [(2024, DEADLINES_2024), (2025, DEADLINES_2025)])
def test_monthly_deadlines_follow_the_published_calendar(year: int, expected: list[int]) -> None:
    cal = run(calendar())
    assert [cal.monthly_deadline(year, month).day for month in range(1, 13)] == expected


def test_period_deadlines_and_working_days() -> None:
    cal = run(calendar())
    # January 2024's VAT return: due in February, moved to the 23rd by the Spring Festival.
    assert cal.period_deadline(dt.date(2024, 1, 31)) == dt.date(2024, 2, 23)
    # Q3 2024 quarterly return: due in October, 24th after the National Day week.
    assert cal.period_deadline(dt.date(2024, 9, 30)) == dt.date(2024, 10, 24)
    assert cal.holiday_name(dt.date(2024, 10, 3)) == "国庆节"
    assert cal.is_workday(dt.date(2024, 2, 18))  # a Sunday worked (调休上班)
    assert not cal.is_workday(dt.date(2024, 2, 12))
    assert cal.add_workdays(dt.date(2024, 9, 30), 1) == dt.date(2024, 10, 8)
    assert len(cal.workdays(dt.date(2024, 10, 1), dt.date(2024, 10, 13))) == 5  # 8–12 Oct (12th worked)


def test_2027_comes_from_the_bureau_table() -> None:
    cal = run(calendar())
    assert cal.has_year(2027)
    assert cal.source_of(2027) == "税务机关维护"
    assert cal.holiday_name(dt.date(2027, 2, 8)) == "春节"
    assert cal.is_workday(dt.date(2027, 2, 20))  # Saturday worked
    # The 15th of October 2027 comes after the 7-day National Day holiday: 7 working days later.
    assert cal.monthly_deadline(2027, 10) == dt.date(2027, 10, 26)
    assert cal.monthly_deadline(2027, 3) == dt.date(2027, 3, 15)


def test_a_year_without_data_is_refused() -> None:
    cal = run(calendar())
    assert not cal.has_year(2031)
    with pytest.raises(CalendarUnavailable) as refused:
        cal.monthly_deadline(2031, 3)
    assert "2031年" in refused.value.message and "节假日" in refused.value.message
    with pytest.raises(CalendarUnavailable):
        Calendar({}).is_workday(dt.date(2027, 1, 4))


def test_bureau_edits_change_deadlines() -> None:
    async def scenario() -> tuple[dt.date, dt.date]:
        await save_year(2030, source="测试", official=False, by="测试管理员")
        cal = await calendar()
        before = cal.monthly_deadline(2030, 10)
        for day in range(1, 8):
            await set_day(dt.date(2030, 10, day), DayKind.HOLIDAY, "国庆节", by="测试管理员")
        after = (await calendar()).monthly_deadline(2030, 10)
        for day in range(1, 8):
            await remove_day(dt.date(2030, 10, day))
        await CalendarYearRow.delete().where(CalendarYearRow.year == 2030)
        await CalendarDayRow.delete().where(CalendarDayRow.year == 2030)
        return before, after

    before, after = run(scenario())
    assert before == dt.date(2030, 10, 15)
    assert after == dt.date(2030, 10, 24)  # 7 holiday days → 7 working days after Tuesday the 15th


def test_back_office_maintains_a_year(app: Litestar) -> None:
    with new_client(app) as client:
        log_in_as(client, "system")
        page = client.get("/admin/calendar/")
        assert page.status_code == 200 and "2027" in page.text and "未核对" in page.text
        year = client.get("/admin/calendar/2027")
        assert year.status_code == 200 and "10-26" in year.text and "春节" in year.text
        assert admin_post(client, "/admin/calendar/", {"year": "2032", "source": "测试"}).status_code == 303
        assert (
            admin_post(
                client, "/admin/calendar/2032/days", {"day": "2032-10-01", "kind": "holiday", "name": ""}
            ).status_code
            == 303
        )
        assert "须填写节日名称" in client.get("/admin/calendar/2032").text
        for day in range(1, 4):
            admin_post(
                client,
                "/admin/calendar/2032/days",
                {"day": f"2032-10-0{day}", "kind": "holiday", "name": "国庆节"},
            )
        shown = client.get("/admin/calendar/2032").text
        assert "2032-10-03" in shown and "10-20" in shown  # 3 holiday days → the 15th (Fri) + 3 working days
        admin_post(client, "/admin/calendar/2032/days/2032-10-01/delete")
        assert "2032-10-01" not in client.get("/admin/calendar/2032").text.split("calendar-days")[1]
    with new_client(app) as client:
        log_in_as(client, "content")
        assert client.get("/admin/calendar/").status_code == 403
    run(CalendarDayRow.delete().where(CalendarDayRow.year == 2032))
    run(CalendarYearRow.delete().where(CalendarYearRow.year == 2032))


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/admin/calendar/", {"year": "二〇三三", "source": ""}, "请填写四位年份"),
        ("/admin/calendar/2027/days", {"day": "2027-13-01", "kind": "holiday"}, "日期格式应为 YYYY-MM-DD"),
        ("/admin/calendar/2027/days", {"day": "2027-10-01", "kind": "节日"}, "请选择放假或调休上班"),
        ("/admin/calendar/2027/days", {"day": "2028-10-01", "kind": "workday"}, "日期应在2027年内"),
    ],
)
def test_bad_calendar_entries_are_explained(
    app: Litestar, url: str, data: dict[str, str], message: str
) -> None:
    with new_client(app) as client:
        log_in_as(client, "system")
        answer = admin_post(client, url, data)
        assert answer.status_code == 303
        assert message in client.get(answer.headers["location"]).text
