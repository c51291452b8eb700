"""The version of the hook API, and whether a plugin's declared range accepts it.

The hook surface (``etax/platform/hookspecs.py`` and the names of ``etax/platform/api.py``) has a
semantic version: a new hook or a new name is a **minor** step, a removed hook or a changed signature a
**major** one (docs/plugins.md keeps the changelog). A plugin declares the versions it supports as a
module attribute in PEP 440 specifier syntax::

    ETAX_HOOK_API = ">=1.1,<2"

A plugin that declares nothing was written before versions existed and is taken to support
``>=1.0,<2``. A plugin whose range excludes :data:`HOOK_API_VERSION` is refused by name with both
versions in the message, and left out like any failing plugin (a start-up failure when strict).
"""

from __future__ import annotations

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

HOOK_API_VERSION = "1.2.0"
DEFAULT_RANGE = ">=1.0,<2"
ATTRIBUTE = "ETAX_HOOK_API"


def declared_range(module: object) -> str:
    """The range ``module`` declares (``ETAX_HOOK_API``), or the default for undeclared plugins."""
    value = getattr(module, ATTRIBUTE, None)
    return value if isinstance(value, str) and value.strip() else DEFAULT_RANGE


def incompatibility(plugin: str, declared: str, provided: str = HOOK_API_VERSION) -> str | None:
    """Why ``plugin`` (declaring ``declared``) cannot run on hook API ``provided``; ``None`` if it can."""
    try:
        accepted = SpecifierSet(declared)
    except InvalidSpecifier:
        return (
            f"plugin {plugin!r} declares {ATTRIBUTE} = {declared!r}, which is not a version range "
            f"(write e.g. '>=1.1,<2'); this etax provides hook API {provided}"
        )
    if Version(provided) in accepted:
        return None
    return (
        f"plugin {plugin!r} supports etax hook API {declared}, but this etax provides hook API {provided}: "
        "install a version of the plugin made for this etax"
    )
