"""Core-registry tables: taxpayers, persons and the registration's staff links."""

from __future__ import annotations

from piccolo.columns import Boolean, Date, ForeignKey, Serial, Text, Varchar
from piccolo.table import Table

from etax.platform.db.defaults import PlatformToday
from etax.platform.identity import StaffRole

TAXPAYER_TYPES = ("一般纳税人", "小规模纳税人")
TAXPAYER_STATUSES = ("正常", "非正常", "停业", "清算", "注销")
LOCATION_CLASSES = ("市区", "县城、镇", "其他")
STAFF_ROLES: tuple[str, ...] = tuple(StaffRole)
ROLE_LABELS: dict[str, str] = {
    StaffRole.LEGAL_REP: "法定代表人",
    StaffRole.FINANCE_HEAD: "财务负责人",
    StaffRole.TAX_OFFICER: "办税员",
}


class Taxpayer(Table, tablename="coresys_taxpayer"):
    """A registered taxpayer (纳税人) as the core system holds it."""

    id = Serial(primary_key=True)

    tin = Varchar(length=20, unique=True, index=True)
    name = Varchar(length=200)
    taxpayer_type = Varchar(length=10, default="小规模纳税人")
    status = Varchar(length=10, default="正常")
    location_class = Varchar(length=10, default="市区")
    tax_office = Varchar(length=100)
    pure_social_security = Boolean(default=False)
    is_agency = Boolean(default=False)
    registered_taxes = Text(default="")
    registered_on = Date(default=PlatformToday())
    general_since = Date(null=True, default=None)
    address = Varchar(length=200, default="")
    industry = Varchar(length=60, default="")  # 行业 (国民经济行业分类 门类/大类 name)


class Person(Table, tablename="coresys_person"):
    """A natural person with (or without) a real-name record (实名采集)."""

    id = Serial(primary_key=True)

    name = Varchar(length=50)
    id_type = Varchar(length=20, default="居民身份证")
    id_number = Varchar(length=30, unique=True, index=True)
    mobile = Varchar(length=20, default="")
    fixed_phone = Varchar(length=20, default="")
    real_name_collected = Boolean(default=False)


class TaxpayerStaff(Table, tablename="coresys_taxpayer_staff"):
    """A person registered on a taxpayer's registration as legal rep, financial head or tax officer."""

    id = Serial(primary_key=True)

    key = Varchar(length=80, unique=True)  # "<tin>:<person id>:<role>" — one link per role
    taxpayer = ForeignKey(references=Taxpayer)
    person = ForeignKey(references=Person)
    role = Varchar(length=20)
    registered_mobile = Varchar(length=20, default="")
    registered_fixed_phone = Varchar(length=20, default="")
