"""通知公告: announcements the bureau publishes, read by the home tab and the public pages.

Content administrators write them in the back office (:mod:`etax.platform.admin.announcements`). The
body is Markdown; views carry it both as written (``body``) and as sanitised HTML (``body_html``).
An announcement is hidden until its publish time, and shown only to its audience.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import msgspec
from piccolo.columns import Boolean, Serial, Text, Timestamptz, Varchar
from piccolo.query.methods.select import Select
from piccolo.table import Table

from etax.platform import clock
from etax.platform.access import announcement_audiences
from etax.platform.caching import cached
from etax.platform.db.defaults import PlatformNow
from etax.platform.identity import Principal
from etax.platform.messages import HomeMessage
from etax.platform.web.markdown import render_markdown

CATEGORIES = ("涉税通知", "政策法规", "重大税收违法案件公告", "信用等级A类纳税人公告", "欠税公告", "其他公告")
AUDIENCES: dict[str, str] = {"public": "所有访客", "enterprise": "企业纳税人", "natural_person": "自然人"}
PUBLIC_ONLY: tuple[str, ...] = ("public",)

BEIJING = clock.BEIJING


class Announcement(Table, tablename="platform_announcement"):
    """One 通知公告."""

    id = Serial(primary_key=True)

    title = Varchar(length=200)
    category = Varchar(length=40, default="涉税通知")
    body = Text()
    audience = Varchar(length=20, default="public")
    published_at = Timestamptz(default=PlatformNow())
    pinned = Boolean(default=False)


class AnnouncementView(msgspec.Struct, frozen=True, kw_only=True):
    """An announcement as pages show it (``body`` is the Markdown, ``body_html`` its sanitised HTML)."""

    id: int
    title: str
    category: str
    body: str
    published_at: dt.datetime
    pinned: bool
    audience: str = "public"
    body_html: str = ""


def _view(row: dict[str, object]) -> AnnouncementView:
    view = msgspec.convert(row, AnnouncementView)
    return msgspec.structs.replace(view, body_html=render_markdown(view.body))


def _published(audiences: Collection[str] | None) -> Select[Announcement]:
    """Announcements whose publish time has come, for ``audiences`` (None: every audience)."""
    now = clock.utcnow()
    query = Announcement.select().where(Announcement.published_at <= now)
    if audiences is not None:
        query = query.where(Announcement.audience.is_in(list(audiences) or [""]))
    return query


async def list_announcements(
    *, limit: int = 20, offset: int = 0, audiences: Collection[str] | None = PUBLIC_ONLY
) -> list[AnnouncementView]:
    """Published announcements, pinned first, newest first.

    ``audiences`` defaults to those for everyone; pass :func:`announcement_audiences` of the visitor
    to include theirs, or None for every audience.
    """
    rows = (
        await _published(audiences)
        .order_by(Announcement.pinned, ascending=False)
        .order_by(Announcement.published_at, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    return [_view(row) for row in rows]


async def count_announcements(*, audiences: Collection[str] | None = PUBLIC_ONLY) -> int:
    now = clock.utcnow()
    query = Announcement.count().where(Announcement.published_at <= now)
    if audiences is not None:
        query = query.where(Announcement.audience.is_in(list(audiences) or [""]))
    return int(await query)


async def get_announcement(announcement_id: int, *, audiences: Collection[str]) -> AnnouncementView | None:
    """A published announcement (None while scheduled, or when not for ``audiences``).

    ``audiences`` is the visitor's, from :func:`etax.platform.access.announcement_audiences`.
    """
    row = await _published(audiences).where(Announcement.id == announcement_id).first()
    return None if row is None else _view(row)


ANNOUNCEMENTS_CACHE = "announcements.home"
"""The home page's 通知公告 tab per audience set, read at most once per ``ETAX_CACHE_CHECK_SECONDS``."""


class AnnouncementMessages:
    """The 通知公告 tab of the home page: the latest announcements for the visitor's audience."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        audiences = announcement_audiences(principal)
        return [
            HomeMessage(
                tab="notice",
                title=item.title,
                url=f"/public/announcements/{item.id}",
                date=item.published_at.astimezone(BEIJING).date(),
                tag="置顶" if item.pinned else item.category,
            )
            for item in await cached(
                ANNOUNCEMENTS_CACHE,
                tuple(sorted(audiences)),
                lambda: list_announcements(limit=8, audiences=audiences),
            )
        ]
