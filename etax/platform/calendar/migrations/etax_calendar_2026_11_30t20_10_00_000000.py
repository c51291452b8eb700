from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-30T20:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "seed the bureau table with 2027 (chinese-calendar 1.11.0 stops at 2026)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="etax_calendar", description=DESCRIPTION)

    async def seed():
        from etax.platform.calendar.seed import SOURCE_2027, arrangement_2027
        from etax.platform.calendar.service import seed_year

        await seed_year(2027, arrangement_2027(), source=SOURCE_2027)

    manager.add_raw(seed)

    return manager
