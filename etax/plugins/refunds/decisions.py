"""What the bureau's 办结 of a refund application changes: the ledger (credit used 先抵后退), the
plugin's export records, a message to the taxpayer (我的消息 and 服务提醒) and the audit log."""

from __future__ import annotations

import logging

from etax.platform.api import (
    ApplicationRecord,
    Decision,
    clock,
    format_money,
    ledger,
    ledger_claims,
    record,
    send_message,
)
from etax.plugins.refunds.forms import (
    ExportFilingForm,
    ExportReturnForm,
    OverpaidForm,
    RetainedForm,
    credit_level,
)
from etax.plugins.refunds.functions import EXPORT_FILING, EXPORT_RETURN, OVERPAID, RETAINED
from etax.plugins.refunds.tables import ExportFiling, ExportReturn

log = logging.getLogger(__name__)
COMPLETED = "已办结"


def claim_key(application: ApplicationRecord) -> str:
    """The ledger key of the refunds an application grants (one grant per application)."""
    return f"claim:{application.number}"


def _summary(refunds: list[ledger.Refund]) -> str:
    offset = sum((r.amount for r in refunds if r.kind is ledger.RefundKind.OFFSET), start=ledger.money(0))
    refunded = sum((r.amount for r in refunds if r.kind is ledger.RefundKind.REFUND), start=ledger.money(0))
    parts = []
    if offset > 0:
        parts.append(f"抵缴欠税{format_money(offset)}元")
    if refunded > 0:
        parts.append(f"退还{format_money(refunded)}元（国库处理完成）")
    return "，".join(parts) or "无"


async def _tell(application: ApplicationRecord, title: str, body: str, event: str) -> None:
    await send_message(
        title=title,
        body=body,
        submission=f"refunds:{event}:{application.number}",
        taxpayer_id=application.taxpayer_id,
        sender="税务机关",
    )


async def _granted(application: ApplicationRecord, decision: Decision, refunds: list[ledger.Refund]) -> None:
    summary = _summary(refunds)
    await record(
        actor=decision.reviewer,
        action="refund.grant",
        outcome="success",
        taxpayer_id=application.taxpayer_id,
        target=f"{application.function_name} {application.number}",
        detail=summary,
    )
    await _tell(
        application,
        f"{application.function_name}已办理",
        f"您的{application.function_name}申请（{application.number}）已审核通过：{summary}。"
        "详情请查看“我要查询 › 退税金额审核情况查询”。",
        "granted",
    )


async def _refused(application: ApplicationRecord, decision: Decision, message: str) -> None:
    await record(
        actor=decision.reviewer,
        action="refund.refused",
        outcome="failure",
        taxpayer_id=application.taxpayer_id,
        target=f"{application.function_name} {application.number}",
        detail=message,
    )
    await _tell(
        application,
        f"{application.function_name}未能办理",
        f"您的{application.function_name}申请（{application.number}）办结时未能退库：{message}。请核对后重新申请。",
        "refused",
    )


async def decided(application: ApplicationRecord, decision: Decision) -> None:
    """React to a completed refund application (idempotent: keyed by the application number)."""
    if decision.status != COMPLETED:
        return
    key = claim_key(application)
    try:
        if application.function == OVERPAID.code:
            overpaid = application.form_as(OverpaidForm)
            refunds = await ledger_claims.grant_overpayment(
                application.taxpayer_id,
                overpaid.declaration_number,
                overpaid.amount,
                key=key,
                by=decision.reviewer,
            )
        elif application.function == RETAINED.code:
            retained = application.form_as(RetainedForm)
            refunds = await ledger_claims.grant_retained(
                application.taxpayer_id,
                retained.amount,
                retained.ratio,
                await credit_level(application.taxpayer_id),
                key=key,
                by=decision.reviewer,
            )
        elif application.function == EXPORT_RETURN.code:
            export = application.form_as(ExportReturnForm)
            inserted = (
                await ExportReturn.insert(
                    ExportReturn(
                        key=f"{application.taxpayer_id}:{export.period}",
                        taxpayer=application.taxpayer_id,
                        period=export.period,
                        customs_declaration=export.customs_declaration,
                        basis_fen=ledger.to_fen(export.basis),
                        rate=export.rate,
                        refund_fen=ledger.to_fen(export.refund),
                        application_number=application.number,
                        approved_at=decision.at,
                    )
                )
                .on_conflict(action="DO NOTHING")
                .returning(ExportReturn.application_number)
            )
            mine = inserted or await ExportReturn.exists().where(
                ExportReturn.application_number == application.number
            )
            if not mine:
                raise ledger.LedgerError(f"{export.period}所属期已有审核通过的出口退（免）税申报")
            refunds = await ledger_claims.grant_export(
                application.taxpayer_id, export.refund, key=key, by=decision.reviewer
            )
        elif application.function == EXPORT_FILING.code:
            await _file_export(application, decision)
            return
        else:
            return
    except ledger.LedgerError as error:
        log.info("refund application %s not granted: %s", application.number, error.message)
        await _refused(application, decision, error.message)
        return
    await _granted(application, decision, refunds)


async def _file_export(application: ApplicationRecord, decision: Decision) -> None:
    form = application.form_as(ExportFilingForm)
    await ExportFiling.insert(
        ExportFiling(
            taxpayer=application.taxpayer_id,
            customs_code=form.customs_code,
            trade_registration=form.trade_registration,
            method=form.method,
            bank_account=form.bank_account,
            application_number=application.number,
            filed_on=clock.today(),
        )
    ).on_conflict(action="DO NOTHING")
    await record(
        actor=decision.reviewer,
        action="export.filing",
        outcome="success",
        taxpayer_id=application.taxpayer_id,
        target=f"{application.function_name} {application.number}",
        detail=f"{form.method}，海关企业代码{form.customs_code}",
    )
    await _tell(
        application,
        "出口退（免）税备案已生效",
        f"您的出口退（免）税备案（{application.number}）已审核通过，退（免）税方法：{form.method}。"
        "现在可以办理“出口退（免）税申报”。",
        "filed",
    )
