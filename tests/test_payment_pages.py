"""网签三方协议, 税款缴纳 and 开具税收完税证明 through the portal: one deduction per payment under double
clicks, replays and 20 parallel requests; tampered ids refused; the certificate verifies publicly."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import ledger as L
from etax.platform.coresys.tables import Taxpayer
from tests.conftest import CAPTCHA_TEST_ANSWER, new_client
from tests.factories import Enterprise, create_enterprise, log_in_staff
from tests.login_helpers import post, run

Pin = Callable[[dt.date | dt.datetime], None]
DAY = dt.date(2026, 11, 10)
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def _enterprise() -> Enterprise:
    made = create_enterprise("缴款测试有限公司")

    async def setup() -> None:
        for tax in (L.TaxType.VAT, L.TaxType.URBAN_CONSTRUCTION):
            await L.register_tax(made.taxpayer_id, tax, L.PeriodKind.MONTH, dt.date(2026, 1, 1))

    run(setup())
    return made


def _file(taxpayer_id: int, vat: str, key: str) -> list[L.Declaration]:
    def request(tax: L.TaxType, payable: str) -> L.FilingRequest:
        return L.FilingRequest(
            taxpayer_id=taxpayer_id,
            tax_type=tax,
            form_code="BDA0610606",
            form_version="2021",
            period_kind=L.PeriodKind.MONTH,
            period_start=OCTOBER[0],
            period_end=OCTOBER[1],
            amounts=L.Amounts(tax=Decimal(payable), payable=Decimal(payable)),
            lines={},
            filed_by="测试",
            submission=key,
        )

    urban = (Decimal(vat) * Decimal("0.07")).quantize(Decimal("0.01"))
    return run(
        L.file_declarations([request(L.TaxType.VAT, vat), request(L.TaxType.URBAN_CONSTRUCTION, str(urban))])
    )


def _name(taxpayer_id: int) -> str:
    row = run(Taxpayer.select(Taxpayer.name).where(Taxpayer.id == taxpayer_id).first())
    assert row is not None
    return str(row["name"])


def _token(page: str) -> str:
    found = re.search(r'name="_token" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def _sign(client: TestClient[Litestar], taxpayer_id: int, account: str) -> httpx.Response:
    page = client.get("/filing/agreements/")
    return post(
        client,
        "/filing/agreements/",
        {
            "_token": _token(page.text),
            "bank_code": "102",
            "account_number": account,
            "account_name": _name(taxpayer_id),
        },
    )


@pytest.fixture()
def payer(app: Litestar, pin_clock: Pin) -> Iterator[tuple[TestClient[Litestar], Enterprise]]:
    pin_clock(DAY)
    made = _enterprise()
    with new_client(app) as client:
        log_in_staff(client, made, "legal_rep")
        yield client, made


def test_agreement_is_verified_by_the_bank(payer: tuple[TestClient[Litestar], Enterprise]) -> None:
    client, made = payer
    assert "尚未签订三方协议" in client.get("/filing/agreements/").text
    failed = _sign(client, made.taxpayer_id, "6222020200009999990")
    assert failed.status_code == 303
    page = client.get("/filing/agreements/").text
    assert "验证失败" in page and "账户名称与账号不符" in page
    bad = post(
        client,
        "/filing/agreements/",
        {"_token": _token(page), "bank_code": "102", "account_number": "12ab", "account_name": "x"},
    )
    assert bad.status_code == 400 and "银行账号应为8至32位数字" in bad.text
    assert _sign(client, made.taxpayer_id, "6222020200009999991").status_code == 303
    assert "验证成功" in client.get("/filing/agreements/").text
    assert run(L.active_agreement(made.taxpayer_id)) is not None
    stale = post(
        client,
        "/filing/agreements/",
        {"_token": "forged", "bank_code": "102", "account_number": "62220202000099", "account_name": "x"},
    )
    assert stale.status_code == 400 and "表单已失效" in stale.text


def test_pay_through_the_agreement_then_issue_and_verify_the_certificate(
    payer: tuple[TestClient[Litestar], Enterprise], app: Litestar
) -> None:
    client, made = payer
    filed = _file(made.taxpayer_id, "1300.00", "pay-page-1")
    page = client.get("/filing/payment/")
    assert "三方协议号为空" in page.text and "1,300.00" in page.text
    _sign(client, made.taxpayer_id, "6222020200008888881")
    page = client.get("/filing/payment/")
    token = _token(page.text)
    ids = [str(d.id) for d in filed]
    answer = client.post(
        "/filing/payment/",
        data={"_token": token, "declaration": ids, "_csrf_token": client.cookies["etax_csrf"]},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    result = client.get(answer.headers["location"])
    assert result.status_code == 200 and "三方协议扣款成功" in result.text
    # Replaying the same form lands on the same payment and deducts nothing more.
    again = client.post(
        "/filing/payment/",
        data={"_token": token, "declaration": ids, "_csrf_token": client.cookies["etax_csrf"]},
        follow_redirects=False,
    )
    assert again.headers["location"] == answer.headers["location"]
    # 开具税收完税证明（表格式）, then anyone verifies it without logging in.
    listing = client.get("/filing/tax-certificate/")
    assert listing.status_code == 200 and "开具完税证明" in listing.text
    payments = run(L.payments(made.taxpayer_id, statuses=[L.PaymentStatus.SUCCEEDED]))
    issued = client.post(
        "/filing/tax-certificate/",
        data={
            "_token": _token(listing.text),
            "payment": [str(p.id) for p in payments],
            "_csrf_token": client.cookies["etax_csrf"],
        },
        follow_redirects=False,
    )
    assert issued.status_code == 303
    shown = client.get(issued.headers["location"]).text
    number = re.search(r'data-testid="certificate-number">(\d+)<', shown)
    code = re.search(r'data-testid="certificate-code">(\w+)<', shown)
    assert number and code and "增值税" in shown and "1,300.00" in shown
    pdf = client.get(issued.headers["location"] + "/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with new_client(app) as visitor:
        checked = post(
            visitor,
            "/public/certificate-check/",
            {"number": number.group(1), "code": code.group(1), "captcha": CAPTCHA_TEST_ANSWER},
        )
        assert (
            checked.status_code == 200
            and 'data-testid="verified"' in checked.text
            and "1,391.00" in checked.text
        )


def test_tampered_and_foreign_ids_are_refused(payer: tuple[TestClient[Litestar], Enterprise]) -> None:
    client, made = payer
    _file(made.taxpayer_id, "500.00", "pay-page-2")
    _sign(client, made.taxpayer_id, "6222020200008888882")
    other = _enterprise()
    foreign = _file(other.taxpayer_id, "700.00", "pay-page-3")
    token = _token(client.get("/filing/payment/").text)
    for value in (str(foreign[0].id), "abc", "-1"):
        refused = post(client, "/filing/payment/", {"_token": token, "declaration": value})
        assert refused.status_code == 400 and "请刷新后重新选择" in refused.text
    empty = post(client, "/filing/payment/", {"_token": token})
    assert empty.status_code == 400 and "请选择缴税项目" in empty.text
    assert run(L.payments(made.taxpayer_id)) == []
    assert run(L.declaration(other.taxpayer_id, foreign[0].id)) is not None
    assert run(L.unpaid(other.taxpayer_id))[0].amount == Decimal("700.00")
    assert client.get(f"/filing/tax-certificate/{10**9}").status_code == 404
    bad_range = client.get("/filing/tax-certificate/?start=2024-01-01&end=2026-11-01")
    assert bad_range.status_code == 400 and "不能超过一年" in bad_range.text


def test_twenty_parallel_pay_requests_deduct_once(
    payer: tuple[TestClient[Litestar], Enterprise],
) -> None:
    client, made = payer
    filed = _file(made.taxpayer_id, "2000.00", "pay-page-4")
    _sign(client, made.taxpayer_id, "6222020200008888883")
    bank = L.bank_gateway()
    assert isinstance(bank, L.DevelopmentBank)
    before = bank.debit_calls
    # Ten forms shown (ten tokens), each submitted twice at once: double clicks, replays and
    # concurrent payments of the same items — twenty requests in parallel.
    tokens = [_token(client.get("/filing/payment/").text) for _ in range(10)]
    csrf = client.cookies["etax_csrf"]
    bodies = [
        {"_token": t, "declaration": [str(d.id) for d in filed], "_csrf_token": csrf} for t in tokens
    ] * 2
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(
            pool.map(lambda body: client.post("/filing/payment/", data=body, follow_redirects=False), bodies)
        )
    assert all(a.status_code in (303, 400) for a in answers), [a.status_code for a in answers]
    assert bank.debit_calls - before == 1
    after = run(L.declarations(made.taxpayer_id))
    assert all(d.outstanding == Decimal("0.00") for d in after)
    succeeded = [p for p in run(L.payments(made.taxpayer_id)) if p.status is L.PaymentStatus.SUCCEEDED]
    assert len(succeeded) == 1 and succeeded[0].tax == Decimal("2140.00")
    # The same token always lands on the same payment.
    by_token: dict[str, set[str]] = {}
    for body, answer in zip(bodies, answers, strict=True):
        if answer.status_code == 303:
            by_token.setdefault(str(body["_token"]), set()).add(answer.headers["location"])
    assert all(len(locations) == 1 for locations in by_token.values())
