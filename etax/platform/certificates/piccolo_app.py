"""The certificates' Piccolo app."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.certificates.tables import CertificateRow

APP_CONFIG = AppConfig(
    app_name="etax_certificates",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[CertificateRow],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
