"""Portal-side account tables (the core registry says who exists; these say who may log in and how)."""

from __future__ import annotations

from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from etax.platform.coresys.tables import Person, Taxpayer
from etax.platform.db.defaults import PlatformNow, PlatformToday


class EnterpriseAccount(Table, tablename="auth_enterprise_account"):
    """An enterprise's portal account: the 企业登录密码 from the 办税用户注册凭证."""

    id = Serial(primary_key=True)

    taxpayer = ForeignKey(references=Taxpayer, unique=True)
    password_hash = Varchar(length=255)
    failed_attempts = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=PlatformNow())


class StaffMember(Table, tablename="auth_staff_member"):
    """A person maintained as 企业人员 of a taxpayer (synced legal rep / financial head, or added officer).

    ``personal_password_hash`` is empty until the first SMS login sets it ("尚未设置密码");
    ``must_change_password`` is set by a reset to 111111; ``bound`` makes the natural-person
    account's password the personal password.
    """

    id = Serial(primary_key=True)
    key = Varchar(length=60, unique=True)  # "<taxpayer id>:<person id>"
    taxpayer = ForeignKey(references=Taxpayer)
    person = ForeignKey(references=Person)
    role = Varchar(length=20)  # legal_rep | finance_head | tax_officer
    personal_password_hash = Varchar(length=255, default="")
    must_change_password = Boolean(default=False)
    frozen = Boolean(default=False)
    bound = Boolean(default=False)
    manage_rights = Boolean(default=False)
    failed_attempts = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=PlatformNow())


class PermissionIdentity(Table, tablename="auth_permission_identity"):
    """A 权限身份: a named set of function-tree nodes an enterprise grants its officers."""

    id = Serial(primary_key=True)

    key = Varchar(length=160, unique=True)  # "<taxpayer id>:<name>"
    taxpayer = ForeignKey(references=Taxpayer)
    name = Varchar(length=50)
    description = Varchar(length=200, default="")
    nodes = Text(default="")  # newline-separated function-tree node codes
    created_at = Timestamptz(default=PlatformNow())


class StaffIdentity(Table, tablename="auth_staff_identity"):
    """Which identities an officer holds."""

    id = Serial(primary_key=True)

    key = Varchar(length=60, unique=True)  # "<staff id>:<identity id>"
    staff = ForeignKey(references=StaffMember)
    identity = ForeignKey(references=PermissionIdentity)


class NaturalPersonAccount(Table, tablename="auth_natural_person_account"):
    """A natural person's portal account (自然人登录)."""

    id = Serial(primary_key=True)

    person = ForeignKey(references=Person, unique=True)
    username = Varchar(length=40, unique=True)
    password_hash = Varchar(length=255)
    failed_attempts = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=PlatformNow())


class AgencyCertification(Table, tablename="auth_agency_certification"):
    """An enterprise's certification (认定) of a tax agency, with the delegated function branches."""

    id = Serial(primary_key=True)

    key = Varchar(length=60, unique=True)  # "<client taxpayer id>:<agency taxpayer id>"
    client = ForeignKey(references=Taxpayer)
    agency = ForeignKey(references=Taxpayer)
    agreement_password_hash = Varchar(length=255)
    nodes = Text(default="")  # delegated function-tree node codes, newline-separated
    valid_until = Date(default=PlatformToday())
    status = Varchar(length=10, default="active")  # active | cancelled
    created_at = Timestamptz(default=PlatformNow())


class SmsCode(Table, tablename="auth_sms_code"):
    """A 6-digit code sent by SMS: valid 5 minutes, one use, at most 5 wrong tries."""

    id = Serial(primary_key=True)

    mobile = Varchar(length=20, index=True)
    purpose = Varchar(length=40)
    code_hash = Varchar(length=128)
    attempts = Integer(default=0)
    used = Boolean(default=False)
    # Lifetimes (resend wait, expiry) run on the wall clock, not the platform clock: see sms._now.
    sent_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()


class SmsOutbox(Table, tablename="auth_sms_outbox"):
    """Messages the development gateway 'sent' (shown at the dev-only outbox page)."""

    id = Serial(primary_key=True)

    mobile = Varchar(length=20, index=True)
    text = Text()
    sent_at = Timestamptz(default=TimestamptzNow())  # the wall clock, like the code it carries


class AttemptCounter(Table, tablename="auth_attempt_counter"):
    """A shared counter of credential attempts within a window: per client address, per 协议密码
    certification… (:mod:`etax.platform.auth.counters`). Changed only by single atomic statements."""

    id = Serial(primary_key=True)

    key = Varchar(length=200, unique=True)
    attempts = Integer(default=0)
    window_ends = Timestamptz()  # always given, on the wall clock (counters._now)


class PrincipalVersion(Table, tablename="auth_principal_version"):
    """One row (id 1): a counter the database itself raises, by triggers, in the same transaction as any
    change to what a logged-in principal is made of (staff members, their identities and the identities'
    nodes, enterprise and natural-person passwords, agency certifications, taxpayers' and persons' names).

    Each worker caches resolved principals and compares this number on every request
    (:mod:`etax.platform.auth.principal_cache`): one indexed read instead of re-reading the principal.
    """

    id = Serial(primary_key=True)
    counter = BigInt(default=0)
