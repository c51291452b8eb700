"""The 业务审核员 review queue in /admin: filters, the application and its attachments, decisions
(受理 → 办结 / 不予受理 / 需补正) with comments, audited, and the taxpayer following along."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.admin.accounts import AdminView, create_admin
from etax.platform.admin.guard import SESSION_ADMIN
from etax.platform.app import create_app
from etax.platform.applications import queries
from etax.platform.audit.tables import AuditLog
from etax.platform.runtime import get_runtime
from etax.platform.settings import Settings
from etax.plugins.invoices.tables import InvoiceQuota
from tests.conftest import new_client
from tests.factories import log_in_staff
from tests.plugin_factories import make_plugin
from tests.test_applications_support import (
    FORM_URL,
    GOOD_FORM,
    PDF,
    PNG,
    application_id,
    csrf,
    new_enterprise,
    open_form,
    post_form,
    run,
    submit,
)

QUEUE = "/admin/reviews"
SUBMISSIONS = ("application.submit", "application.resubmit")


def with_reviews(app: Litestar) -> Litestar:
    """The application with the review queue mounted (as the lead mounts REVIEW_ROUTE_HANDLERS)."""
    assert any(route.path.startswith(QUEUE) for route in app.routes)  # mounted through the plugin hook
    return app


@pytest.fixture(scope="module")
def review_app(settings: Settings, database: str) -> Litestar:
    return with_reviews(create_app(settings))


@pytest.fixture()
def reviewer(review_app: Litestar) -> Iterator[TestClient[Litestar]]:
    with new_client(review_app) as client:
        log_in_admin(client, "reviewer")
        yield client


def make_admin(role: str) -> AdminView:
    admin: AdminView = run(create_admin(f"rev{secrets.token_hex(4)}", f"审核{role}", role, "Admin@2026"))
    return admin


def log_in_admin(client: TestClient[Litestar], role: str) -> AdminView:
    admin = make_admin(role)
    client.set_session_data({SESSION_ADMIN: {"admin_id": admin.id}})
    return admin


def decide(client: TestClient[Litestar], application: int, action: str, comment: str = "") -> Any:
    page = client.get(f"{QUEUE}/{application}")
    status = page.text.split('name="expected" value="')[1].split('"')[0]
    return client.post(
        f"{QUEUE}/{application}/decision",
        data={"action": action, "comment": comment, "expected": status, "_csrf_token": csrf(client)},
        follow_redirects=False,
    )


def test_full_review_with_correction_reminders_progress_audit_and_quota(
    review_app: Litestar, reviewer: TestClient[Litestar]
) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(review_app) as taxpayer:
        log_in_staff(taxpayer, enterprise, "legal_rep")
        created = application_id(submit(taxpayer, files=[("attachments", ("章模.png", PNG, "image/png"))]))
        number = run(queries.get_record(created)).number

        queue = reviewer.get(QUEUE, params={"tin": enterprise.tin})
        assert (
            queue.status_code == 200
            and number in queue.text
            and "本页所需角色：<strong>业务审核员</strong>" in queue.text
        )
        detail = reviewer.get(f"{QUEUE}/{created}")
        assert (
            "增值税普通发票（折叠票）" in detail.text
            and "每月最高购票数量" in detail.text
            and "章模" in detail.text
        )
        [document] = [a.document for a in run(queries.attachments(created))]
        download = reviewer.get(f"{QUEUE}/{created}/attachments/{document}")
        assert download.status_code == 200 and download.content == PNG
        assert download.headers["content-disposition"].startswith("attachment;")

        missing = decide(reviewer, created, "correct", "")
        assert missing.status_code == 400 and "请填写处理意见" in missing.text
        assert decide(reviewer, created, "correct", "请附经营场所证明").status_code == 303
        assert "需补正，请去补正" in taxpayer.get("/").text
        progress = taxpayer.get(f"/query/progress/{created}").text
        assert "请附经营场所证明" in progress and 'data-testid="correction-form"' in progress
        assert "税务机关" in progress and "admin:" not in progress  # reviewers are not named to taxpayers
        corrected = post_form(
            taxpayer,
            f"{FORM_URL}/{created}/correct",
            {**GOOD_FORM, "documents": str(document)},
            [("attachments", ("经营场所证明.pdf", PDF, "application/pdf"))],
        )
        assert corrected.status_code == 303
        assert len(run(queries.attachments(created))) == 2

        assert decide(reviewer, created, "accept").status_code == 303
        done = decide(reviewer, created, "complete", "准予核定")
        assert done.status_code == 303
        page = reviewer.get(f"{QUEUE}/{created}")
        assert "已办结" in page.text and f"申请 {number} 已办结" in page.text and "无需处理" in page.text

        quota = run(InvoiceQuota.select().where(InvoiceQuota.taxpayer == enterprise.taxpayer_id))
        assert [row["invoice_type"] for row in quota] == ["增值税普通发票（折叠票）"]
        assert "增值税普通发票（折叠票）" in taxpayer.get("/query/invoice-purchases").text
        home = taxpayer.get("/").text
        assert f"您的发票票种核定申请（{number}）已办结" in home
        assert "已办结" in taxpayer.get("/query/progress", params={"status": "已办结"}).text
        actions = run(
            AuditLog.select(AuditLog.action, AuditLog.actor)
            .where((AuditLog.taxpayer_id == enterprise.taxpayer_id) & AuditLog.action.like("application.%"))
            .order_by(AuditLog.id)
        )
        assert [row["action"] for row in actions] == [
            "application.submit",
            "application.correct",
            "application.resubmit",
            "application.accept",
            "application.complete",
        ]
        decided_by = {str(row["actor"]) for row in actions if row["action"] not in SUBMISSIONS}
        assert len(decided_by) == 1 and decided_by.pop().startswith("admin:")
        history = taxpayer.get("/query/history").text  # the taxpayer sees them in 历史办税操作查询
        # ... in Chinese, never as internal codes.
        rows = history[history.index('data-testid="query-results"') :]
        assert "税务机关办结申请" in rows and f"申请 {number}（发票票种核定）" in rows
        assert "application.complete" not in rows


def queue_rows(client: TestClient[Litestar], **params: str) -> str:
    """The queue's table (empty when nothing matches), without notices or filters."""
    page = client.get(QUEUE, params=params)
    assert page.status_code == 200
    return (
        page.text.split('data-testid="review-queue"')[1].split("</table>")[0]
        if "review-queue" in page.text
        else ""
    )


def test_queue_filters_by_function_status_and_date(
    review_app: Litestar, reviewer: TestClient[Litestar]
) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(review_app) as taxpayer:
        log_in_staff(taxpayer, enterprise, "legal_rep")
        first = application_id(submit(taxpayer))
        second = application_id(submit(taxpayer))
    decide(reviewer, second, "reject", "不符合条件")
    numbers = {i: run(queries.get_record(i)).number for i in (first, second)}
    tin = enterprise.tin
    pending = queue_rows(reviewer, tin=tin)  # 待处理 by default
    assert numbers[first] in pending and numbers[second] not in pending
    rejected = queue_rows(reviewer, tin=tin, status="不予受理")
    assert numbers[second] in rejected and numbers[first] not in rejected
    every = queue_rows(reviewer, tin=tin, status="", function="invoices.type_approval")
    assert numbers[first] in every and numbers[second] in every
    assert queue_rows(reviewer, tin=tin, status="", function="other.matter") == ""
    assert queue_rows(reviewer, tin=tin, status="", date_from="2000-01-01", date_to="2000-01-02") == ""
    assert numbers[first] in queue_rows(reviewer, number=numbers[first], status="")
    wrong = reviewer.get(QUEUE, params={"date_from": "2026-02-30"})
    assert wrong.status_code == 200 and "开始日期无效" in wrong.text


def test_a_stale_or_impossible_decision_changes_nothing(
    review_app: Litestar, reviewer: TestClient[Litestar]
) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(review_app) as taxpayer:
        log_in_staff(taxpayer, enterprise, "legal_rep")
        created = application_id(submit(taxpayer))
    token = csrf(reviewer)
    stale = reviewer.post(
        f"{QUEUE}/{created}/decision",
        data={"action": "reject", "comment": "重复申请", "expected": "受理中", "_csrf_token": token},
    )
    assert stale.status_code == 409 and "状态已变为“已提交”" in stale.text
    impossible = reviewer.post(
        f"{QUEUE}/{created}/decision",
        data={"action": "complete", "comment": "", "expected": "已提交", "_csrf_token": token},
    )
    assert impossible.status_code == 409 and "不能“办结”" in impossible.text
    bad = reviewer.post(f"{QUEUE}/{created}/decision", data={"action": "approve", "_csrf_token": token})
    assert bad.status_code == 400 and "处理决定的选项无效" in bad.text
    unprotected = reviewer.post(
        f"{QUEUE}/{created}/decision", data={"action": "accept", "expected": "已提交"}
    )
    assert unprotected.status_code == 403
    assert run(queries.get_record(created)).status == "已提交"
    assert reviewer.get(f"{QUEUE}/999999999").status_code == 404


def test_attachments_are_reachable_only_through_their_application(
    review_app: Litestar, reviewer: TestClient[Litestar]
) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(review_app) as taxpayer:
        log_in_staff(taxpayer, enterprise, "legal_rep")
        with_file = application_id(
            submit(taxpayer, files=[("attachments", ("a.pdf", PDF, "application/pdf"))])
        )
        without = application_id(submit(taxpayer))
    [document] = [a.document for a in run(queries.attachments(with_file))]
    assert reviewer.get(f"{QUEUE}/{without}/attachments/{document}").status_code == 404
    assert reviewer.get(f"{QUEUE}/{with_file}/attachments/{document}").status_code == 200


def test_only_reviewers_and_system_administrators_may_review(review_app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(review_app) as taxpayer:
        log_in_staff(taxpayer, enterprise, "legal_rep")
        created = application_id(submit(taxpayer))
        assert taxpayer.get(QUEUE, follow_redirects=False).status_code in (302, 303)  # not an administrator
    for role, expected in (("content", 403), ("system", 200), ("reviewer", 200)):
        with new_client(review_app) as client:
            log_in_admin(client, role)
            assert client.get(QUEUE).status_code == expected, role
            assert client.get(f"{QUEUE}/{created}").status_code == expected, role
            response = client.post(
                f"{QUEUE}/{created}/decision",
                data={"action": "accept", "expected": "已提交", "_csrf_token": csrf(client)},
                follow_redirects=False,
            )
            if expected == 403:
                assert response.status_code == 403 and run(queries.get_record(created)).status == "已提交"
    with new_client(review_app) as anonymous:
        response = anonymous.get(f"{QUEUE}/{created}", follow_redirects=False)
        assert response.status_code in (302, 303) and response.headers["location"].startswith("/admin/login")


def test_a_failing_plugin_hook_does_not_undo_the_decision(settings: Settings) -> None:
    def etax_application_decided(application: object, decision: object) -> None:
        raise RuntimeError("下游系统不可用")

    app = with_reviews(
        create_app(
            settings, extra_plugins=[make_plugin("flaky", etax_application_decided=etax_application_decided)]
        )
    )
    enterprise = new_enterprise(officers=0)
    with TestClient(app, session_config=get_runtime(app).session_config) as taxpayer:
        log_in_staff(taxpayer, enterprise, "legal_rep")
        token = open_form(taxpayer)
        created = application_id(post_form(taxpayer, FORM_URL, {**GOOD_FORM, "_submission": token}))
    with TestClient(app, session_config=get_runtime(app).session_config) as client:
        log_in_admin(client, "reviewer")
        response = decide(client, created, "accept")
        assert response.status_code == 303
        page = client.get(f"{QUEUE}/{created}").text
        assert "插件 flaky 的后续处理失败" in page
    assert run(queries.get_record(created)).status == "受理中"
