"""The back office's Piccolo app: administrators, announcement records and plugin switches."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.admin.tables import AdminUser, AnnouncementRecord, PluginSwitch

APP_CONFIG = AppConfig(
    app_name="etax_admin",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[AdminUser, AnnouncementRecord, PluginSwitch],
    # After messaging: its first migration copies the messages out of the tables this app then drops.
    migration_dependencies=["etax.platform.db.piccolo_app", "etax.platform.messaging.piccolo_app"],
    commands=[],
)
