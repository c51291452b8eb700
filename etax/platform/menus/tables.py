"""Menu tables: favourites (常用功能), packages (套餐业务), featured services (特色业务), 定制业务 and
the version counter that tells every worker its copy of the published packages is stale."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.defaults import PlatformNow

MENU_AUDIENCES = {"all": "全部", "enterprise": "企业", "natural_person": "自然人"}


class Favourite(Table, tablename="menus_favourite"):
    """One function in a person's 常用功能, per person and enterprise (``owner``)."""

    id = Serial(primary_key=True)
    key = Varchar(length=200, unique=True)  # "<owner>|<function code>"
    owner = Varchar(length=80, index=True)  # e.g. "staff:12", "agency:3:7", "np:5"
    code = Varchar(length=120)
    position = Integer(default=0)


class MenuPackage(Table, tablename="menus_package"):
    """A 套餐业务: an ordered set of functions an administrator composes, draft or published."""

    id = Serial(primary_key=True)
    name = Varchar(length=60, unique=True)
    description = Text(default="")
    audience = Varchar(length=20, default="all")
    status = Varchar(length=10, default="draft")  # draft | published
    position = Integer(default=0)
    updated_at = Timestamptz(default=PlatformNow())


class MenuPackageStep(Table, tablename="menus_package_step"):
    """One step of a package: a function, at a position."""

    id = Serial(primary_key=True)
    key = Varchar(length=40, unique=True)  # "<package id>:<position>"
    package = ForeignKey(references=MenuPackage)
    position = Integer()
    code = Varchar(length=120)


class FeaturedService(Table, tablename="menus_featured"):
    """A 特色业务 entry: a function picked by an administrator, with a short description, per audience."""

    id = Serial(primary_key=True)
    key = Varchar(length=160, unique=True)  # "<audience>|<function code>"
    code = Varchar(length=120)
    description = Varchar(length=200, default="")
    audience = Varchar(length=20, default="all")
    position = Integer(default=0)


class MenuVersion(Table, tablename="menus_version"):
    """A counter per menu (``name``), raised in the same transaction as every change to that menu.

    Each worker keeps the number it last built its search documents from and compares it with this
    row on each request: one indexed read, and a rebuild only when another worker changed the menu.
    """

    id = Serial(primary_key=True)
    name = Varchar(length=40, unique=True)
    counter = Integer(default=0)


CUSTOM_RULES = {
    "taxpayers": "指定纳税人",
    "industry": "按行业",
    "tax": "按税种",
    "region": "按地区（主管税务机关）",
}
"""Who a 定制业务 is for: a list of taxpayers, or every taxpayer of an industry, a tax or a region."""


class CustomService(Table, tablename="menus_custom"):
    """定制业务: functions or packages the bureau tailors to one taxpayer or a group of taxpayers."""

    id = Serial(primary_key=True)

    name = Varchar(length=60, unique=True)
    description = Text(default="")
    rule = Varchar(length=20, default="taxpayers")  # a key of CUSTOM_RULES
    rule_value = Varchar(length=100, default="")  # the industry, tax or region for a group rule
    status = Varchar(length=10, default="draft")  # draft | published
    position = Integer(default=0)
    updated_at = Timestamptz(default=PlatformNow())


class CustomServiceItem(Table, tablename="menus_custom_item"):
    """One entry of a 定制业务, in order: a function code or ``package:<id>``."""

    id = Serial(primary_key=True)

    key = Varchar(length=40, unique=True)  # "<custom id>:<position>"
    custom = ForeignKey(references=CustomService, on_delete=OnDelete.cascade)
    position = Integer()
    code = Varchar(length=120)


class CustomServiceTaxpayer(Table, tablename="menus_custom_taxpayer"):
    """A taxpayer a 指定纳税人 定制业务 is for; ``key`` ("<custom id>:<taxpayer id>") is unique."""

    id = Serial(primary_key=True)

    key = Varchar(length=40, unique=True)
    custom = ForeignKey(references=CustomService, on_delete=OnDelete.cascade)
    taxpayer = ForeignKey(references=Taxpayer, on_delete=OnDelete.cascade, index=True)
