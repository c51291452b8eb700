"""办税地图 and 办税日历: the platform's hall directory by city, and the month's deadlines and rest days."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, get
from litestar.response import Template

from etax.platform.api import CalendarUnavailable, calendar, clock, hall_cities, list_halls
from etax.plugins.public.functions import TAX_CALENDAR, TAX_MAP

MAX_QUERY = 40


class TaxMapController(Controller):
    """公众服务 › 办税地图: open halls, by city, filtered by a word of the name, district or address."""

    path = TAX_MAP.url
    opt = {"function": TAX_MAP.code}

    @get("/", cache=False)
    async def halls(self, city: str = "", q: str = "") -> Template:
        cities = await hall_cities()
        city = city if city in cities else ""
        words = q.strip()[:MAX_QUERY]
        shown = [
            hall
            for hall in await list_halls(city)
            if not words or any(words in text for text in (hall.name, hall.district, hall.address, hall.city))
        ]
        return Template(
            "public/tax_map.html",
            context={"halls": shown, "cities": cities, "city": city, "q": words},
        )


def _month(text: str) -> tuple[int, int] | None:
    """``2026-12`` → (2026, 12); None for anything else (years 2000–2100)."""
    if len(text) != 7 or text[4] != "-" or not (text[:4].isdigit() and text[5:].isdigit()):
        return None
    year, month = int(text[:4]), int(text[5:])
    return (year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class TaxCalendarController(Controller):
    """公众服务 › 办税日历: a month's filing deadline (申报期限) and rest days, from the platform calendar."""

    path = TAX_CALENDAR.url
    opt = {"function": TAX_CALENDAR.code}

    @get("/", cache=False)
    async def month(self, month: str = "") -> Template:
        today = clock.today()
        problem = ""
        chosen = _month(month[:7])
        if month and chosen is None:
            problem = "月份格式应为 YYYY-MM（2000年至2100年）"
        year, number = chosen or (today.year, today.month)
        cal = await calendar()
        weeks: list[list[object]] = []
        deadline: dt.date | None = None
        try:
            days = cal.month(year, number)
            deadline = cal.monthly_deadline(year, number)
            first = days[0].day.weekday()
            cells: list[object] = [None] * first + list(days)
            cells += [None] * (-len(cells) % 7)
            weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
        except CalendarUnavailable as error:
            problem = error.message
        return Template(
            "public/tax_calendar.html",
            context={
                "year": year,
                "month": number,
                "weeks": weeks,
                "deadline": deadline,
                "today": today,
                "problem": problem,
                "previous": _shift(year, number, -1),
                "next": _shift(year, number, 1),
            },
        )
