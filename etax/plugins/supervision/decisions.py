"""What the bureau's decisions on the supervision applications change.

- 纳税信用复评/补评 办结: the year is evaluated again from the ledger and compliance records (the platform
  credit service); the level and score before and after are kept (``supervision_credit_review``).
- 涉税专业服务协议要素信息报告 办结: the agreement is recorded; the client is told (服务提醒).
- 风险疑点说明: 受理 links the answer to the notice; 办结 closes the notice (已核实); 不予受理 sends it back
  to 待核实 with the reviewer's comment.
Each writes an audit entry and a message; every reaction is idempotent (keyed by the application).
"""

from __future__ import annotations

from typing import Any

from etax.platform.api import (
    ApplicationRecord,
    Decision,
    clock,
    credit,
    normalise_code,
    record,
    registry,
    send_message,
)
from etax.plugins.supervision.forms import (
    AgencyAgreementForm,
    CreditReviewForm,
    CreditSupplementForm,
    RiskAnswerForm,
)
from etax.plugins.supervision.functions import AGENCY_AGREEMENT, CREDIT_REVIEW, CREDIT_SUPPLEMENT, RISK_ANSWER
from etax.plugins.supervision.tables import AgencyAgreement, CreditReview, RiskNotice

COMPLETED = "已办结"
ACCEPTED = "受理中"
REJECTED = "不予受理"


async def _message(
    application: ApplicationRecord, taxpayer_id: int, title: str, body: str, event: str
) -> None:
    await send_message(
        title=title,
        body=body,
        submission=f"supervision:{event}:{application.number}:{taxpayer_id}",
        taxpayer_id=taxpayer_id,
        sender="税务机关",
    )


async def _credit(application: ApplicationRecord, decision: Decision) -> None:
    kind = "复评" if application.function == CREDIT_REVIEW.code else "补评"
    form: Any = application.form_as(CreditReviewForm if kind == "复评" else CreditSupplementForm)
    if await CreditReview.exists().where(CreditReview.application_number == application.number):
        return
    before = await credit.evaluation_for_year(application.taxpayer_id, form.year)
    after = await credit.evaluate(application.taxpayer_id, form.year, by=f"{decision.reviewer}（{kind}）")
    await CreditReview.insert(
        CreditReview(
            application_number=application.number,
            taxpayer=application.taxpayer_id,
            kind=kind,
            year=form.year,
            level_before="" if before is None else before.level.value,
            score_before=None if before is None else before.score,
            level_after=after.level.value,
            score_after=after.score,
            decided_at=decision.at,
        )
    ).on_conflict(action="DO NOTHING")
    was = "未评价" if before is None else f"{before.level.value}级（{before.score}分）"
    now = f"{after.level.value}级（{after.score}分）"
    await record(
        actor=decision.reviewer,
        action="credit.reevaluate",
        outcome="success",
        taxpayer_id=application.taxpayer_id,
        target=f"{application.function_name} {application.number}",
        detail=f"{form.year}年度：{was} → {now}",
    )
    await _message(
        application,
        application.taxpayer_id,
        f"纳税信用{kind}结果",
        f"您申请的{form.year}年度纳税信用{kind}（{application.number}）已办结：{was} → {now}。"
        "请在“我要查询 › 纳税信用状态信息查询”中查看扣分明细。",
        "credit",
    )


async def _agreement(application: ApplicationRecord, decision: Decision) -> None:
    form = application.form_as(AgencyAgreementForm)
    client = await registry.taxpayer_by_tin(normalise_code(form.client_tin))
    if client is None:
        return
    await AgencyAgreement.insert(
        AgencyAgreement(
            key=f"{application.taxpayer_id}:{form.agreement_number}",
            agency=application.taxpayer_id,
            client=client.id,
            agreement_number=form.agreement_number,
            service=form.service,
            starts_on=form.starts_on,
            ends_on=form.ends_on,
            application_number=application.number,
            reported_at=decision.at,
        )
    ).on_conflict(action="DO NOTHING")
    await record(
        actor=decision.reviewer,
        action="agency.agreement.report",
        outcome="success",
        taxpayer_id=application.taxpayer_id,
        target=f"{application.function_name} {application.number}",
        detail=f"委托人{client.name}，协议编号{form.agreement_number}，{form.service}",
    )
    await _message(
        application,
        client.id,
        "涉税专业服务协议要素信息已报告",
        f"{application.taxpayer_name}已向税务机关报告与贵单位签订的涉税专业服务协议（协议编号{form.agreement_number}，"
        f"{form.service}，{form.starts_on}至{form.ends_on}）。如非贵单位委托，请及时联系主管税务机关。",
        "agreement",
    )


async def _risk(application: ApplicationRecord, decision: Decision) -> None:
    form = application.form_as(RiskAnswerForm)
    where = (RiskNotice.number == form.notice_number) & (RiskNotice.taxpayer == application.taxpayer_id)
    values: dict[Any, Any] = {
        RiskNotice.answer_number: application.number,
        RiskNotice.updated_at: clock.utcnow(),
    }
    if decision.status == COMPLETED:
        values[RiskNotice.status] = "closed"
        values[RiskNotice.comment] = decision.comment or "说明已核实"
    elif decision.status == REJECTED:
        values[RiskNotice.status] = "pending"
        values[RiskNotice.comment] = f"说明未被采纳：{decision.comment}"
    elif decision.status != ACCEPTED:
        return
    await RiskNotice.update(values).where(where & (RiskNotice.status != "closed"))
    if decision.status in (COMPLETED, REJECTED):
        await record(
            actor=decision.reviewer,
            action="risk.answer.result",
            outcome="success" if decision.status == COMPLETED else "failure",
            taxpayer_id=application.taxpayer_id,
            target=f"风险提示 {form.notice_number}",
            detail=decision.status,
        )


async def decided(application: ApplicationRecord, decision: Decision) -> None:
    if application.function == RISK_ANSWER.code:
        await _risk(application, decision)
        return
    if decision.status != COMPLETED:
        return
    if application.function in (CREDIT_REVIEW.code, CREDIT_SUPPLEMENT.code):
        await _credit(application, decision)
    elif application.function == AGENCY_AGREEMENT.code:
        await _agreement(application, decision)
