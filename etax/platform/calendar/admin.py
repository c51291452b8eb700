"""节假日安排 in the back office (系统管理员): the bureau-maintained holiday table.

Years after the ``chinese-calendar`` package's last year are entered here (2027 is seeded, derived from
the rules and marked 未核对). Each year page shows the resulting monthly filing deadlines, so an
administrator checks the table against the State Council notice and the STA's published 申报期限.
Every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from etax.platform import audit
from etax.platform.admin.common import set_notice
from etax.platform.admin.rendering import admin_page, page_admin
from etax.platform.admin.roles import ADMIN_ROLE_OPT, NavItem
from etax.platform.calendar.service import (
    PACKAGE_YEARS,
    CalendarEditError,
    CalendarUnavailable,
    DayKind,
    bureau_years,
    calendar,
    remove_day,
    save_year,
    set_day,
)
from etax.platform.forms import submitted, submitted_text

CalendarYear = FromPath[int]


FREE_TEXT = 20_000  # a free-text field read as typed; its own limit applies after


def _known_year(year: int) -> int:
    """The year of a page, or 404 outside 2000–2100 (the calendar holds no other years)."""
    if not 2000 <= year <= 2100:
        raise NotFoundException("年份应在2000至2100之间")
    return year


"""A calendar year in a URL: a year outside 1900 … 2200 is refused with 400 (no date arithmetic on it)."""

NAV = NavItem(
    label="节假日安排",
    url="/admin/calendar",
    requirement="system",
    description="维护法定节假日和调休上班日（chinese-calendar 之后的年份），核对申报期限",
)


async def _audit(request: Request[Any, Any, Any], action: str, target: str, detail: str = "") -> None:
    admin = page_admin(request)
    await audit.record(
        actor=admin.actor if admin else "admin:?",
        action=f"admin.calendar.{action}",
        outcome="success",
        connection=request,
        target=target,
        detail=detail,
    )


def _by(request: Request[Any, Any, Any]) -> str:
    admin = page_admin(request)
    return admin.display_name if admin else ""


class CalendarAdmin(Controller):
    """/admin/calendar — 系统管理员."""

    path = "/calendar"
    opt = {ADMIN_ROLE_OPT: "system"}

    @get("/", cache=False)
    async def years(self, request: Request[Any, Any, Any]) -> Template:
        return admin_page(
            request,
            "calendar/admin_years.html",
            {
                "bureau": await bureau_years(),
                "package_first": PACKAGE_YEARS.start,
                "package_last": PACKAGE_YEARS.stop - 1,
                "next_year": max([PACKAGE_YEARS.stop - 1, *[y.year for y in await bureau_years()]]) + 1,
            },
        )

    @post("/")
    async def add_year(self, request: Request[Any, Any, Any]) -> Redirect:
        data = await submitted(request)
        raw = submitted_text(data, "year").strip()
        source = submitted_text(data, "source", 500)
        if not raw.isdigit():
            set_notice(request, "请填写四位年份", error=True)
            return Redirect("/admin/calendar", status_code=303)
        try:
            await save_year(int(raw), source=source, official=False, by=_by(request))
        except CalendarEditError as error:
            set_notice(request, error.message, error=True)
            return Redirect("/admin/calendar", status_code=303)
        await _audit(request, "year", raw, source)
        set_notice(request, f"已添加{raw}年，请逐日录入放假和调休上班日期")
        return Redirect(f"/admin/calendar/{raw}", status_code=303)

    @get("/{year:int}", cache=False)
    async def year(self, request: Request[Any, Any, Any], year: CalendarYear) -> Template:
        _known_year(year)
        entry = next((y for y in await bureau_years() if y.year == year), None)
        cal = await calendar()
        deadlines: list[tuple[int, str]] = []
        problem = ""
        try:
            deadlines = [(month, cal.monthly_deadline(year, month).isoformat()) for month in range(1, 13)]
        except CalendarUnavailable as error:
            problem = error.message
        return admin_page(
            request,
            "calendar/admin_year.html",
            {
                "year": year,
                "entry": entry,
                "source": cal.source_of(year),
                "deadlines": deadlines,
                "problem": problem,
                "kinds": list(DayKind),
            },
            status=200 if entry is not None or cal.has_year(year) else 404,
        )

    @post("/{year:int}/meta")
    async def meta(self, request: Request[Any, Any, Any], year: CalendarYear) -> Redirect:
        _known_year(year)
        data = await submitted(request)
        official = submitted_text(data, "official") == "1"
        try:
            await save_year(
                year,
                source=submitted_text(data, "source", 500),
                official=official,
                by=_by(request),
            )
        except CalendarEditError as error:
            set_notice(request, error.message, error=True)
            return Redirect(f"/admin/calendar/{year}", status_code=303)
        await _audit(request, "meta", str(year), "已核对" if official else "未核对")
        set_notice(request, f"{year}年的来源说明已保存")
        return Redirect(f"/admin/calendar/{year}", status_code=303)

    @post("/{year:int}/days")
    async def add_day(self, request: Request[Any, Any, Any], year: CalendarYear) -> Redirect:
        _known_year(year)
        data = await submitted(request)
        back = f"/admin/calendar/{year}"
        try:
            day = dt.date.fromisoformat(submitted_text(data, "day").strip())
        except ValueError:
            set_notice(request, "日期格式应为 YYYY-MM-DD", error=True)
            return Redirect(back, status_code=303)
        kind_text = submitted_text(data, "kind")
        if kind_text not in {k.value for k in DayKind}:
            set_notice(request, "请选择放假或调休上班", error=True)
            return Redirect(back, status_code=303)
        if day.year != year:
            set_notice(request, f"日期应在{year}年内", error=True)
            return Redirect(back, status_code=303)
        name = submitted_text(data, "name", FREE_TEXT)
        try:
            await set_day(
                day,
                DayKind(kind_text),
                name if kind_text == DayKind.HOLIDAY.value else "调休上班",
                by=_by(request),
            )
        except CalendarEditError as error:
            set_notice(request, error.message, error=True)
            return Redirect(back, status_code=303)
        await _audit(request, "day", day.isoformat(), f"{DayKind(kind_text).label} {name}")
        set_notice(request, f"{day.isoformat()} 已设为{DayKind(kind_text).label}")
        return Redirect(back, status_code=303)

    @post("/{year:int}/days/{day:str}/delete")
    async def delete_day(
        self, request: Request[Any, Any, Any], year: CalendarYear, day: FromPath[str]
    ) -> Redirect:
        _known_year(year)
        back = f"/admin/calendar/{year}"
        try:
            parsed = dt.date.fromisoformat(day)
        except ValueError:
            set_notice(request, "日期格式应为 YYYY-MM-DD", error=True)
            return Redirect(back, status_code=303)
        await remove_day(parsed)
        await _audit(request, "remove", parsed.isoformat())
        set_notice(request, f"{parsed.isoformat()} 已恢复为普通日期")
        return Redirect(back, status_code=303)
