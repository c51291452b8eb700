"""The filing plugin's Piccolo app (returned from ``etax_piccolo_apps``)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.plugins.filing.tables import FilingDraft

APP_CONFIG = AppConfig(
    app_name="etax_filing",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[FilingDraft],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
