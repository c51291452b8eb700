"""Copy the bureau's messages and read marks out of the back office's old tables, where they were kept.

Runs before ``etax_admin``'s migration that drops ``admin_bureau_message`` and ``admin_message_read``
(that app depends on this one). On a fresh database the old tables do not exist yet: nothing to copy.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-30T19:48:26:000000"
VERSION = "1.38.0"
DESCRIPTION = "copy messages from admin_bureau_message / admin_message_read"


class _Messages(Table, tablename="messaging_message"):
    pass


COPY_MESSAGES = """
INSERT INTO messaging_message (id, submission, title, body, taxpayer, audience, sender, sent_at)
SELECT m.id, m.submission, m.title, m.body, m.taxpayer, m.audience, COALESCE(u.display_name, ''), m.sent_at
FROM admin_bureau_message m LEFT JOIN admin_user u ON u.id = m.sender
"""
COPY_READS = """
INSERT INTO messaging_read (id, "key", message, reader, read_at)
SELECT id, "key", message, reader, read_at FROM admin_message_read
"""


async def _old_tables_exist() -> bool:
    engine = engine_finder()
    assert engine is not None
    if engine.engine_type == "sqlite":
        rows = await _Messages.raw(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'admin_bureau_message'"
        )
        return bool(rows)
    rows = await _Messages.raw("SELECT to_regclass('admin_bureau_message') IS NOT NULL AS present")
    return bool(rows and rows[0]["present"])


async def copy_messages() -> None:
    if not await _old_tables_exist():
        return
    await _Messages.raw(COPY_MESSAGES)
    await _Messages.raw(COPY_READS)
    engine = engine_finder()
    assert engine is not None
    if engine.engine_type != "sqlite":  # the copied ids must not be handed out again
        for table in ("messaging_message", "messaging_read"):
            await _Messages.raw(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="etax_messaging", description=DESCRIPTION)
    manager.add_raw(copy_messages)
    return manager
