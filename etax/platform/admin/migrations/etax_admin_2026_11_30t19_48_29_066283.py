from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-30T19:48:29:066283"
VERSION = "1.38.0"
DESCRIPTION = "messages move from the back office into the messaging service"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="etax_admin", description=DESCRIPTION)

    manager.drop_table(class_name="MessageRead", tablename="admin_message_read", schema=None)

    manager.drop_table(class_name="BureauMessage", tablename="admin_bureau_message", schema=None)

    return manager
