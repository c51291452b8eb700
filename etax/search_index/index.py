"""The Whoosh index of search documents (keyword → function) and the catalogue around it.

A :class:`Catalogue` owns a Whoosh index in memory (one per worker process, built at start-up: no
index files, no file locks between workers) with one field per part of a document — title, short
title, keywords, menu path and body analysed by :class:`~.analysis.ChineseAnalyzer` (every unit and
Han bigram, with positions), the pinyin and initials of every name suffix, and the whole names — and
scores phrases with Whoosh's BM25F, boosted per field. Beside the index it keeps what ranking and
suggestions read per document: the normalised field texts, suggestion profiles and each function's
intent (action kinds and taxes). It is immutable after :func:`build_catalogue` and can be shared by
threads.
"""

from __future__ import annotations

import math
import re
import threading
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from whoosh import fields, scoring
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage

from .analysis import (
    ChineseAnalyzer,
    Pinyin,
    ReadingAnalyzer,
    grams,
    normalize,
    phrase_terms,
    pinyin,
    syllable_grams,
)
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
    "open_searcher",
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
# Typed pinyin or initials are read as at most this many ways of cutting them into syllables, the
# last one possibly begun, each begun syllable completed in at most READING_COMPLETIONS ways.
READING_SPLITS = 16
READING_COMPLETIONS = 48
LATIN_FIELDS = (PINYIN_FIELD, INITIALS_FIELD, "title", "keywords")
# Pinyin and Latin prefix matches score a constant (their boost); they are about tiers, not relevance.
LATIN_BOOSTS: Mapping[str, float] = {PINYIN_FIELD: 2.0, INITIALS_FIELD: 2.0, "title": 1.0, "keywords": 0.5}
BM25_K1 = 1.2
BM25_B = 0.75
# Query-derived memo entries kept per worker (about 1 KB each): a search log's long tail of distinct
# queries fills the memo, which then starts afresh (measured: 20,000 entries held ≈ 15.5 MB, 4,000 ≈ 3 MB).
MEMO_LIMIT = 4_000


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
    letter pair to its ``(position, target index)`` pairs sorted by position, to find candidates cheaply,
    each packed into one 64-bit integer (``position << 32 | target index``) of an array: 8 bytes an entry
    instead of a two-integer tuple's 64 (the table is ≈ 74,000 entries for the built-in catalogue).
    """

    targets: tuple[str, ...]
    owners: tuple[tuple[tuple[int, int], ...], ...]
    postings: Mapping[str, array[int]]

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
            postings={
                pair: array("q", sorted(position << 32 | number for position, number in entries))
                for pair, entries in postings.items()
            },
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
            for code in self.postings.get(pair, ()):
                if code >> 32 >= window:
                    break
                within.add(code & 0xFFFFFFFF)
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


@dataclass(frozen=True, slots=True)
class _Entry:
    """A document prepared for indexing: names, suggestion data, field texts and Whoosh field values."""

    document: SearchDocument
    names: tuple[str, ...]
    profile: Profile
    readings: tuple[tuple[Pinyin, ...], tuple[str, ...]]
    texts: tuple[str, ...]
    fields: dict[str, str]


def _latin_forms(readings: Sequence[Pinyin], extra: Sequence[str]) -> dict[str, int]:
    """Every pinyin and initials suffix of a document's names → the syllable it starts at."""
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
    return latin


def _entry(document: SearchDocument) -> _Entry:
    readings = (pinyin(document.title), pinyin(document.short_title))
    extra = tuple(letters for letters in map(compact, document.initials) if letters)

    names = [compact(document.title), compact(document.short_title)]
    names += [*(reading.full for reading in readings), *(reading.letters for reading in readings), *extra]
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
    unique_names = tuple(dict.fromkeys(name for name in names if name))
    index_fields: dict[str, str] = {
        # A short title equal to the title is not indexed twice (its terms would only cost build time).
        **{
            name: text
            for name, text in zip(TEXT_FIELDS, texts, strict=True)
            if text and (name != "short_title" or text != texts[0])
        },
        PINYIN_FIELD: "|".join(dict.fromkeys(" ".join(reading.syllables) for reading in readings)),
        INITIALS_FIELD: "|".join(
            dict.fromkeys([*(" ".join(reading.initials) for reading in readings), *map(" ".join, extra)])
        ),
    }
    return _Entry(document, unique_names, profile, (readings, extra), texts, index_fields)


class _MemoryStorage(RamStorage):  # type: ignore[misc]
    """Whoosh's RamStorage whose writer keeps its temporary runs in memory too.

    Plain RamStorage gives the writer a temporary directory under the system's temp dir; this one
    never touches the disk, so workers building their index at the same moment share nothing.
    """

    def temp_storage(self, name: str | None = None) -> Any:
        return RamStorage()


def _schema() -> Any:
    """The Whoosh schema: the Chinese text fields and the readings (pinyin, initials), scorable.

    No positions are kept (they would double the build time): a phrase is looked up as all of its
    terms in one field, then confirmed against the document's text (see :meth:`Catalogue._per_field`).
    Scores are Whoosh's BM25F of the phrase in each field, boosted per field (see :meth:`Catalogue._scores`).
    """
    analyzer = ChineseAnalyzer()
    readings = ReadingAnalyzer()
    return fields.Schema(
        **{name: fields.TEXT(analyzer=analyzer, phrase=False) for name in TEXT_FIELDS},
        **{name: fields.TEXT(analyzer=readings, phrase=False) for name in (PINYIN_FIELD, INITIALS_FIELD)},
    )


@dataclass(frozen=True, slots=True)
class Catalogue:
    """An immutable, thread-safe index of search documents: a Whoosh index plus lookup tables.

    Documents are numbered in build order, which is their Whoosh document number. The Whoosh index
    (in memory, one per process) maps every Chinese unit and Han bigram of the text fields (title,
    short title, keywords, path, body; positions kept, so phrases are exact), the pinyin and initials
    of every name suffix, and the whole names (exact and prefix tiers) to documents; phrases are
    scored with Whoosh's BM25F, boosted per field. ``texts[n][f]`` keeps document ``n``'s normalised
    text of field ``TEXT_FIELDS[f]`` (what a stored field would give back) for coverage and negation
    checks; ``profiles`` and the typo-tolerant Latin targets serve suggestions. Whoosh's reader is
    used under a lock; what it answers is memoised (bounded), so repeated phrases cost a dict look-up.
    """

    documents: Mapping[str, SearchDocument]
    keys: tuple[str, ...]
    exact: Mapping[str, frozenset[str]]
    names: tuple[tuple[str, str], ...]
    profiles: tuple[Profile, ...]
    synonyms: SynonymTable
    intents: IntentTable
    texts: tuple[tuple[str, ...], ...]
    document_intents: tuple[DocumentIntent, ...]
    _searcher: Any = field(repr=False)
    _readings: tuple[tuple[tuple[Pinyin, ...], tuple[str, ...]], ...] = field(repr=False)
    _reading_texts: tuple[Mapping[str, str], ...] = field(repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    _remembered: list[str] = field(default_factory=list, repr=False)  # the query entries of _memo
    # Each (field, term)'s posting list: bounded by the index's own terms, so never limited.
    _term_memo: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict, repr=False)

    def _remember(self, key: str, value: Any) -> Any:
        """Memoise a query's ``value``; past MEMO_LIMIT of them, forget them all and start afresh.

        Only entries stored here go (what the index reads once, such as its terms, stays): memory is
        bounded, and what is searched now is cached again.
        """
        if len(self._remembered) >= MEMO_LIMIT:
            for stale in self._remembered:
                self._memo.pop(stale, None)
            self._remembered.clear()
        self._memo[key] = value
        self._remembered.append(key)
        return value

    def _postings(self, field_name: str, term: str) -> frozenset[int]:
        """The documents having ``term`` in ``field_name``, from Whoosh's posting list (read once)."""
        found = self._term_memo.get((field_name, term))
        if found is None:
            found = frozenset(self._ids(field_name, (term,)))
            self._term_memo[(field_name, term)] = found
        return found

    def _lengths(self, number: int) -> tuple[float, tuple[int, ...]]:
        """Whoosh's average length of text field ``number`` and each document's length of it."""
        key = f"\0L:{number}"
        found: tuple[float, tuple[int, ...]] | None = self._memo.get(key)
        if found is None:
            name = TEXT_FIELDS[number]
            with self._lock:
                reader = self._searcher.reader()
                lengths = tuple(int(reader.doc_field_length(d, name) or 0) for d in range(len(self.keys)))
                average = float(self._searcher.avg_field_length(name, 0) or 1.0)
            found = (average, lengths)
            self._memo[key] = found
        return found

    def _ids(self, field_name: str, terms: Iterable[str]) -> set[int]:
        """Documents having any of ``terms`` in ``field_name`` (straight from Whoosh's postings)."""
        reader = self._searcher.reader()
        found: set[int] = set()
        with self._lock:
            for term in terms:
                if (field_name, term) in reader:
                    found.update(int(number) for number in reader.postings(field_name, term).all_ids())
        return found

    def _expand(self, field_name: str, prefix: str) -> list[str]:
        """The terms of ``field_name`` starting with ``prefix``."""
        with self._lock:
            return [
                term.decode("utf-8") for term in self._searcher.reader().expand_prefix(field_name, prefix)
            ]

    def _per_field(self, text: str) -> tuple[frozenset[int], ...]:
        """For each text field, the documents having the compact phrase ``text`` inside one of its words.

        Whoosh's postings give the documents having every term of the phrase in the field; the
        phrase is then confirmed in one piece in the document's text of that field.
        """
        key = "\0p:" + text
        found: tuple[frozenset[int], ...] | None = self._memo.get(key)
        if found is None:
            words = text.split()
            terms = sorted({term for word in words for term in phrase_terms(word)})
            per_field: list[frozenset[int]] = []
            for number, name in enumerate(TEXT_FIELDS):
                if not terms or not self._lexicon(name).issuperset(terms):
                    per_field.append(frozenset())  # a field lacking a term cannot have the phrase
                    continue
                postings = sorted((self._postings(name, term) for term in terms), key=len)
                candidates = set(postings[0]).intersection(*postings[1:])
                texts = self.texts
                per_field.append(
                    frozenset(
                        document
                        for document in candidates
                        if all(word in texts[document][number] for word in words)
                    )
                )
            found = self._remember(key, tuple(per_field))
        return found

    def _scores(self, text: str, fields_: Sequence[int]) -> Mapping[int, float]:
        """BM25F of the phrase in the documents having it in ``fields_``, summed over the fields.

        Whoosh's BM25F (``whoosh.scoring.bm25``, its idf and field lengths) with the phrase taken as
        the term: its frequency is how often the phrase occurs in the field, its idf comes from how
        many documents have the phrase in the field. Scoring the phrase rather than its bigrams keeps
        a field that merely repeats one bigram (开票 in 开票业务 › 复制开票) from looking more relevant.
        """
        key = "\0s:" + ",".join(map(str, fields_)) + ":" + text
        found: dict[int, float] | None = self._memo.get(key)
        if found is None:
            per_field = self._per_field(text)
            words = text.split()
            count = len(self.keys)
            found = {}
            for number in fields_:
                having = per_field[number]
                if not having:
                    continue
                average, lengths = self._lengths(number)
                idf = math.log(count / (len(having) + 1)) + 1
                boost = FIELD_BOOSTS[TEXT_FIELDS[number]]
                for document in having:
                    value = self.texts[document][number]
                    frequency = min(value.count(word) for word in words)
                    score = boost * scoring.bm25(idf, frequency, lengths[document], average, BM25_B, BM25_K1)
                    found[document] = found.get(document, 0.0) + score
            self._remember(key, found)
        return found

    @property
    def latin(self) -> LatinTargets:
        """Typo-tolerant pinyin and initials targets, built on first use (suggestions only need them)."""
        targets: LatinTargets | None = self._memo.get("\0latin")
        if targets is None:
            targets = LatinTargets.build(_latin_forms(*readings) for readings in self._readings)
            self._memo["\0latin"] = targets
        return targets

    def starting_with(self, prefix: str) -> set[str]:
        """Return the keys of documents with a name (title, short title, pinyin, initials) starting with ``prefix``."""
        keys: set[str] = set()
        position = bisect_left(self.names, (prefix, ""))
        while position < len(self.names) and self.names[position][0].startswith(prefix):
            keys.add(self.names[position][1])
            position += 1
        return keys

    def _terms(self, field_name: str) -> tuple[str, ...]:
        """The sorted terms of a field, read from Whoosh's term dictionary once."""
        key = "\0t:" + field_name
        terms: tuple[str, ...] | None = self._memo.get(key)
        if terms is None:
            with self._lock:
                terms = tuple(sorted(str(term) for term in self._searcher.reader().field_terms(field_name)))
            self._memo[key] = terms
        return terms

    def _lexicon(self, field_name: str) -> frozenset[str]:
        """The terms of a field as a set."""
        key = "\0x:" + field_name
        terms: frozenset[str] | None = self._memo.get(key)
        if terms is None:
            terms = frozenset(self._terms(field_name))
            self._memo[key] = terms
        return terms

    def _completions(self, field_name: str, begun: str) -> list[str]:
        lexicon = self._terms(field_name)
        position = bisect_left(lexicon, begun)
        found: list[str] = []
        while position < len(lexicon) and lexicon[position].startswith(begun):
            found.append(lexicon[position])
            position += 1
            if len(found) >= READING_COMPLETIONS:
                break
        return found

    def _splits(self, field_name: str, text: str) -> list[tuple[str, ...]]:
        """Ways to read ``text`` as whole syllables of ``field_name`` then one begun syllable."""
        lexicon = self._lexicon(field_name)
        longest = max(map(len, lexicon), default=0)
        splits: list[tuple[str, ...]] = []
        dead: set[int] = set()  # positions from which no reading of the rest exists

        def walk(start: int, done: tuple[str, ...]) -> bool:
            if len(splits) >= READING_SPLITS:
                return True
            if start in dead:
                return False
            rest = text[start:]
            read = False
            for completion in self._completions(field_name, rest):
                splits.append((*done, completion))
                read = True
                if len(splits) >= READING_SPLITS:
                    return True
            for end in range(start + 1, min(len(text), start + longest + 1)):
                if text[start:end] in lexicon and walk(end, (*done, text[start:end])):
                    read = True
            if not read:
                dead.add(start)
            return read

        walk(0, ())
        return list(dict.fromkeys(splits))

    def _reading(self, field_name: str, text: str) -> frozenset[int]:
        """Documents whose reading in ``field_name`` has ``text`` starting at some syllable."""
        readings = self._reading_texts
        found: set[int] = set()
        for split in self._splits(field_name, text):
            # Whoosh gives the documents having the split's rarest syllable; the run is confirmed in
            # the reading (no scores are needed: a reading match weighs its field's boost).
            wanted = " " + " ".join(split) + " "
            with self._lock:
                reader = self._searcher.reader()
                rarest = min(set(split), key=lambda term: reader.doc_frequency(field_name, term))
            found.update(
                number
                for number in self._ids(field_name, (rarest,))
                if wanted in readings[number][field_name]
            )
        return frozenset(found)

    def containing(self, text: str) -> frozenset[int]:
        """Documents having the compact phrase ``text`` inside one word of some field."""
        key = "\0a:" + text
        found: frozenset[int] | None = self._memo.get(key)
        if found is None:
            found = self._remember(key, frozenset().union(*self._per_field(text)))
        return found

    def in_names(self, text: str) -> frozenset[int]:
        """Documents having the compact phrase ``text`` in a title, short title or keyword."""
        key = "\0n:" + text
        found: frozenset[int] | None = self._memo.get(key)
        if found is None:
            per_field = self._per_field(text)
            found = self._remember(key, frozenset().union(*(per_field[number] for number in NAME_FIELDS)))
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
        return frozenset(found)

    def latin_prefix(self, text: str) -> dict[int, float]:
        """Documents with a pinyin, initials or Latin word starting with ``text``: the summed field boosts."""
        key = "\0l:" + text
        found: dict[int, float] | None = self._memo.get(key)
        if found is None:
            found = {}
            for name in LATIN_FIELDS:
                if name in (PINYIN_FIELD, INITIALS_FIELD):
                    numbers: Iterable[int] = self._reading(name, text)
                else:
                    numbers = self._ids(name, self._expand(name, text))
                for number in numbers:
                    found[number] = found.get(number, 0.0) + LATIN_BOOSTS[name]
            self._remember(key, found)
        return dict(found)

    def bm25(self, text: str, number: int, fields_: Sequence[int] = ALL_FIELDS) -> float:
        """Whoosh's BM25F of the phrase ``text`` in document ``number`` over ``fields_`` (boosted per field)."""
        return self._scores(text, fields_).get(number, 0.0)


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


def open_searcher(storage: RamStorage) -> Any:
    """A BM25F searcher over the index in ``storage`` (just built, or read back by :mod:`.stored`)."""
    return storage.open_index().searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1))


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

    storage = _MemoryStorage()
    index = storage.create_index(_schema())
    # Posting blocks are not compressed and the segment is not copied into a compound file: the index
    # lives in memory anyway.
    writer = index.writer(codec=W3Codec(compression=0), compound=False)
    for entry in entries.values():
        writer.add_document(**entry.fields)
    writer.commit()
    searcher = open_searcher(storage)
    if searcher.doc_count_all() != len(entries):  # pragma: no cover - Whoosh numbers documents in order
        raise RuntimeError("search index: Whoosh did not number the documents in build order")
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
        synonyms=synonyms,
        intents=table,
        texts=tuple(entry.texts for entry in entries.values()),
        _searcher=searcher,
        _readings=tuple(entry.readings for entry in entries.values()),
        # Each reading field's value as " zeng zhi shui | zeng zhi shui ", to confirm syllable runs in.
        _reading_texts=tuple(
            {name: f" {entry.fields[name].replace('|', ' | ')} " for name in (PINYIN_FIELD, INITIALS_FIELD)}
            for entry in entries.values()
        ),
        document_intents=tuple(
            table.document_intent(
                entry.document.title, entry.document.path, entry.document.action, entry.document.taxes
            )
            for entry in entries.values()
        ),
    )
