"""Query-time synonyms and abbreviations, kept as data in ``synonyms.tsv``.

A query word is cut into *parts*: every alias found in it (longest match first) becomes a part whose
alternatives are the alias, its expansions and their expansions (one step of chaining); the text between aliases forms plain parts.  A search
needs every part, and any one alternative of a part.  Filler words (expansion ``~``) add the empty
alternative, which makes their part optional.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from itertools import islice, product

from .analysis import normalize

__all__ = ["SynonymTable", "default_synonyms", "parse_synonyms"]

FILLER_MARK = "~"
_MAX_REWRITES = 32


def _compact(text: str) -> str:
    return normalize(text).replace(" ", "")


class SynonymTable:
    """An immutable alias → expansions table applied to normalised query words."""

    __slots__ = ("_alternatives", "_longest")

    def __init__(self, expansions: Mapping[str, tuple[str, ...]]) -> None:
        """Build a table from already normalised aliases; an empty expansion marks a filler."""
        alternatives: dict[str, tuple[str, ...]] = {}
        for alias, targets in expansions.items():
            if alias:
                # One step of chaining: 全电发票 → 数电发票 also brings what 数电发票 expands to.
                chained = [further for target in targets for further in expansions.get(target, ()) if further]
                alternatives[alias] = tuple(dict.fromkeys((alias, *targets, *chained)))
        self._alternatives = alternatives
        self._longest = max(map(len, alternatives), default=0)

    def __len__(self) -> int:
        return len(self._alternatives)

    def extended(self, extra: Mapping[str, tuple[str, ...]]) -> SynonymTable:
        """A table with the expansions of ``extra`` added after this table's own (aliases normalised)."""
        merged: dict[str, list[str]] = {
            alias: list(values[1:]) for alias, values in self._alternatives.items()
        }
        for alias, targets in extra.items():
            merged.setdefault(alias, []).extend(targets)
        return SynonymTable({alias: tuple(targets) for alias, targets in merged.items()})

    def alternatives(self, alias: str) -> tuple[str, ...]:
        """Return the alias followed by its expansions (``""`` for a filler), or ``()`` if unknown."""
        return self._alternatives.get(alias, ())

    def segment(self, word: str) -> list[tuple[str, ...]]:
        """Cut a normalised word without spaces into parts, each a tuple of alternatives."""
        parts: list[tuple[str, ...]] = []
        plain: list[str] = []
        start = 0
        while start < len(word):
            alias = self._alias_at(word, start)
            if alias is None:
                plain.append(word[start])
                start += 1
                continue
            if plain:
                parts.append(("".join(plain),))
                plain = []
            parts.append(self._alternatives[alias])
            start += len(alias)
        if plain:
            parts.append(("".join(plain),))
        return parts

    def rewrites(self, word: str) -> tuple[str, ...]:
        """Return ``word`` and the words obtained by replacing its aliases (at most 32, original first)."""
        options = [tuple(dict.fromkeys(part)) for part in self.segment(word)]
        joined = ("".join(choice) for choice in product(*options))
        return tuple(dict.fromkeys(text for text in islice(joined, _MAX_REWRITES) if text)) or (word,)

    def alias_at(self, word: str, start: int) -> str | None:
        """The alias :meth:`segment` would cut at ``start`` of ``word``, or ``None``."""
        return self._alias_at(word, start)

    def _alias_at(self, word: str, start: int) -> str | None:
        """The longest alias at ``start``; a one-character filler only at the end or before an alias."""
        for candidate in self._aliases_at(word, start):
            is_filler_char = len(candidate) == 1 and "" in self._alternatives[candidate]
            if (
                is_filler_char
                and start + 1 < len(word)
                and next(self._aliases_at(word, start + 1), None) is None
            ):
                continue
            return candidate
        return None

    def _aliases_at(self, word: str, start: int) -> Iterator[str]:
        """Every alias that ``word`` has at ``start``, longest first."""
        for size in range(min(self._longest, len(word) - start), 0, -1):
            if word[start : start + size] in self._alternatives:
                yield word[start : start + size]


def parse_synonyms(text: str) -> SynonymTable:
    """Parse ``alias<TAB>expansion`` lines (``#`` comments and blank lines allowed).

    Raises :class:`ValueError` naming the line if a line has no tab or an empty side.
    """
    expansions: dict[str, list[str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        alias, tab, expansion = raw.strip(" \r\n").partition("\t")
        alias_key = _compact(alias)
        target = "" if expansion.strip() == FILLER_MARK else _compact(expansion)
        if not tab or not alias_key or (not target and expansion.strip() != FILLER_MARK):
            raise ValueError(f"synonyms line {number}: expected 'alias<TAB>expansion', got {raw!r}")
        expansions.setdefault(alias_key, []).append(target)
    return SynonymTable({alias: tuple(targets) for alias, targets in expansions.items()})


@cache
def default_synonyms() -> SynonymTable:
    """Return the table shipped with the package in ``synonyms.tsv`` (parsed once)."""
    data = resources.files(__name__.rpartition(".")[0]).joinpath("synonyms.tsv").read_text(encoding="utf-8")
    return parse_synonyms(data)
