from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Serial, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T00:15:04:782750"
VERSION = "1.38.0"
DESCRIPTION = "queue counters: the last number per hall and day"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="etax_liaoning", description=DESCRIPTION)

    manager.add_table(
        class_name="QueueCounter",
        tablename="liaoning_queue_counter",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="QueueCounter",
        tablename="liaoning_queue_counter",
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
        table_class_name="QueueCounter",
        tablename="liaoning_queue_counter",
        column_name="key",
        db_column_name="key",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 40,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": True,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="QueueCounter",
        tablename="liaoning_queue_counter",
        column_name="last",
        db_column_name="last",
        column_class_name="Integer",
        column_class=Integer,
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
