"""The supervision plugin's Piccolo app (returned from ``etax_piccolo_apps``)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.plugins.supervision.tables import AgencyAgreement, CreditReview, RiskNotice

APP_CONFIG = AppConfig(
    app_name="etax_supervision",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[CreditReview, AgencyAgreement, RiskNotice],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
