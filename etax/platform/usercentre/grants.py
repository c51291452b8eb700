"""The function tree as an enterprise can grant it: to its officers (权限身份) or to an agency (认定).

Only functions granted through identities (``grant="identity"``) for enterprises can be ticked; the
public ones are open anyway and the managers' or everyone's ones are not given by identities. A
ticked branch grants every function below it, including ones added to it later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from etax.platform.functions import Audience, FunctionSpec
from etax.platform.tree import FunctionTree, TreeNode
from etax.platform.usercentre.wording import NOTHING_TICKED

UNKNOWN_NODE = "功能树中含有不存在或不能授权的功能，请刷新页面后重新勾选"
PARTLY_TICKED = (
    "“{label}”只勾选了其下部分功能：勾选上级菜单即授权其下全部功能，"
    "请勾选其下全部功能，或取消勾选“{label}”后只勾选需要的功能"
)


@dataclass(frozen=True)
class GrantNode:
    """A node of the grantable tree; ``children`` is empty on functions."""

    code: str
    label: str
    children: tuple[GrantNode, ...]
    is_function: bool


@dataclass(frozen=True)
class GrantTree:
    """The grantable part of a function tree, with each node's ancestors."""

    roots: tuple[GrantNode, ...]
    ancestors: dict[str, tuple[str, ...]]
    order: dict[str, int]
    by_code: dict[str, GrantNode]

    def descendants(self, code: str) -> list[str]:
        node = self.by_code.get(code)
        found: list[str] = []
        stack = list(node.children) if node else []
        while stack:
            child = stack.pop()
            found.append(child.code)
            stack.extend(child.children)
        return found


def grantable(spec: FunctionSpec) -> bool:
    """Whether an enterprise grants ``spec`` through identities or agency certifications."""
    return spec.grant == "identity" and Audience.ENTERPRISE in spec.audiences and not spec.is_public


def _build(node: TreeNode) -> GrantNode | None:
    if node.function is not None:
        if not grantable(node.function):
            return None
        return GrantNode(code=node.code, label=node.label, children=(), is_function=True)
    children = tuple(child for child in (_build(c) for c in node.children) if child is not None)
    if not children:
        return None
    return GrantNode(code=node.code, label=node.label, children=children, is_function=False)


@lru_cache(maxsize=8)
def grant_tree(tree: FunctionTree) -> GrantTree:
    """The grantable tree of ``tree`` (computed once per application)."""
    roots = tuple(node for node in (_build(c) for c in tree.centres()) if node is not None)
    ancestors: dict[str, tuple[str, ...]] = {}
    order: dict[str, int] = {}
    by_code: dict[str, GrantNode] = {}

    def walk(node: GrantNode, above: tuple[str, ...]) -> None:
        ancestors[node.code] = above
        order[node.code] = len(order)
        by_code[node.code] = node
        for child in node.children:
            walk(child, (*above, node.code))

    for root in roots:
        walk(root, ())
    return GrantTree(roots=roots, ancestors=ancestors, order=order, by_code=by_code)


def normalise(grants: GrantTree, ticked: Iterable[str]) -> tuple[list[str], str | None]:
    """The node codes to store for ``ticked``, in tree order, or a Chinese message.

    The grant is exactly what was ticked: a branch is stored only when it was itself ticked. A
    node whose ancestor is also ticked is dropped (the ancestor already grants it); a branch ticked
    together with only some of the functions below it is contradictory and refused, since a branch
    grants everything below it.
    """
    chosen = {code for code in ticked if code}
    if not chosen:
        return [], NOTHING_TICKED
    if any(code not in grants.ancestors for code in chosen):
        return [], UNKNOWN_NODE
    for code in sorted(chosen, key=grants.order.__getitem__):
        below = set(grants.descendants(code))
        if below & chosen and not below <= chosen:
            return [], PARTLY_TICKED.format(label=grants.by_code[code].label)
    kept = [code for code in chosen if not any(a in chosen for a in grants.ancestors[code])]
    return sorted(kept, key=grants.order.__getitem__), None


def checked(grants: GrantTree, stored: Iterable[str]) -> frozenset[str]:
    """The codes to show ticked for stored node codes (a ticked branch shows all below it ticked)."""
    shown: set[str] = set()
    for code in stored:
        if code in grants.by_code:
            shown.add(code)
            shown.update(grants.descendants(code))
    return frozenset(shown)


def expanded(grants: GrantTree, shown: Iterable[str]) -> frozenset[str]:
    """The branches to show open: every ancestor of a ticked node."""
    return frozenset(ancestor for code in shown for ancestor in grants.ancestors.get(code, ()))


def labels(tree: FunctionTree, stored: Iterable[str]) -> list[str]:
    """Readable names of stored node codes (``我要查询 › 申报信息查询``), for lists."""
    found: list[str] = []
    for code in stored:
        node = tree.node(code)
        if node is None:
            continue
        found.append(" › ".join(node.function.path) if node.function else code.replace("/", " › "))
    return found


def split_nodes(text: str) -> list[str]:
    """Node codes stored newline-separated."""
    return [line.strip() for line in text.splitlines() if line.strip()]
