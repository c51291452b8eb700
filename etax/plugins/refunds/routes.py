"""退税金额审核情况查询: what the bureau's decisions granted (offsets and refunds from the ledger), the
returns a 误收多缴 claim may still name, 留抵 available, and the 出口退（免）税备案 and approved 申报."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from etax.platform.api import CurrentActor, beijing, ledger, ledger_claims
from etax.plugins.refunds.functions import REFUND_STATUS
from etax.plugins.refunds.tables import ExportFiling, ExportReturn

CLAIM_KINDS = (ledger.CreditKind.MISCOLLECTED, ledger.CreditKind.RETAINED, ledger.CreditKind.EXPORT)


class RefundStatusController(Controller):
    """我要查询 › 出口退税查询 › 退税金额审核情况查询."""

    path = REFUND_STATUS.url
    opt = {"function": REFUND_STATUS.code}

    @get("/")
    async def show(self, actor: CurrentActor) -> Template:
        taxpayer_id = actor.taxpayer_id
        credits = {c.id: c for c in await ledger.credits(taxpayer_id)}
        refunds = [r for r in await ledger.refunds(taxpayer_id) if credits[r.credit_id].kind in CLAIM_KINDS]
        filing = await ExportFiling.select().where(ExportFiling.taxpayer == taxpayer_id).first()
        returns = (
            await ExportReturn.select()
            .where(ExportReturn.taxpayer == taxpayer_id)
            .order_by(ExportReturn.period, ascending=False)
        )
        return Template(
            "refunds/status.html",
            context={
                "function": REFUND_STATUS,
                "taxpayer_name": actor.taxpayer_name,
                "refunds": refunds,
                "credits": credits,
                "refundable": await ledger_claims.refundable_declarations(taxpayer_id),
                "retained": await ledger_claims.retained_credit(taxpayer_id),
                "filing": filing,
                "returns": returns,
                "from_fen": ledger.from_fen,
                "beijing": beijing,
                "deadline": ledger_claims.claim_deadline,
            },
        )
