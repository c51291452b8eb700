"""The function tree: centres in the seed's order, groups below them, functions as leaves.

Every node has a stable code (its path joined with ``/``) so that a permission identity can grant a
whole branch at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from etax.platform.functions import FunctionSpec

CENTRE_ORDER: tuple[str, ...] = ("我要办税", "我要查询", "互动中心", "公众服务", "用户中心", "个性化办税")
PERSONALISED_GROUPS: tuple[str, ...] = ("套餐及组合业务", "特色业务", "定制业务")
SEPARATOR = "/"


@dataclass
class TreeNode:
    """A menu node; ``function`` is set on leaves."""

    code: str
    label: str
    depth: int
    children: list[TreeNode] = field(default_factory=list)
    function: FunctionSpec | None = None

    def leaves(self) -> Iterator[FunctionSpec]:
        if self.function is not None:
            yield self.function
        for child in self.children:
            yield from child.leaves()

    def walk(self) -> Iterator[TreeNode]:
        yield self
        for child in self.children:
            yield from child.walk()


def node_code(path: Iterable[str]) -> str:
    """The stable code of the node at ``path``."""
    return SEPARATOR.join(path)


def _order(label: str, depth: int) -> tuple[int, str]:
    if depth == 1 and label in CENTRE_ORDER:
        return (CENTRE_ORDER.index(label), "")
    if depth == 2 and label in PERSONALISED_GROUPS:
        return (PERSONALISED_GROUPS.index(label), "")
    return (len(CENTRE_ORDER), "")


class FunctionTree:
    """All functions arranged by their menu paths."""

    def __init__(self, functions: Iterable[FunctionSpec]) -> None:
        self.root = TreeNode(code="", label="全部功能", depth=0)
        self._nodes: dict[str, TreeNode] = {"": self.root}
        for spec in functions:
            self._insert(spec)
        self._sort(self.root)

    def _insert(self, spec: FunctionSpec) -> None:
        parent = self.root
        for depth, label in enumerate(spec.path[:-1], start=1):
            code = node_code(spec.path[:depth])
            node = self._nodes.get(code)
            if node is None:
                node = TreeNode(code=code, label=label, depth=depth)
                self._nodes[code] = node
                parent.children.append(node)
            parent = node
        leaf = TreeNode(code=spec.code, label=spec.name, depth=len(spec.path), function=spec)
        parent.children.append(leaf)
        self._nodes[spec.code] = leaf

    def _sort(self, node: TreeNode) -> None:
        # Centres follow the seed's order; everything else keeps declaration order (stable sort).
        node.children.sort(key=lambda child: _order(child.label, child.depth)[0])
        for child in node.children:
            self._sort(child)

    def node(self, code: str) -> TreeNode | None:
        return self._nodes.get(code)

    def centres(self) -> list[TreeNode]:
        return list(self.root.children)

    def expand(self, codes: Iterable[str]) -> frozenset[str]:
        """The function codes granted by a set of node codes (a branch grants all its leaves)."""
        granted: set[str] = set()
        for code in codes:
            node = self._nodes.get(code)
            if node is not None:
                granted.update(spec.code for spec in node.leaves())
        return frozenset(granted)
