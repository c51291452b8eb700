"""The invoices plugin's Piccolo app (returned from ``etax_piccolo_apps``)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.plugins.invoices.tables import (
    AgentIssue,
    CustomsPayment,
    Invoice,
    InvoiceAccount,
    InvoiceItem,
    InvoiceQuota,
    InvoiceSelection,
    LimitApproval,
    PaperBatch,
    PaperCounter,
    PaperLoss,
    PeriodConfirmation,
    QuotaAdjustment,
    RedLetterRequest,
    TaxDevice,
    TransferOut,
    VerificationCount,
)

APP_CONFIG = AppConfig(
    app_name="etax_invoices",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        InvoiceQuota,
        InvoiceAccount,
        Invoice,
        InvoiceItem,
        InvoiceSelection,
        PeriodConfirmation,
        RedLetterRequest,
        QuotaAdjustment,
        PaperBatch,
        PaperCounter,
        TransferOut,
        VerificationCount,
        TaxDevice,
        LimitApproval,
        PaperLoss,
        CustomsPayment,
        AgentIssue,
    ],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
