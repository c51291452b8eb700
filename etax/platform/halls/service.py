"""The hall directory: tax service halls (办税服务厅), their opening periods and windows per business type.

One platform service because several features read it: 预约办税 (interaction plugin: slots per half hour
within a hall's periods, capacity from its windows), 办税地图 (public plugin), a regional distribution's
hall queue display. The bureau maintains it in the back office (``/admin/halls``, 系统管理员); plugins
read it through ``etax.platform.api`` (:func:`list_halls`, :func:`get_hall`, :func:`hall_cities`).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

import msgspec
from piccolo.columns import Column

from etax.platform import clock
from etax.platform.db.integrity import is_unique_violation
from etax.platform.halls.tables import HallRow, HallWindowRow

SLOT_MINUTES = 30
MAX_WINDOWS = 50
_PERIOD = re.compile(r"^([01]\d|2[0-3]):([03]0)-([01]\d|2[0-3]):([03]0)$")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")


class HallBusiness(StrEnum):
    """A business type a hall's windows serve (预约办税 books one of them)."""

    GENERAL = "general"
    INVOICE = "invoice"
    FILING = "filing"
    REGISTRATION = "registration"
    GUIDANCE = "guidance"
    SOCIAL = "social"

    @property
    def label(self) -> str:
        return BUSINESS_LABELS[self.value]


BUSINESS_LABELS: dict[str, str] = {
    "general": "综合业务",
    "invoice": "发票业务",
    "filing": "申报缴税",
    "registration": "登记认定",
    "guidance": "税政政策辅导",
    "social": "社保费业务",
}


class HallWindow(msgspec.Struct, frozen=True, kw_only=True):
    """How many windows of a hall serve one business type."""

    business: HallBusiness
    windows: int

    @property
    def label(self) -> str:
        return self.business.label


class Period(msgspec.Struct, frozen=True):
    """One opening period of a working day (Beijing wall-clock times)."""

    start: dt.time
    end: dt.time

    @property
    def text(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


class Hall(msgspec.Struct, frozen=True, kw_only=True):
    """One tax service hall as every reader sees it."""

    id: int
    code: str
    city: str
    district: str
    name: str
    address: str
    phone: str
    periods: tuple[Period, ...]
    same_day: bool
    active: bool
    windows: tuple[HallWindow, ...] = ()

    @property
    def hours(self) -> str:
        """Opening hours as shown to taxpayers: ``工作日 08:30-11:30，13:00-17:00``."""
        return "工作日 " + "，".join(p.text for p in self.periods)

    @property
    def periods_text(self) -> str:
        return ",".join(p.text for p in self.periods)

    def windows_for(self, business: HallBusiness | str) -> int:
        """Windows serving ``business`` (0 when the hall does not offer it)."""
        return next((w.windows for w in self.windows if w.business == business), 0)

    @property
    def businesses(self) -> tuple[HallBusiness, ...]:
        return tuple(w.business for w in self.windows if w.windows > 0)

    def slot_starts(self) -> list[dt.time]:
        """The start of every half-hour slot within the opening periods."""
        starts: list[dt.time] = []
        for period in self.periods:
            at = dt.datetime.combine(dt.date(2000, 1, 1), period.start)
            end = dt.datetime.combine(dt.date(2000, 1, 1), period.end)
            while at + dt.timedelta(minutes=SLOT_MINUTES) <= end:
                starts.append(at.time())
                at += dt.timedelta(minutes=SLOT_MINUTES)
        return starts


class HallInput(msgspec.Struct, frozen=True, kw_only=True):
    """What the back office enters for a hall."""

    code: str
    city: str
    district: str = ""
    name: str
    address: str
    phone: str = ""
    periods: str
    same_day: bool = False
    active: bool = True


class HallError(Exception):
    """A hall entry the directory refuses, with the Chinese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_periods(text: str) -> tuple[Period, ...]:
    """``08:30-11:30,13:00-17:00`` → periods; on whole or half hours, in order, not overlapping."""
    parts = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    if not 1 <= len(parts) <= 3:
        raise HallError("办公时段应为1至3段，如 08:30-11:30,13:00-17:00")
    periods: list[Period] = []
    for part in parts:
        match = _PERIOD.match(part)
        if match is None:
            raise HallError(f"办公时段“{part[:20]}”格式应为 HH:MM-HH:MM，且在整点或半点")
        start = dt.time(int(match.group(1)), int(match.group(2)))
        end = dt.time(int(match.group(3)), int(match.group(4)))
        if end <= start:
            raise HallError(f"办公时段“{part}”的结束时间应晚于开始时间")
        if periods and start < periods[-1].end:
            raise HallError("办公时段应按时间先后填写且互不重叠")
        periods.append(Period(start, end))
    return tuple(periods)


def _problems(entry: HallInput) -> str | None:
    if not _CODE.match(entry.code):
        return "厅点编号应为2至20位大写字母、数字或连字符"
    for value, label, limit in (
        (entry.city, "所在城市", 40),
        (entry.name, "厅点名称", 120),
        (entry.address, "地址", 200),
    ):
        if not value.strip():
            return f"请填写{label}"
        if len(value) > limit:
            return f"{label}不能超过{limit}个字"
    if len(entry.district) > 40:
        return "区县不能超过40个字"
    if len(entry.phone) > 40:
        return "咨询电话不能超过40个字"
    return None


async def _windows(hall_ids: list[int]) -> dict[int, tuple[HallWindow, ...]]:
    if not hall_ids:
        return {}
    rows = await HallWindowRow.select(
        HallWindowRow.hall, HallWindowRow.business, HallWindowRow.windows
    ).where(HallWindowRow.hall.is_in(hall_ids))
    found: dict[int, list[HallWindow]] = {}
    order = list(HallBusiness)
    for row in rows:
        if row["business"] in BUSINESS_LABELS:
            found.setdefault(int(row["hall"]), []).append(
                HallWindow(business=HallBusiness(row["business"]), windows=int(row["windows"]))
            )
    return {k: tuple(sorted(v, key=lambda w: order.index(w.business))) for k, v in found.items()}


def _hall(row: dict[str, object], windows: tuple[HallWindow, ...]) -> Hall:
    return Hall(
        id=int(str(row["id"])),
        code=str(row["code"]),
        city=str(row["city"]),
        district=str(row["district"]),
        name=str(row["name"]),
        address=str(row["address"]),
        phone=str(row["phone"]),
        periods=parse_periods(str(row["periods"])),
        same_day=bool(row["same_day"]),
        active=bool(row["active"]),
        windows=windows,
    )


_COLUMNS = (
    HallRow.id,
    HallRow.code,
    HallRow.city,
    HallRow.district,
    HallRow.name,
    HallRow.address,
    HallRow.phone,
    HallRow.periods,
    HallRow.same_day,
    HallRow.active,
)


async def list_halls(city: str = "", *, include_inactive: bool = False) -> list[Hall]:
    """The halls (of ``city`` when given), by city, district and code; closed halls only on request."""
    query = HallRow.select(*_COLUMNS).order_by(HallRow.city).order_by(HallRow.district).order_by(HallRow.code)
    if city:
        query = query.where(HallRow.city == city)
    if not include_inactive:
        query = query.where(HallRow.active == True)  # noqa: E712 — Piccolo expression
    rows = await query
    windows = await _windows([int(r["id"]) for r in rows])
    return [_hall(r, windows.get(int(r["id"]), ())) for r in rows]


async def get_hall(hall_id: int) -> Hall | None:
    """One hall by id (closed halls too: a booking keeps pointing at its hall)."""
    row = await HallRow.select(*_COLUMNS).where(HallRow.id == hall_id).first()
    if row is None:
        return None
    return _hall(row, (await _windows([hall_id])).get(hall_id, ()))


async def hall_cities() -> list[str]:
    """Cities that have an open hall, in name order."""
    rows = await HallRow.select(HallRow.city).where(HallRow.active == True).distinct()  # noqa: E712
    return sorted({str(r["city"]) for r in rows})


async def save_hall(entry: HallInput, hall_id: int | None = None) -> int:
    """Add a hall (``hall_id`` None) or change one; return its id. Refuses bad entries with :class:`HallError`."""
    problem = _problems(entry)
    if problem:
        raise HallError(problem)
    periods = parse_periods(entry.periods)
    values: dict[Column | str, Any] = {
        HallRow.code: entry.code,
        HallRow.city: entry.city.strip(),
        HallRow.district: entry.district.strip(),
        HallRow.name: entry.name.strip(),
        HallRow.address: entry.address.strip(),
        HallRow.phone: entry.phone.strip(),
        HallRow.periods: ",".join(p.text for p in periods),
        HallRow.same_day: entry.same_day,
        HallRow.active: entry.active,
        HallRow.updated_at: clock.utcnow(),
    }
    clash = await HallRow.select(HallRow.id).where(HallRow.code == entry.code).first()
    if clash is not None and int(clash["id"]) != hall_id:
        raise HallError(f"厅点编号 {entry.code} 已被使用")
    try:
        if hall_id is None:
            row = HallRow()
            for column, value in values.items():
                assert isinstance(column, Column)
                setattr(row, column._meta.name, value)
            rows = await HallRow.insert(row).returning(HallRow.id)
            return int(rows[0]["id"])
        rows = await HallRow.update(values).where(HallRow.id == hall_id).returning(HallRow.id)
    except Exception as error:
        if is_unique_violation(error):
            raise HallError(f"厅点编号 {entry.code} 已被使用") from error
        raise
    if not rows:
        raise HallError("没有这个厅点")
    return hall_id


async def set_windows(hall_id: int, business: HallBusiness, windows: int) -> None:
    """Set how many windows of a hall serve ``business`` (0 removes the business from the hall)."""
    if not 0 <= windows <= MAX_WINDOWS:
        raise HallError(f"窗口数应在0至{MAX_WINDOWS}之间")
    if not await HallRow.exists().where(HallRow.id == hall_id):
        raise HallError("没有这个厅点")
    key = f"{hall_id}:{business.value}"
    if windows == 0:
        await HallWindowRow.delete().where(HallWindowRow.key == key)
        return
    await HallWindowRow.insert(
        HallWindowRow(key=key, hall=hall_id, business=business.value, windows=windows)
    ).on_conflict(target=HallWindowRow.key, action="DO UPDATE", values=[HallWindowRow.windows])
