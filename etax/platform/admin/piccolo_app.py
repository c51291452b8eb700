"""The back office's Piccolo app: administrators, announcement records, bureau messages."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.admin.tables import AdminUser, AnnouncementRecord, BureauMessage, MessageRead

APP_CONFIG = AppConfig(
    app_name="etax_admin",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[AdminUser, AnnouncementRecord, BureauMessage, MessageRead],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
