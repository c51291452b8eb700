"""Helpers for the 数电发票 tests (no tests here): enterprises with an approved 票种核定, issuing through
the real form, reading rows back. Everything is real: database, sessions, routes."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.coresys.tables import Taxpayer
from etax.plugins.invoices.forms import TypeApprovalForm
from etax.plugins.invoices.issuing.service import sync_account
from etax.plugins.invoices.quota import approve
from etax.plugins.invoices.tables import Invoice, InvoiceAccount
from tests.factories import Enterprise, log_in_staff
from tests.login_helpers import post
from tests.test_applications_support import new_enterprise, run

Client = TestClient[Litestar]


async def _set_type(taxpayer_id: int, kind: str) -> None:
    await Taxpayer.update({Taxpayer.taxpayer_type: kind}).where(Taxpayer.id == taxpayer_id)


async def _approve(taxpayer_id: int, invoice_type: str, limit: str, monthly: int) -> None:
    from etax.plugins.invoices.clock import now

    form = TypeApprovalForm(
        invoice_type=invoice_type,  # type: ignore[arg-type]
        max_amount=limit,  # type: ignore[arg-type]
        monthly_quantity=monthly,
        per_purchase_quantity=monthly,
        holding_quantity=monthly,
    )
    await approve(taxpayer_id, form, "2026000001", now())
    await sync_account(taxpayer_id)


def approve_types(taxpayer_id: int, *types: str, limit: str = "十万元", monthly: int = 10) -> None:
    """What an approved (办结) 票种核定 does: the quota row and the 授信总额度 that follows it."""
    for invoice_type in types:
        run(_approve(taxpayer_id, invoice_type, limit, monthly))


def seller(general: bool = True, *, limit: str = "十万元", monthly: int = 10) -> Enterprise:
    """A fresh enterprise approved for 专票 (if general) and 普票: 授信总额度 = limit × monthly per type."""
    enterprise = new_enterprise(officers=1)
    run(_set_type(enterprise.taxpayer_id, "一般纳税人" if general else "小规模纳税人"))
    types = ["增值税电子专用发票", "增值税电子普通发票"] if general else ["增值税电子普通发票"]
    approve_types(enterprise.taxpayer_id, *types, limit=limit, monthly=monthly)
    return enterprise


def buyer() -> Enterprise:
    enterprise = new_enterprise(officers=0)
    run(_set_type(enterprise.taxpayer_id, "一般纳税人"))
    return enterprise


def issue_form(
    buyer_tin: str,
    lines: list[dict[str, str]],
    *,
    kind: str = "special",
    buyer_name: str = "",
    person: bool = False,
    inclusive: bool = False,
    submission: str | None = None,
) -> dict[str, str]:
    data = {
        "kind": kind,
        "buyer_tin": buyer_tin,
        "buyer_name": buyer_name,
        "price_inclusive": "1" if inclusive else "0",
        "rows": str(len(lines)),
        "_submission": submission if submission is not None else secrets.token_urlsafe(12),
        "action": "issue",
    }
    if person:
        data["buyer_is_person"] = "on"
    for index, line in enumerate(lines):
        for key, value in line.items():
            data[f"{key}_{index}"] = value
    return data


def line(name: str = "技术服务费", amount: str = "1000.00", rate: str = "6", **extra: str) -> dict[str, str]:
    return {"name": name, "amount": amount, "rate": rate, **extra}


def issue(client: Client, data: dict[str, str]) -> httpx.Response:
    return post(client, "/invoices/issue", data)


def issued_id(response: httpx.Response) -> int:
    assert response.status_code == 303, response.text[:3000]
    match = re.search(r"/invoices/issue/(\d+)$", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def log_in(client: Client, enterprise: Enterprise, role: str = "legal_rep") -> Client:
    log_in_staff(client, enterprise, role)
    return client


def invoices_of(taxpayer_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = run(
        Invoice.select().where(Invoice.seller == taxpayer_id).order_by(Invoice.id)
    )
    return rows


def account_row(taxpayer_id: int) -> dict[str, Any]:
    row: dict[str, Any] | None = run(
        InvoiceAccount.select().where(InvoiceAccount.taxpayer == taxpayer_id).first()
    )
    assert row is not None
    return row


def available(taxpayer_id: int) -> Decimal:
    row = account_row(taxpayer_id)
    return Decimal(int(row["base_credit_fen"]) + int(row["adjustment_fen"]) - int(row["used_fen"])) / 100
