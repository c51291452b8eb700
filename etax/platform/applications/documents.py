"""电子资料: an enterprise's uploaded documents — store, list, fetch and delete, always per taxpayer.

Every read and delete names the taxpayer: a document of another enterprise is simply not found. A
document attached to an application that is still being handled (已提交, 受理中, 需补正) cannot be
deleted; afterwards it can, and the application keeps the attachment's title.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec

from etax.platform.application_spec import KIND_LABELS, OPEN_STATUSES
from etax.platform.applications.tables import ApplicationAttachment, Document
from etax.platform.applications.uploads import EXTENSIONS, CheckedFile, clean_filename, remove, store
from etax.platform.db.integrity import is_unique_violation, write_transaction
from etax.platform.listing.pager import Paged, Pager

PAGE_SIZE = 20


class DocumentInUse(Exception):
    """The document is attached to an application still being handled; the message says which."""


class DocumentView(msgspec.Struct, frozen=True, kw_only=True):
    """A document as lists and forms show it."""

    id: int
    title: str
    filename: str
    kind: str
    size: int
    uploaded_by: str
    uploaded_at: dt.datetime
    in_use: str = ""  # the number of an open application it is attached to

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def size_label(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(self.size / 1024, 0.1):.1f} KB"

    @property
    def download_name(self) -> str:
        return clean_filename(self.title) + EXTENSIONS.get(self.kind, "")


class DocumentPage(Paged, frozen=True, kw_only=True):
    documents: list[DocumentView]


FIELDS = (
    Document.id,
    Document.title,
    Document.filename,
    Document.kind,
    Document.size,
    Document.uploaded_by,
    Document.uploaded_at,
)


async def open_uses(taxpayer_id: int, document_ids: list[int]) -> dict[int, str]:
    """For each of these documents attached to an open application: that application's number."""
    if not document_ids:
        return {}
    rows = await ApplicationAttachment.select(
        ApplicationAttachment.document, ApplicationAttachment.application.number
    ).where(
        ApplicationAttachment.document.is_in(document_ids)
        & (ApplicationAttachment.application.taxpayer == taxpayer_id)
        & ApplicationAttachment.application.status.is_in(list(OPEN_STATUSES))
    )
    return {int(row["document"]): str(row["application.number"]) for row in rows}


def _views(rows: list[dict[str, Any]], uses: dict[int, str]) -> list[DocumentView]:
    return [msgspec.convert({**row, "in_use": uses.get(int(row["id"]), "")}, DocumentView) for row in rows]


async def list_documents(taxpayer_id: int, *, keyword: str = "", page: int = 1) -> DocumentPage:
    """One page of the taxpayer's documents, newest first, optionally by title keyword."""
    where: Any = Document.taxpayer == taxpayer_id
    if keyword:
        where &= Document.title.like(f"%{keyword.replace('%', '').replace('_', '')}%")
    total = int(await Document.count().where(where))
    pager = Pager.at(page, total=total, size=PAGE_SIZE)
    rows = await pager.slice(
        Document.select(*FIELDS)
        .where(where)
        .order_by(Document.uploaded_at, ascending=False)
        .order_by(Document.id, ascending=False)
    )
    uses = await open_uses(taxpayer_id, [int(row["id"]) for row in rows])
    return DocumentPage(documents=_views(rows, uses), pager=pager)


async def recent_documents(taxpayer_id: int, kinds: tuple[str, ...], limit: int = 50) -> list[DocumentView]:
    """The taxpayer's latest documents of the given kinds (to pick as attachments)."""
    rows = (
        await Document.select(*FIELDS)
        .where((Document.taxpayer == taxpayer_id) & Document.kind.is_in(list(kinds)))
        .order_by(Document.id, ascending=False)
        .limit(limit)
    )
    return _views(rows, {})


async def owned_documents(taxpayer_id: int, document_ids: list[int]) -> list[DocumentView] | None:
    """These documents if every one belongs to the taxpayer, in the given order; else None."""
    if not document_ids:
        return []
    rows = await Document.select(*FIELDS).where(
        (Document.taxpayer == taxpayer_id) & Document.id.is_in(document_ids)
    )
    by_id = {int(row["id"]): row for row in rows}
    if set(by_id) != set(document_ids):
        return None
    return _views([by_id[i] for i in document_ids], {})


async def get_document(taxpayer_id: int, document_id: int) -> tuple[DocumentView, str] | None:
    """The document and its storage name, when it belongs to the taxpayer."""
    row = (
        await Document.select(*FIELDS, Document.storage_name)
        .where((Document.id == document_id) & (Document.taxpayer == taxpayer_id))
        .first()
    )
    if row is None:
        return None
    storage_name = str(row.pop("storage_name"))
    return _views([row], {})[0], storage_name


async def insert_document(
    taxpayer_id: int,
    title: str,
    checked: CheckedFile,
    storage_name: str,
    actor: str,
    submission: str | None = None,
) -> int:
    """Insert the row of an already stored file (inside the caller's transaction, if any)."""
    document = Document(
        taxpayer=taxpayer_id,
        title=title[:100],
        filename=checked.filename,
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        storage_name=storage_name,
        submission=submission,
        uploaded_by=actor[:120],
    )
    await document.save()
    return int(document.id)


async def submitted_document(submission: str, taxpayer_id: int) -> int | None:
    """The document a 报送 form (idempotency key) already created for this taxpayer."""
    row = (
        await Document.select(Document.id)
        .where((Document.submission == submission) & (Document.taxpayer == taxpayer_id))
        .first()
    )
    return None if row is None else int(row["id"])


async def save_document(
    var_dir: Path, taxpayer_id: int, title: str, checked: CheckedFile, actor: str, submission: str
) -> tuple[int, bool]:
    """Store a file as the taxpayer's 电子资料: ``(id, created)``; a replayed form creates nothing.

    The file is written first and removed again when the row is not inserted.
    """
    storage_name = store(var_dir, checked)
    try:
        async with write_transaction(Document):
            existing = await submitted_document(submission, taxpayer_id)
            if existing is not None:
                remove(var_dir, storage_name)
                return existing, False
            return await insert_document(taxpayer_id, title, checked, storage_name, actor, submission), True
    except BaseException as exc:
        remove(var_dir, storage_name)
        if is_unique_violation(exc):
            raced = await submitted_document(submission, taxpayer_id)
            if raced is not None:
                return raced, False
        raise


async def delete_document(var_dir: Path, taxpayer_id: int, document_id: int) -> DocumentView | None:
    """Delete the taxpayer's document (None when it is not theirs); :class:`DocumentInUse` if attached."""
    async with write_transaction(Document):
        found = await get_document(taxpayer_id, document_id)
        if found is None:
            return None
        view, storage_name = found
        uses = await open_uses(taxpayer_id, [document_id])
        if uses:
            raise DocumentInUse(f"“{view.title}”是申请 {uses[document_id]} 的附报资料，该申请办结前不能删除")
        await Document.delete().where((Document.id == document_id) & (Document.taxpayer == taxpayer_id))
    remove(var_dir, storage_name)
    return view
