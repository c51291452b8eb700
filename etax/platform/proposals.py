"""套餐业务 a plugin proposes to the bureau (hook ``etax_package_proposals``).

A proposal is not shown to taxpayers: the back office's 套餐业务 page lists it, and a content
administrator may adopt it as a draft package, edit it and publish it like any other.
"""

from __future__ import annotations

from typing import Literal

import msgspec


class PackageProposal(msgspec.Struct, frozen=True, kw_only=True):
    """A package a plugin suggests: its name, description, audience and steps (function codes, in order)."""

    name: str
    description: str
    audience: Literal["all", "enterprise", "natural_person"]
    steps: tuple[str, ...]
    plugin: str = ""

    def problems(self, own: set[str]) -> list[str]:
        """What is wrong with it, given the function codes ``own`` of the proposing plugin."""
        found: list[str] = []
        if not self.name.strip() or len(self.name) > 40:
            found.append(f"package proposal name {self.name!r} must be 1 to 40 characters")
        if not 2 <= len(self.steps) <= 20:
            found.append(f"package proposal {self.name!r} needs 2 to 20 steps")
        if len(set(self.steps)) != len(self.steps):
            found.append(f"package proposal {self.name!r} repeats a step")
        if not set(self.steps) & own:
            found.append(f"package proposal {self.name!r} has no step of the proposing plugin")
        return found
