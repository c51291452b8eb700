"""The messaging service's Piccolo app (its own tables; the back office only sends through it)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.messaging.tables import BureauMessage, MessageRead

APP_CONFIG = AppConfig(
    app_name="etax_messaging",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[BureauMessage, MessageRead],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
