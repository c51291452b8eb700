"""The agreements an agency reported (涉税专业服务协议要素信息报告, effective ones) — a page of the same
function beside its application form."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from etax.platform.api import CurrentActor, beijing
from etax.plugins.supervision.functions import AGENCY_AGREEMENT
from etax.plugins.supervision.tables import AgencyAgreement


class AgreementListController(Controller):
    path = f"{AGENCY_AGREEMENT.url}/reported"
    opt = {"function": AGENCY_AGREEMENT.code}

    @get("/")
    async def reported(self, actor: CurrentActor) -> Template:
        rows = (
            await AgencyAgreement.select(
                AgencyAgreement.agreement_number,
                AgencyAgreement.service,
                AgencyAgreement.starts_on,
                AgencyAgreement.ends_on,
                AgencyAgreement.application_number,
                AgencyAgreement.reported_at,
                AgencyAgreement.client.name,
                AgencyAgreement.client.tin,
            )
            .where(AgencyAgreement.agency == actor.taxpayer_id)
            .order_by(AgencyAgreement.id, ascending=False)
        )
        return Template(
            "supervision/agreements.html",
            context={
                "function": AGENCY_AGREEMENT,
                "rows": rows,
                "beijing": beijing,
                "taxpayer_name": actor.taxpayer_name,
            },
        )
