"""Piccolo imports the code formatter ``black`` at module level (``piccolo.conf.apps``) only to format
the migration files ``piccolo migrations new`` writes; etax never writes migrations at run time.
:func:`install` puts a stand-in under the name ``black`` that imports the real package on first use,
saving about 0.4 s of every start-up."""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class _LazyModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        sys.modules[self.__name__] = real
        return getattr(real, name)


def install(name: str = "black") -> None:
    """Defer importing ``name`` until an attribute of it is used (no-op once it is imported)."""
    if name not in sys.modules:
        sys.modules[name] = _LazyModule(name)
