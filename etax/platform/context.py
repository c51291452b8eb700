"""The one request context: who is asking (:class:`Principal`) and for which taxpayer (:class:`Actor`).

The application provides three dependencies to every handler that names them as parameters (the
names ``visitor``, ``principal`` and ``actor`` are reserved for them; annotate with the aliases):

- ``visitor: Visitor`` — the logged-in :class:`Principal`, ``None`` when anonymous (pages open to all);
- ``principal: CurrentPrincipal`` — the logged-in visitor (routes bound to a function: the guard has
  already let them through);
- ``actor: CurrentActor`` — the visitor and the taxpayer whose data they work on: the enterprise, or
  the client an agency acts for.

Handlers never re-derive who the taxpayer is and never raise their own 401/403: when there is no
taxpayer to act for (an agency that has not chosen a client for an enterprise function), the platform
refuses here, in one place. :func:`current_actor` and :func:`principal_of` give the same outside
handler parameters.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from etax.platform.identity import Principal


class Actor(msgspec.Struct, frozen=True):
    """The logged-in visitor and the taxpayer whose data they work on.

    ``taxpayer_id`` is the enterprise of an enterprise login or the client of an agency acting for one.
    """

    principal: Principal
    taxpayer_id: int

    @property
    def name(self) -> str:
        """How records and the audit log name the person (an agency's agent names the agency too)."""
        if self.principal.acting_for:
            return f"{self.principal.display_name}（{self.principal.taxpayer_name}）"
        return self.principal.display_name

    @property
    def person_name(self) -> str:
        """The acting person (办税人员, agent or natural person)."""
        return self.principal.display_name

    @property
    def taxpayer_name(self) -> str:
        return self.principal.acting_for_name or self.principal.taxpayer_name

    @property
    def agency_id(self) -> int | None:
        """The agency's taxpayer id when an agency acts for a client (else ``None``)."""
        return self.principal.taxpayer_id if self.principal.acting_for else None


async def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The logged-in visitor of ``connection`` (``None`` for an anonymous visitor), read once per request."""
    from etax.platform.runtime import get_runtime

    return await get_runtime(connection.app).principal_of(connection)


async def current_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The logged-in visitor; an anonymous one is sent to the login page."""
    principal = await principal_of(connection)
    if principal is None:
        raise NotAuthorizedException("请先登录后再办理该业务")
    return principal


async def current_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """The visitor and their taxpayer (an enterprise, or the client an agency acts for)."""
    principal = await current_principal(connection)
    taxpayer_id = principal.client_or_own_taxpayer
    if taxpayer_id is None and principal.kind == "agency":
        raise PermissionDeniedException("请先选择要办理业务的委托企业")
    if taxpayer_id is None:
        raise PermissionDeniedException("当前登录身份没有可办理业务的企业")
    return Actor(principal, taxpayer_id)


async def _visitor(request: Request[Any, Any, Any]) -> Principal | None:
    return await principal_of(request)


async def _principal(request: Request[Any, Any, Any]) -> Principal:
    return await current_principal(request)


async def _actor(request: Request[Any, Any, Any]) -> Actor:
    return await current_actor(request)


DEPENDENCIES: dict[str, Provide] = {
    "visitor": Provide(_visitor),
    "principal": Provide(_principal),
    "actor": Provide(_actor),
}
"""Installed on the application (``Litestar(dependencies=...)``)."""

Visitor: TypeAlias = NamedDependency[Principal | None]
CurrentPrincipal: TypeAlias = NamedDependency[Principal]
CurrentActor: TypeAlias = NamedDependency[Actor]
