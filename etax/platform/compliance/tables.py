"""The bureau's records of violations (违法违章) and dishonest conduct (失信行为), one row each."""

from __future__ import annotations

from decimal import Decimal

from piccolo.columns import Date, ForeignKey, Numeric, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.defaults import PlatformNow, PlatformToday


class Violation(Table, tablename="compliance_violation"):
    """A violation the bureau registered against a taxpayer, and whether it has been dealt with."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    kind = Varchar(length=40)  # ViolationKind
    facts = Text()  # 违法违章事实
    basis = Text(default="")  # 处理依据
    penalty = Numeric(digits=(14, 2), default=Decimal("0.00"))  # 罚款金额（元）
    found_on = Date(default=PlatformToday())  # 登记日期
    status = Varchar(length=10, index=True)  # ViolationStatus
    handled_on = Date(null=True, default=None)
    document = Varchar(length=60, default="")  # 税务处理（处罚）决定书文号
    entered_by = Varchar(length=120)
    created_at = Timestamptz(default=PlatformNow())


class Dishonesty(Table, tablename="compliance_dishonesty"):
    """A published dishonest-conduct record (重大税收违法失信主体 and the like)."""

    id = Serial(primary_key=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    kind = Varchar(length=40)  # DishonestyKind
    case_nature = Varchar(length=60)  # 案件性质
    facts = Text()  # 主要违法事实
    penalty = Text(default="")  # 法律依据及处理处罚情况
    published_on = Date(default=PlatformToday())
    status = Varchar(length=10, index=True)  # DishonestyStatus
    removed_on = Date(null=True, default=None)
    entered_by = Varchar(length=120)
    created_at = Timestamptz(default=PlatformNow())
