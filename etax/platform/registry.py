"""The function registry: every declared function, checked at start-up."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from etax.platform.errors import StartupError
from etax.platform.functions import FunctionSpec
from etax.platform.tree import FunctionTree


class FunctionRegistry:
    """Functions by code, plus the tree built from their paths."""

    def __init__(self, functions: Iterable[FunctionSpec]) -> None:
        self._by_code: dict[str, FunctionSpec] = {}
        self._by_url: dict[str, FunctionSpec] = {}
        for spec in functions:
            problems = spec.problems()
            if problems:
                raise StartupError(f"plugin {spec.plugin!r}: " + "; ".join(problems))
            other = self._by_code.get(spec.code)
            if other is not None:
                raise StartupError(
                    f"function code {spec.code!r} is declared twice: by plugin {other.plugin!r} "
                    f"and by plugin {spec.plugin!r}"
                )
            self._by_code[spec.code] = spec
            self._by_url.setdefault(spec.url, spec)
        self._all = dict(self._by_code)
        self._hidden_plugins: frozenset[str] = frozenset()
        self.tree = FunctionTree(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[FunctionSpec]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> FunctionSpec | None:
        return self._by_code.get(code)

    def by_url(self, url: str) -> FunctionSpec | None:
        spec = self._by_url.get(url)
        return spec if spec is not None and spec.code in self._by_code else None

    # -- plugins switched off for visitors (back office → 插件状态) -------------------------------------

    @property
    def hidden_plugins(self) -> frozenset[str]:
        return self._hidden_plugins

    def hide_plugins(self, plugins: frozenset[str]) -> bool:
        """Leave out every function of ``plugins`` (all lookups, iteration and the tree); ``True`` if changed.

        Search, menus and the access guard read the registry, so they all follow at once.
        """
        if plugins == self._hidden_plugins:
            return False
        self._hidden_plugins = plugins
        self._by_code = {code: spec for code, spec in self._all.items() if spec.plugin not in plugins}
        self.tree = FunctionTree(self._by_code.values())
        return True

    def switched_off(self, code: str) -> FunctionSpec | None:
        """The function ``code`` when it exists but its plugin is switched off."""
        spec = self._all.get(code)
        return spec if spec is not None and spec.plugin in self._hidden_plugins else None

    def every(self) -> list[FunctionSpec]:
        """Every declared function, switched off or not."""
        return list(self._all.values())
