"""权益保护: 纳税服务投诉 (logged-in taxpayers) and 税收违法行为检举 (anyone, anonymous allowed).

Complaints (纳税服务投诉管理办法, 2019): three kinds with their time limits in working days — 服务言行
5, 服务质效 10, 侵害权益 10 — accepted at once (a real-name complaint not refused within a working day
counts as accepted), then 处理中 and 已办结 with the bureau's reply, which also reaches 我的消息.

Reports (检举管理办法, 总局令第49号): real-name or anonymous. The reporter chooses a query password;
a report is followed only with its tracking number and that password (stored as a scrypt hash), so
nobody else — the accused taxpayer least of all — ever sees it. Replies on handling go only to
real-name reporters (anonymous ones see the status). At most :data:`REPORTS_PER_IP_PER_DAY` reports a
day from one address. Both are handled in the back office by the role ``rights``; every view is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from enum import StrEnum

import msgspec

from etax.platform.api import BEIJING, CalendarUnavailable, calendar, clock, send_message
from etax.plugins.interaction.tables import Complaint, TaxReport

REPORTS_PER_IP_PER_DAY = 5
FACTS_MIN, FACTS_MAX = 10, 3000


class ComplaintKind(StrEnum):
    CONDUCT = "服务言行"
    QUALITY = "服务质效"
    RIGHTS = "侵害权益"

    @property
    def days(self) -> int:
        return 5 if self is ComplaintKind.CONDUCT else 10


class ReportKind(StrEnum):
    EVASION = "逃避缴纳税款"
    ARREARS = "逃避追缴欠税"
    FRAUD = "骗取出口退税"
    INVOICE = "虚开发票"
    FAKE_INVOICE = "伪造变造发票"
    OTHER = "其他税收违法行为"


class CaseStatus(StrEnum):
    ACCEPTED = "accepted"
    HANDLING = "handling"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"accepted": "已受理", "handling": "处理中", "closed": "已办结"}[self.value]


class RightsError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ComplaintView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    taxpayer: int
    filed_by: str
    kind: ComplaintKind
    accused_office: str
    accused_staff: str
    facts: str
    status: CaseStatus
    due_on: dt.date
    reply: str
    submitted_at: dt.datetime

    @property
    def submitted_text(self) -> str:
        return f"{self.submitted_at.astimezone(BEIJING):%Y-%m-%d %H:%M}"

    @property
    def overdue(self) -> bool:
        return self.status is not CaseStatus.CLOSED and clock.today() > self.due_on


class ReportView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    anonymous: bool
    reporter_name: str
    reporter_phone: str
    accused_name: str
    accused_tin: str
    kind: ReportKind
    facts: str
    status: CaseStatus
    reply: str
    submitted_at: dt.datetime

    @property
    def submitted_text(self) -> str:
        return f"{self.submitted_at.astimezone(BEIJING):%Y-%m-%d %H:%M}"


def _clean(text: str, limit: int) -> str:
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()[:limit]


def _facts(text: str) -> str:
    facts = _clean(text, FACTS_MAX + 1)
    if not FACTS_MIN <= len(facts) <= FACTS_MAX:
        raise RightsError(f"事实和理由应为{FACTS_MIN}至{FACTS_MAX}个字")
    return facts


def _number(prefix: str) -> str:
    return f"{prefix}{clock.today():%Y%m%d}{secrets.randbelow(10**6):06d}"


_COMPLAINT = (
    Complaint.id,
    Complaint.number,
    Complaint.taxpayer,
    Complaint.filed_by,
    Complaint.kind,
    Complaint.accused_office,
    Complaint.accused_staff,
    Complaint.facts,
    Complaint.status,
    Complaint.due_on,
    Complaint.reply,
    Complaint.submitted_at,
)
_REPORT = (
    TaxReport.id,
    TaxReport.number,
    TaxReport.anonymous,
    TaxReport.reporter_name,
    TaxReport.reporter_phone,
    TaxReport.accused_name,
    TaxReport.accused_tin,
    TaxReport.kind,
    TaxReport.facts,
    TaxReport.status,
    TaxReport.reply,
    TaxReport.submitted_at,
)


async def file_complaint(
    *, taxpayer_id: int, filed_by: str, kind: str, office: str, staff: str, facts: str, submission: str
) -> ComplaintView:
    """File a complaint (accepted at once, due in 5 or 10 working days); a replayed form is one complaint."""
    earlier = await Complaint.select(*_COMPLAINT).where(Complaint.submission == submission[:64]).first()
    if earlier is not None and int(str(earlier["taxpayer"])) == taxpayer_id:
        return msgspec.convert(earlier, ComplaintView, strict=False)
    if kind not in {k.value for k in ComplaintKind}:
        raise RightsError("请选择投诉类型")
    office = _clean(office, 101)
    if not office or len(office) > 100:
        raise RightsError("请填写被投诉的税务机关（不超过100个字）")
    staff = _clean(staff, 51)
    if len(staff) > 50:
        raise RightsError("被投诉人员不超过50个字")
    text = _facts(facts)
    chosen = ComplaintKind(kind)
    try:
        due = (await calendar()).add_workdays(clock.today(), chosen.days)
    except CalendarUnavailable:
        due = clock.today() + dt.timedelta(days=chosen.days * 7 // 5 + 2)
    await Complaint.insert(
        Complaint(
            number=_number("TS"),
            submission=submission[:64],
            taxpayer=taxpayer_id,
            filed_by=filed_by[:120],
            kind=chosen.value,
            accused_office=office,
            accused_staff=staff,
            facts=text,
            due_on=due,
            submitted_at=clock.now(),
        )
    ).on_conflict(target=Complaint.submission, action="DO NOTHING")
    row = await Complaint.select(*_COMPLAINT).where(Complaint.submission == submission[:64]).first()
    if row is None or int(str(row["taxpayer"])) != taxpayer_id:
        raise RightsError("表单已失效，请重新打开页面")
    return msgspec.convert(row, ComplaintView, strict=False)


async def complaints(taxpayer_id: int | None = None) -> list[ComplaintView]:
    query = Complaint.select(*_COMPLAINT).order_by(Complaint.id, ascending=False).limit(200)
    if taxpayer_id is not None:
        query = query.where(Complaint.taxpayer == taxpayer_id)
    return [msgspec.convert(r, ComplaintView, strict=False) for r in await query]


async def complaint(complaint_id: int, taxpayer_id: int | None = None) -> ComplaintView | None:
    query = Complaint.select(*_COMPLAINT).where(Complaint.id == complaint_id)
    if taxpayer_id is not None:
        query = query.where(Complaint.taxpayer == taxpayer_id)
    row = await query.first()
    return msgspec.convert(row, ComplaintView, strict=False) if row else None


async def handle_complaint(complaint_id: int, status: str, reply: str, *, by: str) -> ComplaintView:
    """Move a complaint to 处理中 or 已办结 (with the reply, which also goes to the taxpayer's 我的消息)."""
    if status not in (CaseStatus.HANDLING.value, CaseStatus.CLOSED.value):
        raise RightsError("请选择处理状态")
    text = _clean(reply, 3001)
    if status == CaseStatus.CLOSED.value and not 2 <= len(text) <= 3000:
        raise RightsError("办结时请填写答复（2至3000个字）")
    done = (
        await Complaint.update(
            {
                Complaint.status: status,
                Complaint.reply: text,
                Complaint.handled_by: by[:120],
                Complaint.closed_at: clock.now() if status == CaseStatus.CLOSED.value else None,
            }
        )
        .where((Complaint.id == complaint_id) & (Complaint.status != CaseStatus.CLOSED.value))
        .returning(Complaint.id)
    )
    if not done:
        raise RightsError("该投诉已办结")
    view = await complaint(complaint_id)
    assert view is not None
    if view.status is CaseStatus.CLOSED:
        await send_message(
            taxpayer_id=view.taxpayer,
            title=f"您的纳税服务投诉（{view.number}）已办结",
            body=f"投诉编号 {view.number} 已办结。答复：\n\n{view.reply}",
            submission=f"complaint:{view.id}",
            sender="权益保护",
        )
    return view


def _hash(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"{salt.hex()}${digest.hex()}"


def _matches(password: str, stored: str) -> bool:
    salt, _, digest = stored.partition("$")
    try:
        return hmac.compare_digest(_hash(password, bytes.fromhex(salt)).partition("$")[2], digest)
    except ValueError:
        return False


async def file_report(
    *,
    anonymous: bool,
    name: str,
    phone: str,
    accused: str,
    accused_tin: str,
    kind: str,
    facts: str,
    password: str,
    ip: str,
) -> ReportView:
    """File a 检举; refused beyond :data:`REPORTS_PER_IP_PER_DAY` a day from one address."""
    if kind not in {k.value for k in ReportKind}:
        raise RightsError("请选择检举事项")
    accused = _clean(accused, 101)
    if not accused or len(accused) > 100:
        raise RightsError("请填写被检举人名称（不超过100个字）")
    accused_tin = _clean(accused_tin, 21).upper()
    if accused_tin and not (15 <= len(accused_tin) <= 20 and accused_tin.isalnum()):
        raise RightsError("被检举人纳税人识别号应为15至20位字母或数字")
    name, phone = _clean(name, 51), _clean(phone, 21)
    if not anonymous and (not name or len(name) > 50 or not (phone.isdigit() and 7 <= len(phone) <= 20)):
        raise RightsError("实名检举请填写姓名和联系电话")
    text = _facts(facts)
    if not 6 <= len(password) <= 20:
        raise RightsError("查询密码应为6至20位")
    since = clock.now() - dt.timedelta(days=1)
    if await TaxReport.count().where((TaxReport.ip == ip[:64]) & (TaxReport.submitted_at > since)) >= (
        REPORTS_PER_IP_PER_DAY
    ):
        raise RightsError("同一网络地址一天内提交的检举过多，请明天再试或拨打12366")
    number = _number("JB")
    await TaxReport.insert(
        TaxReport(
            number=number,
            password_hash=_hash(password),
            anonymous=anonymous,
            reporter_name="" if anonymous else name,
            reporter_phone="" if anonymous else phone,
            accused_name=accused,
            accused_tin=accused_tin,
            kind=kind,
            facts=text,
            ip=ip[:64],
            submitted_at=clock.now(),
        )
    )
    found = await report_by_number(number)
    assert found is not None
    return found


async def report_by_number(number: str) -> ReportView | None:
    row = await TaxReport.select(*_REPORT).where(TaxReport.number == number).first()
    return msgspec.convert(row, ReportView, strict=False) if row else None


async def follow_report(number: str, password: str) -> ReportView | None:
    """The report with this number if the query password is right; None otherwise (the same for both)."""
    number = number.strip().upper()[:20]
    if not (len(number) == 16 and number.startswith("JB") and number[2:].isdigit()):
        _hash(password or "-")  # the same work either way
        return None
    row = await TaxReport.select(TaxReport.password_hash).where(TaxReport.number == number).first()
    if row is None:
        _hash(password or "-")  # the same work either way
        return None
    if not _matches(password, str(row["password_hash"])):
        return None
    return await report_by_number(number)


async def reports() -> list[ReportView]:
    rows = await TaxReport.select(*_REPORT).order_by(TaxReport.id, ascending=False).limit(200)
    return [msgspec.convert(r, ReportView, strict=False) for r in rows]


async def report(report_id: int) -> ReportView | None:
    row = await TaxReport.select(*_REPORT).where(TaxReport.id == report_id).first()
    return msgspec.convert(row, ReportView, strict=False) if row else None


async def handle_report(report_id: int, status: str, reply: str, *, by: str) -> ReportView:
    if status not in (CaseStatus.HANDLING.value, CaseStatus.CLOSED.value):
        raise RightsError("请选择处理状态")
    text = _clean(reply, 3000)
    done = (
        await TaxReport.update(
            {TaxReport.status: status, TaxReport.reply: text, TaxReport.handled_by: by[:120]}
        )
        .where((TaxReport.id == report_id) & (TaxReport.status != CaseStatus.CLOSED.value))
        .returning(TaxReport.id)
    )
    if not done:
        raise RightsError("该检举已办结")
    view = await report(report_id)
    assert view is not None
    return view
