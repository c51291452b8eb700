"""Attachments of 留言咨询 questions and 纳服投诉 evidence, through the platform's upload checks and store.

Every file is checked by its content (PDF, PNG or JPEG magic bytes, whatever its name says) and its
size (the platform's limit) before anything is written: one refused file refuses the whole form and
nothing is stored. The bytes go to the platform's upload store; a row here names the thread or
complaint. Only its taxpayer (through the owner's page) and the back-office role handling it may fetch it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Final

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.response import File

from etax.platform.api import (
    UPLOAD_MAX_BYTES,
    UPLOAD_MEDIA_TYPES,
    UPLOAD_REQUEST_OVERHEAD,
    CheckedFile,
    UploadError,
    check_upload,
    remove_upload,
    store_upload,
    submitted_files,
    upload_path,
)
from etax.plugins.interaction.tables import Attachment

MAX_FILES = 3
FIELD = "attachments"
ALLOWED: Final = ("pdf", "png", "jpeg")
MAX_BODY = MAX_FILES * UPLOAD_MAX_BYTES + UPLOAD_REQUEST_OVERHEAD
"""``request_max_body_size`` of the forms that carry attachments."""


class AttachmentOwner(StrEnum):
    CONSULT = "consult"
    COMPLAINT = "complaint"


class AttachmentError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AttachmentView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    owner: AttachmentOwner
    owner_id: int
    taxpayer: int
    filename: str
    kind: str
    size: int
    uploaded_at: dt.datetime

    @property
    def size_label(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(self.size / 1024, 0.1):.1f} KB"


_COLUMNS = (
    Attachment.id,
    Attachment.owner,
    Attachment.owner_id,
    Attachment.taxpayer,
    Attachment.filename,
    Attachment.kind,
    Attachment.size,
    Attachment.uploaded_at,
)


async def checked_files(request: Request[Any, Any, Any]) -> list[CheckedFile]:
    """The form's files, each checked by content and size; :class:`AttachmentError` says what is wrong."""
    uploads = await submitted_files(request, FIELD)
    if len(uploads) > MAX_FILES:
        raise AttachmentError(f"最多上传{MAX_FILES}个附件")
    checked: list[CheckedFile] = []
    for upload in uploads:
        try:
            checked.append(await check_upload(upload, ALLOWED))
        except UploadError as error:
            raise AttachmentError(str(error)) from error
    return checked


async def attach(
    connection: ASGIConnection[Any, Any, Any, Any],
    owner: AttachmentOwner,
    owner_id: int,
    taxpayer_id: int,
    files: list[CheckedFile],
) -> int:
    """Store ``files`` for the thread or complaint; a replayed form (it has attachments already) adds none."""
    if not files or await Attachment.exists().where(
        (Attachment.owner == owner.value) & (Attachment.owner_id == owner_id)
    ):
        return 0
    for checked in files:
        storage_name = store_upload(connection, checked)
        try:
            await Attachment.insert(
                Attachment(
                    owner=owner.value,
                    owner_id=owner_id,
                    taxpayer=taxpayer_id,
                    filename=checked.filename,
                    kind=checked.kind,
                    size=checked.size,
                    sha256=checked.sha256,
                    storage_name=storage_name,
                )
            )
        except BaseException:
            remove_upload(connection, storage_name)
            raise
    return len(files)


async def attachments_of(owner: AttachmentOwner, owner_id: int) -> list[AttachmentView]:
    rows = (
        await Attachment.select(*_COLUMNS)
        .where((Attachment.owner == owner.value) & (Attachment.owner_id == owner_id))
        .order_by(Attachment.id)
    )
    return [msgspec.convert(r, AttachmentView, strict=False) for r in rows]


async def attachment(
    owner: AttachmentOwner, owner_id: int, attachment_id: int
) -> tuple[AttachmentView, str] | None:
    """One attachment of this thread or complaint, with its storage name; None for any other id."""
    row = (
        await Attachment.select(*_COLUMNS, Attachment.storage_name)
        .where(
            (Attachment.id == attachment_id)
            & (Attachment.owner == owner.value)
            & (Attachment.owner_id == owner_id)
        )
        .first()
    )
    if row is None:
        return None
    storage_name = str(row.pop("storage_name"))
    return msgspec.convert(row, AttachmentView, strict=False), storage_name


async def download(
    connection: ASGIConnection[Any, Any, Any, Any], owner: AttachmentOwner, owner_id: int, attachment_id: int
) -> tuple[AttachmentView, File]:
    """The attachment as a download (404 for an id that is not this thread's or complaint's)."""
    found = await attachment(owner, owner_id, attachment_id)
    if found is None:
        raise NotFoundException()
    view, storage_name = found
    path = upload_path(connection, storage_name)
    if not path.is_file():
        raise NotFoundException()
    return view, File(
        path=path,
        filename=view.filename,
        media_type=UPLOAD_MEDIA_TYPES.get(view.kind, "application/octet-stream"),
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )
