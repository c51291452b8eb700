"""Uploaded files: size and type checked by content (magic bytes), stored outside the web root.

Only PDF, PNG and JPEG are accepted, recognised by their first bytes whatever the file name says (an
``.exe`` renamed ``.pdf`` is refused). Files live under ``<ETAX_VAR_DIR>/uploads/`` with random names
and are written atomically; nothing under that directory is ever served directly.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

import msgspec
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException
from litestar.response import File

from etax.platform.application_spec import KIND_LABELS, DocumentKind

MAX_BYTES = 10 * 1024 * 1024
MAX_LABEL = "10MB"
REQUEST_OVERHEAD = 256 * 1024
"""Room for the other fields of a multipart form beside its files."""

MAGIC: tuple[tuple[bytes, DocumentKind], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
MEDIA_TYPES: dict[str, str] = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
EXTENSIONS: dict[str, str] = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}


class UploadError(Exception):
    """A file cannot be accepted; the message says why, in Chinese."""


class CheckedFile(msgspec.Struct, frozen=True, kw_only=True):
    """An upload that passed the checks, held in memory until stored."""

    filename: str
    kind: DocumentKind
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sniff(content: bytes) -> DocumentKind | None:
    """The file's kind from its first bytes, or None when it is none of the accepted kinds."""
    for magic, kind in MAGIC:
        if content.startswith(magic):
            return kind
    return None


def clean_filename(name: str) -> str:
    """The uploaded name without directories or control characters, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[-200:] or "未命名文件"


async def check_upload(upload: UploadFile, allowed: tuple[DocumentKind, ...]) -> CheckedFile:
    """Read ``upload`` and check its size and content; raise :class:`UploadError` with the reason."""
    name = clean_filename(upload.filename or "")
    content = await upload.read(MAX_BYTES + 1)
    if not content:
        raise UploadError(f"文件“{name}”是空文件，请重新选择")
    if len(content) > MAX_BYTES:
        raise UploadError(f"文件“{name}”超过{MAX_LABEL}，请压缩或拆分后上传")
    kind = sniff(content)
    if kind is None or kind not in allowed:
        labels = "、".join(KIND_LABELS[k] for k in allowed)
        raise UploadError(f"文件“{name}”不是允许的文件类型，只能上传 {labels} 格式的文件")
    return CheckedFile(filename=name, kind=kind, content=content)


def uploads_dir(var_dir: Path) -> Path:
    directory = var_dir / "uploads"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def store(var_dir: Path, checked: CheckedFile) -> str:
    """Write the file under a new random name and return that name."""
    directory = uploads_dir(var_dir)
    storage_name = secrets.token_hex(24)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(checked.content)
        os.chmod(temporary, 0o600)
        os.replace(temporary, directory / storage_name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return storage_name


def stored_path(var_dir: Path, storage_name: str) -> Path:
    """Where a stored file lives (names are hex only, so no path can escape the directory)."""
    if not storage_name or not all(ch in "0123456789abcdef" for ch in storage_name):
        raise ValueError("bad storage name")
    return var_dir / "uploads" / storage_name


def remove(var_dir: Path, storage_name: str) -> None:
    """Delete a stored file (a missing file is not an error)."""
    stored_path(var_dir, storage_name).unlink(missing_ok=True)


def download(var_dir: Path, storage_name: str, filename: str, kind: str, missing: str = "") -> File:
    """A stored file as a download (never shown inline, never cached); 404 with ``missing`` when it is gone."""
    path = stored_path(var_dir, storage_name)
    if not path.is_file():
        raise NotFoundException(missing or None)
    return File(
        path=path,
        filename=filename,
        media_type=MEDIA_TYPES[kind],
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )
