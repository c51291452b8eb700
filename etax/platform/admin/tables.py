"""The back office's tables: administrators and announcement records (messages live in messaging)."""

from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from etax.platform.announcements import Announcement
from etax.platform.db.defaults import PlatformNow


class AdminUser(Table, tablename="admin_user"):
    """A bureau administrator (created with ``etax admin create``)."""

    id = Serial(primary_key=True)

    username = Varchar(length=40, unique=True)
    display_name = Varchar(length=50)
    role = Varchar(length=20)  # system | reviewer | content
    password_hash = Varchar(length=255)
    active = Boolean(default=True)
    failed_attempts = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=PlatformNow())


class AnnouncementRecord(Table, tablename="admin_announcement_record"):
    """Who published an announcement and last changed it; ``submission`` stops double submission."""

    id = Serial(primary_key=True)

    announcement = ForeignKey(references=Announcement, unique=True, on_delete=OnDelete.cascade)
    submission = Varchar(length=64, unique=True)
    created_by = ForeignKey(references=AdminUser, null=True, on_delete=OnDelete.set_null)
    updated_by = ForeignKey(references=AdminUser, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=PlatformNow())
    updated_at = Timestamptz(default=PlatformNow())


class PluginSwitch(Table, tablename="admin_plugin_switch"):
    """A plugin whose functions a system administrator switched off for visitors (or back on)."""

    id = Serial(primary_key=True)

    plugin = Varchar(length=100, unique=True)
    is_off = Boolean(default=False)
    changed_by = Varchar(length=60, default="")
    changed_at = Timestamptz(default=PlatformNow())
