"""Text analysis for the search index: normalisation, Chinese n-grams and pinyin.

Everything the index stores and everything a user types goes through :func:`normalize` first, so
full-width and half-width forms, upper and lower case, and brackets such as （） never decide whether
something matches.  Chinese text is then cut into *units* (one unit per Han character, one per run of
Latin letters or digits); the Whoosh index (:class:`ChineseAnalyzer`) keeps every unigram and every
bigram of neighbouring Han characters, so a query word is looked up by its bigrams (:func:`phrase_terms`)
and then confirmed as a run of characters.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby, pairwise
from typing import Any, NamedTuple

from whoosh.analysis import Token

__all__ = [
    "ChineseAnalyzer",
    "Pinyin",
    "ReadingAnalyzer",
    "grams",
    "index_terms",
    "is_han",
    "normalize",
    "phrase_terms",
    "pinyin",
    "split_units",
    "syllable_grams",
]

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f]")
# Brackets and quotation marks disappear (退（抵）税 → 退抵税); other punctuation separates words.
_JOINING_CATEGORIES = frozenset({"Ps", "Pe", "Pi", "Pf"})


# The analysers' caches are small: whole query results are remembered by the index (MEMO_LIMIT), these
# serve its misses. 8,192 / 8,192 / 4,096 entries held ≈ 3 MB more per worker under a long tail of
# distinct queries for no measured gain (docs/deployment.md, "Memory per worker").
@lru_cache(maxsize=2048)
def normalize(text: str) -> str:
    """Return ``text`` NFKC-normalised, lower-cased, with punctuation removed and spaces collapsed.

    Brackets and quotes are dropped without a trace; any other character that is neither a letter
    nor a digit (punctuation, symbols, emoji, control characters) becomes a word separator.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    chars: list[str] = []
    for char in folded:
        if char.isalnum():
            chars.append(char)
        elif unicodedata.category(char) not in _JOINING_CATEGORIES:
            chars.append(" ")
    return " ".join("".join(chars).split())


def is_han(text: str) -> bool:
    """Tell whether the first character of ``text`` is a Chinese (Han) character."""
    return bool(text) and _HAN.match(text) is not None


def split_units(word: str) -> list[str]:
    """Cut one normalised word into units: each Han character alone, other runs kept together."""
    units: list[str] = []
    run: list[str] = []
    for char in word:
        if _HAN.match(char):
            if run:
                units.append("".join(run))
                run = []
            units.append(char)
        else:
            run.append(char)
    if run:
        units.append("".join(run))
    return units


def index_terms(text: str) -> Iterator[tuple[str, int]]:
    """Yield ``(term, position)`` for indexing: every unit, plus Han bigrams at their first unit.

    Words are separated by a one-position gap so that a phrase never spans two words.
    """
    position = 0
    for word in normalize(text).split():
        units = split_units(word)
        for offset, unit in enumerate(units):
            yield unit, position + offset
            if offset + 1 < len(units) and is_han(unit) and is_han(units[offset + 1]):
                yield unit + units[offset + 1], position + offset
        position += len(units) + 1


def phrase_terms(word: str) -> list[str]:
    """Return the terms a normalised query word must match at consecutive positions.

    Neighbouring Han characters are represented by their bigram, so 纳税人 becomes [纳税, 税人]
    and 税 stays [税]; Latin and digit runs are single terms.
    """
    units = split_units(word)
    terms: list[str] = []
    for offset, unit in enumerate(units):
        if offset + 1 < len(units) and is_han(unit) and is_han(units[offset + 1]):
            terms.append(unit + units[offset + 1])
        else:
            terms.append(unit)
    if len(units) >= 2 and is_han(units[-1]) and is_han(units[-2]):
        terms.pop()  # the last character is already covered by the bigram before it
    return terms


class _TermAnalyzer(ABC):
    """A Whoosh analyser yielding the terms of :meth:`terms` with their positions.

    Whoosh calls analysers with its own keyword arguments and reuses one token object; this class
    follows that protocol without subclassing Whoosh's untyped base classes (it is pickled with the
    schema, so it holds no state).
    """

    @abstractmethod
    def terms(self, value: str, tokenize: bool) -> Iterable[tuple[str, int]]:
        """The terms of ``value`` and their positions, counted from 0."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Any]:
        """Yield Whoosh tokens for ``value`` (the same token object, updated each time)."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        token.startchar = token.endchar = start_char
        for term, position in self.terms(value, tokenize):
            token.text = term
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = start_pos + position
            yield token


class ChineseAnalyzer(_TermAnalyzer):
    """The Whoosh analyser of every Chinese text field: :func:`index_terms` with their positions."""

    def terms(self, value: str, tokenize: bool) -> Iterable[tuple[str, int]]:
        return index_terms(value) if tokenize else ((value, 0),)


class ReadingAnalyzer(_TermAnalyzer):
    """The Whoosh analyser of the pinyin and initials fields: space-separated syllables in order.

    A value holds one reading per name, separated by ``|``; each syllable (or initial) takes the next
    position and a name boundary leaves a gap, so a phrase of syllables never spans two names.
    """

    def terms(self, value: str, tokenize: bool) -> Iterable[tuple[str, int]]:
        if not tokenize:
            return ((value, 0),)
        return self._syllables(value)

    @staticmethod
    def _syllables(value: str) -> Iterator[tuple[str, int]]:
        position = 0
        for reading in value.split("|"):
            for syllable in reading.split():
                yield syllable, position
                position += 1
            position += 1


@lru_cache(maxsize=2048)
def grams(text: str) -> frozenset[str]:
    """Return the set of index terms (units and Han bigrams) of ``text``."""
    return frozenset(term for term, _ in index_terms(text))


class Pinyin(NamedTuple):
    """Pinyin of a text, one entry per unit: the toneless syllable and its initial letter.

    Latin and digit runs are their own "syllable" and their own "initial" (CA证书 → ca, z, s).
    """

    syllables: tuple[str, ...]
    initials: tuple[str, ...]

    @property
    def full(self) -> str:
        """All syllables joined, e.g. ``nashuirenzhuangtaichaxun``."""
        return "".join(self.syllables)

    @property
    def letters(self) -> str:
        """All initials joined, e.g. ``nsrztcx``."""
        return "".join(self.initials)


def _han_runs(word: str) -> Iterator[tuple[bool, str]]:
    """Split a word into alternating runs of Han and non-Han characters."""
    for han, chars in groupby(word, key=is_han):
        yield han, "".join(chars)


def _han_pinyin(run: str) -> list[str]:
    """The syllables of a run of Han characters, read as a phrase."""
    # pypinyin's dictionaries take a tenth of a start-up to load: imported by the first Han text read
    # (a worker whose search catalogue was read back from disk may answer Latin queries without them).
    from pypinyin import lazy_pinyin

    return [str(piece) for piece in lazy_pinyin(run)]


@lru_cache(maxsize=1024)
def pinyin(text: str) -> Pinyin:
    """Return the pinyin of ``text``, reading each run of Han characters as a phrase.

    Phrase context picks the right reading of heteronyms (银行 → yin hang, 会计 → kuai ji).
    Characters pypinyin has no reading for are left out.
    """
    syllables: list[str] = []
    initials: list[str] = []
    for word in normalize(text).split():
        for han, run in _han_runs(word):
            pieces = _han_pinyin(run) if han else [run]
            for piece in pieces:
                if piece.isascii() and piece.isalnum():
                    syllables.append(piece)
                    initials.append(piece[0] if han else piece)
    return Pinyin(tuple(syllables), tuple(initials))


def syllable_grams(reading: Pinyin) -> frozenset[str]:
    """Return the syllables of ``reading`` and each pair of neighbouring syllables (space-joined).

    Compared instead of characters, these make homophone typos match (纳税人壮态 ~ 纳税人状态).
    """
    syllables = reading.syllables
    pairs = (f"{first} {second}" for first, second in pairwise(syllables))
    return frozenset((*syllables, *pairs))
