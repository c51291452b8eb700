"""The credit service's Piccolo app: 纳税信用评价 results."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.credit.tables import CreditEvaluation

APP_CONFIG = AppConfig(
    app_name="etax_credit",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[CreditEvaluation],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
