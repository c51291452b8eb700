"""The applications' Piccolo app: applications, their history and attachments, 电子资料, reminders."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.applications.tables import (
    Application,
    ApplicationAttachment,
    ApplicationCounter,
    ApplicationEvent,
    Document,
    ServiceReminder,
)

APP_CONFIG = AppConfig(
    app_name="etax_applications",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        Document,
        ApplicationCounter,
        Application,
        ApplicationEvent,
        ApplicationAttachment,
        ServiceReminder,
    ],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
