"""Composite indexes for 全量发票查询: one taxpayer's invoices, newest first (keyset on id)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.table import Table

ID = "2026-11-30T20:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "invoices_invoice (seller, id) and (buyer, id) indexes"


class Invoice(Table, tablename="invoices_invoice", schema=None):
    id = Serial(primary_key=True)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="etax_invoices", description=DESCRIPTION)

    async def create_indexes() -> None:
        for side in ("seller", "buyer"):
            await Invoice.raw(f"CREATE INDEX invoices_invoice_{side}_id ON invoices_invoice ({side}, id)")

    async def drop_indexes() -> None:
        for side in ("seller", "buyer"):
            await Invoice.raw(f"DROP INDEX IF EXISTS invoices_invoice_{side}_id")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
