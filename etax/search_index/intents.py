"""Intents: what a query asks for and what a function does — action kinds and tax types, from data.

``intents.tsv`` lists the words of each action kind (申报, 缴款, 开具, 查询, 变更 …) and the names of each
tax or fee. A function may declare its action and taxes (``FunctionSpec.action`` / ``taxes``); when it
does not, :meth:`IntentTable.document_intent` infers them from its name and menu path, so a regional
plugin's new function ranks well without extra work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import NamedTuple

from .analysis import normalize, pinyin

__all__ = [
    "ActionKind",
    "DocumentIntent",
    "IntentTable",
    "default_intents",
    "parse_intents",
]


READ_LIMIT = 50_000


class ActionKind(StrEnum):
    """What a function lets a taxpayer do; the values are the words the portal uses."""

    DECLARE = "申报"
    PAY = "缴款"
    ISSUE = "开具"
    AGENT_ISSUE = "代开"
    QUERY = "查询"
    VERIFY = "查验"
    CHANGE = "变更"
    CORRECT = "更正"
    VOID = "作废"
    RECORD = "备案"
    APPLY = "申请"
    REFUND = "退税"
    OBTAIN = "领用"
    CANCEL = "注销"
    REGISTER = "登记"
    DOWNLOAD = "下载"
    PRINT = "打印"
    SELECT = "勾选"
    CERTIFY = "认证"
    SIGN = "签订"
    ADD = "添加"
    REMOVE = "解除"
    LOGIN = "登录"
    CONSULT = "咨询"
    COMPLAIN = "投诉"


class DocumentIntent(NamedTuple):
    """What one function does: all its action kinds, the main one (``""`` if none) and its taxes."""

    actions: frozenset[str]
    primary: str
    taxes: frozenset[str]


class Piece(NamedTuple):
    """A run of a query word recognised by the tables (``kind`` is an action kind or a tax type)."""

    text: str
    role: str  # "action" | "tax" | "keep"
    kind: str


_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


def _compact(text: str) -> str:
    return normalize(text).replace(" ", "")


class IntentTable:
    """Action words, tax names and tax groups, applied to query words and function names."""

    __slots__ = ("_actions", "_by_reading", "_groups", "_keep", "_lead", "_longest", "_read", "_taxes")

    def __init__(
        self,
        actions: Mapping[str, str],
        lead: Iterable[str],
        taxes: Mapping[str, str],
        groups: Mapping[str, frozenset[str]],
        keep: Iterable[str],
    ) -> None:
        """Build from normalised words: ``actions`` word → kind, ``taxes`` alias → tax type."""
        self._actions = dict(actions)
        self._lead = frozenset(lead)
        self._taxes = dict(taxes)
        self._groups = dict(groups)
        self._keep = frozenset(keep)
        words = [*self._actions, *self._taxes, *self._keep]
        self._longest = max(map(len, words), default=0)
        # What each function name was read as: an index rebuilt (a package published) reads it again.
        self._read: dict[tuple[str, tuple[str, ...], str, tuple[str, ...]], DocumentIntent] = {}
        self._by_reading: dict[str, str] | None = None  # tax names by pinyin and initials, read once

    def action_of(self, word: str) -> str | None:
        """The action kind a word says, or ``None``."""
        return self._actions.get(word)

    def tax_of(self, word: str) -> str | None:
        """The tax type a word names, or ``None``."""
        return self._taxes.get(word)

    def tax_named_by_reading(self, typed: str) -> str | None:
        """The tax name whose full pinyin or initials are exactly ``typed`` (zzs, xiaofeishui → the tax),
        so that typed pinyin of a tax name alone is understood like the name; ``None`` otherwise."""
        if self._by_reading is None:
            self._by_reading = self._readings()
        return self._by_reading.get(typed)

    def _readings(self) -> dict[str, str]:
        readings: dict[str, str] = {}
        for alias in sorted(self._taxes, key=lambda word: (len(word), word)):
            reading = pinyin(alias)
            if len(reading.syllables) >= 2:
                readings.setdefault(reading.full, alias)
            if len(reading.syllables) >= 3:  # two initials (sb, gs) stand for too many other words
                readings.setdefault(reading.letters, alias)
        return readings

    def aliases(self, tax: str) -> tuple[str, ...]:
        """Every name of a tax type (the type itself first)."""
        return (tax, *(alias for alias, kind in self._taxes.items() if kind == tax and alias != tax))

    def tax_synonyms(self) -> dict[str, tuple[str, ...]]:
        """Every tax alias → the other names of its tax, to extend the synonym table with."""
        others = {
            alias: tuple(name for name in self.aliases(tax) if name != alias)
            for alias, tax in self._taxes.items()
        }
        return {alias: names for alias, names in others.items() if names}

    def piece_at(self, word: str, start: int, *, single: bool) -> Piece | None:
        """The longest table word at ``start`` (one-character action words only if ``single``)."""
        for size in range(min(self._longest, len(word) - start), 0, -1):
            text = word[start : start + size]
            if size == 1 and not single:
                return None
            if text in self._taxes:
                return Piece(text, "tax", self._taxes[text])
            if text in self._keep:
                return Piece(text, "keep", "")
            if text in self._actions:
                return Piece(text, "action", self._actions[text])
        return None

    def pieces(self, word: str) -> Iterator[tuple[int, Piece]]:
        """Multi-character table words in a normalised word, left to right, longest first."""
        start = 0
        while start < len(word):
            piece = self.piece_at(word, start, single=False)
            if piece is None:
                start += 1
                continue
            yield start, piece
            start += len(piece.text)

    def agree(self, wanted: Iterable[str], have: Iterable[str]) -> bool:
        """Whether taxes asked for and taxes of a function meet, counting group membership both ways."""
        have_set = frozenset(have)
        for tax in wanted:
            if tax in have_set:
                return True
            members = self._groups.get(tax, frozenset())
            if members & have_set or any(tax in self._groups.get(other, ()) for other in have_set):
                return True
        return False

    def document_intent(
        self, title: str, path: Iterable[str], action: str = "", taxes: Iterable[str] = ()
    ) -> DocumentIntent:
        """A function's intent, see :meth:`read_intent` (remembered per name, path and declaration)."""
        key = (title, tuple(path), action, tuple(taxes))
        found = self._read.get(key)
        if found is None:
            found = self.read_intent(*key)
            if len(self._read) < READ_LIMIT:
                self._read[key] = found
        return found

    def read_intent(
        self, title: str, path: Iterable[str], action: str = "", taxes: Iterable[str] = ()
    ) -> DocumentIntent:
        """A function's intent: declared ``action`` / ``taxes`` win, the rest is read from its name.

        The main action is a leading verb of the name (开具…, 变更…) or else its last action word outside
        brackets; a name without any action word takes the main action of its menu group
        (分税种申报入口 › 消费税 is a 申报), a name without any tax the taxes of its group
        (社保费业务 › 税费缴纳 is about 社会保险费).
        """
        declared_taxes = frozenset(
            filter(None, (self._taxes.get(_compact(tax), _compact(tax)) for tax in taxes))
        )
        name = _compact(title)
        found = list(self.pieces(name))
        kinds = [piece.kind for _, piece in found if piece.role == "action"]
        inferred_taxes = frozenset(piece.kind for _, piece in found if piece.role == "tax")
        primary = action or self._primary(title)
        parents = [element for element in path if _compact(element) != name]
        if not primary and parents:
            primary = self._primary(parents[-1])
        if not inferred_taxes and parents:  # 社保费业务 › 税费缴纳 is about 社会保险费
            inferred_taxes = frozenset(
                piece.kind for _, piece in self.pieces(_compact(parents[-1])) if piece.role == "tax"
            )
        actions = frozenset(kinds) | ({primary} if primary else set())
        return DocumentIntent(actions, primary, declared_taxes or inferred_taxes)

    def _primary(self, title: str) -> str:
        found = [(start, piece) for start, piece in self.pieces(_compact(_BRACKETED.sub("", title)))]
        found = [(start, piece) for start, piece in found if piece.role == "action"]
        if not found:
            found = [
                (start, piece) for start, piece in self.pieces(_compact(title)) if piece.role == "action"
            ]
        if not found:
            return ""
        start, first = found[0]
        if start == 0 and first.text in self._lead:
            return first.kind
        return found[-1][1].kind


def parse_intents(text: str) -> IntentTable:
    """Parse ``intents.tsv``; raises :class:`ValueError` naming a malformed line or unknown action kind."""
    actions: dict[str, str] = {}
    lead: set[str] = set()
    taxes: dict[str, str] = {}
    groups: dict[str, frozenset[str]] = {}
    keep: set[str] = set()
    kinds = {kind.value for kind in ActionKind}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "word" and len(fields) == 2:
            keep.update(_compact(word) for word in fields[1].split())
            continue
        if len(fields) != 3 or fields[0] not in {"action", "tax", "group"}:
            raise ValueError(
                f"intents line {number}: expected 'action|tax|group<TAB>name<TAB>words', got {raw!r}"
            )
        role, name, words = fields[0], _compact(fields[1]), fields[2].split()
        if role == "action" and name not in kinds:
            raise ValueError(f"intents line {number}: unknown action kind {name!r}")
        for word in words:
            compacted = _compact(word.rstrip("!"))
            if role == "action":
                actions.setdefault(compacted, name)
                if word.endswith("!"):
                    lead.add(compacted)
            elif role == "tax":
                taxes.setdefault(compacted, name)
        if role == "tax":
            taxes.setdefault(name, name)
        elif role == "group":
            groups[name] = frozenset(_compact(word) for word in words)
    return IntentTable(actions, lead, taxes, groups, keep - actions.keys() - taxes.keys())


@cache
def default_intents() -> IntentTable:
    """The table shipped with the package in ``intents.tsv`` (parsed once)."""
    data = resources.files(__name__.rpartition(".")[0]).joinpath("intents.tsv").read_text(encoding="utf-8")
    return parse_intents(data)
