from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-30T20:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "list-page indexes: a taxpayer's declarations and payments in their list order (keyset pages)"

INDEXES = (
    "CREATE INDEX IF NOT EXISTS ledger_declaration_list ON ledger_declaration (taxpayer, filed_at, id)",
    "CREATE INDEX IF NOT EXISTS ledger_payment_list ON ledger_payment (taxpayer, requested_at, id)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="etax_ledger", description=DESCRIPTION)

    async def create():
        from etax.platform.ledger.tables import LedgerDeclaration

        for statement in INDEXES:
            await LedgerDeclaration._meta.db.run_ddl(statement)

    manager.add_raw(create)
    return manager
