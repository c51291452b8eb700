from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Serial
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T05:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "etax_data_version: the counter the database raises on every change to what portal pages show (triggers: etax.platform.dataversion)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="etax_core", description=DESCRIPTION)

    manager.add_table(
        class_name="DataVersion",
        tablename="etax_data_version",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="DataVersion",
        tablename="etax_data_version",
        column_name="id",
        db_column_name="id",
        column_class_name="Serial",
        column_class=Serial,
        params={
            "null": False,
            "primary_key": True,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="DataVersion",
        tablename="etax_data_version",
        column_name="counter",
        db_column_name="counter",
        column_class_name="BigInt",
        column_class=BigInt,
        params={
            "default": 0,
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
