"""The plugin API: everything a plugin may import from the platform, in one place.

Business plugins (``etax.plugins.*``) and regional plugins import platform services only from this
module (plus ``etax.search_index`` for search documents); import-linter enforces it. The names below
are stable; where a service lives inside ``etax.platform`` may change without breaking plugins.

What is here, by service:

- plugin declarations: :data:`hookimpl`, :class:`FunctionSpec`, :class:`Audience`, :class:`StaticDir`
- request context: :class:`Principal`, :class:`Actor`, :func:`current_actor`, :func:`principal_of`
- access: :func:`can_open` (the one decision, for showing links; routes are guarded by declaration)
- audit: :func:`record` (the one audit writer) and :data:`Outcome`; reading one taxpayer's trail:
  :func:`audit_entries`, :func:`count_audit_entries`, :func:`audit_actions`, :class:`AuditEntry`,
  :class:`AuditFilter`, :data:`AUDIT_OUTCOMES`
- applications (涉税事项): :class:`ApplicationSpec`, :class:`Applicant`, :class:`AttachmentRule`,
  :class:`ApplicationRecord`, :class:`Decision`, :func:`application_controller`; reads for the query
  centre: :class:`ApplicationFilter`, :class:`ApplicationRow`, :func:`application_rows`,
  :func:`count_applications`, :func:`application_functions`, :func:`application_detail_page`,
  :func:`in_correction`, :func:`service_reminders` (:class:`ReminderRow`), :data:`APPLICATION_STATUSES`
- back office: :func:`admin_page` (render inside the back-office shell), :func:`current_admin` (the
  administrator of a back-office request), :class:`NavItem` (hook
  ``etax_admin_nav``); pages come through ``etax_admin_route_handlers`` with ``opt={"admin_role": ...}``
- forms: :func:`read_form`, :func:`field_label`
- pre-fill of returns from invoices: :class:`InvoiceFigures`, :class:`SalesFigure` (hook ``etax_invoice_figures``)
- home-page messages (我的待办 / 服务提醒 / 通知公告): :class:`MessageSource`, :class:`HomeMessage`
- core registry (taxpayers, persons, registration staff): :mod:`registry` functions
- agency certifications of an enterprise (涉税中介机构): :func:`agency_certifications`,
  :func:`count_agency_certifications`, :func:`agency_certification`, :class:`CertificationRow`,
  :data:`CERTIFICATION_STATUS`
- compliance records (违法违章, 失信行为; entered by the bureau): :mod:`compliance` (``violations``,
  ``add_violation``, ``handle_violation``, ``dishonesty_records``, ``add_dishonesty`` …)
- postal dispatch with tracking (邮寄, 物流): :mod:`dispatch` (``request_dispatch`` when a taxpayer chooses
  postal delivery, ``advance_dispatch``, ``dispatches``, ``tracking``, ``dispatch_summary`` …)
- time: :func:`beijing` (format a moment as Beijing time), :data:`BEIJING`
- PDF with Chinese text and QR codes: :func:`new_pdf`, :func:`pdf_bytes`, :func:`qr_png`
- data helpers: :func:`is_unique_violation`, :func:`write_transaction`
- idempotent forms: :func:`issue_token`, :func:`token_issued`; notices: :func:`set_notice`, :func:`pop_notice`
- list pages (:mod:`etax.platform.listing`): filters :class:`DateRange`, :class:`PeriodRange`,
  :class:`AmountRange`, :class:`Choice`, :class:`Text`; :class:`Listing`, :class:`SortKey`,
  :func:`list_query`, :class:`ListQuery`, :class:`PageRequest`, :class:`Page` (keyset pagination with
  signed cursors); :class:`Column`, :class:`ListFormat`, :class:`Tone`; :func:`export_response`,
  :class:`ExportFormat`, :class:`Exporter` (audited CSV/XLSX), :func:`print_rows`, :func:`printed_at`;
  :func:`moments` (a day range as Beijing moments), :func:`money` (``1,234.50``); templates ``macros/listing.html`` (``pager``,
  ``filter_fields``, ``errors``, ``cell``) and ``listing/print.html``
"""

from __future__ import annotations

import datetime as dt

from etax.platform import compliance, dispatch, hookimpl
from etax.platform.access import can_open
from etax.platform.admin.rendering import admin_page
from etax.platform.admin.rendering import page_admin as current_admin
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
from etax.platform.applications.pages import application_detail_page
from etax.platform.applications.queries import (
    ApplicationFilter,
    ApplicationRow,
    application_rows,
    count_applications,
    in_correction,
)
from etax.platform.applications.queries import functions_in_use as application_functions
from etax.platform.applications.reminders import ReminderRow, service_reminders
from etax.platform.applications.routes import application_controller
from etax.platform.applications.spec import STATUSES as APPLICATION_STATUSES
from etax.platform.applications.spec import (
    Applicant,
    ApplicationRecord,
    ApplicationSpec,
    AttachmentRule,
    Decision,
)
from etax.platform.auth.agency_read import (
    CERTIFICATION_STATUS,
    CertificationRow,
    agency_certification,
    agency_certifications,
    count_agency_certifications,
)
from etax.platform.auth.audit import Outcome, record
from etax.platform.auth.audit_trail import OUTCOME_LABELS as AUDIT_OUTCOMES
from etax.platform.auth.audit_trail import (
    AuditEntry,
    AuditFilter,
    audit_actions,
    audit_entries,
    count_audit_entries,
)
from etax.platform.coresys import registry
from etax.platform.forms import field_label, read_form
from etax.platform.functions import Audience, FunctionSpec
from etax.platform.identity import Principal
from etax.platform.listing import (
    AmountRange,
    Choice,
    Column,
    DateRange,
    Exporter,
    ExportFormat,
    Listing,
    ListQuery,
    Page,
    PageRequest,
    PeriodRange,
    SortKey,
    Span,
    Text,
    Tone,
    export_response,
    list_query,
    moments,
    money,
    print_rows,
    printed_at,
)
from etax.platform.listing import Format as ListFormat
from etax.platform.messages import HomeMessage, MessageSource
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
    "APPLICATION_STATUSES",
    "AUDIT_OUTCOMES",
    "BEIJING",
    "CERTIFICATION_STATUS",
    "Actor",
    "AmountRange",
    "Applicant",
    "ApplicationFilter",
    "ApplicationRecord",
    "ApplicationRow",
    "ApplicationSpec",
    "AttachmentRule",
    "Audience",
    "AuditEntry",
    "AuditFilter",
    "CertificationRow",
    "Choice",
    "Column",
    "DateRange",
    "Decision",
    "ExportFormat",
    "Exporter",
    "FunctionSpec",
    "HomeMessage",
    "InvoiceFigures",
    "ListFormat",
    "ListQuery",
    "Listing",
    "MessageSource",
    "NavItem",
    "Outcome",
    "Page",
    "PageRequest",
    "PeriodRange",
    "Principal",
    "ReminderRow",
    "SalesFigure",
    "SortKey",
    "Span",
    "StaticDir",
    "Text",
    "Tone",
    "admin_page",
    "agency_certification",
    "agency_certifications",
    "application_controller",
    "application_detail_page",
    "application_functions",
    "application_rows",
    "audit_actions",
    "audit_entries",
    "beijing",
    "can_open",
    "compliance",
    "count_agency_certifications",
    "count_applications",
    "count_audit_entries",
    "current_actor",
    "current_admin",
    "dispatch",
    "export_response",
    "field_label",
    "hookimpl",
    "in_correction",
    "invoice_figures",
    "is_unique_violation",
    "issue_token",
    "list_query",
    "moments",
    "money",
    "new_pdf",
    "pdf_bytes",
    "pop_notice",
    "principal_of",
    "print_rows",
    "printed_at",
    "qr_png",
    "read_form",
    "record",
    "registry",
    "service_reminders",
    "set_notice",
    "token_issued",
    "write_transaction",
]
