from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-30T20:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "list-page index: a taxpayer's audit trail in its list order (历史办税操作查询, keyset pages)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="etax_core", description=DESCRIPTION)

    async def create():
        from etax.platform.audit.tables import AuditLog

        await AuditLog._meta.db.run_ddl(
            "CREATE INDEX IF NOT EXISTS audit_log_trail ON audit_log (taxpayer_id, at, id)"
        )

    manager.add_raw(create)
    return manager
