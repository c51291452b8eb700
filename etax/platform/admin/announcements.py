"""通知公告 publishing (内容管理员): list, create, edit, delete.

A new announcement and its :class:`AnnouncementRecord` are written in one transaction; the form's
one-time ``submission`` token is a unique column of the record, so a double click or a replayed
request creates nothing twice. Every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from etax.platform import audit, clock
from etax.platform.admin.accounts import AdminView
from etax.platform.admin.common import beijing, set_notice, submission_token
from etax.platform.admin.forms import EXPIRED_FORM, AnnouncementForm, beijing_input
from etax.platform.admin.rendering import admin_page, page_admin
from etax.platform.admin.roles import ADMIN_ROLE_OPT
from etax.platform.admin.tables import AnnouncementRecord
from etax.platform.announcements import ANNOUNCEMENTS_CACHE, AUDIENCES, CATEGORIES, Announcement
from etax.platform.caching import invalidate
from etax.platform.db.integrity import is_unique_violation
from etax.platform.forms import read_form, submitted_values
from etax.platform.ids import RecordId
from etax.platform.listing.pager import Pager
from etax.platform.web.markdown import render_markdown

PAGE_SIZE = 20
FIELDS = ("title", "category", "audience", "published_at", "pinned", "body", "submission")


def _admin(request: Request[Any, Any, Any]) -> AdminView:
    admin = page_admin(request)
    assert admin is not None  # the guard let only a logged-in administrator through
    return admin


async def _raw_values(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The submitted values, to show the form again after an error."""
    return await submitted_values(request, FIELDS)


class AnnouncementItem(msgspec.Struct, frozen=True, kw_only=True):
    """An announcement as the back office lists it."""

    id: int
    title: str
    category: str
    audience: str
    published_at: dt.datetime
    pinned: bool
    author: str
    scheduled: bool

    @property
    def published_text(self) -> str:
        return beijing(self.published_at)

    @property
    def audience_label(self) -> str:
        return AUDIENCES.get(self.audience, self.audience)


def _form_page(
    request: Request[Any, Any, Any],
    values: dict[str, str],
    *,
    announcement_id: int | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    return admin_page(
        request,
        "admin/announcement_form.html",
        {
            "values": values,
            "announcement_id": announcement_id,
            "errors": errors or {},
            "categories": CATEGORIES,
            "audiences": AUDIENCES,
            "preview": render_markdown(values.get("body", "")),
        },
        status=status,
    )


async def _audit(request: Request[Any, Any, Any], action: str, announcement_id: int, detail: str) -> None:
    await audit.record(
        actor=_admin(request).actor,
        action=f"admin.announcement.{action}",
        outcome="success",
        connection=request,
        target=f"announcement:{announcement_id}",
        detail=detail,
    )


class AnnouncementAdmin(Controller):
    """/admin/announcements — every route needs 内容管理员 (or 系统管理员)."""

    path = "/announcements"
    opt = {ADMIN_ROLE_OPT: "content"}

    @get("/", name="admin_announcements", cache=False)
    async def listing(
        self, request: Request[Any, Any, Any], page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1
    ) -> Template:
        """Every announcement, scheduled ones included, newest publish time first."""
        total = int(await Announcement.count())
        pager = Pager.at(page, total=total, size=PAGE_SIZE)
        rows = await pager.slice(
            Announcement.select(
                Announcement.id,
                Announcement.title,
                Announcement.category,
                Announcement.audience,
                Announcement.published_at,
                Announcement.pinned,
            )
            .order_by(Announcement.published_at, ascending=False)
            .order_by(Announcement.id, ascending=False)
        )
        authors: dict[int, str] = {}
        if rows:
            records = await AnnouncementRecord.select(
                AnnouncementRecord.announcement, AnnouncementRecord.updated_by.display_name
            ).where(AnnouncementRecord.announcement.is_in([row["id"] for row in rows]))
            authors = {int(r["announcement"]): str(r["updated_by.display_name"] or "") for r in records}
        moment = clock.utcnow()
        items = [
            msgspec.convert(
                {**row, "author": authors.get(int(row["id"]), ""), "scheduled": row["published_at"] > moment},
                AnnouncementItem,
            )
            for row in rows
        ]
        return admin_page(
            request,
            "admin/announcements.html",
            {"items": items, "pager": pager},
        )

    @get("/new", name="admin_announcement_new", cache=False)
    async def new_form(self, request: Request[Any, Any, Any]) -> Template:
        values = {
            "title": "",
            "category": CATEGORIES[0],
            "audience": "public",
            "published_at": "",
            "pinned": "",
            "body": "",
            "submission": submission_token(),
        }
        return _form_page(request, values)

    @post("/", name="admin_announcement_create")
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        """Publish a new announcement (once per form, however often it is submitted)."""
        values = await _raw_values(request)
        form, errors = await read_form(request, AnnouncementForm)
        if form is not None and not form.submission:
            form, errors = None, {"_form": EXPIRED_FORM}
        if form is None:
            return _form_page(request, values, errors=errors, status=400)
        admin = _admin(request)
        announcement = Announcement(
            title=form.title,
            category=form.category,
            audience=form.audience,
            body=form.body,
            published_at=form.publish_time(clock.utcnow()),
            pinned=form.pinned == "on",
        )
        try:
            async with Announcement._meta.db.transaction():
                await announcement.save()
                await AnnouncementRecord(
                    announcement=announcement.id,
                    submission=form.submission,
                    created_by=admin.id,
                    updated_by=admin.id,
                ).save()
        except Exception as error:
            if not is_unique_violation(error):
                raise
            set_notice(request, "该公告已经提交过，未重复发布。", error=True)
            return Redirect("/admin/announcements", status_code=303)
        await _audit(request, "create", announcement.id, form.title)
        invalidate(ANNOUNCEMENTS_CACHE)  # this worker's home page shows it at once
        scheduled = announcement.published_at > clock.utcnow()
        set_notice(
            request,
            f"通知公告“{form.title}”已保存，将于{beijing(announcement.published_at)}发布。"
            if scheduled
            else f"通知公告“{form.title}”已发布。",
        )
        return Redirect("/admin/announcements", status_code=303)

    @get("/{announcement_id:int}/edit", name="admin_announcement_edit", cache=False)
    async def edit_form(self, request: Request[Any, Any, Any], announcement_id: RecordId) -> Template:
        row = await Announcement.select().where(Announcement.id == announcement_id).first()
        if row is None:
            raise NotFoundException("该通知公告不存在或已被删除")
        values = {
            "title": str(row["title"]),
            "category": str(row["category"]),
            "audience": str(row["audience"]),
            "published_at": beijing_input(row["published_at"]),
            "pinned": "on" if row["pinned"] else "",
            "body": str(row["body"]),
            "submission": "",
        }
        return _form_page(request, values, announcement_id=announcement_id)

    @post("/{announcement_id:int}", name="admin_announcement_update")
    async def update(self, request: Request[Any, Any, Any], announcement_id: RecordId) -> Template | Redirect:
        values = await _raw_values(request)
        form, errors = await read_form(request, AnnouncementForm)
        if form is None:
            return _form_page(request, values, announcement_id=announcement_id, errors=errors, status=400)
        admin = _admin(request)
        async with Announcement._meta.db.transaction():
            current = (
                await Announcement.select(Announcement.published_at)
                .where(Announcement.id == announcement_id)
                .first()
            )
            if current is None:
                raise NotFoundException("该通知公告不存在或已被删除")
            await Announcement.update(
                {
                    Announcement.title: form.title,
                    Announcement.category: form.category,
                    Announcement.audience: form.audience,
                    Announcement.body: form.body,
                    Announcement.published_at: form.publish_time(current["published_at"]),
                    Announcement.pinned: form.pinned == "on",
                }
            ).where(Announcement.id == announcement_id)
            changed = (
                await AnnouncementRecord.update(
                    {AnnouncementRecord.updated_by: admin.id, AnnouncementRecord.updated_at: clock.utcnow()}
                )
                .where(AnnouncementRecord.announcement == announcement_id)
                .returning(AnnouncementRecord.id)
            )
            if not changed:  # published before the back office existed (e.g. the demo world)
                await AnnouncementRecord(
                    announcement=announcement_id,
                    submission=secrets.token_urlsafe(24),
                    updated_by=admin.id,
                ).save()
        await _audit(request, "update", announcement_id, form.title)
        invalidate(ANNOUNCEMENTS_CACHE)  # this worker's home page shows it at once
        set_notice(request, f"通知公告“{form.title}”已修改。")
        return Redirect("/admin/announcements", status_code=303)

    @post("/{announcement_id:int}/delete", name="admin_announcement_delete")
    async def delete(self, request: Request[Any, Any, Any], announcement_id: RecordId) -> Redirect:
        async with Announcement._meta.db.transaction():
            await AnnouncementRecord.delete().where(AnnouncementRecord.announcement == announcement_id)
            rows = (
                await Announcement.delete()
                .where(Announcement.id == announcement_id)
                .returning(Announcement.title)
            )
        if not rows:
            raise NotFoundException("该通知公告不存在或已被删除")
        await _audit(request, "delete", announcement_id, str(rows[0]["title"]))
        invalidate(ANNOUNCEMENTS_CACHE)  # this worker's home page shows it at once
        set_notice(request, f"通知公告“{rows[0]['title']}”已删除。")
        return Redirect("/admin/announcements", status_code=303)
