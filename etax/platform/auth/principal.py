"""From the session to a :class:`Principal`: what :func:`resolve_principal` reads from the database.

The application does not call it on every request: each worker keeps resolved principals in a
:class:`etax.platform.auth.principal_cache.PrincipalCache` (LRU, keyed by the whole :class:`SessionAuth`,
the platform clock's day and the plugins switched off) and checks on every request one shared counter,
``auth_principal_version`` (one single-row read), which the database's own triggers raise in the same transaction as any change to
what a principal is made of — staff members (role, frozen, passwords, must-change), their identities and
the identities' nodes, enterprise and natural-person passwords, agency certifications (status, nodes,
end date, 协议密码), taxpayers' and persons' names — whoever writes it. A cached principal is used only
under the counter value it was resolved with. Freezing, deleting or un-granting an officer, a password
change or reset, or cancelling an agency therefore still takes effect at the officer's or agency's very
next request, on every worker of every instance; a certification that ends today stops at midnight
(Beijing time) because the day is part of the key. A login's own bookkeeping (failed attempts, lock-outs,
last login) is not among the watched columns and leaves every cache warm.

A login also remembers a fingerprint of the passwords it was made with (``credential``: the personal
or natural-person password and, for enterprise and agency staff, the enterprise password), and acting
for a client remembers one of the 协议密码 it was opened with (``agreement``). When a password changes
— 修改密码, 修改企业密码, a reset by the legal representative, a recovery — every session made with the
old one no longer resolves (the session that changed it is refreshed with :func:`refresh_credential`);
when a certification is renewed with a new 协议密码, every session acting with the old one stops acting
for the client. Sessions are only written by :func:`store_login`, which always records both; a session
written without them (test tooling) is not compared.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

import msgspec
from litestar.connection import ASGIConnection

from etax.platform import clock
from etax.platform.access import social_security_functions
from etax.platform.auth.sessions import carried_over, rotate_session_id
from etax.platform.auth.tables import (
    AgencyCertification,
    EnterpriseAccount,
    NaturalPersonAccount,
    StaffIdentity,
    StaffMember,
)
from etax.platform.coresys.tables import Person, Taxpayer
from etax.platform.identity import (
    ALL_FUNCTIONS,
    PURE_SOCIAL_SECURITY,
    Principal,
    PrincipalRole,
    StaffRole,
    only,
)
from etax.platform.registry import FunctionRegistry

SESSION_AUTH = "auth"
PURE_SOCIAL_SECURITY_PASSWORD = "usercentre.enterprise_password"
"""修改企业密码: the one function outside the social-insurance area a pure social-security login opens."""


class SessionAuth(msgspec.Struct, kw_only=True):
    """What the session remembers about a login (ids only; everything else is re-read)."""

    kind: Literal["enterprise", "natural_person", "agency"]
    taxpayer_id: int | None = None
    staff_id: int | None = None
    account_id: int | None = None
    client_taxpayer_id: int | None = None
    certification_id: int | None = None
    pure_social_security: bool = False
    credential: str = ""  # fingerprint of the passwords this login was made with
    agreement: str = ""  # fingerprint of the 协议密码 acting for the client was opened with


def fingerprint(*hashes: str) -> str:
    """A short digest of password hashes (each hash is salted: a new password gives a new digest)."""
    return hashlib.sha256("|".join(hashes).encode()).hexdigest()[:32]


async def _enterprise_hash(taxpayer_id: int | None) -> str:
    row = (
        await EnterpriseAccount.select(EnterpriseAccount.password_hash)
        .where(EnterpriseAccount.taxpayer == taxpayer_id)
        .first()
    )
    return "" if row is None else str(row["password_hash"])


async def _natural_hash(account_id: int | None) -> str:
    row = (
        await NaturalPersonAccount.select(NaturalPersonAccount.password_hash)
        .where(NaturalPersonAccount.id == account_id)
        .first()
    )
    return "" if row is None else str(row["password_hash"])


async def _staff_hash(staff_id: int | None) -> str:
    row = (
        await StaffMember.select(StaffMember.personal_password_hash).where(StaffMember.id == staff_id).first()
    )
    return "" if row is None else str(row["personal_password_hash"] or "")


async def _agreement_hash(certification_id: int | None) -> str:
    row = (
        await AgencyCertification.select(AgencyCertification.agreement_password_hash)
        .where(AgencyCertification.id == certification_id)
        .first()
    )
    return "" if row is None else str(row["agreement_password_hash"])


async def credential_of(auth: SessionAuth) -> str:
    """The current fingerprint of the passwords behind ``auth``."""
    if auth.kind == "natural_person":
        return fingerprint(await _natural_hash(auth.account_id))
    return fingerprint(await _staff_hash(auth.staff_id), await _enterprise_hash(auth.taxpayer_id))


async def store_login(connection: ASGIConnection[Any, Any, Any, Any], auth: SessionAuth) -> None:
    """Log in: rotate the session id and remember ``auth`` with its password fingerprints."""
    agreement = await _agreement_hash(auth.certification_id) if auth.certification_id is not None else ""
    auth = msgspec.structs.replace(
        auth,
        credential=await credential_of(auth),
        agreement=fingerprint(agreement) if agreement else "",
    )
    kept = carried_over(connection)
    await rotate_session_id(connection)
    connection.scope["session"] = {**kept, SESSION_AUTH: msgspec.to_builtins(auth)}


async def refresh_credential(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """After this session changed a password: keep it logged in (new fingerprint, new id); every
    other session made with the old password no longer resolves."""
    auth = session_auth(connection)
    if auth is None:
        return
    auth = msgspec.structs.replace(auth, credential=await credential_of(auth))
    await rotate_session_id(connection)
    current = connection.scope.get("session")
    session: dict[str, Any] = dict(current) if isinstance(current, dict) else {}
    session[SESSION_AUTH] = msgspec.to_builtins(auth)
    connection.scope["session"] = session


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


class StaffLogin(msgspec.Struct, frozen=True, kw_only=True):
    """An enterprise's (or agency's) officer as each request re-reads them."""

    id: int
    role: str
    frozen: bool
    must_change_password: bool
    personal_password_hash: str | None
    person_name: str
    taxpayer_name: str


async def _staff(staff_id: int, taxpayer_id: int) -> StaffLogin | None:
    row = (
        await StaffMember.select(
            StaffMember.id,
            StaffMember.role,
            StaffMember.frozen,
            StaffMember.must_change_password,
            StaffMember.personal_password_hash,
            StaffMember.person.name.as_alias("person_name"),
            StaffMember.taxpayer.name.as_alias("taxpayer_name"),
        )
        .where((StaffMember.id == staff_id) & (StaffMember.taxpayer == taxpayer_id))
        .first()
    )
    return None if row is None else msgspec.convert(row, StaffLogin)


async def resolve_principal(registry: FunctionRegistry, auth: SessionAuth) -> Principal | None:
    """The principal for ``auth``, or None when the login is no longer valid."""
    if auth.kind == "natural_person":
        account = (
            await NaturalPersonAccount.select(
                NaturalPersonAccount.person.name,
                NaturalPersonAccount.person.id,
                NaturalPersonAccount.password_hash,
            )
            .where(NaturalPersonAccount.id == auth.account_id)
            .first()
        )
        if account is None:
            return None
        if auth.credential and auth.credential != fingerprint(str(account["password_hash"])):
            return None  # the password was changed (or recovered) since this login
        return Principal(
            kind="natural_person",
            display_name=str(account["person.name"]),
            person_id=int(account["person.id"]),
        )
    if auth.staff_id is None or auth.taxpayer_id is None:
        return None
    staff = await _staff(auth.staff_id, auth.taxpayer_id)
    if staff is None or staff.frozen:
        return None
    if auth.credential and auth.credential != fingerprint(
        staff.personal_password_hash or "", await _enterprise_hash(auth.taxpayer_id)
    ):
        return None  # the personal or the enterprise password was changed (or reset) since this login
    must_change = staff.must_change_password or not staff.personal_password_hash
    if auth.kind == "enterprise":
        functions = ALL_FUNCTIONS
        role = PrincipalRole(staff.role)
        if auth.pure_social_security:
            # A pure social-security login is password-only: it opens the 社保费 functions and the change
            # of its enterprise password, nothing else (no staff maintenance, 修改密码, 我的消息, 收藏夹).
            functions = only(social_security_functions(registry) | {PURE_SOCIAL_SECURITY_PASSWORD})
            must_change = False
            role = PURE_SOCIAL_SECURITY
        elif staff.role == StaffRole.TAX_OFFICER:
            functions = only(await officer_functions(registry, staff.id))
        return Principal(
            kind="enterprise",
            display_name=staff.person_name,
            taxpayer_id=auth.taxpayer_id,
            taxpayer_name=staff.taxpayer_name,
            role=role,
            functions=functions,
            staff_id=staff.id,
            must_change_password=must_change,
        )
    # An agency agent, possibly acting for a client that certified the agency.
    principal = Principal(
        kind="agency",
        display_name=staff.person_name,
        taxpayer_id=auth.taxpayer_id,
        taxpayer_name=staff.taxpayer_name,
        role=PrincipalRole(staff.role),
        functions=only(frozenset()),
        staff_id=staff.id,
        must_change_password=must_change,
    )
    if auth.certification_id is None or auth.client_taxpayer_id is None:
        return principal
    cert = (
        await AgencyCertification.select(
            AgencyCertification.nodes,
            AgencyCertification.client.name,
            AgencyCertification.agreement_password_hash,
        )
        .where(
            (AgencyCertification.id == auth.certification_id)
            & (AgencyCertification.client == auth.client_taxpayer_id)
            & (AgencyCertification.agency == auth.taxpayer_id)
            & (AgencyCertification.status == "active")
            & (AgencyCertification.valid_until >= clock.today())
        )
        .first()
    )
    if cert is None:
        return principal  # cancelled or expired: the agency loses the client at once
    if auth.agreement and auth.agreement != fingerprint(str(cert["agreement_password_hash"])):
        return principal  # renewed with a new 协议密码: acting needs the current one
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
