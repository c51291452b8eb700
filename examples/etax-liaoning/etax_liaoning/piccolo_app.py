"""The distribution's Piccolo app: its table and migrations (``etax db migrate`` applies them)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax_liaoning.tables import QueueCounter, QueueTicket

APP_CONFIG = AppConfig(
    app_name="etax_liaoning",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[QueueTicket, QueueCounter],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
