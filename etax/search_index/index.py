"""The Whoosh schema and the in-memory catalogue built from search documents.

A :class:`Catalogue` owns a Whoosh index in ``RamStorage`` plus the plain-Python lookup tables the
ranking needs (exact names, sorted names for prefix look-ups, suggestion data).  It is immutable
after :func:`build_catalogue`; the one Whoosh searcher is used under a lock, everything else is
read-only, so a catalogue can be shared by threads.
"""

from __future__ import annotations

import os
import threading
import uuid
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from whoosh import fields, scoring
from whoosh.filedb.filestore import RamStorage

from .analysis import GramAnalyzer, grams, normalize, pinyin, syllable_grams
from .documents import SearchDocument
from .synonyms import SynonymTable, default_synonyms

__all__ = [
    "INITIALS_FIELD",
    "PINYIN_FIELD",
    "TEXT_FIELDS",
    "Catalogue",
    "LatinTargets",
    "NameGrams",
    "Profile",
    "build_catalogue",
    "compact",
]

TEXT_FIELDS = ("title", "short_title", "keywords", "path", "body")
PINYIN_FIELD = "pinyin"
INITIALS_FIELD = "initials"
KEY_FIELD = "key"


def compact(text: str) -> str:
    """Normalise ``text`` and remove the spaces, the form used for whole-name comparisons."""
    return normalize(text).replace(" ", "")


def _schema() -> Any:
    analyzer = GramAnalyzer()
    text_fields = {name: fields.TEXT(analyzer=analyzer, phrase=True) for name in TEXT_FIELDS}
    return fields.Schema(
        **{
            KEY_FIELD: fields.ID(stored=True, unique=True),
            PINYIN_FIELD: fields.KEYWORD(scorable=True),
            INITIALS_FIELD: fields.KEYWORD(scorable=True),
            **text_fields,
        }
    )


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


@dataclass(frozen=True, slots=True)
class _Entry:
    """A document prepared for indexing: names, suggestion data and Whoosh field values."""

    document: SearchDocument
    names: tuple[str, ...]
    profile: Profile
    latin: dict[str, int]
    fields: dict[str, Any]


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
    index_fields: dict[str, Any] = {
        KEY_FIELD: document.key,
        "title": document.title,
        "short_title": document.short_title,
        "keywords": "\n".join(document.keywords),
        "path": "\n".join(document.path),
        "body": document.body,
        PINYIN_FIELD: sorted(full),
        INITIALS_FIELD: sorted(initials),
    }
    unique_names = tuple(dict.fromkeys(name for name in names if name))
    return _Entry(document, unique_names, profile, latin, index_fields)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """An immutable, thread-safe in-memory index of search documents."""

    documents: Mapping[str, SearchDocument]
    exact: Mapping[str, frozenset[str]]
    names: tuple[tuple[str, str], ...]
    profiles: tuple[Profile, ...]
    latin: LatinTargets
    synonyms: SynonymTable
    _searcher: Any = field(repr=False)
    _keys: tuple[str, ...] = field(repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def run(self, query: Any) -> list[tuple[str, float]]:
        """Run a Whoosh query and return ``(key, score)`` for every matching document."""
        with self._lock:
            results = self._searcher.search(query, limit=None)
            return [(self._keys[int(hit.docnum)], float(hit.score)) for hit in results]

    def starting_with(self, prefix: str) -> set[str]:
        """Return the keys of documents with a name starting with ``prefix``."""
        keys: set[str] = set()
        position = bisect_left(self.names, (prefix, ""))
        while position < len(self.names) and self.names[position][0].startswith(prefix):
            keys.add(self.names[position][1])
            position += 1
        return keys


def build_catalogue(documents: Iterable[SearchDocument], synonyms: SynonymTable | None = None) -> Catalogue:
    """Index ``documents`` in memory; raises :class:`ValueError` on a duplicate key."""
    entries: dict[str, _Entry] = {}
    for document in documents:
        if document.key in entries:
            raise ValueError(f"duplicate search document key: {document.key!r}")
        entries[document.key] = _entry(document)

    # A unique index name: Whoosh's writer keeps temporary files under "<tmpdir>/<indexname>.tmp",
    # which would be shared (and raced) by every process building an index at the same moment.
    index = RamStorage().create_index(_schema(), indexname=f"etax_{os.getpid()}_{uuid.uuid4().hex}")
    writer = index.writer()
    for entry in entries.values():
        writer.add_document(**entry.fields)
    writer.commit()
    searcher = index.searcher(weighting=scoring.BM25F())
    keys = [""] * int(searcher.doc_count_all())
    for docnum, stored in searcher.reader().iter_docs():
        keys[int(docnum)] = str(stored[KEY_FIELD])

    exact: dict[str, set[str]] = {}
    for key, entry in entries.items():
        for name in entry.names:
            exact.setdefault(name, set()).add(key)
    return Catalogue(
        documents={key: entry.document for key, entry in entries.items()},
        exact={name: frozenset(keys_) for name, keys_ in exact.items()},
        names=tuple(sorted((name, key) for key, entry in entries.items() for name in entry.names)),
        profiles=tuple(entry.profile for entry in entries.values()),
        latin=LatinTargets.build(entry.latin for entry in entries.values()),
        synonyms=synonyms if synonyms is not None else default_synonyms(),
        _searcher=searcher,
        _keys=tuple(keys),
    )
