"""The tax ledger: filing, correcting and voiding, late fees, arrears, payments and their invariants.

Runs on both databases; the parallel-payment test shows one deduction under 20 concurrent requests.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from etax.platform import clock
from etax.platform import ledger as L
from etax.platform.ledger.tables import LedgerCredit, LedgerDeclaration
from tests.factories import create_enterprise
from tests.login_helpers import run

Pin = Callable[[dt.date | dt.datetime], None]
D = Decimal


def _request(
    taxpayer_id: int,
    start: dt.date,
    end: dt.date,
    *,
    payable: str,
    key: str,
    tax_type: L.TaxType = L.TaxType.VAT,
    kind: L.PeriodKind = L.PeriodKind.MONTH,
    lines: dict[str, str] | None = None,
) -> L.FilingRequest:
    return L.FilingRequest(
        taxpayer_id=taxpayer_id,
        tax_type=tax_type,
        form_code="BDA0610606",
        form_version="2023-01",
        period_kind=kind,
        period_start=start,
        period_end=end,
        amounts=L.Amounts(income=D("100000.00"), tax=D(payable), payable=D(payable)),
        lines=lines or {"1": "100000.00", "19": payable, "34": payable, "5": "0"},
        filed_by="测试办税员",
        submission=key,
    )


def _enterprise(*taxes: L.TaxType) -> int:
    taxpayer_id = create_enterprise("账簿测试有限公司").taxpayer_id

    async def register() -> None:
        for tax in taxes or (L.TaxType.VAT,):
            await L.register_tax(taxpayer_id, tax, L.PeriodKind.MONTH, dt.date(2025, 1, 1))

    run(register())
    return taxpayer_id


def test_late_fee_arithmetic() -> None:
    # docs/domain/filing-facts.md §3.3: 42,000 due on the 15th, paid on the 25th → 10 days → 210.00.
    assert L.late_fee(D("42000"), dt.date(2026, 3, 15), dt.date(2026, 3, 25)) == L.LateFee(
        days=10, fee=D("210.00")
    )
    assert L.late_fee(D("42000"), dt.date(2026, 3, 15), dt.date(2026, 3, 15)).fee == D("0.00")
    assert L.late_fee(D("1234.56"), dt.date(2026, 3, 15), dt.date(2026, 3, 16)).fee == D(
        "0.62"
    )  # 0.61728 → 0.62
    assert L.late_fee(D("100"), dt.date(2026, 3, 15), dt.date(2026, 3, 1)).days == 0


def test_file_once_replay_and_refuse_a_second_live_declaration(pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 2, 10))
    tp = _enterprise()
    jan = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    first = run(L.file_declaration(_request(tp, *jan, payable="1300.00", key="k-file-1")))
    assert first.status is L.DeclarationStatus.FILED and first.kind is L.DeclarationKind.NORMAL
    assert first.deadline == dt.date(
        2026, 2, 24
    )  # Spring Festival 2026 (15–23 Feb): 6 working days after the 15th
    assert first.outstanding == D("1300.00") and not first.late
    assert run(L.file_declaration(_request(tp, *jan, payable="1300.00", key="k-file-1"))).id == first.id
    with pytest.raises(L.AlreadyFiled) as refused:
        run(L.file_declaration(_request(tp, *jan, payable="99.00", key="k-file-2")))
    assert "更正申报" in refused.value.message and refused.value.existing.id == first.id
    lines = run(L.declaration_lines(tp, first.id))
    assert lines is not None and lines.lines == {"1": "100000.00", "19": "1300.00", "34": "1300.00"}


def test_refusals_change_nothing(pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 2, 10))
    tp = _enterprise()
    jan = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    for request, message in [
        (_request(tp, *jan, payable="-1.00", key="bad-1"), "不能为负数"),
        (_request(tp, *jan, payable="1.001", key="bad-2"), "两位小数"),
        (_request(tp, dt.date(2026, 2, 1), dt.date(2026, 2, 28), payable="1", key="bad-3"), "尚未结束"),
        (_request(tp, dt.date(2026, 1, 5), dt.date(2026, 1, 31), payable="1", key="bad-4"), "纳税期限不符"),
        (_request(tp, *jan, payable="1", key="bad-5", tax_type=L.TaxType.STAMP), "未认定印花税"),
    ]:
        with pytest.raises(L.LedgerError) as refused:
            run(L.file_declaration(request))
        assert message in refused.value.message
    assert run(L.declarations(tp)) == []


def test_database_refuses_negative_and_overpaid_amounts(pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 2, 10))
    tp = _enterprise()
    filed = run(
        L.file_declaration(
            _request(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), payable="10.00", key="db-1")
        )
    )

    async def overpay() -> None:
        await LedgerDeclaration.update({LedgerDeclaration.paid_fen: 1001}).where(
            LedgerDeclaration.id == filed.id
        )

    async def negative() -> None:
        await LedgerDeclaration.update({LedgerDeclaration.payable_fen: -5}).where(
            LedgerDeclaration.id == filed.id
        )

    for attempt in (overpay, negative):
        with pytest.raises(Exception, match=r"(?i)check"):
            run(attempt())
    after = run(L.declaration(tp, filed.id))
    assert after is not None and after.paid == D("0.00") and after.amounts.payable == D("10.00")


def test_late_filing_void_and_correction(pin_clock: Pin) -> None:
    tp = _enterprise(L.TaxType.VAT, L.TaxType.URBAN_CONSTRUCTION)
    dec = (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    pin_clock(dt.date(2026, 1, 25))  # deadline 2026-01-20 (New Year holiday → 20th)
    late = run(
        L.file_declarations(
            [
                _request(tp, *dec, payable="1000.00", key="late-1"),
                _request(tp, *dec, payable="70.00", key="late-1", tax_type=L.TaxType.URBAN_CONSTRUCTION),
            ]
        )
    )
    assert [d.kind for d in late] == [L.DeclarationKind.LATE, L.DeclarationKind.LATE]
    assert late[0].deadline == dt.date(2026, 1, 20) and late[0].late
    with pytest.raises(L.LedgerError, match="已过申报期限"):
        run(L.void_declaration(tp, late[0].id, reason="填错", by="测试"))
    unpaid = run(L.unpaid(tp))
    assert {u.amount for u in unpaid} == {D("1000.00"), D("70.00")}
    vat = next(u for u in unpaid if u.declaration.tax_type is L.TaxType.VAT)
    assert vat.late_days == 5 and vat.late_fee == D("2.50") and vat.in_arrears
    assert {a.declaration.id for a in run(L.arrears(tp))} == {late[0].id, late[1].id}

    # 更正申报 raising the tax: the extra keeps the original deadline (late fee from 2026-01-21).
    corrected = run(
        L.correct_declarations(
            tp,
            late[0].id,
            [
                _request(tp, *dec, payable="1200.00", key="late-2"),
                _request(tp, *dec, payable="84.00", key="late-2", tax_type=L.TaxType.URBAN_CONSTRUCTION),
            ],
        )
    )
    assert corrected[0].kind is L.DeclarationKind.CORRECTION and corrected[0].corrects_id == late[0].id
    assert corrected[0].payment_deadline == dt.date(2026, 1, 20)
    old = run(L.declaration(tp, late[0].id))
    assert old is not None and old.status is L.DeclarationStatus.CORRECTED
    live = run(L.live_declaration(tp, L.TaxType.VAT, *dec))
    assert live is not None and live.id == corrected[0].id


def test_void_only_inside_the_period_and_before_payment(pin_clock: Pin) -> None:
    tp = _enterprise()
    jan = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    pin_clock(dt.date(2026, 2, 10))
    filed = run(L.file_declaration(_request(tp, *jan, payable="500.00", key="void-1")))
    with pytest.raises(L.LedgerError, match="作废原因"):
        run(L.void_declaration(tp, filed.id, reason=" ", by="测试"))
    voided = run(L.void_declaration(tp, filed.id, reason="销售额填错", by="测试"))
    assert voided[0].status is L.DeclarationStatus.VOIDED
    # The period is free again: a new return can be filed.
    again = run(L.file_declaration(_request(tp, *jan, payable="400.00", key="void-2")))
    assert again.status is L.DeclarationStatus.FILED
    # Another taxpayer's id is simply not found.
    other = _enterprise()
    with pytest.raises(L.LedgerError, match="未找到"):
        run(L.void_declaration(other, again.id, reason="x", by="他人"))
    assert run(L.declaration(other, again.id)) is None


def _agreement(tp: int, account: str = "6222020200001234567") -> L.Agreement:
    async def sign() -> L.Agreement:
        from etax.platform.coresys.tables import Taxpayer

        row = await Taxpayer.select(Taxpayer.name).where(Taxpayer.id == tp).first()
        assert row is not None
        return await L.sign_agreement(
            tp,
            bank_code="102",
            bank_name="中国工商银行",
            account_number=account,
            account_name=row["name"],
            signed_by="测试",
            gateway=L.DevelopmentBank(latency_ms=0),
        )

    return run(sign())


def test_agreement_verification() -> None:
    tp = _enterprise()
    failed = _agreement(tp, "6222020200001234560")
    assert failed.status is L.AgreementStatus.FAILED and "不符" in failed.message
    valid = _agreement(tp)
    assert valid.status is L.AgreementStatus.VALID and valid.number.startswith("3")
    with pytest.raises(L.LedgerError, match="无需重复签订"):
        _agreement(tp)
    assert run(L.active_agreement(tp)) == valid


def test_pay_without_agreement_or_items_is_refused(pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 2, 10))
    tp = _enterprise()
    filed = run(
        L.file_declaration(_request(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), payable="5.00", key="p0"))
    )
    with pytest.raises(L.LedgerError, match="三方协议号为空"):
        run(L.pay(tp, [filed.id], key="pay-0", requested_by="测试"))
    _agreement(tp)
    with pytest.raises(L.LedgerError, match="请选择缴税项目"):
        run(L.pay(tp, [], key="pay-0", requested_by="测试"))


def test_failed_debit_releases_the_declarations(pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 2, 10))
    tp = _enterprise()
    filed = run(
        L.file_declaration(_request(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), payable="5.00", key="f0"))
    )
    _agreement(tp, "6222020200001234564")  # the development bank refuses debits on accounts ending in 4
    bank = L.DevelopmentBank(latency_ms=0)
    failed = run(L.pay(tp, [filed.id], key="pay-fail", requested_by="测试", gateway=bank))
    assert failed.status is L.PaymentStatus.FAILED and "余额不足" in failed.message
    after = run(L.declaration(tp, filed.id))
    assert after is not None and after.outstanding == D("5.00")
    assert run(L.unpaid(tp))[0].declaration.id == filed.id


def test_paying_late_charges_the_late_fee_and_clears_arrears(pin_clock: Pin) -> None:
    tp = _enterprise()
    pin_clock(dt.date(2026, 2, 10))
    filed = run(
        L.file_declaration(
            _request(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), payable="42000.00", key="lf")
        )
    )
    _agreement(tp)
    pin_clock(dt.date(2026, 3, 6))  # 10 days after the 24 Feb deadline
    assert run(L.arrears(tp))[0].late_fee == D("210.00")
    paid = run(
        L.pay(tp, [filed.id], key="pay-late", requested_by="测试", gateway=L.DevelopmentBank(latency_ms=0))
    )
    assert paid.status is L.PaymentStatus.SUCCEEDED
    assert (paid.tax, paid.late_fee, paid.amount) == (D("42000.00"), D("210.00"), D("42210.00"))
    assert paid.items[0].late_days == 10 and paid.paid_on == dt.date(2026, 3, 6)
    assert paid.voucher_number and paid.bank_serial
    assert run(L.arrears(tp)) == [] and run(L.unpaid(tp)) == []
    # Paid: no more 作废; a correction lowering the tax turns the excess into a credit.
    with pytest.raises(L.LedgerError):
        run(L.void_declaration(tp, filed.id, reason="x", by="测试"))
    lower = run(
        L.correct_declarations(
            tp,
            filed.id,
            [_request(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), payable="40000.00", key="lf2")],
        )
    )
    assert lower[0].paid == D("40000.00") and lower[0].outstanding == D("0.00")
    credit = run(L.credits(tp))
    assert [c.amount for c in credit] == [D("2000.00")]
    # 先抵后退: with nothing in arrears the credit is refunded; never more than what is left.
    refunds = run(L.use_credit(tp, credit[0].id, D("1500.00"), key="refund-1", requested_by="测试"))
    assert [(r.kind, r.amount) for r in refunds] == [(L.RefundKind.REFUND, D("1500.00"))]
    with pytest.raises(L.LedgerError, match="超过可退金额"):
        run(L.use_credit(tp, credit[0].id, D("600.00"), key="refund-2", requested_by="测试"))
    remaining = run(
        LedgerCredit.select(LedgerCredit.remaining_fen).where(LedgerCredit.id == credit[0].id).first()
    )
    assert remaining is not None and remaining["remaining_fen"] == 50000


def test_payment_extension_suspends_the_late_fee(pin_clock: Pin) -> None:
    tp = _enterprise()
    pin_clock(dt.date(2026, 2, 10))
    run(
        L.file_declaration(
            _request(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), payable="1000.00", key="ext")
        )
    )
    run(
        L.grant_extension(
            tp,
            L.ExtensionKind.PAYMENT,
            L.TaxType.VAT,
            dt.date(2026, 1, 1),
            dt.date(2026, 4, 30),
            reference="延缴1号",
        )
    )
    pin_clock(dt.date(2026, 4, 20))
    item = run(L.unpaid(tp))[0]
    assert item.late_fee == D("0.00") and not item.in_arrears
    pin_clock(dt.date(2026, 5, 2))
    assert run(L.unpaid(tp))[0].late_days == 2


def test_one_deduction_under_twenty_parallel_requests(pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 2, 10))
    tp = _enterprise()
    filed = run(
        L.file_declaration(
            _request(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), payable="888.00", key="par")
        )
    )
    _agreement(tp)
    bank = L.DevelopmentBank(latency_ms=200)

    async def burst() -> list[L.Payment]:
        same_key = [
            L.pay(tp, [filed.id], key="pay-par", requested_by="测试", gateway=bank) for _ in range(12)
        ]
        other_keys = [
            L.pay(tp, [filed.id], key=f"pay-par-{i}", requested_by="测试", gateway=bank) for i in range(8)
        ]
        return list(await asyncio.gather(*same_key, *other_keys))

    answers = run(burst())
    assert bank.debit_calls == 1
    succeeded = {p.id for p in answers if p.status is L.PaymentStatus.SUCCEEDED}
    after = run(L.declaration(tp, filed.id))
    assert after is not None and after.paid == D("888.00")
    final = run(L.payments(tp))
    assert len([p for p in final if p.status is L.PaymentStatus.SUCCEEDED]) == 1
    assert len(succeeded) <= 1
    # The same key always answers with the same payment.
    assert len({p.id for p in answers[:12]}) == 1
    assert clock.today() == dt.date(2026, 2, 10)


def test_obligations_from_registrations(pin_clock: Pin) -> None:
    tp = create_enterprise("清册测试有限公司").taxpayer_id
    pin_clock(dt.date(2026, 4, 10))

    async def setup() -> None:
        await L.register_tax(tp, L.TaxType.VAT, L.PeriodKind.QUARTER, dt.date(2025, 7, 1), item="货物及劳务")
        await L.register_tax(tp, L.TaxType.CIT, L.PeriodKind.QUARTER, dt.date(2025, 7, 1))
        await L.record_event(tp, L.TaxType.STAMP, dt.date(2026, 4, 2), "HT-2026-001", description="买卖合同")

    run(setup())
    run(
        L.file_declaration(
            _request(
                tp,
                dt.date(2025, 7, 1),
                dt.date(2025, 9, 30),
                payable="0.00",
                key="ob1",
                kind=L.PeriodKind.QUARTER,
            )
        )
    )
    rows = run(L.obligations(tp, dt.date(2025, 7, 1), dt.date(2026, 4, 30)))
    summary = [(o.tax_type, o.period_end, o.status) for o in rows]
    assert (L.TaxType.VAT, dt.date(2025, 9, 30), L.ObligationStatus.FILED) in summary
    assert (L.TaxType.VAT, dt.date(2025, 12, 31), L.ObligationStatus.OVERDUE) in summary
    assert (L.TaxType.CIT, dt.date(2026, 3, 31), L.ObligationStatus.DUE) in summary
    stamp = next(o for o in rows if o.tax_type is L.TaxType.STAMP)
    assert stamp.event_ref == "HT-2026-001" and stamp.deadline == dt.date(2026, 4, 17)
    q1 = next(o for o in rows if o.tax_type is L.TaxType.VAT and o.period_end == dt.date(2026, 3, 31))
    assert q1.deadline == dt.date(2026, 4, 20)  # 清明 4–6 April 2026: 3 working days after the 15th
    todo = run(L.current_obligations(tp))
    assert {(o.tax_type, o.period_end) for o in todo} >= {
        (L.TaxType.VAT, dt.date(2025, 12, 31)),
        (L.TaxType.VAT, dt.date(2026, 3, 31)),
    }
