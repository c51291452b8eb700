"""The interaction plugin's tables (Piccolo app ``etax_interaction``): 预约办税 slots and bookings."""

from __future__ import annotations

from piccolo.columns import Boolean, Date, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.api import PlatformNow, PlatformToday


class BookingSlot(Table, tablename="interaction_slot"):
    """One half-hour slot of one business at one hall; ``booked`` never exceeds ``capacity``.

    Created on the first booking (``key`` = ``hall:business:day:HH:MM`` is unique); every booking raises
    ``booked`` with one conditional ``UPDATE … WHERE booked < capacity``, so the database refuses the
    sixth booking of a five-place slot however many arrive at once.
    """

    id = Serial(primary_key=True)
    key = Varchar(length=60, unique=True)
    hall = Integer(index=True)
    business = Varchar(length=20)
    day = Date(default=PlatformToday())
    starts_at = Timestamptz(default=PlatformNow())
    capacity = Integer()
    booked = Integer(default=0)


class Booking(Table, tablename="interaction_booking"):
    """A taxpayer's booking (预约) with its 取号 code.

    ``day_key`` (``taxpayer:day``) is unique while the booking stands and cleared when it is cancelled:
    one booking per taxpayer per day. ``submission`` (the form's one-time token) is unique: a replayed
    form is the same booking.
    """

    id = Serial(primary_key=True)
    code = Varchar(length=8, unique=True)
    submission = Varchar(length=64, unique=True)
    day_key = Varchar(length=40, unique=True, null=True, default=None)
    taxpayer = Integer(index=True)
    slot = Integer(index=True)
    hall = Integer(index=True)
    business = Varchar(length=20)
    day = Date(index=True, default=PlatformToday())
    starts_at = Timestamptz(default=PlatformNow())
    status = Varchar(length=12, default="booked")  # BookingStatus
    booked_by = Varchar(length=120, default="")
    created_at = Timestamptz(default=PlatformNow())
    cancelled_at = Timestamptz(null=True, default=None)
    arrived_at = Timestamptz(null=True, default=None)
    arrived_by = Varchar(length=120, default="")


class ConsultThread(Table, tablename="interaction_thread"):
    """A consultation (留言咨询): the taxpayer's question and the consultant's answer.

    ``submission`` (the form's one-time token) is unique: a replayed question is one thread. ``due_on`` is
    the answer deadline in working days; ``published`` answers appear in 自助查询 (public, searchable).
    """

    id = Serial(primary_key=True)
    submission = Varchar(length=64, unique=True)
    taxpayer = Integer(index=True)
    asked_by = Varchar(length=120, default="")
    category = Varchar(length=20)
    title = Varchar(length=100)
    question = Text()
    asked_at = Timestamptz(default=PlatformNow())
    due_on = Date(default=PlatformToday())
    status = Varchar(length=12, default="waiting", index=True)  # ThreadStatus
    answer = Text(default="")
    answered_by = Varchar(length=120, default="")
    answered_at = Timestamptz(null=True, default=None)
    published = Boolean(default=False, index=True)


class Survey(Table, tablename="interaction_survey"):
    """A satisfaction survey composed in the back office; ``questions`` is the msgspec JSON of its questions."""

    id = Serial(primary_key=True)
    title = Varchar(length=100)
    description = Text(default="")
    tax_office = Varchar(length=100, default="")  # audience: "" = every enterprise, else one tax office's
    opens_on = Date(default=PlatformToday())
    closes_on = Date(default=PlatformToday())
    published = Boolean(default=False)
    questions = Text()
    created_by = Varchar(length=120, default="")
    created_at = Timestamptz(default=PlatformNow())


class SurveyResponse(Table, tablename="interaction_survey_response"):
    """One taxpayer's answers to one survey; ``key`` (``survey:taxpayer``) is unique: answered once."""

    id = Serial(primary_key=True)
    key = Varchar(length=40, unique=True)
    survey = Integer(index=True)
    taxpayer = Integer()
    answers = Text()
    submitted_at = Timestamptz(default=PlatformNow())


class Complaint(Table, tablename="interaction_complaint"):
    """纳税服务投诉: a taxpayer's complaint about a tax office or its staff, with a tracking number."""

    id = Serial(primary_key=True)
    number = Varchar(length=20, unique=True)
    submission = Varchar(length=64, unique=True)
    taxpayer = Integer(index=True)
    filed_by = Varchar(length=120, default="")
    kind = Varchar(length=20)  # ComplaintKind
    accused_office = Varchar(length=100)
    accused_staff = Varchar(length=50, default="")
    facts = Text()
    status = Varchar(length=12, default="accepted", index=True)  # CaseStatus
    due_on = Date(default=PlatformToday())
    reply = Text(default="")
    handled_by = Varchar(length=120, default="")
    submitted_at = Timestamptz(default=PlatformNow())
    closed_at = Timestamptz(null=True, default=None)


class TaxReport(Table, tablename="interaction_report"):
    """税收违法行为检举: open to anonymous visitors; followed with its number and query password only."""

    id = Serial(primary_key=True)
    number = Varchar(length=20, unique=True)
    password_hash = Varchar(length=200)
    anonymous = Boolean(default=True)
    reporter_name = Varchar(length=50, default="")
    reporter_phone = Varchar(length=20, default="")
    accused_name = Varchar(length=100)
    accused_tin = Varchar(length=20, default="")
    kind = Varchar(length=20)  # ReportKind
    facts = Text()
    status = Varchar(length=12, default="accepted", index=True)  # CaseStatus
    reply = Text(default="")
    handled_by = Varchar(length=120, default="")
    ip = Varchar(length=64, default="", index=True)
    submitted_at = Timestamptz(default=PlatformNow())


class Attachment(Table, tablename="interaction_attachment"):
    """A file attached to a consultation (留言咨询) or a complaint (纳服投诉 evidence).

    The bytes live in the platform's upload store (checked by content, outside the web root) under the
    unique ``storage_name``; ``owner`` (``AttachmentOwner``) and ``owner_id`` name the thread or complaint,
    whose taxpayer is the only one who may fetch it besides the back-office role handling it.
    """

    id = Serial(primary_key=True)
    owner = Varchar(length=12)  # AttachmentOwner
    owner_id = Integer(index=True)
    taxpayer = Integer(index=True)
    filename = Varchar(length=200)
    kind = Varchar(length=10)
    size = Integer()
    sha256 = Varchar(length=64)
    storage_name = Varchar(length=64, unique=True)
    uploaded_at = Timestamptz(default=PlatformNow())
