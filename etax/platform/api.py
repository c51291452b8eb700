"""The plugin API: everything a plugin may import from the platform, in one place.

Business plugins (``etax.plugins.*``) and regional plugins import platform services only from this
module (plus ``etax.search_index`` for search documents); import-linter enforces it. The names below
are stable; where a service lives inside ``etax.platform`` may change without breaking plugins.

What is here, by service:

- plugin declarations: :data:`hookimpl`, :class:`FunctionSpec`, :class:`Audience`, :class:`StaticDir`
- request context: :class:`Principal`, :class:`Actor`, :func:`current_actor`, :func:`principal_of`
- access: :func:`can_open` (the one decision, for showing links; routes are guarded by declaration)
- audit: :func:`record` (the one audit writer) and :data:`Outcome`
- applications (涉税事项): :class:`ApplicationSpec`, :class:`Applicant`, :class:`AttachmentRule`,
  :class:`ApplicationRecord`, :class:`Decision`, :func:`application_controller`
- back office: :func:`admin_page` (render inside the back-office shell), :class:`NavItem` (hook
  ``etax_admin_nav``); pages come through ``etax_admin_route_handlers`` with ``opt={"admin_role": ...}``
- forms: :func:`read_form`, :func:`field_label`; URL ids: :data:`RecordId` (every ``/{…_id:int}`` parameter)
- pre-fill of returns from invoices: :class:`InvoiceFigures`, :class:`SalesFigure` (hook ``etax_invoice_figures``)
- home-page messages (我的待办 / 服务提醒 / 通知公告): :class:`MessageSource`
- core registry (taxpayers, persons, registration staff): :mod:`registry` functions
- time: :func:`beijing` (format a moment as Beijing time), :data:`BEIJING`
- PDF with Chinese text and QR codes: :func:`new_pdf`, :func:`pdf_bytes`, :func:`qr_png`
- data helpers: :func:`is_unique_violation`, :func:`write_transaction`
- idempotent forms: :func:`issue_token`, :func:`token_issued`; notices: :func:`set_notice`, :func:`pop_notice`
"""

from __future__ import annotations

import datetime as dt

from etax.platform import hookimpl
from etax.platform.access import can_open
from etax.platform.admin.rendering import admin_page
from etax.platform.admin.roles import NavItem
from etax.platform.applications.common import (
    BEIJING,
    Actor,
    beijing,
    current_actor,
    is_unique_violation,
    issue_token,
    pop_notice,
    set_notice,
    token_issued,
    write_transaction,
)
from etax.platform.applications.routes import application_controller
from etax.platform.applications.spec import (
    Applicant,
    ApplicationRecord,
    ApplicationSpec,
    AttachmentRule,
    Decision,
)
from etax.platform.auth.audit import Outcome, record
from etax.platform.coresys import registry
from etax.platform.forms import field_label, read_form
from etax.platform.functions import Audience, FunctionSpec
from etax.platform.identity import Principal
from etax.platform.ids import RecordId
from etax.platform.messages import MessageSource
from etax.platform.pdf import new_pdf, pdf_bytes, qr_png
from etax.platform.prefill import InvoiceFigures, SalesFigure
from etax.platform.static import StaticDir


async def invoice_figures(
    request: object, taxpayer_id: int, start: dt.date, end: dt.date
) -> InvoiceFigures | None:
    """The taxpayer's invoice figures for a period, from whichever plugin answers (预填); ``None`` if none."""
    from litestar import Request

    from etax.platform.runtime import get_runtime

    assert isinstance(request, Request)
    return await get_runtime(request.app).host.invoice_figures(taxpayer_id, start, end)


async def principal_of(request: object) -> Principal | None:
    """The logged-in visitor of ``request`` (``None`` for an anonymous visitor)."""
    from litestar import Request

    from etax.platform.runtime import get_runtime

    assert isinstance(request, Request)
    return await get_runtime(request.app).principal_of(request)


__all__ = [
    "BEIJING",
    "Actor",
    "Applicant",
    "ApplicationRecord",
    "ApplicationSpec",
    "AttachmentRule",
    "Audience",
    "Decision",
    "FunctionSpec",
    "InvoiceFigures",
    "MessageSource",
    "NavItem",
    "Outcome",
    "Principal",
    "RecordId",
    "SalesFigure",
    "StaticDir",
    "admin_page",
    "application_controller",
    "beijing",
    "can_open",
    "current_actor",
    "field_label",
    "hookimpl",
    "invoice_figures",
    "is_unique_violation",
    "issue_token",
    "new_pdf",
    "pdf_bytes",
    "pop_notice",
    "principal_of",
    "qr_png",
    "read_form",
    "record",
    "registry",
    "set_notice",
    "token_issued",
    "write_transaction",
]
