from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-30T19:59:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ledger invariants: CHECK constraints (PostgreSQL) and triggers (SQLite)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="etax_ledger", description=DESCRIPTION)

    async def constraints():
        # What must hold, enforced by the database (piccolo has no CHECK columns): CHECK constraints on
        # PostgreSQL, triggers on SQLite (which cannot add a constraint to an existing table).
        import re

        from piccolo.engine.sqlite import SQLiteEngine

        from etax.platform.ledger.tables import LedgerDeclaration

        checks = {
            "ledger_declaration": [
                (
                    "ledger_declaration_amounts",
                    "payable_fen >= 0 AND credit_fen >= 0 AND tax_fen >= 0 "
                    "AND relief_fen >= 0 AND prepaid_fen >= 0 AND income_fen >= 0",
                ),
                ("ledger_declaration_paid", "paid_fen >= 0 AND paid_fen <= payable_fen"),
            ],
            "ledger_credit": [
                ("ledger_credit_remaining", "remaining_fen >= 0 AND remaining_fen <= amount_fen")
            ],
            "ledger_payment": [
                ("ledger_payment_amounts", "amount_fen >= 0 AND tax_fen >= 0 AND late_fee_fen >= 0")
            ],
            "ledger_payment_item": [("ledger_payment_item_amounts", "tax_fen >= 0 AND late_fee_fen >= 0")],
            "ledger_refund": [("ledger_refund_amount", "amount_fen > 0")],
        }
        engine = LedgerDeclaration._meta.db
        for table, rules in checks.items():
            for name, rule in rules:
                if isinstance(engine, SQLiteEngine):
                    condition = re.sub(r"([a-z_]+_fen)", r"NEW.\1", rule)
                    for event in ("INSERT", "UPDATE"):
                        await engine.run_ddl(
                            f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} "
                            f"FOR EACH ROW WHEN NOT ({condition}) "
                            f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
                        )
                else:
                    await engine.run_ddl(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({rule})")

    manager.add_raw(constraints)

    return manager
