"""The ledger's demo world and the scale loader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from etax.platform import ledger as L
from etax.platform.coresys.tables import Taxpayer
from etax.platform.ledger.demo import load_ledger_demo, load_scale
from etax.platform.ledger.tables import LedgerDeclaration, LedgerPayment
from tests.login_helpers import CHENGUANG_TIN, HAICHEN_TIN, HEXIN_TIN, run

Pin = Callable[[dt.date | dt.datetime], None]


def _id(tin: str) -> int:
    row = run(Taxpayer.select(Taxpayer.id).where(Taxpayer.tin == tin).first())
    assert row is not None
    return int(row["id"])


def test_hexin_has_two_years_of_returns_and_payments(pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 11, 10))
    hexin = _id(HEXIN_TIN)
    vat = run(L.declarations(hexin, tax_types=[L.TaxType.VAT]))
    assert len(vat) == 24 and {d.period_start.year for d in vat} == {2024, 2025, 2026}
    assert any(d.kind is L.DeclarationKind.LATE for d in vat)
    assert run(L.taxpayer_kind(hexin)) is L.TaxpayerKind.GENERAL
    paid = run(L.payments(hexin))
    assert paid and all(p.status is L.PaymentStatus.SUCCEEDED for p in paid)
    assert any(p.late_fee > 0 for p in paid)  # one payment came after the deadline
    assert run(L.unpaid(hexin)) == []
    assert run(L.active_agreement(hexin)) is not None
    # October 2026 is open: 我的待办 offers it, due 16 November (the 15th is a Sunday).
    todo = run(L.current_obligations(hexin))
    october = [o for o in todo if o.tax_type is L.TaxType.VAT and o.period_start == dt.date(2026, 10, 1)]
    assert (
        october
        and october[0].status is L.ObligationStatus.DUE
        and october[0].deadline == dt.date(2026, 11, 16)
    )


def test_haichen_is_in_arrears(pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 11, 10))
    haichen = _id(HAICHEN_TIN)
    owed = run(L.arrears(haichen))
    assert owed and all(item.declaration.period_start == dt.date(2026, 9, 1) for item in owed)
    assert all(item.late_fee > Decimal("0") for item in owed)
    assert haichen in run(L.taxpayers_in_arrears())
    assert _id(HEXIN_TIN) not in run(L.taxpayers_in_arrears())


def test_loading_twice_changes_nothing_and_pure_social_security_has_no_ledger() -> None:
    before = run(LedgerDeclaration.count())
    assert run(load_ledger_demo()) == {"ledger": 0}
    assert run(LedgerDeclaration.count()) == before
    assert run(L.registrations(_id(CHENGUANG_TIN))) == []


def test_scale_loader_adds_synthetic_taxpayers_once() -> None:
    first = run(load_scale(3))
    assert first["taxpayers"] == 3 and first["declarations"] > 3 * 24
    again = run(load_scale(3))
    assert again["taxpayers"] == 0 and again["declarations"] == 0


def test_scale_loader_in_chunks_writes_every_chunk_while_building_the_next() -> None:
    """Chunks of two: each chunk's rows are copied while the next one is built; all of them land."""
    declarations, payments = run(LedgerDeclaration.count()), run(LedgerPayment.count())
    report = run(load_scale(9, chunk=2))
    assert report["taxpayers"] >= 6  # the first test may have loaded three of them already
    assert run(LedgerDeclaration.count()) == declarations + report["declarations"]
    assert run(LedgerPayment.count()) == payments + report["payments"]
    synthetic = run(Taxpayer.select(Taxpayer.id).where(Taxpayer.tin.like("91219900%")))
    assert len(synthetic) == 9
    for row in synthetic:
        assert run(LedgerDeclaration.count().where(LedgerDeclaration.taxpayer == row["id"])) >= 24
