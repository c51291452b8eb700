"""The one access decision: may this visitor (or administrator) see or do this?

Every question of access in the portal is answered here, and nowhere else:

- **routes**: every route of the application declares exactly one of ``opt={"function": <code>}``,
  ``opt={"admin_role": <role>}`` or — platform routes only (login, search, portal shell, captcha,
  static, health, errors) — ``opt={"public": True}``; :func:`check_routes` stops start-up for a route
  with none or two, and :func:`access_guard`, the application's one guard, enforces the declaration;
- **functions**: :func:`decide` (audience, grant, permission identities, agency certification);
- **back-office roles**: :func:`admin_allows` (系统管理员 may do everything);
- **resources with an audience** (announcements, 套餐业务, search documents): :func:`decide_audiences`,
  :func:`announcement_audiences`, :func:`menu_audiences`, :func:`document_decision`;
- **the pure social-security login** (纯社保户): :func:`social_security_functions` — the functions
  declared ``social_security=True``, which become the login's whole grant;
- **managers** (法定代表人 and 财务负责人): :data:`etax.platform.identity.MANAGER_ROLES`, used by
  ``grant="managers"`` functions through :attr:`Principal.manages_staff`.

Menus, search and routes all ask the same functions, so they always agree.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

import msgspec
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from etax.platform.admin.roles import AdminRole, Requirement
from etax.platform.errors import StartupError
from etax.platform.functions import AUDIENCE_LABELS, Audience, FunctionSpec
from etax.platform.identity import PURE_SOCIAL_SECURITY, Principal

if TYPE_CHECKING:
    from litestar import Litestar

    from etax.platform.registry import FunctionRegistry

FUNCTION_OPT = "function"
ADMIN_ROLE_OPT = "admin_role"
PUBLIC_OPT = "public"
DECLARATION_OPTS = (FUNCTION_OPT, ADMIN_ROLE_OPT, PUBLIC_OPT)
PLUGIN_OPT = "etax_plugin"
ADMIN_PLUGIN_OPT = "etax_admin_plugin"
EXEMPTION_OPTS = ("exclude_from_auth", "exclude_from_csrf", "skip_session", "etax_exempt", "etax_core")

SET_PASSWORD_URL = "/login/set-password"

ADMIN_ROLES: tuple[str, ...] = tuple(AdminRole)
ADMIN_REQUIREMENTS: tuple[str, ...] = tuple(Requirement)


class FunctionSwitchedOff(NotFoundException):
    """The function's plugin is switched off for visitors (back office → 插件状态): 404 "暂停办理"."""


class PasswordChangeRequired(NotAuthorizedException):
    """The visitor must set or change the personal password before anything else."""


class LoginEnded(NotAuthorizedException):
    """The session's login ended mid-session; ``detail`` is the login page's notice key (e.g. frozen)."""


class Access(Enum):
    """What the one access decision says about a visitor and a function or resource."""

    ALLOW = "allow"
    LOGIN_REQUIRED = "login_required"
    FORBIDDEN = "forbidden"


# -- functions and resources with an audience ------------------------------------------------------


def decide_audiences(principal: Principal | None, audiences: Collection[Audience]) -> Access:
    """A resource meant for ``audiences``: public ones are open; others need a visitor of the audience."""
    if Audience.PUBLIC in audiences:
        return Access.ALLOW
    if principal is None:
        return Access.LOGIN_REQUIRED
    return Access.ALLOW if principal.audience in audiences else Access.FORBIDDEN


def decide(principal: Principal | None, spec: FunctionSpec) -> Access:
    """Decide whether ``principal`` (None when anonymous) may open the function ``spec``."""
    decision = decide_audiences(principal, spec.audiences)
    if decision is not Access.ALLOW or principal is None or spec.is_public:
        return decision
    if principal.role == PURE_SOCIAL_SECURITY:
        # 纯社保户: exactly its functions (the social-insurance area and its enterprise password), whatever
        # the function's grant — not 修改密码, 我的消息 or 收藏夹, which are open to everyone else.
        return Access.ALLOW if principal.functions.holds(spec.code) else Access.FORBIDDEN
    if spec.grant == "managers":
        return Access.ALLOW if principal.manages_staff else Access.FORBIDDEN
    if spec.grant == "everyone":
        return Access.ALLOW
    return Access.ALLOW if principal.functions.holds(spec.code) else Access.FORBIDDEN


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
    return decide(principal, spec) is Access.ALLOW


def social_security_functions(registry: FunctionRegistry) -> frozenset[str]:
    """The functions a pure social-security account (纯社保户) may open: those declared ``social_security``."""
    return frozenset(spec.code for spec in registry if spec.social_security)


def announcement_audiences(principal: Principal | None) -> frozenset[Audience]:
    """The announcement audiences a visitor sees: everyone ``public``; enterprises and agencies also
    ``enterprise``; natural persons also ``natural_person``."""
    if principal is None:
        return frozenset({Audience.PUBLIC})
    if principal.kind == "natural_person":
        return frozenset({Audience.PUBLIC, Audience.NATURAL_PERSON})
    return frozenset({Audience.PUBLIC, Audience.ENTERPRISE})


MENU_ALL = "all"


def menu_audiences(audience: str) -> frozenset[Audience]:
    """Who may open a 套餐业务 / 特色业务 entry composed for ``audience`` (``all``, ``enterprise``,
    ``natural_person``); an agency acting for a client counts as an enterprise."""
    if audience == MENU_ALL:
        return frozenset({Audience.PUBLIC})
    try:
        return frozenset({Audience(audience)})
    except ValueError:
        return frozenset()  # an unknown audience opens to nobody


def document_decision(
    principal: Principal | None,
    key: str,
    registry: FunctionRegistry,
    audiences: Mapping[str, frozenset[Audience]],
) -> Access:
    """A search document: a function's by :func:`decide`; any other by the audiences it was
    registered with (``audiences``). A document registered with none is shown to nobody."""
    spec = registry.get(key)
    if spec is not None:
        return decide(principal, spec)
    return decide_audiences(principal, audiences.get(key, frozenset()))


async def require(connection: ASGIConnection[Any, Any, Any, Any], decision: Access, what: str) -> None:
    """Enforce ``decision`` on a resource the route itself cannot name (a 套餐业务 by id, …).

    Anonymous visitors go to the login page and back; others get the 403 page.
    """
    if decision is Access.LOGIN_REQUIRED:
        raise NotAuthorizedException(f"请先登录后再办理{what}")
    if decision is Access.FORBIDDEN:
        raise PermissionDeniedException(f"您当前的登录身份不能办理{what}")


# -- back-office roles -------------------------------------------------------------------------------


def admin_allows(role: str, requirement: str) -> bool:
    """Whether an administrator holding ``role`` may open a page requiring ``requirement``."""
    if role not in ADMIN_ROLES:
        return False
    return requirement == Requirement.ANY or role == AdminRole.SYSTEM or role == requirement


# -- route declarations --------------------------------------------------------------------------------


class RouteRule(msgspec.Struct, frozen=True, kw_only=True):
    """What one route declares: a function, a back-office role, or that it is public."""

    kind: Literal["function", "admin_role", "public"]
    value: str = ""


def route_rule(handler: BaseRouteHandler) -> RouteRule | None:
    """The declaration of ``handler`` (None when it declares none, or more than one)."""
    declared = [key for key in DECLARATION_OPTS if handler.opt.get(key) not in (None, False, "")]
    if len(declared) != 1:
        return None
    key = declared[0]
    if key == PUBLIC_OPT:
        return RouteRule(kind="public") if handler.opt[key] is True else None
    return RouteRule(kind=key, value=str(handler.opt[key]))  # type: ignore[arg-type]


def _handlers(app: Litestar) -> list[tuple[str, BaseRouteHandler]]:
    from litestar.routes import HTTPRoute

    found: list[tuple[str, BaseRouteHandler]] = []
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            found.extend((route.path, h) for h in route.route_handlers if h.handler_name != "options_handler")
    return found


def check_routes(app: Litestar, registry: FunctionRegistry) -> dict[str, int]:
    """Stop start-up (:class:`StartupError`) for any route of ``app`` not declared exactly once.

    Also: a function must exist and, on a plugin route, be declared by that plugin; a back-office role
    must be known and its route under ``/admin``; only the platform's own routes may be public; no
    plugin route exempts itself from sessions or CSRF. Returns the number of routes per plugin.
    """
    counts: dict[str, int] = {}
    for path, handler in _handlers(app):
        plugin = handler.opt.get(PLUGIN_OPT) or handler.opt.get(ADMIN_PLUGIN_OPT)
        owner = f"plugin {plugin!r}, " if plugin else ""
        where = f"{owner}route {path} ({handler.handler_name})"
        rule = route_rule(handler)
        if rule is None:
            found = [key for key in DECLARATION_OPTS if handler.opt.get(key) not in (None, False, "")]
            raise StartupError(
                f"{where} declares {' and '.join(found) if found else 'no access rule'}: declare exactly one "
                "of opt={'function': '<code>'}, opt={'admin_role': '<role>'} or (platform routes) "
                "opt={'public': True}"
            )
        if rule.kind == "function":
            spec = registry.get(rule.value)
            if spec is None:
                raise StartupError(f"{where} is bound to unknown function code {rule.value!r}")
            if plugin and spec.plugin != plugin:
                raise StartupError(f"{where} is bound to {rule.value!r}, declared by plugin {spec.plugin!r}")
            if handler.opt.get(ADMIN_PLUGIN_OPT):
                raise StartupError(f"{where} is a back-office page and cannot be bound to a function")
        elif rule.kind == "admin_role":
            if rule.value not in ADMIN_REQUIREMENTS:
                raise StartupError(
                    f"{where} names unknown admin role {rule.value!r} (one of {ADMIN_REQUIREMENTS})"
                )
            if not (path == "/admin" or path.startswith("/admin/")):
                raise StartupError(f"{where} declares an admin role but is not under /admin")
        elif plugin:
            raise StartupError(f"{where} is public: only the platform's own routes may be public")
        if plugin:
            for key in EXEMPTION_OPTS:
                if handler.opt.get(key):
                    raise StartupError(f"{where} exempts itself ({key}); only the platform may do that")
            counts[str(plugin)] = counts.get(str(plugin), 0) + 1
    return counts


# -- the guard -------------------------------------------------------------------------------------------


async def access_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The application's one guard: enforce the route's declaration (fails closed)."""
    rule = route_rule(handler)
    if rule is None:
        raise PermissionDeniedException("该页面没有声明访问规则，已拒绝访问")
    if rule.kind == "public":
        return
    if rule.kind == "admin_role":
        await _admin_guard(connection, rule.value)
        return
    from etax.platform.admin.switches import refresh_for
    from etax.platform.runtime import get_runtime

    await refresh_for(connection)  # plugins a system administrator switched off (every worker follows)
    runtime = get_runtime(connection.app)
    spec = runtime.registry.get(rule.value)
    if spec is None:
        off = runtime.registry.switched_off(rule.value)
        if off is not None:
            raise FunctionSwitchedOff(f"“{off.name}”暂停办理，请稍后再试或到办税服务厅办理")
        raise PermissionDeniedException("未知的功能")
    principal = await runtime.principal_of(connection)
    if principal is not None and principal.must_change_password:
        raise PasswordChangeRequired("请先设置个人登录密码")
    decision = decide(principal, spec)
    if decision is Access.LOGIN_REQUIRED:
        from etax.platform.web.login_end import ended_login_notice

        ended = await ended_login_notice(connection)
        if ended:
            raise LoginEnded(ended)
        raise NotAuthorizedException("请先登录后再办理该业务")
    if decision is Access.FORBIDDEN:
        assert principal is not None  # anonymous visitors are asked to log in, never refused
        raise PermissionDeniedException(refusal(principal, spec))


async def _admin_guard(connection: ASGIConnection[Any, Any, Any, Any], requirement: str) -> None:
    from etax.platform.admin.guard import REQUIREMENT_STATE, AdminForbidden, AdminLoginRequired, current_admin
    from etax.platform.admin.roles import REQUIREMENT_LABELS

    if requirement not in ADMIN_REQUIREMENTS:
        raise AdminForbidden("该后台页面没有声明所需角色，已拒绝访问")
    connection.state[REQUIREMENT_STATE] = requirement
    admin = await current_admin(connection)
    if admin is None:
        raise AdminLoginRequired("请先登录管理后台")
    if not admin_allows(admin.role, requirement):
        raise AdminForbidden(
            f"本页面需要“{REQUIREMENT_LABELS[requirement]}”角色，您的角色是“{admin.role_label}”，无权访问"
        )
