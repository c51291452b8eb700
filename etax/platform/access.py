"""The one access decision: who may open which function.

Plugins declare functions and bind routes to them; this module alone decides. The guard installed on
the application calls :func:`decide` for every bound request, and search results and menus are
filtered with the same function, so they always agree.
"""

from __future__ import annotations

from enum import Enum

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from etax.platform.functions import AUDIENCE_LABELS, Audience, FunctionSpec
from etax.platform.identity import Principal

FUNCTION_OPT = "function"
CORE_OPT = "etax_core"


SET_PASSWORD_URL = "/login/set-password"


class PasswordChangeRequired(NotAuthorizedException):
    """The visitor must set or change the personal password before anything else."""


class LoginEnded(NotAuthorizedException):
    """The session's login ended mid-session; ``detail`` is the login page's notice key (e.g. frozen)."""


class Decision(Enum):
    ALLOW = "allow"
    LOGIN_REQUIRED = "login_required"
    FORBIDDEN = "forbidden"


def decide(principal: Principal | None, spec: FunctionSpec) -> Decision:
    """Decide whether ``principal`` (None when anonymous) may open ``spec``."""
    if spec.is_public:
        return Decision.ALLOW
    if principal is None:
        return Decision.LOGIN_REQUIRED
    if principal.audience not in spec.audiences:
        return Decision.FORBIDDEN
    if spec.grant == "managers":
        return Decision.ALLOW if principal.manages_staff else Decision.FORBIDDEN
    if spec.grant == "everyone":
        return Decision.ALLOW
    if principal.functions is not None and spec.code not in principal.functions:
        return Decision.FORBIDDEN
    return Decision.ALLOW


def refusal(principal: Principal, spec: FunctionSpec) -> str:
    """Why ``principal`` may not open ``spec``, in words that fit who they are."""
    if principal.audience not in spec.audiences:
        who = "、".join(AUDIENCE_LABELS[a] for a in sorted(spec.audiences) if a is not Audience.PUBLIC)
        if principal.kind == "natural_person":
            return f"“{spec.name}”由{who}办理，自然人无需也不能办理。如需为企业办理，请使用企业登录。"
        return f"“{spec.name}”由{who}办理，您当前的登录身份不能办理。"
    if principal.kind == "agency":
        return f"委托企业未将“{spec.name}”委托给本代理机构，请联系委托企业在“代理机构认定管理”中委托该功能"
    if spec.grant == "managers":
        return f"“{spec.name}”只能由企业的法定代表人或财务负责人办理"
    return f"您没有“{spec.name}”的办理权限，请联系法定代表人或财务负责人授权"


def can_open(principal: Principal | None, spec: FunctionSpec) -> bool:
    return decide(principal, spec) is Decision.ALLOW


async def access_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    """Application-level guard: enforce :func:`decide` for every route bound to a function."""
    code = handler.opt.get(FUNCTION_OPT)
    if code is None:
        return  # the platform's own routes decide for themselves (login, search, home, static)
    from etax.platform.runtime import get_runtime

    runtime = get_runtime(connection.app)
    spec = runtime.registry.get(str(code))
    if spec is None:
        raise PermissionDeniedException("未知的功能")
    principal = await runtime.principal_of(connection)
    if principal is not None and principal.must_change_password:
        raise PasswordChangeRequired("请先设置个人登录密码")
    decision = decide(principal, spec)
    if decision is Decision.LOGIN_REQUIRED:
        from etax.platform.web.login_end import ended_login_notice

        ended = await ended_login_notice(connection)
        if ended:
            raise LoginEnded(ended)
        raise NotAuthorizedException("请先登录后再办理该业务")
    if decision is Decision.FORBIDDEN:
        assert principal is not None  # anonymous visitors are asked to log in, never refused
        raise PermissionDeniedException(refusal(principal, spec))
