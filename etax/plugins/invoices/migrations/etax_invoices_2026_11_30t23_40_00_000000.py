"""Trigram indexes for the counterparty filter of 全量发票查询 and 发票信息查询 (PostgreSQL only).

The filter is a substring match (``LIKE '%…%'``) on the other party's name or 纳税人识别号. Without an index a
name that matches few or none of a taxpayer's invoices reads all of them (a sequential scan, ~70 ms on
100,000 invoices); with ``pg_trgm`` GIN indexes the planner intersects them with the taxpayer's rows
(~0.2 ms). SQLite has no trigram index; its pages keep the plain scan.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-30T23:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "invoices_invoice trigram indexes on the parties' names and 纳税人识别号 (PostgreSQL)"

COLUMNS = ("buyer_name", "buyer_tin", "seller_name", "seller_tin")


class Invoice(Table, tablename="invoices_invoice", schema=None):
    id = Serial(primary_key=True)


def _postgres() -> bool:
    engine = engine_finder()
    assert engine is not None
    return engine.engine_type != "sqlite"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="etax_invoices", description=DESCRIPTION)

    async def create_indexes() -> None:
        if not _postgres():
            return
        await Invoice.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in COLUMNS:
            await Invoice.raw(
                f"CREATE INDEX IF NOT EXISTS invoices_invoice_{column}_trgm "
                f"ON invoices_invoice USING gin ({column} gin_trgm_ops)"
            )

    async def drop_indexes() -> None:
        if not _postgres():
            return
        for column in COLUMNS:
            await Invoice.raw(f"DROP INDEX IF EXISTS invoices_invoice_{column}_trgm")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
