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

from etax.platform.functions import FunctionSpec
from etax.platform.identity import Principal

FUNCTION_OPT = "function"
CORE_OPT = "etax_core"


SET_PASSWORD_URL = "/login/set-password"


class PasswordChangeRequired(NotAuthorizedException):
    """The visitor must set or change the personal password before anything else."""


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
    if principal.pure_social_security:
        # 纯社保户: exactly its functions (the social-insurance area and its enterprise password), whatever
        # the function's grant — not 修改密码, 我的消息 or 收藏夹, which are open to everyone else.
        return (
            Decision.ALLOW if principal.functions and spec.code in principal.functions else Decision.FORBIDDEN
        )
    if spec.grant == "managers":
        return Decision.ALLOW if principal.manages_staff else Decision.FORBIDDEN
    if spec.grant == "everyone":
        return Decision.ALLOW
    if principal.functions is not None and spec.code not in principal.functions:
        return Decision.FORBIDDEN
    return Decision.ALLOW


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
        raise NotAuthorizedException("请先登录后再办理该业务")
    if decision is Decision.FORBIDDEN:
        raise PermissionDeniedException(f"您没有“{spec.name}”的办理权限，请联系法定代表人或财务负责人授权")
