"""The in-memory catalogue built from search documents: field texts, postings, names and intents.

A :class:`Catalogue` holds, per document, the normalised text of each field (title, short title,
keywords, path, body), postings from every Chinese unit and Han bigram to the documents having it, the
pinyin / initials / Latin forms sorted for prefix look-ups, exact names, suggestion data and each
function's intent (action kinds and taxes). Ranking (:mod:`.query`) scores phrases with BM25F over
these fields. Everything is plain Python built in one pass — no index files, no locks, cheap to build
per worker process. It is immutable after :func:`build_catalogue` and can be shared by threads.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from .analysis import grams, normalize, pinyin, split_units, syllable_grams
from .documents import SearchDocument
from .intents import DocumentIntent, IntentTable, default_intents
from .synonyms import SynonymTable, default_synonyms

__all__ = [
    "ALL_FIELDS",
    "FIELD_BOOSTS",
    "NAME_FIELDS",
    "TEXT_FIELDS",
    "Catalogue",
    "LatinTargets",
    "NameGrams",
    "Profile",
    "build_catalogue",
    "compact",
]

TEXT_FIELDS = ("title", "short_title", "keywords", "path", "body")
FIELD_BOOSTS: Mapping[str, float] = {
    "title": 6.0,
    "short_title": 5.0,
    "keywords": 3.0,
    "path": 1.5,
    "body": 0.5,
}
ALL_FIELDS = tuple(range(len(TEXT_FIELDS)))
NAME_FIELDS = (0, 1, 2)  # title, short title, keywords
PATH_FIELD = 3
BODY_FIELD = 4
PINYIN_FIELD = "pinyin"
INITIALS_FIELD = "initials"
LATIN_FIELDS = (PINYIN_FIELD, INITIALS_FIELD, "title", "keywords")
# Pinyin and Latin prefix matches score a constant (their boost); they are about tiers, not relevance.
LATIN_BOOSTS: Mapping[str, float] = {PINYIN_FIELD: 2.0, INITIALS_FIELD: 2.0, "title": 1.0, "keywords": 0.5}
BM25_K1 = 1.2
BM25_B = 0.75
MEMO_LIMIT = 20_000


def compact(text: str) -> str:
    """Normalise ``text`` and remove the spaces, the form used for whole-name comparisons."""
    return normalize(text).replace(" ", "")


class NameGrams(NamedTuple):
    """Character grams and syllable grams of one name (title, short title or keyword).

    Keywords only get character grams: their pinyin would cost build time for little gain.
    """

    chars: frozenset[str]
    syllables: frozenset[str]


class Profile(NamedTuple):
    """What the suggester knows about one document besides its pinyin: its title and name grams."""

    key: str
    title: str
    names: tuple[NameGrams, ...]


@dataclass(frozen=True, slots=True)
class LatinTargets:
    """Every pinyin and initials string starting at a syllable of some title, for typo-tolerant look-up.

    ``owners[i]`` lists ``(profile index, syllable offset)`` for ``targets[i]``; ``postings`` maps each
    letter pair to ``(position, target index)`` sorted by position, to find candidates cheaply.
    """

    targets: tuple[str, ...]
    owners: tuple[tuple[tuple[int, int], ...], ...]
    postings: Mapping[str, tuple[tuple[int, int], ...]]

    @classmethod
    def build(cls, forms: Iterable[Mapping[str, int]]) -> LatinTargets:
        """Collect the targets of each profile (``forms[i]`` maps target → offset for profile ``i``)."""
        owners: dict[str, list[tuple[int, int]]] = {}
        for profile, targets in enumerate(forms):
            for text, offset in targets.items():
                owners.setdefault(text, []).append((profile, offset))
        texts = tuple(owners)
        postings: dict[str, set[tuple[int, int]]] = {}
        for number, text in enumerate(texts):
            for position in range(len(text) - 1):
                postings.setdefault(text[position : position + 2], set()).add((position, number))
        return cls(
            targets=texts,
            owners=tuple(tuple(owners[text]) for text in texts),
            postings={pair: tuple(sorted(entries)) for pair, entries in postings.items()},
        )

    def candidates(self, text: str, typos: int) -> Iterable[int]:
        """Indexes of targets that may start with ``text`` give or take ``typos`` edits.

        A prefix within ``typos`` edits of ``text`` keeps all but ``2 * typos`` of its distinct letter
        pairs, and they all lie within the first ``len(text) + typos`` letters of the target.
        """
        pairs = {text[position : position + 2] for position in range(len(text) - 1)}
        needed = len(pairs) - 2 * typos
        if needed <= 0:
            return range(len(self.targets))
        window = len(text) + typos - 1
        counts: Counter[int] = Counter()
        for pair in pairs:
            within = set()
            for position, number in self.postings.get(pair, ()):
                if position >= window:
                    break
                within.add(number)
            counts.update(within)
        return [number for number, count in counts.items() if count >= needed]


def _suffixes(units: tuple[str, ...]) -> dict[str, int]:
    """Each suffix of ``units`` joined, mapped to the index of the unit it starts at."""
    suffixes: dict[str, int] = {}
    for start in range(len(units) - 1, -1, -1):
        suffixes["".join(units[start:])] = start
    return suffixes


_NOTE = re.compile(r"[（(]([^（）()]*)[）)]\s*$")


def _split_note(name: str) -> tuple[str, str]:
    """``name`` without a trailing bracketed note, and the note (``""`` if none)."""
    match = _NOTE.search(name)
    if match is None or match.start() == 0:
        return name, ""
    return name[: match.start()], match.group(1)


def _latin_words(text: str) -> list[str]:
    """The Latin or digit runs of ``text`` (normalised), e.g. ``ukey`` of 税控设备申领（税务UKey）."""
    return [unit for word in normalize(text).split() for unit in split_units(word) if unit.isascii()]


@dataclass(frozen=True, slots=True)
class _Entry:
    """A document prepared for indexing: names, suggestion data, field texts and Latin forms."""

    document: SearchDocument
    names: tuple[str, ...]
    profile: Profile
    latin: dict[str, int]
    texts: tuple[str, ...]
    prefixes: tuple[tuple[str, int], ...]


def _entry(document: SearchDocument) -> _Entry:
    readings = [pinyin(document.title), pinyin(document.short_title)]
    extra = [letters for letters in map(compact, document.initials) if letters]
    full: dict[str, int] = {}
    initials: dict[str, int] = {}
    for reading in readings:
        full.update(_suffixes(reading.syllables))
        initials.update(_suffixes(reading.initials))
    for letters in extra:
        initials.update(_suffixes(tuple(letters)))
    latin = dict(initials)
    for text, start in full.items():
        latin[text] = min(start, latin.get(text, start))

    names = [compact(document.title), compact(document.short_title)]
    names += [reading.full for reading in readings] + [reading.letters for reading in readings] + extra
    profile = Profile(
        key=document.key,
        title=document.title,
        names=(
            *(
                NameGrams(grams(name), syllable_grams(reading))
                for name, reading in zip((document.title, document.short_title), readings, strict=True)
            ),
            *(NameGrams(grams(keyword), frozenset()) for keyword in document.keywords),
        ),
    )
    # A note in brackets at the end of a name (（含批量开具导入）, （企业会计准则）) qualifies it: it is
    # searched with the keywords' weight, not the name's.
    title, title_note = _split_note(document.title)
    short_title, short_note = _split_note(document.short_title)
    raw = {
        "title": title,
        "short_title": short_title,
        "keywords": " ".join((*document.keywords, *dict.fromkeys(filter(None, (title_note, short_note))))),
        "path": " ".join(document.path),
        "body": document.body,
    }
    texts = tuple(normalize(raw[name]) for name in TEXT_FIELDS)
    prefixes = [
        *((text, LATIN_FIELDS.index(PINYIN_FIELD)) for text in full),
        *((text, LATIN_FIELDS.index(INITIALS_FIELD)) for text in initials),
        *(
            (word, LATIN_FIELDS.index("title"))
            for word in _latin_words(document.title + " " + document.short_title)
        ),
        *((word, LATIN_FIELDS.index("keywords")) for word in _latin_words(raw["keywords"])),
    ]
    unique_names = tuple(dict.fromkeys(name for name in names if name))
    return _Entry(document, unique_names, profile, latin, texts, tuple(dict.fromkeys(prefixes)))


@dataclass(frozen=True, slots=True)
class Catalogue:
    """An immutable, thread-safe in-memory index of search documents.

    Documents are numbered in build order. ``texts[n][f]`` is document ``n``'s normalised text of field
    ``TEXT_FIELDS[f]`` (words separated by spaces, so a phrase never spans two words); ``postings`` maps
    every unit and Han bigram to the documents having it in some field, ``name_postings`` the same for
    names only (title, short title, keywords). ``latin`` is sorted ``(text, document, field)`` for
    pinyin, initials and Latin words, looked up by prefix. The only mutable part is a memo of phrase
    look-ups, filled idempotently (safe under threads).
    """

    documents: Mapping[str, SearchDocument]
    keys: tuple[str, ...]
    exact: Mapping[str, frozenset[str]]
    names: tuple[tuple[str, str], ...]
    profiles: tuple[Profile, ...]
    latin: LatinTargets
    synonyms: SynonymTable
    intents: IntentTable
    texts: tuple[tuple[str, ...], ...]
    lengths: tuple[tuple[int, ...], ...]
    averages: tuple[float, ...]
    postings: Mapping[str, frozenset[int]]
    name_postings: Mapping[str, frozenset[int]]
    prefixes: tuple[tuple[str, int, int], ...]
    document_intents: tuple[DocumentIntent, ...]
    _memo: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)

    def starting_with(self, prefix: str) -> set[str]:
        """Return the keys of documents with a name starting with ``prefix``."""
        keys: set[str] = set()
        position = bisect_left(self.names, (prefix, ""))
        while position < len(self.names) and self.names[position][0].startswith(prefix):
            keys.add(self.names[position][1])
            position += 1
        return keys

    def containing(self, text: str) -> frozenset[int]:
        """Documents having the compact phrase ``text`` inside one word of some field."""
        found = self._memo.get(text)
        if found is None:
            terms = sorted(grams(text), key=lambda term: len(self.postings.get(term, ())))
            candidates: frozenset[int] | set[int] = (
                self.postings.get(terms[0], frozenset()) if terms else frozenset()
            )
            for term in terms[1:]:
                if not candidates:
                    break
                candidates = candidates & self.postings.get(term, frozenset())
            found = frozenset(
                number for number in candidates if any(text in value for value in self.texts[number])
            )
            if len(self._memo) < MEMO_LIMIT:
                self._memo[text] = found
        return found

    def intended(self, role: str, kind: str) -> frozenset[int]:
        """Documents doing action ``kind`` (role ``action``) or about tax ``kind`` (role ``tax``)."""
        memo_key = f"\0{role}:{kind}"
        found = self._memo.get(memo_key)
        if found is None:
            if role == "action":
                found = frozenset(
                    n for n, intent in enumerate(self.document_intents) if kind in intent.actions
                )
            else:
                agree = self.intents.agree
                found = frozenset(
                    n for n, intent in enumerate(self.document_intents) if agree((kind,), intent.taxes)
                )
            self._memo[memo_key] = found
        return found

    def latin_prefix(self, text: str) -> dict[int, float]:
        """Documents with a pinyin, initials or Latin word starting with ``text``: the summed field boosts."""
        fields_hit: dict[int, set[int]] = {}
        position = bisect_left(self.prefixes, (text, -1, -1))
        while position < len(self.prefixes) and self.prefixes[position][0].startswith(text):
            _, number, field_number = self.prefixes[position]
            fields_hit.setdefault(number, set()).add(field_number)
            position += 1
        return {
            number: sum(LATIN_BOOSTS[LATIN_FIELDS[field_number]] for field_number in found)
            for number, found in fields_hit.items()
        }

    def bm25(self, text: str, number: int, fields: Sequence[int] = ALL_FIELDS) -> float:
        """BM25F of the phrase ``text`` in document ``number`` over ``fields`` (boosted per field)."""
        frequency = len(self.containing(text))
        if not frequency:
            return 0.0
        idf = math.log(1 + (len(self.keys) - frequency + 0.5) / (frequency + 0.5))
        score = 0.0
        for field_number in fields:
            count = self.texts[number][field_number].count(text)
            if count:
                norm = 1 - BM25_B + BM25_B * self.lengths[number][field_number] / self.averages[field_number]
                score += (
                    FIELD_BOOSTS[TEXT_FIELDS[field_number]]
                    * idf
                    * count
                    * (BM25_K1 + 1)
                    / (count + BM25_K1 * norm)
                )
        return score


@cache
def _default_table() -> SynonymTable:
    """The shipped synonyms extended with every tax's other names (built once per process)."""
    return default_synonyms().extended(default_intents().tax_synonyms())


def extended_synonyms(extra: Mapping[str, tuple[str, ...]]) -> SynonymTable:
    """The default table (shipped synonyms and tax names) extended with ``extra`` (normalised here)."""

    def compact(text: str) -> str:
        return normalize(text).replace(" ", "")

    return _default_table().extended(
        {
            compact(alias): tuple(compact(t) for t in targets)
            for alias, targets in extra.items()
            if compact(alias)
        }
    )


def build_catalogue(
    documents: Iterable[SearchDocument],
    synonyms: SynonymTable | None = None,
    intents: IntentTable | None = None,
) -> Catalogue:
    """Index ``documents`` in memory; raises :class:`ValueError` on a duplicate key."""
    entries: dict[str, _Entry] = {}
    for document in documents:
        if document.key in entries:
            raise ValueError(f"duplicate search document key: {document.key!r}")
        entries[document.key] = _entry(document)
    table = intents if intents is not None else default_intents()
    if synonyms is None and intents is None:
        synonyms = _default_table()
    elif synonyms is None or intents is not None:
        synonyms = (synonyms or default_synonyms()).extended(table.tax_synonyms())

    postings: dict[str, set[int]] = {}
    name_postings: dict[str, set[int]] = {}
    lengths: list[tuple[int, ...]] = []
    prefixes: list[tuple[str, int, int]] = []
    for number, entry in enumerate(entries.values()):
        for field_number, text in enumerate(entry.texts):
            terms = grams(text)
            for term in terms:
                postings.setdefault(term, set()).add(number)
            if field_number in NAME_FIELDS:
                for term in terms:
                    name_postings.setdefault(term, set()).add(number)
        lengths.append(tuple(len(text.replace(" ", "")) for text in entry.texts))
        prefixes.extend((text, number, field_number) for text, field_number in entry.prefixes)
    count = max(len(lengths), 1)
    averages = tuple(max(sum(row[i] for row in lengths) / count, 1.0) for i in range(len(TEXT_FIELDS)))

    exact: dict[str, set[str]] = {}
    for key, entry in entries.items():
        for name in entry.names:
            exact.setdefault(name, set()).add(key)
    return Catalogue(
        documents={key: entry.document for key, entry in entries.items()},
        keys=tuple(entries),
        exact={name: frozenset(keys_) for name, keys_ in exact.items()},
        names=tuple(sorted((name, key) for key, entry in entries.items() for name in entry.names)),
        profiles=tuple(entry.profile for entry in entries.values()),
        latin=LatinTargets.build(entry.latin for entry in entries.values()),
        synonyms=synonyms,
        intents=table,
        texts=tuple(entry.texts for entry in entries.values()),
        lengths=tuple(lengths),
        averages=averages,
        postings={term: frozenset(numbers) for term, numbers in postings.items()},
        name_postings={term: frozenset(numbers) for term, numbers in name_postings.items()},
        prefixes=tuple(sorted(prefixes)),
        document_intents=tuple(
            table.document_intent(
                entry.document.title, entry.document.path, entry.document.action, entry.document.taxes
            )
            for entry in entries.values()
        ),
    )
