"""The certificate service and the public 纳税情况证明查验 page (no login, captcha)."""

from __future__ import annotations

import msgspec
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import certificates as C
from tests.conftest import CAPTCHA_TEST_ANSWER
from tests.factories import create_enterprise
from tests.login_helpers import post, run


def _issue(key: str) -> C.Certificate:
    taxpayer_id = create_enterprise("证明测试有限公司").taxpayer_id
    content = C.CertificateContent(
        title="中华人民共和国税收完税证明",
        fields=[C.CertificateField("填发日期", "2026年03月06日")],
        headers=["原凭证号", "税种", "品目名称", "税款所属时期", "入（退）库日期", "实缴（退）金额"],
        rows=[
            ["420260306000000001", "增值税", "货物及劳务", "2026-01-01至2026-01-31", "2026-03-06", "42000.00"]
        ],
        total="金额合计（大写）肆万贰仟元整 ¥42000.00",
        office="国家税务总局沈阳市和平区税务局",
    )
    return run(
        C.issue_certificate(C.CertificateKind.TAX_PAYMENT, taxpayer_id, content, issued_by="测试", key=key)
    )


def test_issue_is_idempotent_and_verifies() -> None:
    issued = _issue("cert-key-1")
    assert issued.number.startswith("1") and len(issued.number) == 18 and len(issued.code) == 12
    assert (
        run(
            C.issue_certificate(
                issued.kind, issued.taxpayer_id or 0, issued.content, issued_by="x", key="cert-key-1"
            )
        )
        == issued
    )
    valid = run(C.verify_certificate(issued.number, issued.code.lower()))
    assert valid.valid and valid.certificate == issued
    tampered = issued.code[:-1] + ("2" if issued.code[-1] != "2" else "3")
    assert run(C.verify_certificate(issued.number, tampered)).status is C.VerificationStatus.WRONG_CODE
    assert run(C.verify_certificate("199999999999999999", issued.code)).status is C.VerificationStatus.UNKNOWN


def test_pdf_has_number_and_code() -> None:
    issued = _issue("cert-key-2")
    pdf = C.certificate_pdf(issued, base_url="http://testserver")
    assert pdf.startswith(b"%PDF") and 2_000 < len(pdf) < 400_000
    assert C.verify_url(issued, "http://testserver").endswith(
        f"/public/certificate-check?number={issued.number}"
    )


def _check(
    client: TestClient[Litestar], number: str, code: str, captcha: str = CAPTCHA_TEST_ANSWER
) -> tuple[int, str]:
    response = post(
        client, "/public/certificate-check/", {"number": number, "code": code, "captcha": captcha}
    )
    return response.status_code, response.text


def test_public_page_verifies_without_login(client: TestClient[Litestar]) -> None:
    issued = _issue("cert-key-3")
    page = client.get(f"/public/certificate-check?number={issued.number}", follow_redirects=True)
    assert page.status_code == 200 and issued.number in page.text and "纳税情况证明查验" in page.text
    status, text = _check(client, issued.number, issued.code)
    assert status == 200 and 'data-testid="verified"' in text
    assert "证明测试有限公司" in text and "42000.00" in text and "税收完税证明" in text


def test_public_page_refuses_tampered_unknown_and_bad_input(client: TestClient[Litestar]) -> None:
    issued = _issue("cert-key-4")
    tampered = issued.code[:-1] + ("2" if issued.code[-1] != "2" else "3")
    for number, code in ((issued.number, tampered), ("100000000000000000", issued.code)):
        status, text = _check(client, number, code)
        assert status == 400 and "未查询到与该证明编号和验证码相符的证明" in text
        assert "证明测试有限公司" not in text
    status, text = _check(client, "ABC", issued.code)
    assert status == 400 and "证明编号应为数字" in text
    client.get("/captcha.png?form=certificate_check")
    status, text = _check(client, issued.number, issued.code, captcha="ZZZZ")
    assert status == 400 and "验证码" in text and 'data-testid="verified"' not in text


def test_content_round_trips_as_json() -> None:
    issued = _issue("cert-key-5")
    assert (
        msgspec.json.decode(msgspec.json.encode(issued.content), type=C.CertificateContent) == issued.content
    )
