"""Query understanding: what a typed question means before any ranking.

A query is normalised and cut, left to right and longest first, into pieces the tables know — synonym
and slang aliases (``synonyms.tsv``), question filler (``~`` there, dropped), action words and tax
names (``intents.tsv``) — and plain text. Plain Chinese text is cut into the longest runs that occur
somewhere in the catalogue; single characters left over (税, 的 …) are dropped, so they never drag
every function in. What remains are the query's *meaningful units*, each with its alternatives, plus
the action kinds and taxes asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Literal, NamedTuple

from .analysis import normalize
from .intents import ActionKind, IntentTable
from .synonyms import SynonymTable

__all__ = ["Understanding", "Unit", "understand"]

Role = Literal["word", "action", "tax", "latin"]


class Unit(NamedTuple):
    """One meaningful unit of a query: what was typed, its alternatives, and what it is."""

    text: str
    alternatives: tuple[str, ...]
    role: Role
    kind: str = ""  # the action kind or the tax type


class Understanding(NamedTuple):
    """A query understood: its units, the action kinds and taxes it asks for, and the filler dropped."""

    units: tuple[Unit, ...]
    actions: frozenset[str]
    taxes: frozenset[str]
    dropped: tuple[str, ...]

    @property
    def wants(self) -> frozenset[str]:
        """The action kinds wanted: as asked, or 申报 for a tax named alone (its return)."""
        if self.actions or not self.taxes:
            return self.actions
        return frozenset({ActionKind.DECLARE.value})


def _known_runs(text: str, known: Callable[[str], bool]) -> list[str]:
    """Cut plain Chinese ``text`` into the longest runs of two or more characters that ``known`` accepts."""
    runs: list[str] = []
    start = 0
    while start < len(text):
        end = start + 2
        if end > len(text) or not known(text[start:end]):
            start += 1
            continue
        # Whatever occurs, every piece of it occurs too: grow the run until it no longer does.
        while end < len(text) and known(text[start : end + 1]):
            end += 1
        runs.append(text[start:end])
        start = end
    return runs


def understand(
    text: str, synonyms: SynonymTable, intents: IntentTable, known: Callable[[str], bool], max_chars: int
) -> Understanding:
    """Understand ``text``; ``known`` tells whether a Chinese run occurs in the catalogue."""
    words = normalize(text[: max_chars * 4])[:max_chars].split()
    units: list[Unit] = []
    dropped: list[str] = []
    for word in words:
        for latin, chars in groupby(word, key=str.isascii):
            run = "".join(chars)
            if latin:
                alternatives = synonyms.alternatives(run)
                if alternatives and "" not in alternatives:
                    units.append(Unit(run, alternatives, "word"))
                else:
                    units.append(Unit(run, (run,), "latin"))
                continue
            units.extend(_han_units(run, synonyms, intents, known, dropped))
    if not units and dropped:  # nothing but filler: search for it after all
        units = [Unit(word, (word,), "word") for word in dropped if known(word)]
    actions = {unit.kind for unit in units if unit.role == "action"}
    taxes = {unit.kind for unit in units if unit.role == "tax"}
    for unit in units:  # an alias may say an action or name a tax in its expansion (开发票 → 开具发票)
        if unit.role == "word":
            for alternative in unit.alternatives[1:]:
                for _, piece in intents.pieces(alternative):
                    (actions if piece.role == "action" else taxes if piece.role == "tax" else set()).add(
                        piece.kind
                    )
    return Understanding(tuple(dict.fromkeys(units)), frozenset(actions), frozenset(taxes), tuple(dropped))


def _han_units(
    run: str, synonyms: SynonymTable, intents: IntentTable, known: Callable[[str], bool], dropped: list[str]
) -> list[Unit]:
    units: list[Unit] = []
    plain: list[str] = []

    def flush() -> None:
        if plain:
            units.extend(Unit(word, (word,), "word") for word in _known_runs("".join(plain), known))
            plain.clear()

    start = 0
    while start < len(run):
        alias = synonyms.alias_at(run, start)
        piece = intents.piece_at(run, start, single=True)
        size = max(len(alias or ""), len(piece.text) if piece else 0)
        if not size:
            plain.append(run[start])
            start += 1
            continue
        flush()
        text = run[start : start + size]
        alternatives = synonyms.alternatives(text) if alias == text else ()
        found = piece if piece is not None and piece.text == text else None
        if found is not None and found.role == "tax":
            names = intents.aliases(found.kind)
            units.append(Unit(text, tuple(dict.fromkeys((*names, *alternatives))), "tax", found.kind))
        elif found is not None and found.role == "action":
            extra = tuple(alternative for alternative in alternatives if alternative)
            units.append(Unit(text, (text, *extra), "action", found.kind))
        elif "" in alternatives:
            dropped.append(text)
        elif alternatives:
            units.append(Unit(text, alternatives, "word"))
        else:
            units.append(Unit(text, (text,), "word"))
        start += size
    flush()
    return units
