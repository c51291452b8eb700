"""The plugin API: everything a plugin may import from the platform, in one place.

Business plugins (``etax.plugins.*``) and regional plugins import platform services only from this
module (plus ``etax.search_index`` for search documents); import-linter enforces it (``make test``).
The names below are stable; where a service lives inside ``etax.platform`` may change without
breaking plugins. docs/plugins.md describes each group with an example.

What is here, by service:

- plugin declarations: :data:`hookimpl`, :class:`FunctionSpec`, :class:`Audience`, :class:`ActionKind`
  (what a function does, for search), :class:`StaticDir`
- request context (:mod:`etax.platform.context`): :class:`Principal`, :class:`Actor`; handlers take
  ``actor: CurrentActor``, ``principal: CurrentPrincipal`` or ``visitor: Visitor`` as parameters (the
  application provides them); elsewhere :func:`current_actor`, :func:`current_principal`,
  :func:`principal_of`. Plugins never raise 401/403 themselves.
- access (:mod:`etax.platform.access`, the one decision): :func:`can_open` (for showing links; routes are
  guarded by their declaration), :func:`announcement_audiences`
- audit: :func:`record` (the one audit writer) and :data:`Outcome`; reading one taxpayer's trail:
  :func:`audit_entries`, :func:`count_audit_entries`, :func:`audit_actions`, :class:`AuditEntry`,
  :func:`action_label` and :func:`readable_entries` (Chinese action names, readable objects, 税务机关),
  :class:`AuditFilter`, :data:`AUDIT_OUTCOMES`
- messaging (我的消息 / 服务提醒): :func:`send_message`; :mod:`messaging` (``list_messages``,
  ``open_message``, ``unread_count``, ``mark_all_read`` …) for the pages that show them
- home-page messages (我的待办 / 服务提醒 / 通知公告): :class:`MessageSource`, :class:`HomeMessage`
- announcements (通知公告): :func:`list_announcements`, :func:`count_announcements`,
  :func:`get_announcement`, :class:`AnnouncementView`
- applications (涉税事项): :class:`ApplicationSpec`, :class:`Applicant`, :class:`AttachmentRule`,
  :class:`ApplicationRecord`, :class:`Decision`, :func:`application_controller`; reads for the query
  centre: :class:`ApplicationFilter`, :class:`ApplicationRow`, :func:`application_rows`,
  :func:`count_applications`, :func:`application_functions`, :func:`application_detail_page`,
  :func:`in_correction`, :func:`service_reminders` (:class:`ReminderRow`), :data:`APPLICATION_STATUSES`
- back office: :func:`admin_page` (render inside the back-office shell), :func:`current_admin` (the
  administrator of a back-office request), :class:`NavItem` (hook
  ``etax_admin_nav``); pages come through ``etax_admin_route_handlers`` with ``opt={"admin_role": ...}``
- forms: :func:`read_form`, :func:`field_label`; captcha: :func:`check_captcha`; URL ids: :data:`RecordId`
  (every ``/{…_id:int}`` path parameter)
- flash notices (Litestar's FlashPlugin): :func:`set_notice`, :func:`pop_notice`
- idempotent forms: :func:`issue_token`, :func:`token_issued`
- pre-fill of returns from invoices: :class:`InvoiceFigures`, :class:`SalesFigure`, :func:`invoice_figures`
  (hook ``etax_invoice_figures``)
- invoices read by other plugins (发票信息查询): :class:`InvoiceRecordQuery`, :class:`InvoiceRecord`,
  :class:`InvoiceRecordDetail`, :class:`InvoiceRecordLine`, :class:`InvoiceSide`, :class:`InvoiceState`;
  :func:`invoice_records`, :func:`invoice_record` (hooks ``etax_invoice_records``, ``etax_invoice_record``)
- core registry (taxpayers, persons, registration staff): :mod:`registry` functions, :class:`Taxpayer`
  (the table, for foreign keys), :func:`normalise_code`, :func:`tin_problem`, :func:`resident_id_problem`,
  :func:`lookup_code_problem` and :func:`is_resident_id` (a 纳税人识别号 or a 居民身份证号码);
  prefill kinds: :class:`InvoiceKind`
- agency certifications of an enterprise (涉税中介机构): :func:`agency_certifications`,
  :func:`count_agency_certifications`, :func:`agency_certification`, :class:`CertificationRow`,
  :data:`CERTIFICATION_STATUS`
- compliance records (违法违章, 失信行为; entered by the bureau): :mod:`compliance` (``violations``,
  ``add_violation``, ``handle_violation``, ``dishonesty_records``, ``add_dishonesty`` …)
- 纳税信用评价 from the ledger and compliance records: :mod:`credit` (``evaluate``, ``evaluate_all``,
  ``evaluations``, ``evaluation``)
- postal dispatch with tracking (邮寄, 物流): :mod:`dispatch` (``request_dispatch`` when a taxpayer chooses
  postal delivery, ``advance_dispatch``, ``dispatches``, ``tracking``, ``dispatch_summary`` …)
- time: :func:`beijing` (format a moment as Beijing time), :data:`BEIJING`
- money shown to people: :func:`format_money` (``1,234.50``), :func:`capitals` (大写, 元 or 圆)
- PDF with Chinese text and QR codes: :func:`new_pdf`, :func:`pdf_bytes`, :func:`qr_png`
- data helpers: :func:`is_unique_violation` (SQLite and PostgreSQL), :func:`write_transaction`
- masking personal data: :func:`mask_name`, :func:`mask_mobile`, :func:`mask_id_number`; numbered pages
  of a short list: :class:`Pager` (template macro ``numbered_pager`` in ``macros/listing.html``)
- forms (docs/forms.md): :func:`read_form`, :func:`submitted`, :func:`submitted_text`, :func:`submitted_list`
- list pages (:mod:`etax.platform.listing`): filters :class:`DateRange`, :class:`PeriodRange`,
  :class:`AmountRange`, :class:`Choice`, :class:`Text`; :class:`Listing`, :class:`SortKey`,
  :func:`list_query`, :class:`ListQuery`, :class:`PageRequest`, :class:`Page` (keyset pagination with
  signed cursors); :class:`Column`, :class:`ListFormat`, :class:`Tone`; :func:`export_response`,
  :class:`ExportFormat`, :class:`Exporter` (audited CSV/XLSX), :func:`print_rows`, :func:`printed_at`;
  :func:`moments` (a day range as Beijing moments), :func:`money` (``1,234.50``); templates ``macros/listing.html`` (``pager``,
  ``filter_fields``, ``errors``, ``cell``) and ``listing/print.html``
- command-line commands (hook ``etax_cli_commands``): :class:`CliCommand`
- the platform clock (every "today", deadline and late fee): :mod:`clock` (``clock.now()``,
  ``clock.today()`` in Beijing time; tests pin it); column defaults that read it:
  :class:`PlatformNow` (``Timestamptz(default=PlatformNow())``), :class:`PlatformToday` (``Date``)
- the platform calendar (holidays, adjusted working days, filing deadlines, working days):
  :func:`calendar` (``cal = await api.calendar()``), :class:`Calendar`, :class:`CalendarUnavailable`
- certificates (完税证明, 无欠税证明 …: number, verification code, PDF, public verification):
  :mod:`certificates`; the public 证明查验 page checks a typed captcha with :func:`check_captcha`
- hook API version and 套餐业务 proposals (hook ``etax_package_proposals``): :data:`HOOK_API_VERSION`,
  :class:`PackageProposal`
- the tax ledger (registrations, obligations, declarations, payments, late fees, arrears, credits,
  decisions; 三方协议 and the bank gateway): :mod:`ledger` (``await api.ledger.pay(...)``; docs/ledger.md);
  page-by-page reads for list pages: :mod:`ledger_reads` (``declaration_rows``, ``payment_rows``)
- refund claims the bureau approves (误收多缴退抵税 within three years, 留抵退税, 出口退税; 先抵后退):
  :mod:`ledger_claims`; the bureau's front desk writing the core registry (实名采集, 新办纳税人登记, 开户 and
  柜台密码重置 with the 注册凭证 password, 解除相关人员关联关系): :mod:`frontdesk`; an application with its form
  data: :func:`application_data`
- the portal header's links (hook ``etax_header_links``, e.g. 我的消息 with its unread count): :class:`HeaderLink`
- the hall directory (办税服务厅: address, opening periods, windows per business type; maintained in the
  back office): :func:`list_halls`, :func:`get_hall`, :func:`hall_cities`, :class:`Hall`,
  :class:`HallBusiness`, :class:`HallWindow`
- tax-matter decisions (docs/tax-matters.md): :mod:`registry_changes` (staff links and phones, status,
  registered taxes), :mod:`ledger_records` (reported bank accounts, 备案, 一般纳税人登记, 清税 checks),
  :func:`sync_staff` (同步办税人), :class:`StaffRole`; certificate content: :class:`CertificateKind`,
  :class:`CertificateContent`, :class:`CertificateField`, :class:`CertificateError`
- public lists (公众服务): :func:`a_level_taxpayers` (信用等级A类纳税人 of a year), :func:`a_level_years`,
  :func:`major_cases` (published 重大税收违法失信案件 of a year), :func:`tax_offices` (the region filter),
  :class:`ACreditRow`, :class:`MajorCaseRow`
- attachments of a plugin's own forms, with the 电子资料 checks (magic bytes, size) and store:
  :func:`check_upload`, :class:`CheckedFile`, :class:`UploadError`, :func:`store_upload`,
  :func:`upload_path`, :func:`remove_upload`, :func:`upload_too_large` (the 413 handler), :data:`UPLOAD_MAX_BYTES`, :data:`UPLOAD_MEDIA_TYPES`;
  search documents that change at run time (hook ``etax_search_refreshers``): :class:`SearchRefresher`,
  :class:`VersionKey`, :func:`refresh_public_search_documents`
- a payment page's 缴款 step (token, replay, ticked ids checked against the page's offer, the ledger's
  deduction, the audit entry): :func:`pay_chosen` → :class:`PaymentAttempt` (:class:`PaymentRefusal`);
  a form's issued token: :func:`submitted_token`; the files of a posted form: :func:`submitted_files`
  (check each with :func:`check_upload`)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.connection import ASGIConnection

from etax.platform import captcha, certificates, clock, compliance, credit, dispatch, hookimpl, ledger
from etax.platform.access import announcement_audiences, can_open
from etax.platform.admin.rendering import admin_page
from etax.platform.admin.rendering import page_admin as current_admin
from etax.platform.admin.roles import NavItem
from etax.platform.announcements import (
    AnnouncementView,
    count_announcements,
    get_announcement,
    list_announcements,
)
from etax.platform.application_spec import STATUSES as APPLICATION_STATUSES
from etax.platform.application_spec import (
    Applicant,
    ApplicationRecord,
    ApplicationSpec,
    AttachmentRule,
    Decision,
)
from etax.platform.applications.common import BEIJING, beijing, issue_token, token_issued
from etax.platform.applications.pages import application_detail_page

# --- tax14b ---
from etax.platform.applications.queries import (
    ApplicationFilter,
    ApplicationRow,
    application_data,
    application_rows,
    count_applications,
    in_correction,
)
from etax.platform.applications.queries import functions_in_use as application_functions
from etax.platform.applications.reminders import ReminderRow, service_reminders
from etax.platform.applications.routes import application_controller
from etax.platform.audit import Outcome, record
from etax.platform.audit.labels import action_label, readable_entries
from etax.platform.audit.trail import OUTCOME_LABELS as AUDIT_OUTCOMES
from etax.platform.audit.trail import (
    AuditEntry,
    AuditFilter,
    audit_actions,
    audit_entries,
    count_audit_entries,
)
from etax.platform.auth.agency_read import (
    CERTIFICATION_STATUS,
    CertificationRow,
    agency_certification,
    agency_certifications,
    count_agency_certifications,
)

# --- tax14a ---
from etax.platform.auth.login.staff import sync_staff  # 同步办税人
from etax.platform.calendar.service import Calendar, CalendarUnavailable, calendar
from etax.platform.certificates.service import (
    CertificateContent,
    CertificateError,
    CertificateField,
    CertificateKind,
)
from etax.platform.clicommands import CliCommand
from etax.platform.context import (
    Actor,
    CurrentActor,
    CurrentPrincipal,
    Visitor,
    current_actor,
    current_principal,
    principal_of,
)
from etax.platform.coresys import changes as registry_changes
from etax.platform.coresys import counter as frontdesk
from etax.platform.coresys import registry
from etax.platform.coresys.tables import Taxpayer
from etax.platform.coresys.validators import (
    is_resident_id,
    lookup_code_problem,
    normalise_code,
    resident_id_problem,
    tin_problem,
)
from etax.platform.db.integrity import is_unique_violation, write_transaction
from etax.platform.forms import field_label, read_form
from etax.platform.functions import ActionKind, Audience, FunctionSpec

# --- reg17 ---
from etax.platform.hookapi import HOOK_API_VERSION
from etax.platform.identity import Principal, StaffRole
from etax.platform.ids import RecordId
from etax.platform.ledger import claims as ledger_claims
from etax.platform.ledger import reads as ledger_reads
from etax.platform.ledger import records as ledger_records
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
from etax.platform.messaging import service as messaging
from etax.platform.money import capitals, format_money
from etax.platform.pdf import new_pdf, pdf_bytes, qr_png
from etax.platform.prefill import InvoiceFigures, InvoiceKind, SalesFigure
from etax.platform.proposals import PackageProposal
from etax.platform.static import StaticDir
from etax.platform.web.notices import pop_notice, set_notice

# --- p9 ---
# isort: split
from etax.platform.forms import submitted, submitted_list, submitted_text
from etax.platform.listing.pager import Pager
from etax.platform.masking import mask_id_number, mask_mobile, mask_name

# --- inter15 ---
# isort: split
from etax.platform.halls import Hall, HallBusiness, HallWindow, get_hall, hall_cities, list_halls
from etax.platform.header import HeaderLink

# --- inv12 ---
# isort: split
from etax.platform.invoice_records import (
    InvoiceRecord,
    InvoiceRecordDetail,
    InvoiceRecordLine,
    InvoiceRecordQuery,
    InvoiceSide,
    InvoiceState,
)
from etax.platform.publicity import (
    ACreditRow,
    MajorCaseRow,
    a_level_taxpayers,
    a_level_years,
    major_cases,
    tax_offices,
)

# --- inter15b ---
# isort: split
from collections.abc import Awaitable, Callable
from pathlib import Path

from etax.platform.applications.routes import too_large as upload_too_large
from etax.platform.applications.uploads import MAX_BYTES as UPLOAD_MAX_BYTES
from etax.platform.applications.uploads import MAX_LABEL as UPLOAD_MAX_LABEL
from etax.platform.applications.uploads import MEDIA_TYPES as UPLOAD_MEDIA_TYPES
from etax.platform.applications.uploads import REQUEST_OVERHEAD as UPLOAD_REQUEST_OVERHEAD
from etax.platform.applications.uploads import CheckedFile, UploadError, check_upload
from etax.platform.caching import VersionKey
from etax.platform.home import SearchRefresher
from etax.search_index import SearchDocument
from etax.search_index.documents import DocumentKind

# --- queryscale ---
# isort: split
from etax.platform.listing import row_cells

# --- leftovers ---
# isort: split
from etax.platform.applications.common import submitted_token
from etax.platform.forms import submitted_files
from etax.platform.ledger.paying import PaymentAttempt, PaymentRefusal, pay_chosen

# --- pagecache ---
# isort: split
from etax.platform.web.session_pages import SESSION_PAGE_OPT as STORED_PER_SESSION_OPT

# --- clock2 ---
# isort: split
from etax.platform.db.defaults import PlatformNow, PlatformToday


async def invoice_figures(
    request: object, taxpayer_id: int, start: dt.date, end: dt.date
) -> InvoiceFigures | None:
    """The taxpayer's invoice figures for a period, from whichever plugin answers (预填); ``None`` if none."""
    from litestar import Request

    from etax.platform.runtime import get_runtime

    assert isinstance(request, Request)
    return await get_runtime(request.app).host.invoice_figures(taxpayer_id, start, end)


async def invoice_records(request: object, query: InvoiceRecordQuery) -> list[InvoiceRecord] | None:
    """One keyset page of a taxpayer's invoices from whichever plugin answers; ``None`` if none does."""
    from litestar import Request

    from etax.platform.runtime import get_runtime

    assert isinstance(request, Request)
    return await get_runtime(request.app).host.invoice_records(query)


async def invoice_record(request: object, taxpayer_id: int, invoice_id: int) -> InvoiceRecordDetail | None:
    """One invoice the taxpayer issued or received, with its lines; ``None`` when not theirs."""
    from litestar import Request

    from etax.platform.runtime import get_runtime

    assert isinstance(request, Request)
    return await get_runtime(request.app).host.invoice_record(taxpayer_id, invoice_id)


send_message = messaging.send
"""Send a message to one taxpayer (我的消息, and 服务提醒 while unread) or to an audience: ``submission``
names the sending, so sending it again stores nothing and returns ``None``; otherwise the new id."""


def check_captcha(connection: ASGIConnection[Any, Any, Any, Any], form: str, given: str) -> str | None:
    """Check the image captcha shown with ``form`` (``/captcha.png?form=<form>``): the problem in
    Chinese, or ``None`` when right. Each captcha is used up by one check, right or wrong."""
    from etax.platform.runtime import get_runtime

    test_answer = get_runtime(connection.app).settings.captcha_test_answer
    return captcha.check(connection.session, form, given, test_answer)


__all__ = [  # noqa: RUF022  (worktree blocks at the end, see COMMON.md)
    "APPLICATION_STATUSES",
    "AUDIT_OUTCOMES",
    "BEIJING",
    "CERTIFICATION_STATUS",
    "ActionKind",
    "Actor",
    "AmountRange",
    "AnnouncementView",
    "Applicant",
    "ApplicationFilter",
    "ApplicationRecord",
    "ApplicationRow",
    "ApplicationSpec",
    "AttachmentRule",
    "Audience",
    "AuditEntry",
    "AuditFilter",
    "Calendar",
    "CalendarUnavailable",
    "CertificationRow",
    "Choice",
    "CliCommand",
    "Column",
    "CurrentActor",
    "CurrentPrincipal",
    "DateRange",
    "Decision",
    "ExportFormat",
    "Exporter",
    "FunctionSpec",
    "HomeMessage",
    "InvoiceFigures",
    "InvoiceKind",
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
    "RecordId",
    "ReminderRow",
    "SalesFigure",
    "SortKey",
    "Span",
    "StaticDir",
    "Taxpayer",
    "Text",
    "Tone",
    "Visitor",
    "action_label",
    "admin_page",
    "agency_certification",
    "agency_certifications",
    "announcement_audiences",
    "application_controller",
    "application_detail_page",
    "application_functions",
    "application_rows",
    "audit_actions",
    "audit_entries",
    "beijing",
    "calendar",
    "can_open",
    "capitals",
    "certificates",
    "check_captcha",
    "clock",
    "compliance",
    "count_agency_certifications",
    "count_announcements",
    "count_applications",
    "count_audit_entries",
    "credit",
    "current_actor",
    "current_admin",
    "current_principal",
    "dispatch",
    "export_response",
    "field_label",
    "format_money",
    "get_announcement",
    "hookimpl",
    "in_correction",
    "invoice_figures",
    "is_resident_id",
    "is_unique_violation",
    "issue_token",
    "ledger",
    "ledger_reads",
    "list_announcements",
    "list_query",
    "lookup_code_problem",
    "messaging",
    "moments",
    "money",
    "new_pdf",
    "normalise_code",
    "pdf_bytes",
    "pop_notice",
    "principal_of",
    "print_rows",
    "printed_at",
    "qr_png",
    "read_form",
    "readable_entries",
    "record",
    "registry",
    "resident_id_problem",
    "send_message",
    "service_reminders",
    "set_notice",
    "tin_problem",
    "token_issued",
    "write_transaction",
    # --- tax14a ---
    "CertificateContent",
    "CertificateError",
    "CertificateField",
    "CertificateKind",
    "StaffRole",
    "ledger_records",
    "registry_changes",
    "sync_staff",
]

# --- p9 ---
__all__ += [
    "Pager",
    "mask_id_number",
    "mask_mobile",
    "mask_name",
    "submitted",
    "submitted_list",
    "submitted_text",
]
# --- tax14b ---
__all__ += ["application_data", "frontdesk", "ledger_claims"]
# --- inter15 ---
__all__ += [
    "ACreditRow",
    "Hall",
    "HallBusiness",
    "HallWindow",
    "HeaderLink",
    "MajorCaseRow",
    "a_level_taxpayers",
    "a_level_years",
    "get_hall",
    "hall_cities",
    "list_halls",
    "major_cases",
    "tax_offices",
]
# --- inv12 ---
__all__ += [
    "InvoiceRecord",
    "InvoiceRecordDetail",
    "InvoiceRecordLine",
    "InvoiceRecordQuery",
    "InvoiceSide",
    "InvoiceState",
    "invoice_record",
    "invoice_records",
]

# --- reg17 ---
__all__ += ["HOOK_API_VERSION", "PackageProposal"]

# --- inter15b ---
__all__ += [
    "UPLOAD_MAX_BYTES",
    "UPLOAD_MAX_LABEL",
    "UPLOAD_MEDIA_TYPES",
    "UPLOAD_REQUEST_OVERHEAD",
    "CheckedFile",
    "SearchRefresher",
    "UploadError",
    "VersionKey",
    "check_upload",
    "refresh_public_search_documents",
    "remove_upload",
    "store_upload",
    "upload_path",
    "upload_too_large",
]


def store_upload(connection: ASGIConnection[Any, Any, Any, Any], checked: CheckedFile) -> str:
    """Write a checked upload (:func:`check_upload`) outside the web root; return its storage name."""
    from etax.platform.applications.uploads import store
    from etax.platform.runtime import get_runtime

    return store(get_runtime(connection.app).settings.var_dir, checked)


def upload_path(connection: ASGIConnection[Any, Any, Any, Any], storage_name: str) -> Path:
    """Where a stored upload lives (to serve it with a ``File`` response after checking who asks)."""
    from etax.platform.applications.uploads import stored_path
    from etax.platform.runtime import get_runtime

    return stored_path(get_runtime(connection.app).settings.var_dir, storage_name)


def remove_upload(connection: ASGIConnection[Any, Any, Any, Any], storage_name: str) -> None:
    """Delete a stored upload (e.g. when the row that names it was not written)."""
    from etax.platform.applications.uploads import remove
    from etax.platform.runtime import get_runtime

    remove(get_runtime(connection.app).settings.var_dir, storage_name)


async def refresh_public_search_documents(
    connection: ASGIConnection[Any, Any, Any, Any],
    kind: DocumentKind,
    version: int,
    build: Callable[[], Awaitable[list[SearchDocument]]],
) -> None:
    """Rebuild this worker's public search documents of ``kind`` when ``version`` differs from theirs.

    For a plugin's ``etax_search_refreshers``: ``version`` is cheap (e.g. read through a
    :class:`VersionKey`); ``build`` reads the documents only when it changed. Everyone may see them.
    """
    from etax.platform.runtime import get_runtime

    search = get_runtime(connection.app).search
    if version in (search.versions.get(kind), search.pending.get(kind)):
        return
    search.pending[kind] = version
    try:
        documents = await build()
        if not documents and not search.documents(kind):
            search.versions[kind] = version
            return
        public = frozenset({Audience.PUBLIC})
        await search.replace_documents(
            kind, documents, audiences={doc.key: public for doc in documents}, version=version
        )
    finally:
        if search.pending.get(kind) == version:
            del search.pending[kind]


# --- queryscale ---
__all__ += ["row_cells"]

# --- leftovers ---
__all__ += ["PaymentAttempt", "PaymentRefusal", "pay_chosen", "submitted_files", "submitted_token"]

# --- pagecache ---
__all__ += ["STORED_PER_SESSION_OPT"]

# --- clock2 ---
__all__ += ["PlatformNow", "PlatformToday"]
