"""The interaction plugin's Piccolo app: 预约办税 slots and bookings."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.plugins.interaction.tables import (
    Booking,
    BookingSlot,
    Complaint,
    ConsultThread,
    Survey,
    SurveyResponse,
    TaxReport,
)

APP_CONFIG = AppConfig(
    app_name="etax_interaction",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[BookingSlot, Booking, ConsultThread, Survey, SurveyResponse, Complaint, TaxReport],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
