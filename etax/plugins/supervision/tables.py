"""The supervision plugin's records: credit re-evaluations, reported agency agreements, risk notices."""

from __future__ import annotations

from piccolo.columns import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.api import PlatformNow, PlatformToday, Taxpayer


class CreditReview(Table, tablename="supervision_credit_review"):
    """One 复评 or 补评 the bureau completed: the year's level and score before and after."""

    id = Serial(primary_key=True)
    application_number = Varchar(length=20, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    kind = Varchar(length=4)  # 复评 | 补评
    year = Integer()
    level_before = Varchar(length=2, default="")
    score_before = Integer(null=True, default=None)
    level_after = Varchar(length=2)
    score_after = Integer()
    decided_at = Timestamptz(default=PlatformNow())


class AgencyAgreement(Table, tablename="supervision_agency_agreement"):
    """A 涉税专业服务协议 an agency reported (effective once the bureau completes the report)."""

    id = Serial(primary_key=True)
    key = Varchar(length=60, unique=True)  # "<agency id>:<agreement number>"
    agency = ForeignKey(references=Taxpayer, index=True)
    client = ForeignKey(references=Taxpayer, index=True)
    agreement_number = Varchar(length=30)
    service = Varchar(length=20)
    starts_on = Date(default=PlatformToday())
    ends_on = Date(default=PlatformToday())
    application_number = Varchar(length=20, unique=True)
    reported_at = Timestamptz(default=PlatformNow())


class RiskNotice(Table, tablename="supervision_risk_notice"):
    """A 风险提示 the bureau sent: 待核实 → (说明 submitted) → 已核实 (or back to 待核实 when not accepted)."""

    id = Serial(primary_key=True)
    number = Varchar(length=20, unique=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    title = Varchar(length=100)
    description = Text()
    deadline = Date(default=PlatformToday())
    status = Varchar(length=10, default="pending")  # pending | closed
    comment = Varchar(length=300, default="")
    answer_number = Varchar(length=20, default="")
    sent_by = Varchar(length=120)
    sent_at = Timestamptz(default=PlatformNow())
    updated_at = Timestamptz(default=PlatformNow())
