"""The dispatch service's Piccolo app: postal dispatches and their tracking events."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.dispatch.tables import Dispatch, DispatchEvent

APP_CONFIG = AppConfig(
    app_name="etax_dispatch",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Dispatch, DispatchEvent],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
