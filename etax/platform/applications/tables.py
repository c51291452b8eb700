"""Tables of tax-matter applications and 电子资料 (the ``etax_applications`` Piccolo app).

Uniqueness that matters is a unique column: the application number, the idempotency key of a
submitted form, one counter row per year, one attachment link per application and document, and the
random storage name of every uploaded file.
"""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.defaults import PlatformNow


class Document(Table, tablename="applications_document"):
    """One 电子资料: a file an enterprise uploaded, stored under ``<var>/uploads/<storage_name>``."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    title = Varchar(length=100)
    filename = Varchar(length=200)  # as uploaded, shown only
    kind = Varchar(length=10)  # pdf | png | jpeg, from the content
    size = Integer()
    sha256 = Varchar(length=64)
    storage_name = Varchar(length=64, unique=True)
    submission = Varchar(length=64, unique=True, null=True, default=None)  # idempotency key of 报送
    uploaded_by = Varchar(length=120)
    uploaded_at = Timestamptz(default=PlatformNow(), index=True)


class ApplicationCounter(Table, tablename="applications_counter"):
    """The last application sequence number of a year (incremented atomically)."""

    id = Serial(primary_key=True)
    year = Integer(unique=True)
    last = Integer(default=0)


class Application(Table, tablename="applications_application"):
    """One application (涉税事项申请): number, matter, taxpayer, status and the submitted form (JSON)."""

    id = Serial(primary_key=True)
    number = Varchar(length=12, unique=True)  # year + 6-digit sequence, e.g. 2026000123
    submission = Varchar(length=64, unique=True)  # idempotency key of the form that created it
    function = Varchar(length=120, index=True)
    function_name = Varchar(length=100)
    matter_code = Varchar(length=10)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    status = Varchar(length=10, index=True)
    data = Text()
    round = Integer(default=1)  # 1 + number of resubmissions after 需补正
    submitted_by = Varchar(length=120)
    comment = Text(default="")  # the bureau's latest comment
    submitted_at = Timestamptz(default=PlatformNow(), index=True)
    updated_at = Timestamptz(default=PlatformNow())


class ApplicationEvent(Table, tablename="applications_event"):
    """A status change: submitted, resubmitted or decided, with the comment and who did it."""

    id = Serial(primary_key=True)
    application = ForeignKey(references=Application, index=True, on_delete=OnDelete.cascade)
    action = Varchar(length=20)  # submit | resubmit | accept | complete | reject | correct
    status = Varchar(length=10)  # the status after the change
    actor = Varchar(length=120)
    comment = Text(default="")
    data = Text(default="")  # the form as submitted (submit and resubmit only)
    at = Timestamptz(default=PlatformNow(), index=True)


class ApplicationAttachment(Table, tablename="applications_attachment"):
    """A 电子资料 attached to an application; the title stays when the document is deleted later."""

    id = Serial(primary_key=True)
    key = Varchar(length=40, unique=True)  # "<application id>:<document id>"
    application = ForeignKey(references=Application, index=True, on_delete=OnDelete.cascade)
    document = ForeignKey(references=Document, null=True, on_delete=OnDelete.set_null)
    title = Varchar(length=100)
    kind = Varchar(length=10)


class ServiceReminder(Table, tablename="applications_reminder"):
    """A 服务提醒 for an enterprise: one per status change of one of its applications."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    application = ForeignKey(references=Application, on_delete=OnDelete.cascade)
    title = Varchar(length=200)
    status = Varchar(length=10)
    created_at = Timestamptz(default=PlatformNow(), index=True)
