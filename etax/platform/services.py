"""Platform services handed to plugins at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from etax.platform.registry import FunctionRegistry
from etax.platform.settings import Settings


@dataclass(frozen=True)
class PlatformServices:
    """What a plugin's ``etax_startup`` receives."""

    settings: Settings
    registry: FunctionRegistry
