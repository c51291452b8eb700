"""纯社保户: the social-insurance fee area a pure social-security account lands on after its password."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Redirect, Template

from etax.platform.access import can_open, social_security_functions
from etax.platform.auth.principal import session_auth
from etax.platform.coresys.registry import taxpayer_by_id
from etax.platform.runtime import get_runtime

FEE_MARKERS = ("保险费", "社保费")


@get("/login/social-insurance", name="login_social_insurance", cache=False)
async def social_insurance(request: Request[Any, Any, Any]) -> Template | Redirect:
    """The unit's registered fee types and the functions it may open."""
    runtime = get_runtime(request.app)
    principal = await runtime.principal_of(request)
    auth = session_auth(request)
    if principal is None or auth is None or not auth.pure_social_security or auth.taxpayer_id is None:
        return Redirect("/login", status_code=303)
    taxpayer = await taxpayer_by_id(auth.taxpayer_id)
    if taxpayer is None:
        return Redirect("/login", status_code=303)
    registered = [item.strip() for item in taxpayer.registered_taxes.split(",") if item.strip()]
    fees = [item for item in registered if any(marker in item for marker in FEE_MARKERS)]
    fee_functions = social_security_functions(runtime.registry)
    functions = sorted(
        (spec for spec in runtime.registry if not spec.is_public and can_open(principal, spec)),
        key=lambda spec: (spec.code not in fee_functions, spec.path),
    )
    return Template(
        "auth/social_insurance.html",
        context={
            "taxpayer": taxpayer,
            "fees": fees,
            "functions": functions,
            "fee_functions": fee_functions,
        },
    )
