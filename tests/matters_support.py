"""Helpers for the tests of the refunds, supervision and front-desk plugins (no tests here): ledger
records made through the ledger service, and applications submitted and decided as people would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import ledger as L
from etax.platform.applications import queries
from etax.platform.audit.tables import AuditLog
from etax.platform.messaging.tables import BureauMessage
from tests.test_applications_support import application_id, decide, open_form, post_form, run

D = Decimal
BANK = L.DevelopmentBank(latency_ms=0)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def file_vat(
    taxpayer_id: int,
    start: dt.date,
    end: dt.date,
    payable: str,
    key: str,
    *,
    lines: dict[str, str] | None = None,
    kind: L.PeriodKind = L.PeriodKind.MONTH,
) -> L.Declaration:
    request = L.FilingRequest(
        taxpayer_id=taxpayer_id,
        tax_type=L.TaxType.VAT,
        form_code="BDA0610606",
        form_version="2023-01",
        period_kind=kind,
        period_start=start,
        period_end=end,
        amounts=L.Amounts(income=D("100000.00"), tax=D(payable), payable=D(payable)),
        lines=lines or {"M.1": "100000.00", "M.19": payable},
        filed_by="测试办税员",
        submission=key,
    )
    declaration: L.Declaration = run(L.file_declaration(request))
    return declaration


def sign_and_pay(taxpayer_id: int, declaration_ids: list[int], key: str) -> L.Payment:
    async def paying() -> L.Payment:
        if await L.active_agreement(taxpayer_id) is None:
            from etax.platform.coresys.tables import Taxpayer

            row = await Taxpayer.select(Taxpayer.name).where(Taxpayer.id == taxpayer_id).first()
            assert row is not None
            await L.sign_agreement(
                taxpayer_id,
                bank_code="102",
                bank_name="中国工商银行",
                account_number="6222020200001234567",
                account_name=row["name"],
                signed_by="测试",
                gateway=BANK,
            )
        return await L.pay(taxpayer_id, declaration_ids, key=key, requested_by="测试", gateway=BANK)

    payment: L.Payment = run(paying())
    assert payment.status is L.PaymentStatus.SUCCEEDED, payment.message
    return payment


def apply(
    client: TestClient[Litestar],
    url: str,
    data: dict[str, str],
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
) -> Any:
    """Open an application form and submit it (the response is not followed)."""
    return post_form(client, url, {**data, "_submission": open_form(client, url)}, files)


def approve(app: Litestar, response: Any) -> str:
    """受理 then 办结 the application ``response`` created; its number."""
    created = application_id(response)
    assert decide(app, created, "accept") == []
    assert decide(app, created, "complete") == []
    return str(run(queries.get_record(created)).number)


def audited(action: str, taxpayer_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = run(
        AuditLog.select(AuditLog.action, AuditLog.outcome, AuditLog.detail, AuditLog.target).where(
            (AuditLog.action == action) & (AuditLog.taxpayer_id == taxpayer_id)
        )
    )
    return rows


def messages_to(taxpayer_id: int) -> list[str]:
    rows = run(BureauMessage.select(BureauMessage.title).where(BureauMessage.taxpayer == taxpayer_id))
    return [str(r["title"]) for r in rows]
