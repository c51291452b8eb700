"""From the session to a :class:`Principal`, re-read from the database on every request.

Freezing, deleting or un-granting an officer, or cancelling an agency, therefore takes effect at the
officer's or agency's very next request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec
from litestar.connection import ASGIConnection

from etax.platform.access import social_security_functions
from etax.platform.auth.sessions import rotate_session_id
from etax.platform.auth.tables import AgencyCertification, NaturalPersonAccount, StaffIdentity, StaffMember
from etax.platform.coresys.tables import Person, Taxpayer
from etax.platform.identity import ALL_FUNCTIONS, PURE_SOCIAL_SECURITY, Principal, PrincipalRole, only
from etax.platform.registry import FunctionRegistry

SESSION_AUTH = "auth"


class SessionAuth(msgspec.Struct, kw_only=True):
    """What the session remembers about a login (ids only; everything else is re-read)."""

    kind: Literal["enterprise", "natural_person", "agency"]
    taxpayer_id: int | None = None
    staff_id: int | None = None
    account_id: int | None = None
    client_taxpayer_id: int | None = None
    certification_id: int | None = None
    pure_social_security: bool = False


async def store_login(connection: ASGIConnection[Any, Any, Any, Any], auth: SessionAuth) -> None:
    """Log in: rotate the session id and remember ``auth``."""
    await rotate_session_id(connection)
    connection.scope["session"] = {SESSION_AUTH: msgspec.to_builtins(auth)}


def session_auth(connection: ASGIConnection[Any, Any, Any, Any]) -> SessionAuth | None:
    raw = connection.scope.get("session") or {}
    data = raw.get(SESSION_AUTH) if isinstance(raw, dict) else None
    if data is None:
        return None
    try:
        return msgspec.convert(data, SessionAuth)
    except msgspec.ValidationError:
        return None


def split_nodes(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


async def officer_functions(registry: FunctionRegistry, staff_id: int) -> frozenset[str]:
    """The union of the functions of an officer's identities."""
    rows = await StaffIdentity.select(StaffIdentity.identity.nodes).where(StaffIdentity.staff == staff_id)
    nodes = [node for row in rows for node in split_nodes(str(row["identity.nodes"] or ""))]
    return registry.tree.expand(nodes)


async def _staff(staff_id: int, taxpayer_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await StaffMember.select(
            StaffMember.id,
            StaffMember.role,
            StaffMember.frozen,
            StaffMember.must_change_password,
            StaffMember.personal_password_hash,
            StaffMember.person.name,
            StaffMember.taxpayer.name,
            StaffMember.taxpayer.tin,
        )
        .where((StaffMember.id == staff_id) & (StaffMember.taxpayer == taxpayer_id))
        .first()
    )
    return row


async def resolve_principal(registry: FunctionRegistry, auth: SessionAuth) -> Principal | None:
    """The principal for ``auth``, or None when the login is no longer valid."""
    if auth.kind == "natural_person":
        account = (
            await NaturalPersonAccount.select(
                NaturalPersonAccount.person.name, NaturalPersonAccount.person.id
            )
            .where(NaturalPersonAccount.id == auth.account_id)
            .first()
        )
        if account is None:
            return None
        return Principal(
            kind="natural_person",
            display_name=str(account["person.name"]),
            person_id=int(account["person.id"]),
        )
    if auth.staff_id is None or auth.taxpayer_id is None:
        return None
    staff = await _staff(auth.staff_id, auth.taxpayer_id)
    if staff is None or staff["frozen"]:
        return None
    must_change = bool(staff["must_change_password"]) or not staff["personal_password_hash"]
    if auth.kind == "enterprise":
        functions = ALL_FUNCTIONS
        role = PrincipalRole(str(staff["role"]))
        if auth.pure_social_security:
            # A pure social-security login is password-only: it opens the 社保费 functions, nothing else,
            # and never the legal representative's staff or password maintenance.
            functions = only(social_security_functions(registry))
            must_change = False
            role = PURE_SOCIAL_SECURITY
        elif staff["role"] == "tax_officer":
            functions = only(await officer_functions(registry, int(staff["id"])))
        return Principal(
            kind="enterprise",
            display_name=str(staff["person.name"]),
            taxpayer_id=auth.taxpayer_id,
            taxpayer_name=str(staff["taxpayer.name"]),
            role=role,
            functions=functions,
            staff_id=int(staff["id"]),
            must_change_password=must_change,
        )
    # An agency agent, possibly acting for a client that certified the agency.
    principal = Principal(
        kind="agency",
        display_name=str(staff["person.name"]),
        taxpayer_id=auth.taxpayer_id,
        taxpayer_name=str(staff["taxpayer.name"]),
        role=PrincipalRole(str(staff["role"])),
        functions=only(frozenset()),
        staff_id=int(staff["id"]),
        must_change_password=must_change,
    )
    if auth.certification_id is None or auth.client_taxpayer_id is None:
        return principal
    cert = (
        await AgencyCertification.select(AgencyCertification.nodes, AgencyCertification.client.name)
        .where(
            (AgencyCertification.id == auth.certification_id)
            & (AgencyCertification.client == auth.client_taxpayer_id)
            & (AgencyCertification.agency == auth.taxpayer_id)
            & (AgencyCertification.status == "active")
            & (AgencyCertification.valid_until >= dt.date.today())
        )
        .first()
    )
    if cert is None:
        return principal  # cancelled or expired: the agency loses the client at once
    return msgspec.structs.replace(
        principal,
        acting_for=auth.client_taxpayer_id,
        acting_for_name=str(cert["client.name"]),
        functions=only(registry.tree.expand(split_nodes(str(cert["nodes"] or "")))),
    )


async def taxpayer_name(taxpayer_id: int) -> str:
    row = await Taxpayer.select(Taxpayer.name).where(Taxpayer.id == taxpayer_id).first()
    return "" if row is None else str(row["name"])


async def person_name(person_id: int) -> str:
    row = await Person.select(Person.name).where(Person.id == person_id).first()
    return "" if row is None else str(row["name"])
