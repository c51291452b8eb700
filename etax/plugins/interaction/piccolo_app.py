"""The interaction plugin's Piccolo app: 预约办税 slots and bookings."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.plugins.interaction.tables import Booking, BookingSlot, ConsultThread

APP_CONFIG = AppConfig(
    app_name="etax_interaction",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[BookingSlot, Booking, ConsultThread],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
