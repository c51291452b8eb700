"""办税服务厅 in the back office (系统管理员): the hall directory — halls, opening periods, windows.

Every change is written to the audit log. Closing a hall (不再开放) keeps it for existing bookings but
takes it out of 办税地图 and 预约办税.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform import audit
from etax.platform.admin.common import set_notice
from etax.platform.admin.rendering import admin_page, page_admin
from etax.platform.admin.roles import ADMIN_ROLE_OPT, NavItem
from etax.platform.forms import Raw, submitted, submitted_text
from etax.platform.halls.service import (
    HallBusiness,
    HallError,
    HallInput,
    get_hall,
    list_halls,
    save_hall,
    set_windows,
)
from etax.platform.ids import RecordId

NAV = NavItem(
    label="办税服务厅",
    url="/admin/halls",
    requirement="system",
    description="维护办税服务厅的地址、办公时段和各类业务的窗口数（办税地图、预约办税使用）",
)


async def _audit(request: Request[Any, Any, Any], action: str, target: str, detail: str = "") -> None:
    admin = page_admin(request)
    await audit.record(
        actor=admin.actor if admin else "admin:?",
        action=f"admin.halls.{action}",
        outcome="success",
        connection=request,
        target=target,
        detail=detail,
    )


FREE_TEXT = 20_000  # a free-text field read as typed; its own limit applies after


def _entry(data: Mapping[str, Raw]) -> HallInput:
    def text(name: str, limit: int = 300) -> str:
        typed = submitted_text(data, name, FREE_TEXT)
        return "".join(ch for ch in typed if ch.isprintable()).strip()[:limit]

    return HallInput(
        code=text("code", 40).upper(),
        city=text("city"),
        district=text("district"),
        name=text("name"),
        address=text("address"),
        phone=text("phone"),
        periods=text("periods", 100),
        same_day=submitted_text(data, "same_day") == "1",
        active="active" not in data or submitted_text(data, "active") == "1",
    )


class HallsAdmin(Controller):
    """/admin/halls — 系统管理员."""

    path = "/halls"
    opt = {ADMIN_ROLE_OPT: "system"}

    @get("/", cache=False)
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        return admin_page(
            request,
            "halls/admin_halls.html",
            {"halls": await list_halls(include_inactive=True), "businesses": list(HallBusiness)},
        )

    @post("/")
    async def add(self, request: Request[Any, Any, Any]) -> Redirect:
        entry = _entry(await submitted(request))
        try:
            hall_id = await save_hall(entry)
        except HallError as error:
            set_notice(request, error.message, error=True)
            return Redirect("/admin/halls", status_code=303)
        await _audit(request, "add", entry.code, entry.name)
        set_notice(request, f"已添加 {entry.name}，请设置各类业务的窗口数")
        return Redirect(f"/admin/halls/{hall_id}", status_code=303)

    @get("/{hall_id:int}", cache=False)
    async def detail(self, request: Request[Any, Any, Any], hall_id: RecordId) -> Template:
        hall = await get_hall(hall_id)
        if hall is None:
            raise NotFoundException("没有这个厅点")
        return admin_page(request, "halls/admin_hall.html", {"hall": hall, "businesses": list(HallBusiness)})

    @post("/{hall_id:int}")
    async def change(self, request: Request[Any, Any, Any], hall_id: RecordId) -> Redirect:
        if await get_hall(hall_id) is None:
            raise NotFoundException("没有这个厅点")
        entry = _entry(await submitted(request))
        try:
            await save_hall(entry, hall_id)
        except HallError as error:
            set_notice(request, error.message, error=True)
            return Redirect(f"/admin/halls/{hall_id}", status_code=303)
        await _audit(request, "change", entry.code, entry.name)
        set_notice(request, "厅点信息已保存")
        return Redirect(f"/admin/halls/{hall_id}", status_code=303)

    @post("/{hall_id:int}/windows")
    async def windows(self, request: Request[Any, Any, Any], hall_id: RecordId) -> Redirect:
        hall = await get_hall(hall_id)
        if hall is None:
            raise NotFoundException("没有这个厅点")
        data = await submitted(request)
        counts: dict[HallBusiness, int] = {}
        for business in HallBusiness:
            raw = submitted_text(data, business.value).strip() or "0"
            if not raw.isdigit() or len(raw) > 3:
                set_notice(request, f"{business.label}的窗口数应为0至50的整数", error=True)
                return Redirect(f"/admin/halls/{hall_id}", status_code=303)
            counts[business] = int(raw)
        try:
            for business, count in counts.items():
                await set_windows(hall_id, business, count)
        except HallError as error:
            set_notice(request, error.message, error=True)
            return Redirect(f"/admin/halls/{hall_id}", status_code=303)
        detail = "，".join(f"{b.label}{c}" for b, c in counts.items() if c)
        await _audit(request, "windows", hall.code, detail)
        set_notice(request, "窗口设置已保存")
        return Redirect(f"/admin/halls/{hall_id}", status_code=303)
