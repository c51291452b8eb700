"""Menu tables: favourites (常用功能), packages (套餐业务), featured services (特色业务) and the
version counter that tells every worker its copy of the published packages is stale."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

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
    updated_at = Timestamptz(default=TimestamptzNow())


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
