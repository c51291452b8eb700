"""The core's Piccolo app: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.announcements import Announcement
from etax.platform.audit.tables import AuditLog
from etax.platform.auth.tables import (
    AgencyCertification,
    AttemptCounter,
    EnterpriseAccount,
    NaturalPersonAccount,
    PermissionIdentity,
    PrincipalVersion,
    SmsCode,
    SmsOutbox,
    StaffIdentity,
    StaffMember,
)
from etax.platform.coresys.tables import Person, Taxpayer, TaxpayerStaff
from etax.platform.dataversion import DataVersion
from etax.platform.search_analytics import SearchEvent
from etax.platform.usage import FunctionUsage

APP_CONFIG = AppConfig(
    app_name="etax_core",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        Taxpayer,
        Person,
        TaxpayerStaff,
        Announcement,
        FunctionUsage,
        EnterpriseAccount,
        StaffMember,
        PermissionIdentity,
        StaffIdentity,
        NaturalPersonAccount,
        AgencyCertification,
        SmsCode,
        SmsOutbox,
        AuditLog,
        SearchEvent,
        AttemptCounter,
        PrincipalVersion,
        DataVersion,
    ],
    migration_dependencies=[],
    commands=[],
)
