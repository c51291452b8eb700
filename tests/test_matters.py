"""涉税事项 (plugin ``matters``): every form opens and refuses bad input in Chinese; each completed
(办结) application changes what the platform knows — the registry, the ledger, certificates — and the
change shows in the query, on the home page and in the audit log.

Decisions go through the same service and hook call as the back office's review queue.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import ledger as L
from etax.platform.applications import queries
from etax.platform.audit.tables import AuditLog
from etax.platform.auth.login.staff import login_mobile, staff_of, staff_problem
from etax.platform.certificates import service as certs
from etax.platform.coresys import registry
from etax.platform.coresys.tables import Person, Taxpayer, TaxpayerStaff
from etax.platform.ledger import records
from etax.plugins.matters import functions as F
from tests.conftest import BACKEND, new_client
from tests.factories import Enterprise, log_in_staff, new_id_number
from tests.login_helpers import run
from tests.test_applications_support import PDF, applications_of, decide, new_enterprise, post_form

Pin = Callable[[dt.date | dt.datetime], None]
D = Decimal
PDF_FILE = [("attachments", ("说明.pdf", PDF, "application/pdf"))]


@pytest.fixture()
def company(app: Litestar) -> Iterator[tuple[Enterprise, TestClient[Litestar]]]:
    enterprise = new_enterprise(officers=1)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        yield enterprise, client


def token(client: TestClient[Litestar], url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text
    return page.text.split('name="_submission" value="')[1].split('"')[0]


def submit(client: TestClient[Litestar], url: str, data: dict[str, str], files: Any = None) -> Any:
    return post_form(client, url, {**data, "_submission": token(client, url)}, files)


def approve(
    app: Litestar, client: TestClient[Litestar], url: str, data: dict[str, str], files: Any = None
) -> int:
    """Submit the form, then 受理 and 办结 it as the bureau; the application's id."""
    response = submit(client, url, data, files)
    assert response.status_code == 303, response.text
    application = int(response.headers["location"].rsplit("/", 1)[1])
    assert decide(app, application, "accept") == []
    assert decide(app, application, "complete", "准予") == []
    return application


def audited(taxpayer_id: int, action: str) -> list[str]:
    rows = run(
        AuditLog.select(AuditLog.detail).where(
            (AuditLog.taxpayer_id == taxpayer_id) & (AuditLog.action == action)
        )
    )
    return [str(r["detail"]) for r in rows]


def refused(response: Any, message: str) -> None:
    assert response.status_code == 400, response.status_code
    assert message in response.text, response.text[:3000]


# --- every form ---------------------------------------------------------------------------------------


def test_every_function_opens_and_empty_forms_are_refused_in_chinese(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]]
) -> None:
    enterprise, client = company
    for function in F.FUNCTIONS:
        page = client.get(function.url)
        assert page.status_code == 200 and function.name in page.text, function.name
        if function is F.NO_ARREARS:
            continue
        response = submit(client, function.url, {})
        assert response.status_code == 400 and "请" in response.text, function.name
    assert applications_of(enterprise.taxpayer_id) == 0


def test_functions_are_found_by_what_taxpayers_type(app: Litestar) -> None:
    with new_client(app) as client:
        for query, name in (
            ("变更办税人员", "变更税务登记"),
            ("延期申报", "对纳税人延期申报的核准"),
            ("无欠税证明", "开具无欠税证明"),
            ("清税申报", "注销税务登记"),
            ("定期定额", "定期定额户申请核定及调整定额"),
        ):
            names = [r["name"] for r in client.get("/api/search", params={"q": query}).json()["results"][:3]]
            assert name in names, (query, names)


# --- 综合信息报告 ------------------------------------------------------------------------------------


def test_bank_account_report_puts_the_account_on_record(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]]
) -> None:
    enterprise, client = company
    name = run(registry.taxpayer_by_id(enterprise.taxpayer_id)).name  # type: ignore[union-attr]
    form = {
        "bank": "中国工商银行",
        "account_number": "6222020200112233",
        "account_name": "别人的公司",
        "account_type": "基本存款账户",
        "opened_on": "2025-03-01",
    }
    refused(submit(client, F.BANK_ACCOUNT.url, form), "账户名称应与纳税人名称")
    refused(submit(client, F.BANK_ACCOUNT.url, {**form, "account_number": "12ab"}), "银行账号")
    approve(app, client, F.BANK_ACCOUNT.url, {**form, "account_name": name})
    [account] = run(records.bank_accounts(enterprise.taxpayer_id))
    assert account.account_number == "6222020200112233" and account.bank_code == "102"
    listed = client.get(f"{F.BANK_ACCOUNT.url}/accounts")
    assert "6222020200112233" in listed.text and "中国工商银行" in listed.text
    refused(submit(client, F.BANK_ACCOUNT.url, {**form, "account_name": name}), "已报告")
    assert audited(enterprise.taxpayer_id, "存款账户账号报告办结生效")


def test_accounting_filing_is_queried_in_the_query_centre(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]]
) -> None:
    enterprise, client = company
    form = {
        "system": "小企业会计准则",
        "software": "金蝶KIS",
        "depreciation": "年限平均法",
        "low_value": "一次摊销法",
        "valid_from": "2026-01-01",
    }
    application = approve(app, client, F.ACCOUNTING.url, form)
    number = run(queries.get_record(application)).number  # type: ignore[union-attr]
    assert number in client.get("/query/accounting-filing").text
    [filing] = run(records.filings(enterprise.taxpayer_id, "财务会计制度"))
    assert filing.detail["会计核算软件"] == "金蝶KIS"


def _unlink(enterprise: Enterprise, role: str) -> tuple[str, str]:
    """Take the officer off the registration (FAQ 11); their name and ID number."""
    person = run(Person.select().where(Person.id == enterprise.persons[role]).first())
    assert person is not None
    run(TaxpayerStaff.delete().where(TaxpayerStaff.person == enterprise.persons[role]))
    return str(person["name"]), str(person["id_number"])


def _officer(enterprise: Enterprise, role: str) -> Any:
    return next(s for s in run(staff_of(enterprise.taxpayer_id)) if s.id == enterprise.staff[role])


def test_registration_change_resolves_faq_11_and_faq_3(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]]
) -> None:
    enterprise, client = company
    name, number = _unlink(enterprise, "tax_officer0")
    registration = run(registry.registration_staff(enterprise.taxpayer_id))
    assert "信息不符" in (staff_problem(_officer(enterprise, "tax_officer0"), registration) or "")

    base = {"role": "办税员", "change": "新增或修改", "name": name, "id_number": number}
    refused(submit(client, F.REGISTRATION_CHANGE.url, {**base, "fixed_phone": "13912345678"}), "移动电话")
    refused(
        submit(client, F.REGISTRATION_CHANGE.url, {**base, "name": "张冒名", "mobile": "13912345678"}), "不符"
    )
    refused(
        submit(client, F.REGISTRATION_CHANGE.url, {**base, "id_number": "210102199001011234"}), "居民身份证"
    )
    approve(
        app,
        client,
        F.REGISTRATION_CHANGE.url,
        {**base, "mobile": "13912345678", "fixed_phone": "024-22223333"},
    )

    registration = run(registry.registration_staff(enterprise.taxpayer_id))
    assert staff_problem(_officer(enterprise, "tax_officer0"), registration) is None
    officer = _officer(enterprise, "tax_officer0")
    assert login_mobile(officer.person_id, "", "024-22223333", registration) == ("13912345678", None)
    info = client.get("/usercentre/taxpayer-info")
    assert name in info.text and "139****5678" in info.text
    assert audited(enterprise.taxpayer_id, "变更税务登记办结生效")


def test_registration_change_adds_a_new_person_and_removes_one(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]]
) -> None:
    enterprise, client = company
    number = new_id_number()
    approve(
        app,
        client,
        F.REGISTRATION_CHANGE.url,
        {
            "role": "办税员",
            "change": "新增或修改",
            "name": "钱新",
            "id_number": number,
            "mobile": "13700001111",
        },
    )
    person = run(registry.person_by_id_number(number))
    assert person is not None and not person.real_name_collected  # 实名采集 still to do (FAQ 11)
    approve(
        app,
        client,
        F.REGISTRATION_CHANGE.url,
        {"role": "办税员", "change": "删除", "name": "钱新", "id_number": number},
    )
    assert all(s.person.id_number != number for s in run(registry.registration_staff(enterprise.taxpayer_id)))


def test_general_taxpayer_registration_makes_the_general_vat_return_due(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    tp = enterprise.taxpayer_id
    pin_clock(dt.date(2026, 3, 10))

    async def small() -> None:
        await L.set_taxpayer_kind(tp, L.TaxpayerKind.SMALL, dt.date(2020, 1, 1))
        for tax in (L.TaxType.VAT, L.TaxType.URBAN_CONSTRUCTION):
            await L.register_tax(tp, tax, L.PeriodKind.QUARTER, dt.date(2025, 1, 1))

    run(small())
    form = {"effective_from": "2026-02-01", "annual_sales": "6000000.00", "sound_accounting": "on"}
    refused(submit(client, F.GENERAL_TAXPAYER.url, form), "生效之日只能选择")
    refused(
        submit(
            client, F.GENERAL_TAXPAYER.url, {**form, "effective_from": "2026-04-01", "sound_accounting": ""}
        ),
        "会计核算健全",
    )
    approve(app, client, F.GENERAL_TAXPAYER.url, {**form, "effective_from": "2026-04-01"})

    assert run(L.taxpayer_kind(tp, dt.date(2026, 4, 1))) is L.TaxpayerKind.GENERAL
    assert run(L.taxpayer_kind(tp, dt.date(2026, 3, 31))) is L.TaxpayerKind.SMALL
    pin_clock(dt.date(2026, 5, 6))
    due = run(L.obligations(tp, dt.date(2026, 1, 1), dt.date(2026, 5, 31)))
    vat = [(o.period_kind, o.period_start) for o in due if o.tax_type is L.TaxType.VAT]
    assert (L.PeriodKind.QUARTER, dt.date(2026, 1, 1)) in vat  # Q1 still small-scale
    assert (L.PeriodKind.MONTH, dt.date(2026, 4, 1)) in vat  # April: the general return, monthly
    assert 'data-testid="fill-2026-04"' in client.get("/filing/vat-general").text  # the general return is due
    opened = client.get("/filing/vat-general", params={"period": "2026-04"})
    assert opened.status_code == 200 and "一般纳税人适用" in opened.text and "请使用" not in opened.text
    listing = client.get("/query/obligations", params={"period_from": "2026-04", "period_to": "2026-04"})
    assert "增值税" in listing.text and "城市维护建设税" in listing.text
    assert [k.kind for k in run(L.taxpayer_kind_history(tp))] == [
        L.TaxpayerKind.SMALL,
        L.TaxpayerKind.GENERAL,
    ]


def test_tax_kind_registration_adds_and_ends_obligations(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    tp = enterprise.taxpayer_id
    pin_clock(dt.date(2026, 3, 10))
    form = {"change": "新增认定", "tax": "房产税", "period": "按季", "day": "2025-10-01"}
    approve(app, client, F.TAX_KINDS.url, form)
    due = run(L.obligations(tp, dt.date(2025, 10, 1), dt.date(2026, 3, 10)))
    assert [(o.tax_type, o.period_start) for o in due] == [(L.TaxType.PROPERTY, dt.date(2025, 10, 1))]
    refused(submit(client, F.TAX_KINDS.url, form), "已认定")
    assert "房产税" in run(registry.taxpayer_by_id(tp)).registered_taxes  # type: ignore[union-attr]
    approve(app, client, F.TAX_KINDS.url, {**form, "change": "终止认定", "day": "2025-12-31"})
    pin_clock(dt.date(2026, 7, 30))
    due = run(L.obligations(tp, dt.date(2026, 1, 1), dt.date(2026, 7, 30)))
    assert not [o for o in due if o.tax_type is L.TaxType.PROPERTY]
    refused(submit(client, F.TAX_KINDS.url, {**form, "change": "终止认定", "day": "2026-07-30"}), "无需终止")


def test_suspend_and_resume_change_the_status_and_the_home_page(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    pin_clock(dt.date(2026, 3, 10))
    form = {"start": "2026-03-15", "end": "2027-06-30", "reason": "店面装修"}
    refused(submit(client, F.SUSPEND.url, form), "不得超过一年")
    approve(app, client, F.SUSPEND.url, {**form, "end": "2026-09-30"})
    assert run(registry.taxpayer_by_id(enterprise.taxpayer_id)).status == "停业"  # type: ignore[union-attr]
    assert "恢复经营请办理复业登记" in client.get("/").text
    refused(submit(client, F.SUSPEND.url, {**form, "end": "2026-09-30"}), "不能办理停业登记")
    approve(app, client, F.RESUME.url, {"resume_on": "2026-04-01", "note": ""})
    assert run(registry.taxpayer_by_id(enterprise.taxpayer_id)).status == "正常"  # type: ignore[union-attr]
    refused(submit(client, F.RESUME.url, {"resume_on": "2026-04-01"}), "不在停业状态")


def _file(tp: int, start: dt.date, end: dt.date, payable: str, key: str) -> L.Declaration:
    return run(
        L.file_declaration(
            L.FilingRequest(
                taxpayer_id=tp,
                tax_type=L.TaxType.VAT,
                form_code="BDA0610606",
                form_version="2023-01",
                period_kind=L.PeriodKind.MONTH,
                period_start=start,
                period_end=end,
                amounts=L.Amounts(income=D("100000.00"), tax=D(payable), payable=D(payable)),
                lines={"1": "100000.00", "19": payable},
                filed_by="测试办税员",
                submission=key,
            )
        )
    )


def test_deregistration_is_refused_while_returns_are_unfiled_then_issues_a_clearance_certificate(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    tp = enterprise.taxpayer_id
    pin_clock(dt.date(2026, 3, 10))
    run(L.register_tax(tp, L.TaxType.VAT, L.PeriodKind.MONTH, dt.date(2026, 1, 1)))
    form = {"reason": "解散", "note": "股东会决议解散", "confirmed": "on"}
    refused(submit(client, F.DEREGISTER.url, form), "未申报")
    _file(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), "0.00", f"dereg-1-{tp}")
    _file(tp, dt.date(2026, 2, 1), dt.date(2026, 2, 28), "0.00", f"dereg-2-{tp}")
    approve(app, client, F.DEREGISTER.url, form)
    assert run(registry.taxpayer_by_id(tp)).status == "注销"  # type: ignore[union-attr]
    assert all(r.valid_to is not None for r in run(L.registrations(tp)))
    [issued] = run(certs.certificates(tp, certs.CertificateKind.TAX_CLEARANCE))
    assert run(certs.verify_certificate(issued.number, issued.code)).valid
    pdf = client.get(f"{F.DEREGISTER.url}/certificate/{issued.id}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "清税证明" in client.get("/query/certificates").text


# --- 税收减免 --------------------------------------------------------------------------------------


def test_relief_filing_and_approval_show_in_the_relief_query(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    pin_clock(dt.date(2026, 3, 10))
    form = {
        "tax": "房产税",
        "code": "08049901",
        "name": "其他房产税减免",
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "basis": "财税〔2019〕13号",
    }
    refused(submit(client, F.RELIEF_FILING.url, form), "减免性质代码")
    approve(app, client, F.RELIEF_FILING.url, {**form, "code": "0804990101"})
    refused(submit(client, F.RELIEF_FILING.url, {**form, "code": "0804990101"}), "已有有效的减免")
    refused(submit(client, F.RELIEF_APPROVAL.url, {**form, "code": "0001011608"}), "证明材料")
    approve(app, client, F.RELIEF_APPROVAL.url, {**form, "tax": "增值税", "code": "0001011608"}, PDF_FILE)
    reliefs = run(L.reliefs(enterprise.taxpayer_id, on=dt.date(2026, 6, 1)))
    assert {(r.tax_type, r.code) for r in reliefs} == {
        (L.TaxType.PROPERTY, "0804990101"),
        (L.TaxType.VAT, "0001011608"),
    }
    page = client.get("/query/reliefs")
    assert "0804990101" in page.text and "0001011608" in page.text

    async def small_scale() -> None:
        await L.set_taxpayer_kind(enterprise.taxpayer_id, L.TaxpayerKind.SMALL, dt.date(2020, 1, 1))
        await L.register_tax(enterprise.taxpayer_id, L.TaxType.VAT, L.PeriodKind.QUARTER, dt.date(2026, 1, 1))

    run(small_scale())
    pin_clock(dt.date(2026, 7, 6))
    ret = client.get("/filing/vat-small", params={"period": "2026Q2"})
    assert "本期可享受的减免" in ret.text and "0001011608" in ret.text and "0804990101" not in ret.text


# --- 证明开具 --------------------------------------------------------------------------------------


def test_residency_certificate_is_issued_on_completion_and_only_to_its_taxpayer(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    pin_clock(dt.date(2026, 3, 10))
    form = {
        "year": "2025",
        "counterpart": "新加坡",
        "income": "股息",
        "purpose": "享受中新税收协定股息条款待遇",
    }
    refused(submit(client, F.RESIDENCY.url, {**form, "year": "2027"}), "不能晚于本年度")
    approve(app, client, F.RESIDENCY.url, form)
    [issued] = run(certs.certificates(enterprise.taxpayer_id, certs.CertificateKind.RESIDENCY))
    assert "2025年度中国税收居民" in issued.content.statement
    assert client.get(f"{F.RESIDENCY.url}/certificate/{issued.id}").content.startswith(b"%PDF")
    other = new_enterprise()
    with new_client(app) as stranger:
        log_in_staff(stranger, other, "legal_rep")
        assert stranger.get(f"{F.RESIDENCY.url}/certificate/{issued.id}").status_code == 404
    # the message in 我的消息 carries number, code and the link
    assert issued.number in client.get("/").text or issued.number in client.get("/interaction/messages").text


def test_no_arrears_certificate_is_refused_with_the_reason_while_tax_is_owed(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    tp = enterprise.taxpayer_id
    pin_clock(dt.date(2026, 2, 10))
    run(L.register_tax(tp, L.TaxType.VAT, L.PeriodKind.MONTH, dt.date(2026, 1, 1)))
    _file(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), "1300.00", f"arrears-{tp}")
    pin_clock(dt.date(2026, 3, 10))  # past the 24 Feb payment deadline, February not yet due
    page = client.get(F.NO_ARREARS.url)
    assert "未缴税款1,300.00元" in page.text
    refused(
        post_form(client, F.NO_ARREARS.url, {"_submission": token(client, F.NO_ARREARS.url)}),
        "不能开具无欠税证明",
    )
    assert not run(certs.certificates(tp, certs.CertificateKind.NO_ARREARS))
    assert audited(tp, "开具无欠税证明")

    clean = new_enterprise()
    with new_client(app) as other:
        log_in_staff(other, clean, "legal_rep")
        response = post_form(other, F.NO_ARREARS.url, {"_submission": token(other, F.NO_ARREARS.url)})
        assert response.status_code == 303
        shown = other.get(response.headers["location"])
        assert "无欠税证明" in shown.text
        [issued] = run(certs.certificates(clean.taxpayer_id, certs.CertificateKind.NO_ARREARS))
        assert other.get(f"{F.NO_ARREARS.url}/certificate/{issued.id}").content.startswith(b"%PDF")
        assert client.get(f"{F.NO_ARREARS.url}/{issued.id}").status_code == 404  # another taxpayer's


def test_reissued_tax_certificate_lists_the_taxpayers_own_payment(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    tp = enterprise.taxpayer_id
    pin_clock(dt.date(2026, 2, 10))
    run(L.register_tax(tp, L.TaxType.VAT, L.PeriodKind.MONTH, dt.date(2026, 1, 1)))
    declaration = _file(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), "1300.00", f"reissue-{tp}")
    name = run(registry.taxpayer_by_id(tp)).name  # type: ignore[union-attr]
    gateway = L.DevelopmentBank(latency_ms=0)

    async def pay() -> L.Payment:
        await L.sign_agreement(
            tp,
            bank_code="102",
            bank_name="中国工商银行",
            account_number="6222020200998877",
            account_name=name,
            signed_by="测试法人",
            gateway=gateway,
        )
        return await L.pay(
            tp, [declaration.id], key=f"reissue-pay-{tp}", requested_by="测试法人", gateway=gateway
        )

    payment = run(pay())
    assert payment.status is L.PaymentStatus.SUCCEEDED and payment.voucher_number
    refused(
        submit(client, F.REISSUE.url, {"voucher_number": "123456789012", "purpose": "原凭证遗失"}),
        "未找到本企业",
    )
    approve(app, client, F.REISSUE.url, {"voucher_number": payment.voucher_number, "purpose": "原凭证遗失"})
    [issued] = [c for c in run(certs.certificates(tp, certs.CertificateKind.TAX_PAYMENT))]
    assert issued.content.rows[0][0] == payment.voucher_number and issued.content.rows[0][-1] == "1,300.00"
    other = new_enterprise()
    with new_client(app) as stranger:
        log_in_staff(stranger, other, "legal_rep")
        response = submit(
            stranger, F.REISSUE.url, {"voucher_number": payment.voucher_number, "purpose": "冒用"}
        )
        refused(response, "未找到本企业")


# --- 税务行政许可 ----------------------------------------------------------------------------------


def test_filing_extension_moves_the_deadline_so_no_late_filing(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    tp = enterprise.taxpayer_id
    pin_clock(dt.date(2026, 2, 10))
    run(L.register_tax(tp, L.TaxType.VAT, L.PeriodKind.MONTH, dt.date(2026, 1, 1)))
    form = {
        "tax": "增值税",
        "period_start": "2026-01-01",
        "new_deadline": "2026-06-30",
        "ground": "账务未处理完毕，不能计算应纳税额",
        "explanation": "财务人员离职，账务尚未处理完毕",
    }
    refused(submit(client, F.FILING_EXTENSION.url, form, PDF_FILE), "不得超过3个月")
    refused(
        submit(client, F.FILING_EXTENSION.url, {**form, "period_start": "2025-12-01"}, PDF_FILE), "应申报记录"
    )
    approve(app, client, F.FILING_EXTENSION.url, {**form, "new_deadline": "2026-03-20"}, PDF_FILE)
    deadline = run(
        L.filing_deadline(tp, L.TaxType.VAT, L.PeriodKind.MONTH, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    )
    assert deadline == dt.date(2026, 3, 20)
    pin_clock(dt.date(2026, 3, 10))  # after the statutory 24 Feb, before the approved 20 March
    [jan] = [o for o in run(L.obligations(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31)))]
    assert jan.status is L.ObligationStatus.DUE and jan.deadline == dt.date(2026, 3, 20)
    filed = _file(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), "500.00", f"ext-{tp}")
    assert not filed.late and filed.kind is L.DeclarationKind.NORMAL
    assert "延期申报已核准" in client.get("/").text


def test_payment_extension_suspends_late_fees(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    tp = enterprise.taxpayer_id
    pin_clock(dt.date(2026, 2, 10))
    run(L.register_tax(tp, L.TaxType.VAT, L.PeriodKind.MONTH, dt.date(2026, 1, 1)))
    declaration = _file(tp, dt.date(2026, 1, 1), dt.date(2026, 1, 31), "42000.00", f"payext-{tp}")
    form = {
        "declaration_number": declaration.number,
        "new_deadline": "2026-05-24",
        "cash": "50000.00",
        "wages": "30000.00",
        "social_insurance": "8000.00",
        "ground": "当期货币资金在扣除应付职工工资、社会保险费后，不足以缴纳税款",
    }
    refused(
        submit(client, F.PAYMENT_EXTENSION.url, {**form, "new_deadline": "2026-06-30"}, PDF_FILE), "3个月"
    )
    refused(submit(client, F.PAYMENT_EXTENSION.url, {**form, "cash": "90000.00"}, PDF_FILE), "足以缴纳税款")
    other = new_enterprise()
    run(L.register_tax(other.taxpayer_id, L.TaxType.VAT, L.PeriodKind.MONTH, dt.date(2026, 1, 1)))
    foreign = _file(other.taxpayer_id, dt.date(2026, 1, 1), dt.date(2026, 1, 31), "10.00", f"payext-o-{tp}")
    refused(
        submit(client, F.PAYMENT_EXTENSION.url, {**form, "declaration_number": foreign.number}, PDF_FILE),
        "未找到本企业该申报序号",
    )
    approve(app, client, F.PAYMENT_EXTENSION.url, form, PDF_FILE)
    [item] = run(L.unpaid(tp, dt.date(2026, 5, 24)))
    assert (
        item.payment_deadline == dt.date(2026, 5, 24) and item.late_fee == D("0.00") and not item.in_arrears
    )
    [late] = run(L.unpaid(tp, dt.date(2026, 5, 25)))
    assert late.late_fee == D("21.00")  # 42,000 × 0.05 % × 1 day after the approved date
    pin_clock(dt.date(2026, 3, 10))
    assert "延期缴纳税款已核准" in client.get("/").text


# --- 核定管理 --------------------------------------------------------------------------------------


def test_fixed_amount_is_set_for_an_individual_business_only(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]], pin_clock: Pin
) -> None:
    enterprise, client = company
    pin_clock(dt.date(2026, 3, 10))
    form = {
        "business": "面食制售",
        "area": "40",
        "staff": "3",
        "monthly_sales": "120000.00",
        "valid_from": "2026-04-01",
        "valid_to": "2027-03-31",
    }
    refused(submit(client, F.FIXED_AMOUNT.url, form), "仅适用于个体工商户")
    tin = "92" + run(registry.taxpayer_by_id(enterprise.taxpayer_id)).tin[2:]  # type: ignore[union-attr]
    run(Taxpayer.update({Taxpayer.tin: tin}).where(Taxpayer.id == enterprise.taxpayer_id))
    refused(submit(client, F.FIXED_AMOUNT.url, {**form, "valid_to": "2027-04-30"}), "不得超过一年")
    approve(app, client, F.FIXED_AMOUNT.url, form)
    [fixed] = run(L.fixed_amounts(enterprise.taxpayer_id, on=dt.date(2026, 5, 1)))
    assert fixed.monthly_sales == D("120000.00") and fixed.monthly_tax == D("1200.00")
    page = client.get("/query/fixed-amounts")
    assert "120,000.00" in page.text and "1,200.00" in page.text

    # the small-scale VAT return of the quarter starts from the fixed amount (3 months × 120,000.00)
    async def small_scale() -> None:
        await L.set_taxpayer_kind(enterprise.taxpayer_id, L.TaxpayerKind.SMALL, dt.date(2020, 1, 1))
        await L.register_tax(enterprise.taxpayer_id, L.TaxType.VAT, L.PeriodKind.QUARTER, dt.date(2026, 1, 1))

    run(small_scale())
    pin_clock(dt.date(2026, 7, 6))
    ret = client.get("/filing/vat-small", params={"period": "2026Q2"})
    assert "核定定额" in ret.text and ("360000.00" in ret.text or "360,000.00" in ret.text), ret.text[:2000]


def test_every_group_tile_lists_its_working_functions(
    app: Litestar, company: tuple[Enterprise, TestClient[Litestar]]
) -> None:
    _, client = company
    for group in ("综合信息报告", "税收减免", "证明开具", "税务行政许可", "核定管理"):
        page = client.get(f"/menu/我要办税/{group}")
        assert page.status_code == 200, group
        for function in F.FUNCTIONS:
            if function.path[1] == group:
                assert function.url in page.text, (group, function.name)


@pytest.mark.skipif(BACKEND != "postgres", reason="races are tested on PostgreSQL")
def test_the_same_account_reported_twice_at_once_is_one_record() -> None:
    enterprise = new_enterprise()

    async def race() -> list[Any]:
        return await asyncio.gather(
            *(
                records.report_bank_account(
                    enterprise.taxpayer_id,
                    bank_code="102",
                    bank_name="中国工商银行",
                    account_number="6222000011112222",
                    account_name="测试企业有限公司",
                    account_type="基本存款账户",
                    opened_on=dt.date(2025, 1, 1),
                )
                for _ in range(8)
            ),
            return_exceptions=True,
        )

    results = run(race())
    assert sum(isinstance(r, records.BankAccount) for r in results) == 1
    assert all(isinstance(r, (records.BankAccount, L.LedgerError)) for r in results)
    assert len(run(records.bank_accounts(enterprise.taxpayer_id))) == 1
