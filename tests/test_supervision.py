"""纳税信用复评/补评, 涉税专业服务协议要素信息报告, 解除相关人员关联关系 and 风险提示: each refused with a
Chinese reason when it must be, and each decision changing what the platform knows."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from litestar import Litestar

from etax.platform import credit
from etax.platform import ledger as L
from etax.platform.admin.guard import SESSION_ADMIN
from etax.platform.auth.passwords import hash_password
from etax.platform.auth.principal import SessionAuth
from etax.platform.auth.tables import NaturalPersonAccount, StaffMember
from etax.platform.coresys.tables import Taxpayer, TaxpayerStaff
from etax.plugins.supervision.tables import AgencyAgreement, CreditReview, RiskNotice
from tests.conftest import new_client
from tests.factories import log_in, log_in_staff
from tests.login_helpers import certify
from tests.matters_support import PDF, apply, approve, audited, file_vat, messages_to, sign_and_pay
from tests.test_applications_review import make_admin
from tests.test_applications_support import application_id, csrf, decide, new_enterprise, run

Pin = Callable[[dt.date | dt.datetime], None]


def test_credit_supplement_then_review_re_evaluate_the_year_from_the_ledger(
    app: Litestar, pin_clock: Pin
) -> None:
    firm = new_enterprise()
    tp = firm.taxpayer_id
    run(L.register_tax(tp, L.TaxType.VAT, L.PeriodKind.MONTH, dt.date(2025, 1, 1)))
    pin_clock(dt.date(2025, 12, 10))
    november = file_vat(tp, dt.date(2025, 11, 1), dt.date(2025, 11, 30), "100.00", f"cr-{tp}")
    pin_clock(dt.date(2026, 3, 2))  # November's tax is unpaid past its deadline
    with new_client(app) as client:
        log_in_staff(client, firm, "legal_rep")
        review_first = apply(
            client, "/supervision/credit-review", {"year": "2025", "reason": "对评价结果有异议需复评"}
        )
        assert review_first.status_code == 400 and "请使用“纳税信用补评申请”" in review_first.text
        this_year = apply(
            client, "/supervision/credit-supplement", {"year": "2026", "reason": "新设立企业未参加评价"}
        )
        assert this_year.status_code == 400 and "只能申请已结束年度" in this_year.text
        before_registration = apply(
            client, "/supervision/credit-supplement", {"year": "2019", "reason": "新设立企业未参加评价"}
        )
        assert before_registration.status_code == 400 and "不能补评此前年度" in before_registration.text

        approve(
            app,
            apply(
                client, "/supervision/credit-supplement", {"year": "2025", "reason": "新设立企业未参加评价"}
            ),
        )
        first = run(credit.evaluation_for_year(tp, 2025))
        assert first is not None and (first.level.value, first.score) == ("A", 95)
        again = apply(
            client, "/supervision/credit-supplement", {"year": "2025", "reason": "新设立企业未参加评价"}
        )
        assert again.status_code == 400 and "已有纳税信用评价结果" in again.text

        sign_and_pay(tp, [november.id], f"cr-pay-{tp}")  # the arrears are paid: a 复评 restores the points
        number = approve(
            app,
            apply(
                client, "/supervision/credit-review", {"year": "2025", "reason": "欠缴税款已缴清，申请复评"}
            ),
        )
        after = run(credit.evaluation_for_year(tp, 2025))
        assert after is not None and after.score == 100
        review = run(CreditReview.select().where(CreditReview.application_number == number).first())
        assert (review["kind"], review["score_before"], review["score_after"]) == ("复评", 95, 100)
        query = client.get("/query/credit").text
        assert "100" in query
        assert "纳税信用复评结果" in messages_to(tp)
        assert any("95分） → A级（100分）" in row["detail"] for row in audited("credit.reevaluate", tp))


def test_agency_reports_a_client_agreement_only_after_certification(app: Litestar) -> None:
    agency = new_enterprise()
    client_firm = new_enterprise()
    run(Taxpayer.update({Taxpayer.is_agency: True}).where(Taxpayer.id == agency.taxpayer_id))
    client_row = run(
        Taxpayer.select(Taxpayer.tin, Taxpayer.name).where(Taxpayer.id == client_firm.taxpayer_id).first()
    )
    form = {
        "client_tin": client_row["tin"],
        "client_name": client_row["name"],
        "agreement_number": f"XY-{secrets.token_hex(3)}",
        "service": "纳税申报代理",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    }
    with new_client(app) as ordinary:
        log_in_staff(ordinary, client_firm, "legal_rep")
        refused = apply(ordinary, "/supervision/agency-agreements", form)
        assert refused.status_code == 400 and "仅涉税专业服务机构可以报告" in refused.text
    with new_client(app) as browser:
        log_in_staff(browser, agency, "legal_rep")
        uncertified = apply(browser, "/supervision/agency-agreements", form)
        assert uncertified.status_code == 400 and "尚未在“代理机构认定管理”中认定本机构" in uncertified.text
        reversed_dates = apply(browser, "/supervision/agency-agreements", {**form, "ends_on": "2025-12-31"})
        assert reversed_dates.status_code == 400 and "协议终止日期不能早于起始日期" in reversed_dates.text
        certify(client_firm.taxpayer_id, agency.taxpayer_id, valid_until=dt.date(2099, 12, 31))
        wrong_name = apply(browser, "/supervision/agency-agreements", {**form, "client_name": "别的公司"})
        assert wrong_name.status_code == 400 and "名称不一致" in wrong_name.text

        approve(app, apply(browser, "/supervision/agency-agreements", form))
        assert run(AgencyAgreement.exists().where(AgencyAgreement.client == client_firm.taxpayer_id))
        listed = browser.get("/supervision/agency-agreements/reported").text
        assert form["agreement_number"] in listed and client_row["name"] in listed
        twice = apply(browser, "/supervision/agency-agreements", form)
        assert twice.status_code == 400 and "该协议编号已报告" in twice.text
    assert "涉税专业服务协议要素信息已报告" in messages_to(client_firm.taxpayer_id)


async def _account(person_id: int) -> int:
    account = NaturalPersonAccount(
        person=person_id, username="np" + secrets.token_hex(5), password_hash=await hash_password("Shui@2026")
    )
    await account.save()
    return int(account.id)


def test_a_person_who_left_removes_their_tax_officer_link(app: Litestar) -> None:
    firm = new_enterprise(officers=1)
    other = new_enterprise()
    person = firm.persons["tax_officer0"]
    account = run(_account(person))
    with new_client(app) as browser:
        log_in(browser, SessionAuth(kind="natural_person", account_id=account))
        page = browser.get("/supervision/unlink")
        assert page.status_code == 200 and "办税员" in page.text
        token = csrf(browser)
        unconfirmed = browser.post(
            "/supervision/unlink",
            data={"taxpayer": str(firm.taxpayer_id), "reason": "已离职", "_csrf_token": token},
        )
        assert unconfirmed.status_code == 400 and "请勾选确认解除" in unconfirmed.text
        foreign = browser.post(
            "/supervision/unlink",
            data={
                "taxpayer": str(other.taxpayer_id),
                "reason": "已离职",
                "confirm": "true",
                "_csrf_token": token,
            },
        )
        assert foreign.status_code == 400 and "不存在关联关系" in foreign.text
        assert run(StaffMember.exists().where(StaffMember.person == person))
        done = browser.post(
            "/supervision/unlink",
            data={
                "taxpayer": str(firm.taxpayer_id),
                "reason": "已离职",
                "confirm": "true",
                "_csrf_token": token,
            },
            follow_redirects=False,
        )
        assert done.status_code == 303
        assert "您目前没有与企业的关联关系" in browser.get("/supervision/unlink").text
    assert not run(StaffMember.exists().where(StaffMember.person == person))
    assert not run(TaxpayerStaff.exists().where(TaxpayerStaff.person == person))
    assert "办税人员已解除关联关系" in messages_to(firm.taxpayer_id)
    assert [row["outcome"] for row in audited("relation.unlink", firm.taxpayer_id)] == ["success"]
    # A legal representative stays until the enterprise files 变更税务登记.
    legal = run(_account(firm.persons["legal_rep"]))
    with new_client(app) as browser:
        log_in(browser, SessionAuth(kind="natural_person", account_id=legal))
        refused = browser.post(
            "/supervision/unlink",
            data={
                "taxpayer": str(firm.taxpayer_id),
                "reason": "已离职",
                "confirm": "true",
                "_csrf_token": csrf(browser),
            },
        )
        assert refused.status_code == 400 and "请由企业办理变更税务登记后再解除关联" in refused.text


def test_risk_notice_from_the_back_office_is_answered_and_reviewed(app: Litestar, pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 11, 20))
    firm = new_enterprise()
    stranger = new_enterprise()
    tin = run(Taxpayer.select(Taxpayer.tin).where(Taxpayer.id == firm.taxpayer_id).first())["tin"]
    with new_client(app) as bureau:
        bureau.set_session_data({SESSION_ADMIN: {"admin_id": make_admin("reviewer").id}})
        token = csrf(bureau)
        notice = {
            "tin": tin,
            "title": "进项税额异常",
            "description": "本月进项税额较上年同期增长异常，请核实。",
        }
        late = bureau.post("/admin/risks", data={**notice, "deadline": "2026-11-01", "_csrf_token": token})
        assert late.status_code == 400 and "核实期限不能早于今天" in late.text
        unknown = bureau.post(
            "/admin/risks",
            data={**notice, "tin": "91210102MA0000000X", "deadline": "2026-12-20", "_csrf_token": token},
        )
        assert unknown.status_code == 400
        sent = bureau.post(
            "/admin/risks",
            data={**notice, "deadline": "2026-12-20", "_csrf_token": token},
            follow_redirects=False,
        )
        assert sent.status_code == 302
    row = run(RiskNotice.select().where(RiskNotice.taxpayer == firm.taxpayer_id).first())
    number = row["number"]
    with new_client(app) as client:
        log_in_staff(client, firm, "legal_rep")
        home = client.get("/").text
        assert "风险疑点：进项税额异常" in home and "待核实" in home
        assert "去处理/填说明" in client.get("/supervision/risks").text
        answer = {"notice_number": number, "explanation": "本月购进大型设备，进项税额增加属实。"}
        without_files = apply(client, "/supervision/risk-answers", answer)
        assert without_files.status_code == 400
        files = [("attachments", ("设备采购合同.pdf", PDF, "application/pdf"))]
        with new_client(app) as intruder:
            log_in_staff(intruder, stranger, "legal_rep")
            foreign = apply(intruder, "/supervision/risk-answers", answer, files)
            assert foreign.status_code == 400 and "没有这个风险提示编号" in foreign.text

        first = application_id(apply(client, "/supervision/risk-answers", answer, files))
        assert "已说明（审核中）" in client.get("/supervision/risks").text
        assert "风险疑点：进项税额异常" not in client.get("/").text
        assert decide(app, first, "reject", "说明不充分，请补充设备发票") == []
        reopened = client.get(f"/supervision/risks/{row['id']}").text
        assert "待核实" in reopened and "说明不充分" in reopened

        second = apply(client, "/supervision/risk-answers", answer, files)
        approve(app, second)
        closed = run(RiskNotice.select(RiskNotice.status).where(RiskNotice.number == number).first())
        assert closed["status"] == "closed"
        assert "已核实" in client.get("/supervision/risks").text
        again = apply(client, "/supervision/risk-answers", answer, files)
        assert again.status_code == 400 and "已核实办结" in again.text
    assert [r["outcome"] for r in audited("risk.answer.result", firm.taxpayer_id)] == ["failure", "success"]
    assert len(audited("admin.risk.send", firm.taxpayer_id)) == 1
    assert "风险提示：进项税额异常" in messages_to(firm.taxpayer_id)
