"""Reads behind the home page's 服务提醒 (status changes of the enterprise's applications) and 我的待办
(需补正); the query centre shows them (its message sources link to 办税进度及结果信息查询)."""

from __future__ import annotations

import datetime as dt

import msgspec

from etax.platform.applications.tables import ServiceReminder


class ReminderRow(msgspec.Struct, frozen=True, kw_only=True):
    """One status change of an application, as a 服务提醒."""

    title: str
    status: str
    application: int
    created_at: dt.datetime


async def service_reminders(taxpayer_id: int, limit: int = 8) -> list[ReminderRow]:
    """The taxpayer's latest 服务提醒, newest first."""
    rows = (
        await ServiceReminder.select(
            ServiceReminder.title,
            ServiceReminder.status,
            ServiceReminder.application,
            ServiceReminder.created_at,
        )
        .where(ServiceReminder.taxpayer == taxpayer_id)
        .order_by(ServiceReminder.id, ascending=False)
        .limit(limit)
    )
    return [msgspec.convert(row, ReminderRow) for row in rows]
