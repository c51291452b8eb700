"""Tax-matter applications: submit, double submit, correct, decide, reminders, progress, isolation."""

from __future__ import annotations

import datetime as dt
import re

from litestar import Litestar

from etax.platform.applications import queries
from etax.platform.applications.common import BEIJING
from etax.platform.applications.tables import Application, ApplicationAttachment, ServiceReminder
from etax.platform.applications.uploads import MAX_BYTES
from tests.conftest import new_client
from tests.factories import grant, log_in_staff
from tests.test_applications_support import (
    EXE,
    FORM_URL,
    GOOD_FORM,
    PDF,
    application_id,
    applications_of,
    count,
    decide,
    documents_of,
    new_enterprise,
    open_form,
    post_form,
    run,
    submit,
)
from tests.test_documents import stored_files


def beijing_today() -> dt.date:
    """Dates in the portal (filters, numbers) are Beijing dates."""
    return dt.datetime.now(BEIJING).date()


def test_submitted_application_gets_a_number_and_shows_in_progress_and_reminders(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        form = client.get(FORM_URL)
        assert form.status_code == 200
        for label in (
            "发票种类",
            "单份发票最高开票限额",
            "每月最高购票数量",
            "每次最高购票数量",
            "持票最高数量",
        ):
            assert label in form.text
        assert '<option value="验旧购新" selected>' in form.text  # the default 购票方式
        assert 'inputmode="numeric"' in form.text and "<select" in form.text and "不小于1" in form.text
        created = application_id(
            submit(client, files=[("attachments", ("营业执照.pdf", PDF, "application/pdf"))])
        )
        page = client.get(f"{FORM_URL}/{created}")
        assert page.status_code == 200
        number = re.search(r'data-testid="application-number">(\d+)<', page.text)
        assert number and re.fullmatch(rf"{beijing_today().year}\d{{6}}", number.group(1))
        assert "申请已提交" in page.text and "已提交" in page.text and "营业执照" in page.text
        assert "增值税普通发票（折叠票）" in page.text and "十万元" in page.text
        assert count(ApplicationAttachment, application=created) == 1
        progress = client.get("/query/progress")
        assert number.group(1) in progress.text and "发票票种核定" in progress.text
        home = client.get("/").text
        assert f"您的发票票种核定申请（{number.group(1)}）已提交" in home
        inbox = client.get("/inbox").text  # the same change as a message in 互动中心 › 我的消息
        assert f"您的发票票种核定申请（{number.group(1)}）已提交" in inbox


def test_double_submission_and_replay_make_one_application(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        token = open_form(client)
        first = submit(client, token=token)
        second = submit(client, token=token)
        assert first.status_code == second.status_code == 303
        assert first.headers["location"] == second.headers["location"]
        assert applications_of(enterprise.taxpayer_id) == 1
        replay = client.get(second.headers["location"])
        assert "申请已提交" not in replay.text or replay.text.count("申请已提交") == 1
        third = submit(client)  # a newly opened form is a new application
        assert third.headers["location"] != first.headers["location"]
        assert applications_of(enterprise.taxpayer_id) == 2


def test_a_key_not_issued_to_the_session_is_refused(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        response = submit(client, token="forged-key-" + "x" * 20)
        assert response.status_code == 400 and "表单已过期" in response.text
        assert applications_of(enterprise.taxpayer_id) == 0


def test_bad_input_gets_chinese_messages_and_stores_nothing(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    cases = [
        ({"monthly_quantity": ""}, "请填写每月最高购票数量"),
        ({"monthly_quantity": "十"}, "每月最高购票数量须为整数"),
        ({"holding_quantity": "0"}, "持票最高数量不能小于1"),
        ({"per_purchase_quantity": "-3"}, "每次最高购票数量不能小于1"),
        ({"per_purchase_quantity": "60"}, "每次最高购票数量不能大于每月最高购票数量"),
        ({"invoice_type": "假发票"}, "发票种类的选项无效"),
        ({"max_amount": ""}, "请选择单份发票最高开票限额"),
        ({"reason": "说" * 201}, "申请说明不能超过200个字"),
    ]
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        for change, message in cases:
            response = submit(client, data={**GOOD_FORM, **change})
            assert response.status_code == 400, change
            assert message in response.text, (change, response.text[:200])
            assert 'name="_submission"' in response.text  # the form comes back, filled in
        assert applications_of(enterprise.taxpayer_id) == 0


def test_special_invoice_refused_for_small_scale_taxpayer(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)  # registered as 小规模纳税人
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        response = submit(client, data={**GOOD_FORM, "invoice_type": "增值税专用发票"})
        assert response.status_code == 400
        assert "增值税专用发票仅限增值税一般纳税人申请核定" in response.text
        assert "小规模纳税人" in response.text
        assert applications_of(enterprise.taxpayer_id) == 0


def test_correction_resubmission_and_decisions_with_reminders(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "finance_head")
        created = application_id(submit(client))
        assert decide(app, created, "correct", "请补充经营场所证明，并将每月购票数量调整为40份") == []
        home = client.get("/").text
        assert "需补正，请去补正" in home and f"/query/progress/{created}" in home
        detail = client.get(f"/query/progress/{created}")
        assert "请补充经营场所证明" in detail.text and 'data-testid="correction-form"' in detail.text
        assert 'value="50"' in detail.text  # the form comes back with the submitted data
        bad = post_form(client, f"{FORM_URL}/{created}/correct", {**GOOD_FORM, "monthly_quantity": "x"})
        assert bad.status_code == 400 and "每月最高购票数量须为整数" in bad.text
        fixed = {**GOOD_FORM, "monthly_quantity": "40", "per_purchase_quantity": "20"}
        files = [("attachments", ("经营场所证明.pdf", PDF, "application/pdf"))]
        done = post_form(client, f"{FORM_URL}/{created}/correct", fixed, files)
        assert done.status_code == 303
        again = post_form(client, f"{FORM_URL}/{created}/correct", fixed, files)  # double click
        assert again.status_code == 303
        record = run(queries.get_record(created))
        assert record.status == "已提交" and record.round == 2 and record.data["monthly_quantity"] == 40
        assert count(ApplicationAttachment, application=created) == 1
        assert "需补正，请去补正" not in client.get("/").text
        decide(app, created, "accept")
        decide(app, created, "complete", "准予核定")
        page = client.get(f"/query/progress/{created}").text
        for step in ("提交申请", "需补正", "补正后重新提交", "受理", "办结", "准予核定"):
            assert step in page, step
        assert "已办结" in page
        statuses = [
            r["status"]
            for r in run(
                ServiceReminder.select(ServiceReminder.status)
                .where(ServiceReminder.application == created)
                .order_by(ServiceReminder.id)
            )
        ]
        assert statuses == ["已提交", "需补正", "已提交", "受理中", "已办结"]
        assert f"您的发票票种核定申请（{record.number}）已办结" in client.get("/").text


def test_progress_filters(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        first = application_id(submit(client))
        application_id(submit(client))
        decide(app, first, "reject", "不符合核定条件")
        rejected = client.get("/query/progress", params={"status": "不予受理"}).text
        assert "共 1 条" in rejected
        assert "共 2 条" in client.get("/query/progress", params={"function": "invoices.type_approval"}).text
        today = beijing_today().isoformat()
        assert "共 2 条" in client.get("/query/progress", params={"date_from": today, "date_to": today}).text
        later = (beijing_today() + dt.timedelta(days=2)).isoformat()
        assert "没有符合条件的申请" in client.get("/query/progress", params={"date_from": later}).text
        wrong = client.get("/query/progress", params={"date_from": today, "date_to": "2000-01-01"})
        assert "提交日期的结束时间不能早于开始时间" in wrong.text


def test_another_enterprise_cannot_see_or_correct_an_application(app: Litestar) -> None:
    owner, other = new_enterprise(officers=0), new_enterprise(officers=0)
    with new_client(app) as mine, new_client(app) as theirs:
        log_in_staff(mine, owner, "legal_rep")
        log_in_staff(theirs, other, "legal_rep")
        created = application_id(submit(mine))
        decide(app, created, "correct", "请补正")
        assert theirs.get(f"/query/progress/{created}").status_code == 404
        assert theirs.get(f"{FORM_URL}/{created}").status_code == 404
        tampered = post_form(theirs, f"{FORM_URL}/{created}/correct", GOOD_FORM)
        assert tampered.status_code == 404
        assert run(queries.get_record(created)).status == "需补正"
        assert "没有符合条件的申请" in theirs.get("/query/progress").text
        assert "需补正" not in theirs.get("/").text.split("我的待办")[-1].split("</section>")[0]


def test_officer_needs_the_function_to_apply(app: Litestar) -> None:
    enterprise = new_enterprise(officers=1)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "tax_officer0")
        assert client.get(FORM_URL).status_code == 403
        assert client.post(FORM_URL, data={}, headers={"x-csrftoken": "x"}).status_code == 403
        assert client.get("/query/progress").status_code == 403
        grant(enterprise, "tax_officer0", ["invoices.type_approval"])
        created = application_id(submit(client))
        assert client.get(f"{FORM_URL}/{created}").status_code == 200
        assert client.get(f"/query/progress/{created}").status_code == 403


def test_decisions_follow_the_allowed_transitions(app: Litestar) -> None:
    from etax.platform.applications.service import ApplicationError

    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        created = application_id(submit(client))
    for action, comment, message in (
        ("complete", "", "不能“办结”"),
        ("reject", "", "请填写处理意见"),
        ("correct", " ", "请填写处理意见"),
    ):
        try:
            decide(app, created, action, comment)  # type: ignore[arg-type]
        except ApplicationError as exc:
            assert message in str(exc)
        else:
            raise AssertionError(f"{action} should be refused")
    assert run(queries.get_record(created)).status == "已提交"


def test_a_disguised_or_oversized_attachment_is_refused_in_chinese_and_nothing_is_kept(app: Litestar) -> None:
    """The application's attachments are read and checked by the platform's upload layer: an executable
    named .pdf, or a PDF just over 10MB, gets the form back with the reason, and no application, 电子资料
    or stored file is made; the same form with a good file then goes through."""
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        before = stored_files(app)
        key = open_form(client)
        for name, content, reason in (
            ("营业执照.pdf", EXE, "不是允许的文件类型，只能上传"),
            ("营业执照扫描件.pdf", PDF + b"0" * (MAX_BYTES + 1 - len(PDF)), "超过10MB，请压缩或拆分后上传"),
        ):
            refused = submit(client, files=[("attachments", (name, content, "application/pdf"))], token=key)
            assert refused.status_code == 400, name
            assert f"文件“{name}”{reason}" in refused.text
            assert GOOD_FORM["reason"] in refused.text  # what was typed is shown again
        assert applications_of(enterprise.taxpayer_id) == 0 and documents_of(enterprise.taxpayer_id) == 0
        assert stored_files(app) == before
        created = submit(client, files=[("attachments", ("营业执照.pdf", PDF, "application/pdf"))], token=key)
        assert count(Application, id=application_id(created)) == 1
