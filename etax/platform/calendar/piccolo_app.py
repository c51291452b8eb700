"""The calendar's Piccolo app: the bureau-maintained holiday table."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.calendar.tables import CalendarDayRow, CalendarYearRow

APP_CONFIG = AppConfig(
    app_name="etax_calendar",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[CalendarYearRow, CalendarDayRow],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
