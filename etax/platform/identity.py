"""Who is making a request: the principal the access decision is about."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

import msgspec

from etax.platform.functions import Audience

PrincipalKind = Literal["enterprise", "natural_person", "agency"]


class StaffRole(StrEnum):
    """A person's role on a taxpayer's registration (stored as its value)."""

    LEGAL_REP = "legal_rep"  # 法定代表人
    FINANCE_HEAD = "finance_head"  # 财务负责人
    TAX_OFFICER = "tax_officer"  # 办税员


class PrincipalRole(StrEnum):
    """The role a logged-in visitor acts in: their staff role, a pure social-security login, or none."""

    NONE = ""  # natural persons
    LEGAL_REP = "legal_rep"
    FINANCE_HEAD = "finance_head"
    TAX_OFFICER = "tax_officer"
    PURE_SOCIAL_SECURITY = "pure_social_security"  # 纯社保户: password-only, the 社保费 functions alone


LEGAL_REP = StaffRole.LEGAL_REP
FINANCE_HEAD = StaffRole.FINANCE_HEAD
TAX_OFFICER = StaffRole.TAX_OFFICER
PURE_SOCIAL_SECURITY = PrincipalRole.PURE_SOCIAL_SECURITY
MANAGER_ROLES: frozenset[str] = frozenset({StaffRole.LEGAL_REP, StaffRole.FINANCE_HEAD})
"""Managers: the legal representative (法定代表人) and the financial head (财务负责人) — the only staff
who maintain staff (企业人员维护) and hold every function of their enterprise. Defined here, once."""


class Grants(msgspec.Struct, frozen=True, kw_only=True):
    """Which functions of their audience a visitor holds: every one (:data:`ALL_FUNCTIONS`, e.g. a
    legal representative), or exactly ``codes`` (an officer's identities, an agency's delegation)."""

    every: bool = False
    codes: frozenset[str] = frozenset()

    def holds(self, code: str) -> bool:
        return self.every or code in self.codes


ALL_FUNCTIONS = Grants(every=True)


def only(codes: frozenset[str]) -> Grants:
    """Exactly these functions (none when empty)."""
    return Grants(codes=codes)


KIND_AUDIENCE: dict[PrincipalKind, Audience] = {
    "enterprise": Audience.ENTERPRISE,
    "natural_person": Audience.NATURAL_PERSON,
    "agency": Audience.AGENCY,
}


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """A logged-in visitor.

    ``functions`` says which functions of the audience this visitor holds (:data:`ALL_FUNCTIONS` for a
    legal representative, financial head or natural person; :func:`only` a set of codes otherwise).
    """

    kind: PrincipalKind
    display_name: str
    person_id: int | None = None
    taxpayer_id: int | None = None
    taxpayer_name: str = ""
    role: PrincipalRole = PrincipalRole.NONE
    functions: Grants = ALL_FUNCTIONS
    acting_for: int | None = None
    acting_for_name: str = ""
    staff_id: int | None = None
    must_change_password: bool = False

    @property
    def manages_staff(self) -> bool:
        """Only the legal representative and the financial head maintain staff (企业人员维护)."""
        return self.kind == "enterprise" and self.role in MANAGER_ROLES

    @property
    def client_or_own_taxpayer(self) -> int | None:
        """The taxpayer whose data this visitor works on (an agency's client, or the enterprise)."""
        return self.acting_for if self.kind == "agency" else self.taxpayer_id

    @property
    def audience(self) -> Audience:
        """An agency acting for a client uses the client's enterprise functions."""
        if self.kind == "agency" and self.acting_for:
            return Audience.ENTERPRISE
        return KIND_AUDIENCE[self.kind]
