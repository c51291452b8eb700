"""The ledger's Piccolo app: registrations, declarations, payments, decisions, credits."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.ledger.records_tables import LedgerBankAccount, LedgerFiling
from etax.platform.ledger.tables import (
    LedgerAgreement,
    LedgerCounter,
    LedgerCredit,
    LedgerDeclaration,
    LedgerDeclarationData,
    LedgerExtension,
    LedgerFixedAmount,
    LedgerPayment,
    LedgerPaymentItem,
    LedgerRefund,
    LedgerRegistration,
    LedgerRelief,
    LedgerTaxEvent,
    LedgerTaxpayerKind,
)

APP_CONFIG = AppConfig(
    app_name="etax_ledger",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        LedgerTaxpayerKind,
        LedgerRegistration,
        LedgerTaxEvent,
        LedgerDeclaration,
        LedgerDeclarationData,
        LedgerAgreement,
        LedgerPayment,
        LedgerPaymentItem,
        LedgerExtension,
        LedgerRelief,
        LedgerFixedAmount,
        LedgerCredit,
        LedgerRefund,
        LedgerCounter,
        LedgerBankAccount,
        LedgerFiling,
    ],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
