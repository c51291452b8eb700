"""The etax platform core: settings, plugins, functions, access, search wiring and the portal shell.

The core lives at ``etax.platform`` rather than a top-level ``platform`` package: a top-level
``platform`` would shadow Python's standard-library module of that name and break Litestar, uvicorn
and others at import.

Plugin authors need only what this module exports.
"""

import pluggy

from etax.platform.functions import Audience, FunctionSpec
from etax.platform.static import StaticDir

hookimpl = pluggy.HookimplMarker("etax")

__all__ = ["Audience", "FunctionSpec", "StaticDir", "hookimpl"]
