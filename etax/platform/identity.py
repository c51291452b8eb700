"""Who is making a request: the principal the access decision is about."""

from __future__ import annotations

from typing import Literal

import msgspec

from etax.platform.functions import Audience

PrincipalKind = Literal["enterprise", "natural_person", "agency"]

KIND_AUDIENCE: dict[PrincipalKind, Audience] = {
    "enterprise": Audience.ENTERPRISE,
    "natural_person": Audience.NATURAL_PERSON,
    "agency": Audience.AGENCY,
}


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """A logged-in visitor.

    ``functions`` is the set of function codes this visitor holds; ``None`` means every function of
    the audience (a legal representative or financial head holds all).
    """

    kind: PrincipalKind
    display_name: str
    person_id: int | None = None
    taxpayer_id: int | None = None
    taxpayer_name: str = ""
    role: str = ""
    functions: frozenset[str] | None = None
    acting_for: int | None = None
    acting_for_name: str = ""
    staff_id: int | None = None
    must_change_password: bool = False
    pure_social_security: bool = (
        False  # 纯社保户: only ``functions`` (social insurance, its enterprise password)
    )

    @property
    def manages_staff(self) -> bool:
        """Only the legal representative and the financial head maintain staff (企业人员维护)."""
        return self.kind == "enterprise" and self.role in ("legal_rep", "finance_head")

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
