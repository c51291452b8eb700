"""Helpers for the application, 电子资料 and invoice tests (no tests here).

Everything is real: the database, the sessions, the plugin hooks. Decisions go through the same
service and hook call as the review queue (``decide``).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from typing import Any

import asyncpg
from litestar import Litestar
from litestar.testing import TestClient
from piccolo.table import Table

from etax.platform.application_spec import DecisionAction
from etax.platform.applications import service
from etax.platform.applications.tables import Application, Document
from etax.platform.coresys.tables import Taxpayer
from etax.platform.runtime import get_runtime
from tests.factories import Enterprise, create_enterprise

FORM_URL = "/invoices/type-approval"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run"
)

GOOD_FORM: dict[str, str] = {
    "invoice_type": "增值税普通发票（折叠票）",
    "max_amount": "十万元",
    "monthly_quantity": "50",
    "per_purchase_quantity": "25",
    "holding_quantity": "50",
    "purchase_method": "验旧购新",
    "unit": "份",
    "reason": "新办企业，开展批发业务",
}


def run(awaitable: Any) -> Any:
    """Run a coroutine or a Piccolo query to completion."""

    async def waiting() -> Any:
        return await awaitable

    return asyncio.run(waiting())


def new_enterprise(officers: int = 0) -> Enterprise:
    """``tests.factories.create_enterprise``, tried again when its random 身份证号 collides.

    The factory draws identity numbers from 10,000 values; these tests create many enterprises.
    """
    for _ in range(4):
        try:
            return create_enterprise(officers=officers)
        except (sqlite3.IntegrityError, asyncpg.exceptions.UniqueViolationError):
            continue
    return create_enterprise(officers=officers)


def csrf(client: TestClient[Litestar]) -> str:
    if "etax_csrf" not in client.cookies:
        client.get("/")
    return str(client.cookies.get("etax_csrf") or "")


def form_token(html: str) -> str:
    match = re.search(r'name="_submission" value="([^"]+)"', html)
    assert match, "the form carries an idempotency key"
    return match.group(1)


def post_form(
    client: TestClient[Litestar],
    url: str,
    data: dict[str, Any],
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
) -> Any:
    """POST a multipart form with the CSRF token, without following the redirect."""
    return client.post(
        url,
        data={**data, "_csrf_token": csrf(client)},
        files=files or [("attachments", ("", b"", "application/octet-stream"))],
        follow_redirects=False,
    )


def open_form(client: TestClient[Litestar], url: str = FORM_URL) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text
    return form_token(page.text)


def submit(
    client: TestClient[Litestar],
    data: dict[str, str] | None = None,
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    token: str | None = None,
) -> Any:
    """Open the 票种核定 form and submit it (``token`` replays an earlier form)."""
    key = token if token is not None else open_form(client)
    return post_form(client, FORM_URL, {**(data or GOOD_FORM), "_submission": key}, files)


def application_id(response: Any) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def count(table: type[Table], **where: Any) -> int:
    async def counting() -> int:
        query = table.count()
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return int(await query)

    return int(run(counting()))


def applications_of(taxpayer_id: int) -> int:
    return count(Application, taxpayer=taxpayer_id)


def documents_of(taxpayer_id: int) -> int:
    return count(Document, taxpayer=taxpayer_id)


def set_taxpayer_type(taxpayer_id: int, taxpayer_type: str) -> None:
    run(Taxpayer.update({Taxpayer.taxpayer_type: taxpayer_type}).where(Taxpayer.id == taxpayer_id))


def decide(app: Litestar, application: int, action: DecisionAction, comment: str = "") -> list[str]:
    """Decide as a reviewer would (service, then the plugins' hook); returns failing plugins."""

    async def deciding() -> list[str]:
        record, decision = await service.decide(
            application, action, comment, service.Who(actor="admin:reviewer", ip="127.0.0.1")
        )
        return await get_runtime(app).host.application_decided(record, decision)

    return list(run(deciding()))
