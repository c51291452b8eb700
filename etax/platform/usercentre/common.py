"""Helpers shared by the user centre's controllers: the manager asking, auditing, masking, notices."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from etax.platform import audit
from etax.platform.context import current_actor
from etax.platform.context import current_principal as current_principal
from etax.platform.identity import Principal
from etax.platform.usercentre import queries
from etax.platform.usercentre.wording import NO_IDENTITIES
from etax.platform.web.notices import pop_notice as pop_notice
from etax.platform.web.notices import set_notice as set_notice


async def manager(request: Request[Any, Any, Any]) -> tuple[Principal, int]:
    """The legal representative or financial head asking, and their enterprise's id.

    Every route that calls this is bound to a ``grant="managers"`` function, so the platform's guard has
    let only a manager through (``tests/test_route_contract.py`` holds every route to its declaration).
    """
    actor = await current_actor(request)
    return actor.principal, actor.taxpayer_id


async def write_audit(
    request: Request[Any, Any, Any],
    principal: Principal,
    action: str,
    outcome: audit.Outcome,
    *,
    target: str = "",
    detail: str = "",
    taxpayer_id: int | None = None,
) -> None:
    """One audit entry for a user-centre action of ``principal``."""
    await audit.record(
        actor=principal.display_name,
        acting_for=principal.acting_for_name or principal.taxpayer_name,
        taxpayer_id=taxpayer_id if taxpayer_id is not None else principal.taxpayer_id,
        action=action,
        target=target,
        outcome=outcome,
        detail=detail,
        connection=request,
    )


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    """Whether htmx sent the request (an in-place update is wanted)."""
    return bool(request.headers.get("hx-request"))


async def identities_page(
    template: str,
    taxpayer_id: int,
    chosen: set[str],
    manage_rights: bool,
    errors: dict[str, str],
    **context: object,
) -> Template:
    """A page that ticks an officer's permission identities (添加办税人员, 权限维护): 400 with errors."""
    return Template(
        template,
        context={
            **context,
            "identities": await queries.identity_list(taxpayer_id),
            "chosen": chosen,
            "manage_rights": manage_rights,
            "errors": errors,
            "no_identities": NO_IDENTITIES,
        },
        status_code=400 if errors else 200,
    )
