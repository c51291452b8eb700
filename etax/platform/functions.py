"""What a plugin declares: functions (办税功能) with a code, a name, a menu path and an audience."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

import msgspec

from etax.search_index.intents import ActionKind

__all__ = ["AUDIENCE_LABELS", "CODE_PATTERN", "ActionKind", "Audience", "FunctionSpec", "Grant"]


class Audience(StrEnum):
    """Who a function is meant for. ``public`` alone makes a function open without login."""

    PUBLIC = "public"
    ENTERPRISE = "enterprise"
    NATURAL_PERSON = "natural_person"
    AGENCY = "agency"


AUDIENCE_LABELS: dict[Audience, str] = {
    Audience.PUBLIC: "公众",
    Audience.ENTERPRISE: "企业",
    Audience.NATURAL_PERSON: "自然人",
    Audience.AGENCY: "代理机构",
}

Grant = Literal["identity", "everyone", "managers"]
"""How a logged-in visitor comes to hold a function.

``identity``: through the permission identities (权限身份) granted to them (the default);
``everyone``: every logged-in visitor of a matching audience (e.g. 修改密码);
``managers``: only an enterprise's legal representative and financial head (e.g. 企业人员维护).
"""

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class FunctionSpec(msgspec.Struct, frozen=True, kw_only=True):
    """One function of the portal, as a plugin declares it.

    ``code`` is a stable dotted identifier (``public.taxpayer_status``); ``path`` is the menu path from
    the centre down to the function itself (its last element is ``name``); ``url`` is where it opens.
    ``action`` (what it does: 申报, 缴款, 开具, 查询 …) and ``taxes`` (the taxes or fees it concerns,
    e.g. ``("增值税",)``) help search put it first for questions about them; left out, search reads
    them from the name and path, so a function ranks well without them.
    """

    code: str
    name: str
    path: tuple[str, ...]
    url: str
    short_name: str = ""
    keywords: tuple[str, ...] = ()
    initials: tuple[str, ...] = ()
    audiences: frozenset[Audience] = frozenset({Audience.ENTERPRISE})
    description: str = ""
    grant: Grant = "identity"
    social_security: bool = False
    """A 社会保险费 function: the only kind a pure social-security login (纯社保户) may open."""
    plugin: str = ""
    action: ActionKind | None = None
    taxes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The short name if there is one, else the full name."""
        return self.short_name or self.name

    @property
    def is_public(self) -> bool:
        return Audience.PUBLIC in self.audiences

    def problems(self) -> list[str]:
        """What is wrong with this declaration (empty when it is fine)."""
        found: list[str] = []
        if not CODE_PATTERN.match(self.code):
            found.append(f"function code {self.code!r} is not a dotted lower-case identifier")
        if not self.name.strip():
            found.append(f"function {self.code!r} has no name")
        if len(self.path) < 2 or self.path[-1] != self.name:
            found.append(f"function {self.code!r}: path must run from a centre down to its own name")
        if not self.url.startswith("/"):
            found.append(f"function {self.code!r}: url must be an absolute path, got {self.url!r}")
        if not self.audiences:
            found.append(f"function {self.code!r} has no audience")
        return found
