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
    taxpayer_id: str | None = None
    taxpayer_name: str = ""
    role: str = ""
    functions: frozenset[str] | None = None
    acting_for: str | None = None
    acting_for_name: str = ""

    @property
    def audience(self) -> Audience:
        """An agency acting for a client uses the client's enterprise functions."""
        if self.kind == "agency" and self.acting_for:
            return Audience.ENTERPRISE
        return KIND_AUDIENCE[self.kind]
