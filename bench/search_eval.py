"""Search quality and speed on the real function catalogue: etax beside plain Whoosh, per query family.

The catalogue (``bench/data/function_catalogue.tsv``, the 356 rows of ``../shared/domain/function-catalogue.md``)
is registered the way a regional bureau's plugin would register it: ``FunctionSpec`` with a name and a
menu path only — no keywords, no initials, no declared intents. The development set
(``bench/data/search_devset.tsv``) holds how taxpayers ask, by family, each query with the function names
accepted as right. Every fifth query of a family is held out and reported apart ("held-out").

Both systems answer every query in the same run:

- **etax**: :class:`etax.platform.search.SearchService` as the portal uses it (anonymous visitor): query
  understanding over etax's own Whoosh index (:mod:`etax.search_index`);
- **whoosh**: plain Whoosh as in ``../shared/bench/peer_search_app.py`` (n-grams 1–2, BM25F over name
  with boost 2 and path, OR query through ``MultifieldParser``).

Printed: top-1, top-3, MRR (first 10), zero-result rate and median / p95 latency per family, for the
development part, the held-out part and everything; index build time (median of 5, and the first build
in the process) for both systems; in-process latency (mean, p50, p95, p99) of both, for a query asked
again and for its first answer in the process, with the ratio etax / plain Whoosh; with ``--misses``
the queries etax gets wrong.

Run: ``.venv/bin/python bench/search_eval.py [--misses] [--holdout-misses] [--rounds N]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.analysis import NgramAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import MultifieldParser, OrGroup

from etax.platform.functions import FunctionSpec
from etax.platform.registry import FunctionRegistry
from etax.platform.search import SearchService

DATA = Path(__file__).with_name("data")
CATALOGUE = DATA / "function_catalogue.tsv"
DEVSET = DATA / "search_devset.tsv"
HOLDOUT_EVERY = 5
DEPTH = 10


@dataclass(frozen=True)
class Case:
    family: str
    query: str
    accepted: frozenset[str]
    holdout: bool


def read_rows(path: Path) -> Iterable[list[str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def catalogue_functions() -> list[FunctionSpec]:
    """The catalogue as one bureau plugin declares it: names and menu paths only."""
    return [
        FunctionSpec(
            code=f"bureau.fn{number}",
            name=name,
            path=tuple(path.split(" > ")),
            url=f"/bureau/fn{number}",
            plugin="bureau",
        )
        for number, name, path in read_rows(CATALOGUE)
    ]


def devset(names: set[str]) -> list[Case]:
    cases: list[Case] = []
    seen: dict[str, int] = defaultdict(int)
    for family, query, accepted in read_rows(DEVSET):
        wanted = frozenset(accepted.split("|"))
        unknown = wanted - names
        if unknown:
            raise SystemExit(f"{query!r}: accepted names not in the catalogue: {sorted(unknown)}")
        seen[family] += 1
        cases.append(Case(family, query, wanted, seen[family] % HOLDOUT_EVERY == 0))
    return cases


class PlainWhoosh:
    """The naive peer of ``../shared/bench/peer_search_app.py``, in process."""

    def __init__(self, functions: Sequence[FunctionSpec]) -> None:
        analyzer = NgramAnalyzer(1, 2)
        schema = Schema(
            code=ID(stored=True),
            name=TEXT(analyzer=analyzer, stored=True, field_boost=2.0),
            path=TEXT(analyzer=analyzer),
            url=STORED,
        )
        index = RamStorage().create_index(schema)
        writer = index.writer()
        for spec in functions:
            writer.add_document(code=spec.code, name=spec.name, path=" ".join(spec.path), url=spec.url)
        writer.commit()
        self.searcher = index.searcher()
        self.parser = MultifieldParser(["name", "path"], schema, group=OrGroup)

    def search(self, query: str) -> list[str]:
        hits = self.searcher.search(self.parser.parse(query), limit=DEPTH) if query else []
        return [str(hit["name"]) for hit in hits]


class Etax:
    def __init__(self, functions: Sequence[FunctionSpec]) -> None:
        self.service = SearchService(FunctionRegistry(functions))

    def search(self, query: str) -> list[str]:
        return [result.name for result in self.service.search(query, None, limit=DEPTH).results]


@dataclass
class Outcome:
    case: Case
    names: list[str]
    millis: float
    first: float  # the first answer to the query in this process (nothing about it remembered yet)

    @property
    def rank(self) -> int | None:
        return next((number for number, name in enumerate(self.names, 1) if name in self.case.accepted), None)


def run(system: Callable[[str], list[str]], cases: Sequence[Case], rounds: int) -> list[Outcome]:
    outcomes = []
    for case in cases:
        start = time.perf_counter()
        names = system(case.query)
        first = (time.perf_counter() - start) * 1000
        timings = []
        for _ in range(rounds):
            start = time.perf_counter()
            system(case.query)
            timings.append((time.perf_counter() - start) * 1000)
        outcomes.append(Outcome(case, names, statistics.median(timings), first))
    return outcomes


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def summary(outcomes: Sequence[Outcome]) -> str:
    if not outcomes:
        return "-"
    count = len(outcomes)
    ranks = [outcome.rank for outcome in outcomes]
    top1 = sum(rank == 1 for rank in ranks) / count
    top3 = sum(rank is not None and rank <= 3 for rank in ranks) / count
    mrr = sum(1 / rank for rank in ranks if rank is not None) / count
    zero = sum(not outcome.names for outcome in outcomes) / count
    millis = [outcome.millis for outcome in outcomes]
    return (
        f"{count:>4} {top1:6.3f} {top3:6.3f} {mrr:6.3f} {zero:6.3f} "
        f"{statistics.median(millis):7.3f} {percentile(millis, 0.95):7.3f}"
    )


def table(title: str, results: dict[str, list[Outcome]], keep: Callable[[Outcome], bool]) -> None:
    print(f"\n## {title}\n")
    print(
        f"{'family':<11} {'system':<7} {'n':>4} {'top1':>6} {'top3':>6} {'MRR':>6} {'zero':>6} {'p50 ms':>7} {'p95 ms':>7}"
    )
    families = sorted({outcome.case.family for outcome in next(iter(results.values()))})
    for family in [*families, "ALL"]:
        for system, outcomes in results.items():
            chosen = [o for o in outcomes if keep(o) and (family == "ALL" or o.case.family == family)]
            print(f"{family:<11} {system:<7} {summary(chosen)}")


def build_time(build: Callable[[], Any]) -> float:
    build()
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        build()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list development queries etax gets wrong")
    parser.add_argument("--holdout-misses", action="store_true", help="also list held-out misses")
    parser.add_argument("--rounds", type=int, default=5, help="timed repetitions per query")
    args = parser.parse_args()

    functions = catalogue_functions()
    cases = devset({spec.name for spec in functions})
    start = time.perf_counter()
    etax = Etax(functions)
    etax_first = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    whoosh = PlainWhoosh(functions)
    whoosh_first = (time.perf_counter() - start) * 1000
    print(
        f"catalogue: {len(functions)} functions; queries: {len(cases)} "
        f"({sum(not c.holdout for c in cases)} development, {sum(c.holdout for c in cases)} held out)"
    )
    etax_build = build_time(lambda: Etax(functions))
    whoosh_build = build_time(lambda: PlainWhoosh(functions))
    print(
        f"index build (median of 5): etax {etax_build:.1f} ms, plain whoosh {whoosh_build:.1f} ms, "
        f"ratio {etax_build / whoosh_build:.2f}\n"
        f"first build in the process (tables and pinyin loaded): etax {etax_first:.1f} ms, "
        f"plain whoosh {whoosh_first:.1f} ms, ratio {etax_first / whoosh_first:.2f}"
    )
    results = {"etax": run(etax.search, cases, args.rounds), "whoosh": run(whoosh.search, cases, args.rounds)}
    table("development part", results, lambda o: not o.case.holdout)
    table("held-out part", results, lambda o: o.case.holdout)
    table("all queries", results, lambda o: True)
    print("\n## in-process latency, all queries (ms)\n")
    print(f"{'':<22} {'etax':>8} {'whoosh':>8} {'ratio':>6}")
    picks: tuple[tuple[str, Callable[[Outcome], float]], ...] = (
        ("repeated", lambda o: o.millis),
        ("first answer", lambda o: o.first),
    )
    stats: tuple[tuple[str, Callable[[Sequence[float]], float]], ...] = (
        ("mean", statistics.mean),
        ("p50", lambda v: percentile(v, 0.5)),
        ("p95", lambda v: percentile(v, 0.95)),
        ("p99", lambda v: percentile(v, 0.99)),
    )
    for label, pick in picks:
        for name, stat in stats:
            mine = stat([pick(o) for o in results["etax"]])
            theirs = stat([pick(o) for o in results["whoosh"]])
            print(f"{label + ' ' + name:<22} {mine:8.3f} {theirs:8.3f} {mine / theirs:6.2f}")
    if args.misses or args.holdout_misses:
        print("\n## etax misses\n")
        for outcome in results["etax"]:
            if outcome.rank != 1 and (args.holdout_misses or not outcome.case.holdout):
                mark = "H " if outcome.case.holdout else ""
                print(
                    f"{mark}{outcome.case.family:<10} {outcome.case.query:<24} rank={outcome.rank}  got {outcome.names[:3]}"
                )


if __name__ == "__main__":
    main()
