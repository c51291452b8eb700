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
        return self._by_url.get(url)
