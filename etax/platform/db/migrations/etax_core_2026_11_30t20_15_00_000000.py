from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T20:15:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Search clicks carry a pseudonymous session, for per-session de-duplication of learning"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="etax_core", description=DESCRIPTION)

    manager.add_column(
        table_class_name="SearchEvent",
        tablename="platform_search_event",
        column_name="session",
        db_column_name="session",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 32,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
