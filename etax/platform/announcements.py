"""通知公告: announcements the bureau publishes, read by the home tab and the public pages."""

from __future__ import annotations

import datetime as dt

import msgspec
from piccolo.columns import Boolean, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.identity import Principal
from etax.platform.messages import HomeMessage

CATEGORIES = ("涉税通知", "政策法规", "重大税收违法案件公告", "信用等级A类纳税人公告", "欠税公告", "其他公告")


class Announcement(Table, tablename="platform_announcement"):
    """One 通知公告."""

    id = Serial(primary_key=True)

    title = Varchar(length=200)
    category = Varchar(length=40, default="涉税通知")
    body = Text()
    audience = Varchar(length=20, default="public")
    published_at = Timestamptz()
    pinned = Boolean(default=False)


class AnnouncementView(msgspec.Struct, frozen=True, kw_only=True):
    """An announcement as pages show it."""

    id: int
    title: str
    category: str
    body: str
    published_at: dt.datetime
    pinned: bool


def _view(row: dict[str, object]) -> AnnouncementView:
    return msgspec.convert(row, AnnouncementView)


async def list_announcements(*, limit: int = 20, offset: int = 0) -> list[AnnouncementView]:
    """Published announcements, pinned first, newest first."""
    now = dt.datetime.now(dt.UTC)
    rows = (
        await Announcement.select()
        .where(Announcement.published_at <= now)
        .order_by(Announcement.pinned, ascending=False)
        .order_by(Announcement.published_at, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    return [_view(row) for row in rows]


async def count_announcements() -> int:
    now = dt.datetime.now(dt.UTC)
    return int(await Announcement.count().where(Announcement.published_at <= now))


async def get_announcement(announcement_id: int) -> AnnouncementView | None:
    now = dt.datetime.now(dt.UTC)
    row = (
        await Announcement.select()
        .where((Announcement.id == announcement_id) & (Announcement.published_at <= now))
        .first()
    )
    return None if row is None else _view(row)


class AnnouncementMessages:
    """The 通知公告 tab of the home page."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        return [
            HomeMessage(
                tab="notice",
                title=item.title,
                url=f"/public/announcements/{item.id}",
                date=item.published_at.date(),
                tag="置顶" if item.pinned else item.category,
            )
            for item in await list_announcements(limit=8)
        ]
