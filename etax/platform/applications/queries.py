"""Reading applications: one record, its history and attachments, and filtered, paginated lists.

Taxpayer-facing reads always name the taxpayer, so another enterprise's application is not found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from etax.platform.application_spec import ACCEPTED, ACTION_LABELS, SUBMITTED, ApplicationRecord, Status
from etax.platform.applications.common import day_start
from etax.platform.applications.tables import Application, ApplicationAttachment, ApplicationEvent
from etax.platform.listing import PageRequest
from etax.platform.listing.pager import Paged, Pager

PAGE_SIZE = 20
PENDING = "待处理"
"""The review queue's default status filter: 已提交 and 受理中 together."""
SUBMIT_LABELS = {"submit": "提交申请", "resubmit": "补正后重新提交"}


class ApplicationFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Filters of the progress query and the review queue (all optional)."""

    function: str = ""
    status: str = ""
    number: str = ""
    tin: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1
    oldest_first: bool = False


class ApplicationRow(msgspec.Struct, frozen=True, kw_only=True):
    """An application in a list."""

    id: int
    number: str
    function: str
    function_name: str
    status: Status
    taxpayer_name: str
    tin: str
    submitted_at: dt.datetime
    updated_at: dt.datetime


class ApplicationPage(Paged, frozen=True, kw_only=True):
    rows: list[ApplicationRow]


class EventView(msgspec.Struct, frozen=True, kw_only=True):
    """One status change in an application's history."""

    action: str
    status: Status
    actor: str
    comment: str
    at: dt.datetime

    @property
    def label(self) -> str:
        return SUBMIT_LABELS.get(self.action) or ACTION_LABELS.get(self.action, self.action)


class AttachmentView(msgspec.Struct, frozen=True, kw_only=True):
    """An attachment: the 电子资料 (None once deleted) and its title."""

    document: int | None
    title: str
    kind: str


RECORD_FIELDS = (
    Application.id,
    Application.number,
    Application.function,
    Application.function_name,
    Application.matter_code,
    Application.status,
    Application.data,
    Application.round,
    Application.submitted_by,
    Application.submitted_at,
    Application.updated_at,
    Application.comment,
    Application.taxpayer.id,
    Application.taxpayer.name,
    Application.taxpayer.tin,
)


def _record(row: dict[str, Any]) -> ApplicationRecord:
    data = msgspec.json.decode(str(row["data"]) or "{}")
    return ApplicationRecord(
        id=int(row["id"]),
        number=str(row["number"]),
        function=str(row["function"]),
        function_name=str(row["function_name"]),
        matter_code=str(row["matter_code"]),
        taxpayer_id=int(row["taxpayer.id"]),
        taxpayer_name=str(row["taxpayer.name"]),
        tin=str(row["taxpayer.tin"]),
        status=msgspec.convert(row["status"], Status),
        data=data if isinstance(data, dict) else {},
        round=int(row["round"]),
        submitted_by=str(row["submitted_by"]),
        submitted_at=row["submitted_at"],
        updated_at=row["updated_at"],
        comment=str(row["comment"] or ""),
    )


async def get_record(application_id: int, taxpayer_id: int | None = None) -> ApplicationRecord | None:
    """The application; with ``taxpayer_id``, only if it is that taxpayer's."""
    where: Any = Application.id == application_id
    if taxpayer_id is not None:
        where &= Application.taxpayer == taxpayer_id
    row = await Application.select(*RECORD_FIELDS).where(where).first()
    return None if row is None else _record(row)


async def find_by_submission(submission: str, taxpayer_id: int) -> ApplicationRecord | None:
    """The application a form (idempotency key) created for this taxpayer, if any."""
    row = (
        await Application.select(*RECORD_FIELDS)
        .where((Application.submission == submission) & (Application.taxpayer == taxpayer_id))
        .first()
    )
    return None if row is None else _record(row)


async def history(application_id: int) -> list[EventView]:
    """Every status change, oldest first."""
    rows = (
        await ApplicationEvent.select(
            ApplicationEvent.action,
            ApplicationEvent.status,
            ApplicationEvent.actor,
            ApplicationEvent.comment,
            ApplicationEvent.at,
        )
        .where(ApplicationEvent.application == application_id)
        .order_by(ApplicationEvent.id)
    )
    return [msgspec.convert(row, EventView) for row in rows]


async def attachments(application_id: int) -> list[AttachmentView]:
    rows = (
        await ApplicationAttachment.select(
            ApplicationAttachment.document, ApplicationAttachment.title, ApplicationAttachment.kind
        )
        .where(ApplicationAttachment.application == application_id)
        .order_by(ApplicationAttachment.id)
    )
    return [msgspec.convert(row, AttachmentView) for row in rows]


def _where(flt: ApplicationFilter, taxpayer_id: int | None) -> Any:
    condition: Any = Application.id > 0
    if taxpayer_id is not None:
        condition &= Application.taxpayer == taxpayer_id
    if flt.function:
        condition &= Application.function == flt.function
    if flt.status == PENDING:
        condition &= Application.status.is_in([SUBMITTED, ACCEPTED])
    elif flt.status:
        condition &= Application.status == flt.status
    if flt.number:
        condition &= Application.number == flt.number
    if flt.tin:
        condition &= Application.taxpayer.tin == flt.tin
    if flt.date_from is not None:
        condition &= Application.submitted_at >= day_start(flt.date_from)
    if flt.date_to is not None:
        condition &= Application.submitted_at < day_start(flt.date_to + dt.timedelta(days=1))
    return condition


async def list_applications(flt: ApplicationFilter, taxpayer_id: int | None = None) -> ApplicationPage:
    """One page of applications, newest (or oldest) first; ``taxpayer_id`` limits to one taxpayer's."""
    where = _where(flt, taxpayer_id)
    total = int(await Application.count().where(where))
    pager = Pager.at(flt.page, total=total, size=PAGE_SIZE)
    rows = await pager.slice(
        _list_select()
        .where(where)
        .order_by(Application.submitted_at, ascending=flt.oldest_first)
        .order_by(Application.id, ascending=flt.oldest_first)
    )
    return ApplicationPage(rows=[msgspec.convert(row, ApplicationRow) for row in rows], pager=pager)


async def functions_in_use(taxpayer_id: int | None = None) -> list[tuple[str, str]]:
    """``(code, name)`` of the matters that have applications (the 事项 filter's options)."""
    query = Application.select(Application.function, Application.function_name).distinct()
    if taxpayer_id is not None:
        query = query.where(Application.taxpayer == taxpayer_id)
    rows = await query
    return sorted({(str(r["function"]), str(r["function_name"])) for r in rows}, key=lambda item: item[1])


async def in_correction(taxpayer_id: int, limit: int = 10) -> list[ApplicationRow]:
    """The taxpayer's applications waiting for a correction (需补正), oldest first (我的待办)."""
    # The first page of the 需补正 list (newest submitted first), without counting the rest.
    rows = await (
        _list_select()
        .where(_where(ApplicationFilter(status="需补正"), taxpayer_id))
        .order_by(Application.submitted_at, ascending=False)
        .order_by(Application.id, ascending=False)
        .limit(PAGE_SIZE)
    )
    found = [msgspec.convert(row, ApplicationRow) for row in rows]
    return sorted(found, key=lambda row: row.updated_at)[:limit]


def _list_select() -> Any:
    return Application.select(
        Application.id,
        Application.number,
        Application.function,
        Application.function_name,
        Application.status,
        Application.submitted_at,
        Application.updated_at,
        Application.taxpayer.name.as_alias("taxpayer_name"),
        Application.taxpayer.tin.as_alias("tin"),
    )


async def application_rows(
    flt: ApplicationFilter, taxpayer_id: int, page: PageRequest, *, matter_code: str = ""
) -> list[ApplicationRow]:
    """One keyset page of the taxpayer's applications (list-page service); ``matter_code`` limits to a 事项."""
    where = _where(flt, taxpayer_id)
    if matter_code:
        where &= Application.matter_code == matter_code
    rows = await page.apply(_list_select().where(where))
    return [msgspec.convert(row, ApplicationRow) for row in rows]


async def count_applications(flt: ApplicationFilter, taxpayer_id: int, *, matter_code: str = "") -> int:
    where = _where(flt, taxpayer_id)
    if matter_code:
        where &= Application.matter_code == matter_code
    return int(await Application.count().where(where))


async def application_data(application_id: int, taxpayer_id: int) -> ApplicationRecord | None:
    """The taxpayer's application with its form data (``None`` if it is not theirs)."""
    return await get_record(application_id, taxpayer_id)
