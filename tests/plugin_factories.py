"""Build throw-away plugin modules inside tests (registered with ``create_app(extra_plugins=…)``)."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from etax.platform import hookimpl


def make_plugin(name: str, **hooks: Callable[..., Any]) -> types.ModuleType:
    """A module named ``name`` whose attributes are the given hook implementations."""
    module = types.ModuleType(name)
    for hook_name, function in hooks.items():
        function.__name__ = hook_name
        setattr(module, hook_name, hookimpl(function))
    return module
