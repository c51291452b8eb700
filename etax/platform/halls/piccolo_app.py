"""The hall directory's Piccolo app: tax service halls and their windows per business type."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.halls.tables import HallRow, HallWindowRow

APP_CONFIG = AppConfig(
    app_name="etax_halls",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[HallRow, HallWindowRow],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
