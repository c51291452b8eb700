"""The compliance records' Piccolo app: violations and dishonest-conduct records."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.compliance.tables import Dishonesty, Violation

APP_CONFIG = AppConfig(
    app_name="etax_compliance",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Violation, Dishonesty],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
