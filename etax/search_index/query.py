"""Query parsing, ranking and suggestions, and the public :class:`SearchIndex`.

User input is never handed to a query parser: it is normalised, cut into words and synonym parts, and
turned into Whoosh query objects directly, so quotes, colons, ``*``, ``AND`` and the like are plain
text.  Ranking has three strict tiers (exact name, name prefix, BM25F text match) and a relaxed fallback
tier (the query's character pairs anywhere in a name), used only when the strict tiers find nothing; see
:meth:`SearchIndex.search`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import groupby
from typing import Any, NamedTuple

from whoosh import query as wq

from .analysis import grams, is_han, normalize, phrase_terms, pinyin, split_units, syllable_grams
from .documents import MatchKind, SearchDocument, SearchHit
from .index import INITIALS_FIELD, PINYIN_FIELD, Catalogue, Profile, build_catalogue

__all__ = ["SearchIndex"]

MAX_QUERY_CHARS = 64
MAX_QUERY_WORDS = 8
FIELD_BOOSTS: Mapping[str, float] = {
    "title": 6.0,
    "short_title": 5.0,
    "keywords": 3.0,
    "path": 1.5,
    "body": 0.5,
}
# Pinyin and Latin prefix matches score a constant (their boost); they are about tiers, not relevance.
PREFIX_BOOSTS: Mapping[str, float] = {PINYIN_FIELD: 2.0, INITIALS_FIELD: 2.0, "title": 1.0, "keywords": 0.5}
# The relaxed tier only looks at names: a title, short title or keyword, never the path or body.
RELAXED_BOOSTS: Mapping[str, float] = {
    name: FIELD_BOOSTS[name] for name in ("title", "short_title", "keywords")
}
TIERS: Mapping[MatchKind, int] = {"exact": 0, "prefix": 1, "text": 2, "relaxed": 3}
SUGGEST_MIN_OVERLAP = 0.6
SCORE_DIGITS = 6

Allowed = Callable[[str], bool]


class _Plan(NamedTuple):
    """A parsed query: the required parts (each a tuple of alternatives) and the whole-query forms."""

    parts: tuple[tuple[str, ...], ...]
    forms: tuple[str, ...]

    def query(self, alternative: Callable[[str], Any]) -> Any:
        """Whoosh query needing every part, with ``alternative`` turning each alternative into a query."""
        return wq.And([wq.DefaultOr([alternative(text) for text in part]) for part in self.parts])

    def can_relax(self) -> bool:
        """Whether the relaxed query may find more than the strict one.

        Only Chinese alternatives of two or more phrase terms differ: a single term (one character or
        one pair) is already matched anywhere by the strict query, and Latin words are never relaxed.
        """
        return any(not text.isascii() and len(phrase_terms(text)) > 1 for part in self.parts for text in part)


def _phrase(fieldname: str, terms: list[str], boost: float) -> Any:
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0], boost=boost)
    return wq.Phrase(fieldname, terms, boost=boost)


def _alternative(text: str) -> Any:
    """Query for one alternative of one part: a phrase in every text field, or Latin prefixes."""
    if text.isascii():
        prefixes = [
            wq.ConstantScoreQuery(wq.Prefix(name, text), boost) for name, boost in PREFIX_BOOSTS.items()
        ]
        return wq.DefaultOr(prefixes)
    terms = phrase_terms(text)
    return wq.DefaultOr([_phrase(name, terms, boost) for name, boost in FIELD_BOOSTS.items()])


def relaxed_terms(text: str) -> list[tuple[str, ...]]:
    """Return, for each unit of a normalised word, the terms that can cover it, de-duplicated.

    A Han character next to another Han character is covered by any pair it belongs to: in 增值税申报,
    增 needs 增值, 税 needs 值税 or 税申, 报 needs 申报, so a name with 增值税 and 申报 apart matches
    without the junction pair 税申.  A lone Han character and a Latin or digit run cover themselves.
    """
    units = split_units(text)
    options: list[tuple[str, ...]] = []
    for offset, unit in enumerate(units):
        pairs: list[str] = []
        if is_han(unit) and offset > 0 and is_han(units[offset - 1]):
            pairs.append(units[offset - 1] + unit)
        if is_han(unit) and offset + 1 < len(units) and is_han(units[offset + 1]):
            pairs.append(unit + units[offset + 1])
        options.append(tuple(pairs) or (unit,))
    return list(dict.fromkeys(options))


def _relaxed_alternative(text: str) -> Any:
    """Relaxed query for one alternative: each of its units covered somewhere in a name, in any order."""
    if text.isascii():
        return _alternative(text)
    return wq.And(
        [
            wq.DefaultOr(
                [wq.Term(name, term, boost=boost) for term in terms for name, boost in RELAXED_BOOSTS.items()]
            )
            for terms in relaxed_terms(text)
        ]
    )


def _plan(catalogue: Catalogue, text: str) -> _Plan | None:
    words = normalize(text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].split()[:MAX_QUERY_WORDS]
    if not words:
        return None
    # Latin and Chinese runs of one word are matched separately: zzs申报 means zzs AND 申报.
    runs = ["".join(chars) for word in words for _, chars in groupby(word, key=str.isascii)]
    parts = [part for run in runs for part in catalogue.synonyms.segment(run)]
    required = [part for part in parts if "" not in part]
    if not required:  # nothing but filler words: search for them after all
        required = [tuple(alternative for alternative in part if alternative) for part in parts]
    return _Plan(tuple(required), catalogue.synonyms.rewrites("".join(words)))


def _tiers(catalogue: Catalogue, forms: Sequence[str]) -> dict[str, MatchKind]:
    tiers: dict[str, MatchKind] = {}
    for form in forms:
        for key in catalogue.starting_with(form):
            tiers[key] = "prefix"
    for form in forms:
        for key in catalogue.exact.get(form, ()):
            tiers[key] = "exact"
    return tiers


def rank(
    catalogue: Catalogue,
    text: str,
    *,
    allowed: Allowed | None,
    popularity: Mapping[str, int] | None,
    limit: int | None,
) -> list[SearchHit]:
    """Search ``catalogue`` for ``text``; see :meth:`SearchIndex.search`."""
    plan = _plan(catalogue, text)
    if plan is None or (limit is not None and limit <= 0):
        return []
    scores = dict(catalogue.run(plan.query(_alternative)))
    tiers = _tiers(catalogue, plan.forms)
    candidates = scores.keys() | tiers.keys()
    if allowed is not None:
        candidates = {key for key in candidates if allowed(key)}
    fallback: MatchKind = "text"
    if not candidates and plan.can_relax():
        scores = dict(catalogue.run(plan.query(_relaxed_alternative)))
        candidates = {key for key in scores if allowed is None or allowed(key)}
        fallback = "relaxed"
    popular = popularity or {}
    hits = [
        SearchHit(key=key, score=round(scores.get(key, 0.0), SCORE_DIGITS), match=tiers.get(key, fallback))
        for key in candidates
    ]
    hits.sort(
        key=lambda hit: (
            TIERS[hit.match],
            -hit.score,
            -popular.get(hit.key, 0),
            len(catalogue.documents[hit.key].title),
            hit.key,
        )
    )
    return hits if limit is None else hits[:limit]


def prefix_distance(text: str, target: str, bound: int) -> int:
    """Smallest edit distance between ``text`` and any prefix of ``target``, capped at ``bound + 1``."""
    row = list(range(min(len(target), len(text) + bound) + 1))
    for index, char in enumerate(text, start=1):
        previous, row = row, [index]
        for column in range(1, len(previous)):
            cost = 0 if target[column - 1] == char else 1
            row.append(min(previous[column] + 1, row[column - 1] + 1, previous[column - 1] + cost))
        if min(row) > bound:
            return bound + 1
    return min(min(row), bound + 1)


def _typo_bound(length: int) -> int:
    return 0 if length <= 3 else 1 if length <= 6 else 2 if length <= 12 else 3


class _Similarity(NamedTuple):
    score: float
    offset: int


def _latin_matches(catalogue: Catalogue, latin: str) -> dict[int, _Similarity]:
    """Best match per profile of typed pinyin or initials against the start of a syllable."""
    typos = _typo_bound(len(latin))
    targets = catalogue.latin
    best: dict[int, _Similarity] = {}
    for number in targets.candidates(latin, typos):
        distance = prefix_distance(latin, targets.targets[number], typos)
        if distance > typos:
            continue
        score = 1.0 - distance / len(latin)
        for profile, offset in targets.owners[number]:
            current = best.get(profile)
            if current is None or (-score, offset) < (-current.score, current.offset):
                best[profile] = _Similarity(score, offset)
    return best


def _coverage(query: frozenset[str], name: frozenset[str]) -> float | None:
    """Mean of the shares of query grams found in the name and of name grams found in the query.

    ``None`` unless at least :data:`SUGGEST_MIN_OVERLAP` of the query's grams are in the name.
    """
    shared = len(query & name)
    if not query or not name or shared < SUGGEST_MIN_OVERLAP * len(query):
        return None
    return (shared / len(query) + shared / len(name)) / 2


def _gram_similarity(
    chars: frozenset[str], syllables: frozenset[str], profile: Profile
) -> _Similarity | None:
    """How well Chinese text matches the profile's names, by characters or by pinyin syllables."""
    scores = [
        score
        for name in profile.names
        for score in (_coverage(chars, name.chars), _coverage(syllables, name.syllables))
        if score is not None
    ]
    return _Similarity(max(scores), 0) if scores else None


def suggest_titles(catalogue: Catalogue, text: str, *, allowed: Allowed | None, limit: int) -> list[str]:
    """Titles the user may have meant by ``text``; see :meth:`SearchIndex.suggest`."""
    normalized = normalize(text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS]
    compacted = normalized.replace(" ", "")
    if not compacted or limit <= 0:
        return []
    if compacted.isascii():
        matches = _latin_matches(catalogue, compacted)
    else:
        chars, syllables = grams(normalized), syllable_grams(pinyin(normalized))
        found = (_gram_similarity(chars, syllables, profile) for profile in catalogue.profiles)
        matches = {number: similarity for number, similarity in enumerate(found) if similarity is not None}
    ranked: list[tuple[float, int, int, str, str]] = []
    for number, similarity in matches.items():
        profile = catalogue.profiles[number]
        if allowed is None or allowed(profile.key):
            ranked.append(
                (-similarity.score, similarity.offset, len(profile.title), profile.key, profile.title)
            )
    ranked.sort()
    return list(dict.fromkeys(title for *_, title in ranked))[:limit]


class SearchIndex:
    """In-memory keyword → function search over portal functions, articles and packages.

    Build one per worker process with :meth:`build`; afterwards it is read-only and safe to share
    between threads.
    """

    __slots__ = ("_catalogue",)

    def __init__(self, catalogue: Catalogue) -> None:
        """Wrap a built catalogue; use :meth:`build` instead of calling this directly."""
        self._catalogue = catalogue

    @classmethod
    def build(cls, documents: Iterable[SearchDocument]) -> SearchIndex:
        """Index ``documents``; raises :class:`ValueError` if two share a key."""
        return cls(build_catalogue(documents))

    def __len__(self) -> int:
        return len(self._catalogue.documents)

    def search(
        self,
        query: str,
        *,
        allowed: Allowed | None = None,
        popularity: Mapping[str, int] | None = None,
        limit: int | None = 10,
    ) -> list[SearchHit]:
        """Return the documents matching ``query``, best first.

        Every word of the query must match (a Chinese word as a contiguous phrase, a Latin word as the
        prefix of a pinyin reading, its initials or a Latin word); synonyms add alternatives.
        Ranking tiers: ``exact`` (the query is a title, short title, pinyin or initials),
        ``prefix`` (one of those starts with the query), then ``text`` (BM25F, title boosted).  Within a
        tier: score, then ``popularity`` (times opened), then shorter title, then key.  Documents
        rejected by ``allowed`` are removed before ranking and limiting.  Any input is plain text.

        Only if those tiers find no allowed document, the ``relaxed`` tier drops contiguity: every
        character of a Chinese word must be covered by one of its character pairs (a lone character by
        itself) occurring anywhere, in any order, in the title, short title or keywords — so 增值税申报
        and 申报增值税 find 增值税一般纳税人申报, while the junction pair 税申 is not needed.  Relaxed
        hits are ranked like ``text`` hits (BM25F, title boosted) and never mixed with strict ones.
        """
        return rank(self._catalogue, query, allowed=allowed, popularity=popularity, limit=limit)

    def suggest(self, query: str, *, allowed: Allowed | None = None, limit: int = 5) -> list[str]:
        """Return titles the user may have meant, for a query that found nothing.

        Typed pinyin and initials are compared with every document's readings allowing a few typos;
        Chinese text is compared with titles by the characters and character pairs they share, and
        by the pinyin syllables and syllable pairs they share (so homophone typos such as 纳税人壮态
        match).  Titles of documents rejected by ``allowed`` are never returned.
        """
        return suggest_titles(self._catalogue, query, allowed=allowed, limit=limit)

    def document(self, key: str) -> SearchDocument | None:
        """Return the indexed document with ``key``, or ``None``."""
        return self._catalogue.documents.get(key)
