"""The refunds plugin's Piccolo app (returned from ``etax_piccolo_apps``)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.plugins.refunds.tables import ExportFiling, ExportReturn

APP_CONFIG = AppConfig(
    app_name="etax_refunds",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[ExportFiling, ExportReturn],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
