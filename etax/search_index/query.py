"""Query parsing, ranking and suggestions, and the public :class:`SearchIndex`.

User input is never handed to a query parser: it is normalised, cut into words and synonym parts, and
matched as plain phrases, so quotes, colons, ``*``, ``AND`` and the like are plain text. Ranking has
three strict tiers (exact name, name prefix, BM25F text match where every part is found), a relaxed
tier (the query's character pairs anywhere in a name, only when the strict tiers find nothing) and
a scored tier (``partial``: enough of the query's meaningful units covered, see
:mod:`.understanding`); within each tier the text score is weighed by intent agreement (action kind
and tax asked for vs. what the function does) and learned click-through. See :meth:`SearchIndex.search`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import groupby
from typing import NamedTuple

from .analysis import grams, is_han, normalize, phrase_terms, pinyin, split_units, syllable_grams
from .documents import MatchKind, SearchDocument, SearchHit
from .index import ALL_FIELDS, NAME_FIELDS, PATH_FIELD, Catalogue, Profile, build_catalogue
from .intents import DocumentIntent
from .synonyms import SynonymTable
from .understanding import Understanding, Unit, understand

__all__ = ["SearchIndex", "click_key"]

MAX_QUERY_CHARS = 64
MAX_QUERY_WORDS = 8
TIERS: Mapping[MatchKind, int] = {"exact": 0, "prefix": 1, "text": 2, "relaxed": 3, "partial": 4}
SUGGEST_MIN_OVERLAP = 0.6
SCORE_DIGITS = 6
# Coverage of one unit by one document: found in a name, only in the menu path, only in the body.
COVER_NAME = 1.0
COVER_PATH = 0.5
COVER_BODY = 0.3
# In the scored tier, the share of the score that BM25F decides (the rest is coverage), computed for
# the PARTIAL_SCORED best-covered documents.
TEXT_SHARE = 0.2
PARTIAL_SCORED = 40
# With a limit, only this many times as many scored hits are weighed and ranked.
PARTIAL_KEEP = 5
# Intent agreement factors (see :func:`intent_factor`).
ACTION_MAIN = 1.0
ACTION_ALSO = 0.8
ACTION_OTHER = 0.55
ACTION_NONE = 0.7
TAX_AGREES = 1.0
TAX_NONE = 0.75
TAX_OTHER = 0.35
# A unit's weight in coverage is its idf times this: the tax asked about is the question's object.
ROLE_WEIGHTS: Mapping[str, float] = {"word": 1.0, "latin": 1.0, "action": 1.0, "tax": 2.0}
# A one-character action word matched by a function's action adds this to its text score.
ACTION_PART_SCORE = 1.0
# A word found only right after a negation (不抵扣, 未申报, 非居民) when the query has none counts this much.
NEGATED = 0.4
NEGATIONS = frozenset("不未非无免")
# In the relaxed and scored tiers, the share of the score decided by how near the query is to a name.
NEAR_SHARE = 0.3
# Typed pinyin or initials at least this long that found nothing are matched allowing a few typos.
TYPO_MIN_LETTERS = 4
# Learned click-through: a document chosen for a query gets up to this much more score, and moves up
# to the ``text`` tier when at least PROMOTE_SHARE of the learned choices for the query went to it.
CLICK_WEIGHT = 1.0
# The scored tier fills in behind the strict and relaxed tiers when they found fewer documents than this.
PARTIAL_FILL = 3
PROMOTE_SHARE = 0.5

Allowed = Callable[[str], bool]


def click_key(text: str) -> str:
    """The form under which a query's click-through is learned: normalised, spaces removed."""
    return normalize(text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].replace(" ", "")


class _Plan(NamedTuple):
    """A parsed query: the required parts (each a tuple of alternatives) and the whole-query forms."""

    parts: tuple[tuple[str, ...], ...]
    forms: tuple[str, ...]

    def can_relax(self) -> bool:
        """Whether the relaxed query may find more than the strict one.

        Only Chinese alternatives of two or more phrase terms differ: a single term (one character or
        one pair) is already matched anywhere by the strict query, and Latin words are never relaxed.
        """
        return any(not text.isascii() and len(phrase_terms(text)) > 1 for part in self.parts for text in part)


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


def _alternative_scores(catalogue: Catalogue, text: str) -> dict[int, float]:
    """Documents matching one alternative: Chinese as a phrase in any field (BM25F), Latin as a prefix."""
    if text.isascii():
        return catalogue.latin_prefix(text)
    return {number: catalogue.bm25(text, number) for number in catalogue.containing(text)}


def _action_part(catalogue: Catalogue, part: tuple[str, ...]) -> str | None:
    """The action kind of a part that is a one-character action word (开, 查, 交 …), else ``None``."""
    if len(part) == 1 and len(part[0]) == 1 and is_han(part[0]):
        return catalogue.intents.action_of(part[0])
    return None


def _negation(catalogue: Catalogue, text: str, number: int) -> float:
    """:data:`NEGATED` when every occurrence of ``text`` in the document's names follows a negation."""
    if text[:1] in NEGATIONS:
        return 1.0
    seen = False
    for field_number in NAME_FIELDS:
        value = catalogue.texts[number][field_number]
        start = value.find(text)
        while start >= 0:
            if start == 0 or value[start - 1] not in NEGATIONS:
                return 1.0
            seen = True
            start = value.find(text, start + 1)
    return NEGATED if seen else 1.0


def _strict(catalogue: Catalogue, plan: _Plan) -> dict[int, float]:
    """Documents matching every part of the plan (any alternative of each), with summed scores.

    A one-character action word (开, 查, 交 …) is matched by what a function does, not as a character
    anywhere: 开专票 does not want 最高开票限额审批 because of the 开 in 开票.
    """
    scores: dict[int, float] | None = None
    for part in plan.parts:
        found: dict[int, float] = {}
        kind = _action_part(catalogue, part)
        if kind is not None:
            intents = catalogue.document_intents
            found = {
                number: ACTION_PART_SCORE for number in range(len(intents)) if kind in intents[number].actions
            }
        for alternative in part if kind is None else ():
            for number, score in _alternative_scores(catalogue, alternative).items():
                found[number] = found.get(number, 0.0) + score * _negation(catalogue, alternative, number)
        if scores is None:
            scores = found
        else:
            scores = {number: score + found[number] for number, score in scores.items() if number in found}
        if not scores:
            return {}
    return scores or {}


def _relaxed(catalogue: Catalogue, plan: _Plan) -> dict[int, float]:
    """Documents whose names cover every part, each Chinese alternative pair by pair in any order."""
    scores: dict[int, float] | None = None
    for part in plan.parts:
        found: dict[int, float] = {}
        for alternative in part:
            if alternative.isascii():
                matched = catalogue.latin_prefix(alternative)
            else:
                matched = _relaxed_alternative(catalogue, alternative)
            for number, score in matched.items():
                found[number] = max(found.get(number, 0.0), score)
        scores = found if scores is None else {n: s + found[n] for n, s in scores.items() if n in found}
        if not scores:
            return {}
    return scores or {}


def _relaxed_alternative(catalogue: Catalogue, text: str) -> dict[int, float]:
    options = relaxed_terms(text)
    candidates: set[int] | None = None
    for terms in options:
        covering = set().union(*(catalogue.in_names(term) for term in terms))
        candidates = covering if candidates is None else candidates & covering
        if not candidates:
            return {}
    present = {term for option in options for term in option}
    return {
        number: sum(catalogue.bm25(term, number, NAME_FIELDS) for term in present)
        for number in candidates or ()
    }


def _unit_coverage(catalogue: Catalogue, unit: Unit, number: int, intent: DocumentIntent) -> float:
    """How well document ``number`` covers one unit of the query (0 to 1)."""
    if unit.role == "latin":
        return COVER_NAME if number in catalogue.latin_prefix(unit.text) else 0.0
    if unit.role == "action" and unit.kind in intent.actions:
        return COVER_NAME
    if unit.role == "tax" and catalogue.intents.agree((unit.kind,), intent.taxes):
        return COVER_NAME
    best = 0.0
    texts = catalogue.texts[number]
    for alternative in unit.alternatives:
        if not alternative or number not in catalogue.containing(alternative):
            continue
        if any(alternative in texts[field] for field in NAME_FIELDS):
            return COVER_NAME * _negation(catalogue, alternative, number)
        best = max(best, COVER_PATH if alternative in texts[PATH_FIELD] else COVER_BODY)
    return best


def _unit_documents(catalogue: Catalogue, unit: Unit) -> set[int]:
    if unit.role == "latin":
        return set(catalogue.latin_prefix(unit.text))
    found: set[int] = set()
    for alternative in unit.alternatives:
        if alternative:
            found |= catalogue.containing(alternative)
    if unit.role in ("action", "tax"):
        found |= catalogue.intended(unit.role, unit.kind)
    return found


def _partial(catalogue: Catalogue, meaning: Understanding) -> dict[int, float]:
    """The scored tier: documents covering some meaningful unit, by idf-weighted coverage² × BM25F.

    Coverage dominates; BM25F of the units' phrases only separates documents covering alike.
    """
    units = meaning.units
    if not units:
        return {}
    total = len(catalogue.keys)
    found = [_unit_documents(catalogue, unit) for unit in units]
    weights = [
        math.log(1 + total / (1 + len(docs))) * ROLE_WEIGHTS[unit.role] if docs else 0.0
        for unit, docs in zip(units, found, strict=True)
    ]
    weight_sum = sum(weights)
    content = any(docs for unit, docs in zip(units, found, strict=True) if unit.role != "action")
    if not content and all(len(unit.text) == 1 for unit in units if unit.role == "action"):
        return {}  # a lone 报 or 开 amid unknown text (天气预报) is no question about a function
    pool = set().union(*found)
    if not pool or not weight_sum:
        return {}
    coverage: dict[int, float] = {}
    for number in pool:
        intent = catalogue.document_intents[number]
        covered = sum(
            weights[index] * _unit_coverage(catalogue, unit, number, intent)
            for index, unit in enumerate(units)
            if weights[index] and number in found[index]
        )
        coverage[number] = covered / weight_sum
    # BM25F can move a score by TEXT_SHARE at most: only the best-covered documents need it.
    ranked = sorted(coverage, key=coverage.__getitem__, reverse=True)
    scored = ranked[:PARTIAL_SCORED]
    phrases = [
        alternative
        for unit in units
        if unit.role in ("word", "tax")
        for alternative in unit.alternatives
        if alternative
    ]
    texts = {
        number: sum(
            catalogue.bm25(phrase, number, ALL_FIELDS)
            for phrase in phrases
            if number in catalogue.containing(phrase)
        )
        for number in scored
    }
    best = max(texts.values(), default=0.0) or 1.0
    return {
        number: cover * cover * (1 - TEXT_SHARE + TEXT_SHARE * texts.get(number, 0.0) / best)
        for number, cover in coverage.items()
    }


def _latin_typos(catalogue: Catalogue, text: str) -> dict[int, float]:
    """For typed pinyin or initials that found nothing: the documents within a few typos, scored."""
    compacted = normalize(text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].replace(" ", "")
    if not compacted.isascii() or len(compacted) < TYPO_MIN_LETTERS:
        return {}
    matches = _latin_matches(catalogue, compacted)
    numbers = {key: number for number, key in enumerate(catalogue.keys)}
    return {numbers[catalogue.profiles[profile].key]: match.score for profile, match in matches.items()}


def _name_similarity(query: frozenset[str], sounds: frozenset[str], profile: Profile) -> float:
    """How near the query is to a name: mean share of grams shared, both ways, best of title and short title.

    Characters and pinyin syllables are both compared, so a homophone typo (壮态 for 状态) stays near.
    """
    best = 0.0
    for name in profile.names[:2]:
        for mine, theirs in ((query, name.chars), (sounds, name.syllables)):
            shared = len(mine & theirs)
            if shared:
                best = max(best, (shared / len(mine) + shared / len(theirs)) / 2)
    return best


def intent_factor(catalogue: Catalogue, meaning: Understanding, number: int) -> float:
    """How well a document's intent agrees with the query's: 1 when it does what was asked.

    Wanted actions (as typed, or 申报 for a tax named alone) against the document's main action, any
    of its actions, or none; taxes asked for against the document's taxes (groups count both ways).
    """
    intent = catalogue.document_intents[number]
    factor = 1.0
    wants = meaning.wants
    if wants:
        if intent.primary in wants:
            factor *= ACTION_MAIN
        elif intent.actions & wants:
            factor *= ACTION_ALSO
        elif intent.actions:
            factor *= ACTION_OTHER
        else:
            factor *= ACTION_NONE
    if meaning.taxes:
        if catalogue.intents.agree(meaning.taxes, intent.taxes):
            factor *= TAX_AGREES
        elif intent.taxes:
            factor *= TAX_OTHER
        else:
            factor *= TAX_NONE
    return factor


def rank(
    catalogue: Catalogue,
    text: str,
    *,
    allowed: Allowed | None,
    popularity: Mapping[str, int] | None,
    clicks: Mapping[str, float] | None = None,
    limit: int | None,
) -> list[SearchHit]:
    """Search ``catalogue`` for ``text``; see :meth:`SearchIndex.search`."""
    plan = _plan(catalogue, text)
    if plan is None or (limit is not None and limit <= 0):
        return []
    keys = catalogue.keys

    def permitted(number: int) -> bool:
        return allowed is None or allowed(keys[number])

    numbers = {key: number for number, key in enumerate(keys)}
    found: dict[int, tuple[MatchKind, float]] = {}
    for number, score in _strict(catalogue, plan).items():
        found[number] = ("text", score)
    for key, tier in _tiers(catalogue, plan.forms).items():
        number = numbers[key]
        found[number] = (tier, found.get(number, (tier, 0.0))[1])
    found = {number: value for number, value in found.items() if permitted(number)}
    if not found and plan.can_relax():
        found = {n: ("relaxed", s) for n, s in _relaxed(catalogue, plan).items() if permitted(n)}
    meaning = understand(
        text,
        catalogue.synonyms,
        catalogue.intents,
        lambda run: bool(catalogue.containing(run)),
        MAX_QUERY_CHARS,
    )
    partial = _partial(catalogue, meaning) if len(found) < PARTIAL_FILL else {}
    if not found and not partial:
        partial = _latin_typos(catalogue, text)
    if limit is not None and len(partial) > PARTIAL_KEEP * limit:
        # The other weights are at most ×2 (clicks) and at least ×0.2: far lower scores cannot catch up.
        learned_keys = set(clicks or ())
        kept = sorted(partial, key=partial.__getitem__, reverse=True)[: PARTIAL_KEEP * limit]
        partial = {n: partial[n] for n in {*kept, *(n for n in partial if keys[n] in learned_keys)}}
    for number, score in partial.items():
        if number not in found and permitted(number):
            found[number] = ("partial", score)
    plain = " ".join(unit.text for unit in meaning.units if unit.role != "latin")
    plain_query = normalize(text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS]
    query_grams, query_sounds = grams(plain), syllable_grams(pinyin(plain_query))
    learned = clicks or {}
    learned_total = sum(learned.values())
    popular = popularity or {}
    ranked: list[tuple[int, float, int, int, str, SearchHit]] = []
    for number, (tier, score) in found.items():
        key = keys[number]
        share = learned.get(key, 0.0) / learned_total if learned_total else 0.0
        if share >= PROMOTE_SHARE and TIERS[tier] > TIERS["text"]:
            tier = "text"
        weight = intent_factor(catalogue, meaning, number) * (1 + CLICK_WEIGHT * share)
        if tier in ("relaxed", "partial"):
            weight *= (
                1
                - NEAR_SHARE
                + NEAR_SHARE * _name_similarity(query_grams, query_sounds, catalogue.profiles[number])
            )
        final = round(score * weight, SCORE_DIGITS)
        hit = SearchHit(key=key, score=final, match=tier)
        title = catalogue.documents[key].title
        ranked.append((TIERS[tier], -final, -popular.get(key, 0), len(title), key, hit))
    ranked.sort(key=lambda row: row[:5])
    hits = [row[5] for row in ranked]
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
    """Keyword → function search over portal functions, articles and packages, on an in-memory Whoosh index.

    Build one per worker process with :meth:`build` (nothing is written to disk, so workers share no
    files or locks); afterwards it is read-only and safe to share between threads.
    """

    __slots__ = ("_catalogue",)

    def __init__(self, catalogue: Catalogue) -> None:
        """Wrap a built catalogue; use :meth:`build` instead of calling this directly."""
        self._catalogue = catalogue

    @classmethod
    def build(cls, documents: Iterable[SearchDocument], synonyms: SynonymTable | None = None) -> SearchIndex:
        """Index ``documents`` (with ``synonyms`` instead of the shipped table when given, e.g.
        :func:`~etax.search_index.index.extended_synonyms`); raises :class:`ValueError` if two share a key."""
        return cls(build_catalogue(documents, synonyms))

    def __len__(self) -> int:
        return len(self._catalogue.documents)

    def search(
        self,
        query: str,
        *,
        allowed: Allowed | None = None,
        popularity: Mapping[str, int] | None = None,
        clicks: Mapping[str, float] | None = None,
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
        return rank(
            self._catalogue, query, allowed=allowed, popularity=popularity, clicks=clicks, limit=limit
        )

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
