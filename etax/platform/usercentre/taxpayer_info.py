"""纳税人基本信息: the registry record of the enterprise (or of the client an agency acts for)."""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from etax.platform.coresys import registry
from etax.platform.masking import mask_id_number, mask_mobile
from etax.platform.usercentre.common import current_principal
from etax.platform.usercentre.functions import TAXPAYER_INFO


def registered_taxes(text: str) -> list[str]:
    """The registered taxes (税种登记), stored comma-separated."""
    return [part.strip() for part in re.split(r"[,，、]", text) if part.strip()]


class TaxpayerInfoController(Controller):
    """纳税人基本信息 (granted through identities; an agency sees its client's record)."""

    path = TAXPAYER_INFO.url
    opt = {"function": TAXPAYER_INFO.code}

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        principal = await current_principal(request)
        taxpayer_id = principal.client_or_own_taxpayer
        record = None if taxpayer_id is None else await registry.taxpayer_by_id(taxpayer_id)
        if record is None or taxpayer_id is None:
            raise NotFoundException()
        staff = [
            {
                "name": member.person.name,
                "role": member.role_label,
                "id_type": member.person.id_type,
                "id_number": mask_id_number(member.person.id_number),
                "mobile": mask_mobile(member.registered_mobile) if member.registered_mobile else "",
                "fixed_only": bool(member.registered_fixed_phone) and not member.registered_mobile,
                "real_name_collected": member.person.real_name_collected,
            }
            for member in await registry.registration_staff(taxpayer_id)
        ]
        return Template(
            "usercentre/taxpayer_info.html",
            context={"record": record, "taxes": registered_taxes(record.registered_taxes), "staff": staff},
        )
