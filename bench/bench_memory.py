"""Issue 18's memory target: a worker's RSS once warm, after 1 minute and after N minutes of mixed load.

A fresh ``uvicorn etax.platform.asgi:app`` worker is started; its RSS is read at its first answer, then
once it reports itself warm (``GET /health``: after its first answer a worker warms in the background what
the first minutes of traffic would load anyway — :mod:`etax.platform.warmup`), then a mixed load runs for
``ETAX_BENCH_MEMORY_MINUTES`` minutes (default 10):

* anonymous connections over the development set's search queries (``/api/search`` and ``/search``) and
  the public pages (home, 纳税人状态查询, 通知公告, the 公众服务 menu);
* logged-in connections (the demo enterprise 和信's officer, a few sessions) over the home page, menus,
  the query centre and search;
* a whole 普通登录 walk (password, officer, personal password) about every ``LOGIN_EVERY`` seconds.

The RSS is read after 1 minute and at the end, and printed as windows: first answer → warm (the
background warm-up, before any load), warm → 1 minute (what the load still adds at first: caches filling
to their bounds, the working set of serving the connections at once) and 1 minute → the end (growth),
with warm → the end's ratio beside the goal ≤ 1.10 (a worker that does not report itself warm —
``ETAX_WARMUP=0`` — is measured from its first answer). Used by ``bench/bench_ratios.py`` (``make bench``); run alone against a running worker with
``python bench/bench_memory.py --base http://127.0.0.1:8000 --pid 1234 --minutes 10``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import demo_login, loadgen

BENCH = Path(__file__).resolve().parent
GOAL = 1.10
LOGIN_EVERY = 2.0
WARM_WAIT_SECONDS = 60.0
TAIL = 6000
TAIL_CHARACTERS = "税费票报表证查询申办理个人企业退抵缴款登记变更"
PUBLIC_PAGES = ["/", "/public/taxpayer-status", "/public/announcements", "/menu/公众服务"]
LOGGED_IN_PAGES = [
    "/",
    "/menu/我要查询",
    "/menu/我要办税",
    "/query/declarations",
    "/api/search?q=申报",
    "/search?q=发票",
]


def memory_minutes() -> float:
    """``ETAX_BENCH_MEMORY_MINUTES`` (default 10; 0 skips the phase)."""
    return float(os.environ.get("ETAX_BENCH_MEMORY_MINUTES", "") or 10)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def thread_count(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


@dataclass
class Reading:
    """One look at the worker: what it is (first answer, warm, a time under load), seconds since the load
    began, RSS in MB, threads, open files."""

    label: str
    at: float
    rss: float
    threads: int
    files: int


@dataclass
class MemoryFigures:
    readings: list[Reading] = field(default_factory=list)
    requests: int = 0
    errors: int = 0
    logins: int = 0
    warm_seconds: float | None = None  # first answer → the worker reported itself warm (None: it did not)

    @property
    def first(self) -> Reading:
        return self.readings[0]

    @property
    def baseline(self) -> Reading:
        """What the goal is measured from: the warm reading, or the first answer's without one."""
        return self.readings[1] if self.warm_seconds is not None else self.readings[0]

    @property
    def loaded(self) -> list[Reading]:
        """The readings under load (after 1 minute, at the end)."""
        return self.readings[2:] if self.warm_seconds is not None else self.readings[1:]


def read(pid: int, at: float, label: str) -> Reading:
    files = len(list(Path(f"/proc/{pid}/fd").iterdir()))
    return Reading(label, at, rss_mb(pid), thread_count(pid), files)


async def wait_warm(base: str, seconds: float = WARM_WAIT_SECONDS) -> float | None:
    """Seconds until the worker's ``GET /health`` says it is warm; ``None`` when it does not warm (warm-up
    off, an older worker without the route) or not within ``seconds``."""
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        while time.perf_counter() - started < seconds:
            answer = await client.get("/health")
            if answer.status_code != 200:
                return None
            health = answer.json()
            if health.get("warm"):
                return time.perf_counter() - started
            if health.get("warmup") == "off":
                return None
            await asyncio.sleep(0.05)
    return None


def anonymous_paths() -> list[str]:
    """Searches (API and page) interleaved with the public pages.

    The searches are the development set's queries and, as in a real search log, a long tail of queries
    seen once or twice (a development-set query with a character or two added: ``TAIL`` of them), so that
    whatever a worker remembers per query must stay bounded.
    """
    queries = []
    for line in (BENCH / "data" / "search_devset.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if not line.startswith("#") and len(parts) >= 2 and parts[1].strip():
            queries.append(parts[1].strip())
    rng = random.Random(18)
    tail = [
        rng.choice(queries) + "".join(rng.sample(TAIL_CHARACTERS, rng.randint(1, 2))) for _ in range(TAIL)
    ]
    paths: list[str] = []
    for number, query in enumerate(itertools.chain(*zip(itertools.cycle(queries), tail, strict=False))):
        paths.append(f"/api/search?q={query}&limit=10")
        if number % 4 == 0:
            paths.append(f"/search?q={query}")
        if number % 2 == 0:
            paths.append(PUBLIC_PAGES[number // 2 % len(PUBLIC_PAGES)])
    return paths


async def log_in(client: httpx.AsyncClient) -> bool:
    """The demo enterprise's 普通登录 walk (dev mode, captcha test answer ``TEST``)."""
    return await demo_login.log_in_async(client)


async def cookie_of_a_login(base: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        if not await log_in(client):
            raise SystemExit("the demo login failed: dev mode, ETAX_CAPTCHA_TEST_ANSWER=TEST, demo loaded?")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


async def mixed_load(base: str, pid: int, minutes: float, connections: int) -> MemoryFigures:
    """Read ``pid`` now (its first answer) and once warm, then drive ``base`` with the mixed load for
    ``minutes``, reading it after 1 minute and at the end."""
    figures = MemoryFigures(readings=[read(pid, 0.0, "first answer")])
    figures.warm_seconds = await wait_warm(base)
    if figures.warm_seconds is not None:
        figures.readings.append(read(pid, 0.0, f"warm ({figures.warm_seconds:.1f} s later)"))
    cookies = [await cookie_of_a_login(base) for _ in range(4)]
    logged_in = max(1, connections // 4)
    anonymous = anonymous_paths()
    started = time.perf_counter()
    windows = [min(60.0, minutes * 60)]
    if minutes * 60 > 60:
        windows.append(minutes * 60 - 60)
    for seconds in windows:
        stop_at = time.perf_counter() + seconds

        async def logins(until: float = stop_at) -> None:
            while time.perf_counter() < until:
                async with httpx.AsyncClient(base_url=base, timeout=60) as fresh:
                    ok = await log_in(fresh)
                figures.logins += 1
                figures.errors += 0 if ok else 1
                await asyncio.sleep(LOGIN_EVERY)

        results = await asyncio.gather(
            loadgen.run(base, anonymous, connections=connections - logged_in, seconds=seconds),
            loadgen.run(
                base,
                LOGGED_IN_PAGES,
                connections=logged_in,
                seconds=seconds,
                per_connection_headers=[{"Cookie": cookie} for cookie in cookies],
            ),
            logins(),
        )
        for result in results[:2]:
            assert isinstance(result, loadgen.Result)
            figures.requests += result.requests
            figures.errors += result.errors
        at = time.perf_counter() - started
        figures.readings.append(read(pid, at, f"after {at / 60:.1f} min of load"))
    return figures


def report(figures: MemoryFigures, minutes: float, emit: Callable[[str], None] = print) -> None:
    """The readings, the windows between them and the goal's ratio (warm → the end)."""
    for reading in figures.readings:
        emit(
            f"  {reading.label:28}: RSS {reading.rss:6.1f} MB, {reading.threads} threads, "
            f"{reading.files} open files"
        )
    emit(
        f"  {figures.requests} requests, {figures.logins} logins, {figures.errors} errors in {minutes:g} min"
    )
    windows = []
    if figures.warm_seconds is not None:
        windows.append(f"first answer → warm (no load): ×{figures.baseline.rss / figures.first.rss:.3f}")
    else:
        windows.append("the worker did not report itself warm: measured from its first answer")
    marks = [figures.baseline, *figures.loaded]
    for before, after in itertools.pairwise(marks):
        windows.append(f"{before.label} → {after.label}: ×{after.rss / before.rss:.3f}")
    emit("  " + "; ".join(windows))
    emit(f"  {figures.baseline.label} → the end: ×{ratio(figures):.3f} (goal ≤ {GOAL:.2f})")


def ratio(figures: MemoryFigures) -> float:
    """The goal's ratio: RSS at the end over RSS once warm (or at the first answer without warm-up)."""
    first, last = figures.baseline.rss, figures.readings[-1].rss
    return last / first if first else 0.0


def table_row(figures: MemoryFigures, minutes: float) -> str:
    """The rows ``bench/bench_ratios.py`` prints in its table: warm → the end (the goal), and the first
    answer → the end beside it for reference."""
    last = figures.readings[-1].rss
    start = "warm" if figures.warm_seconds is not None else "first answer"
    label = f"worker RSS: {start} → {minutes:g} min mixed load"
    value = f"{figures.baseline.rss:5.0f}→{last:.0f} MB"
    rows = [
        f"| {label:48} | {value} | {'—':>16} | {ratio(figures):6.2f} | {'≤ 1.10':>7} | "
        f"{'yes' if ratio(figures) <= GOAL else 'no':3} |"
    ]
    if figures.warm_seconds is not None:
        first = figures.first.rss
        value = f"{first:5.0f}→{last:.0f} MB"
        label = "  … from the first answer (before warm-up)"
        rows.append(f"| {label:48} | {value} | {'—':>16} | {last / first:6.2f} | {'—':>7} |     |")
    return "\n".join(rows)


def run_phase(
    start: Callable[[], tuple[str, int, Callable[[], None]]], connections: int
) -> tuple[MemoryFigures, float] | None:
    """Start a fresh worker with ``start()`` (base URL, pid, stop) and measure it; ``None`` when skipped."""
    minutes = memory_minutes()
    if minutes <= 0:
        return None
    base, pid, stop = start()
    try:
        print(
            f"memory: a fresh worker under {minutes:g} min of mixed load ({connections} connections)",
            flush=True,
        )
        figures = asyncio.run(mixed_load(base, pid, minutes, connections))
    finally:
        stop()
    report(figures, minutes)
    return figures, minutes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="a running worker, e.g. http://127.0.0.1:8000")
    parser.add_argument("--pid", type=int, required=True, help="that worker's process id")
    parser.add_argument("--minutes", type=float, default=memory_minutes())
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    figures = asyncio.run(mixed_load(args.base, args.pid, args.minutes, args.connections))
    report(figures, args.minutes)
    print(table_row(figures, args.minutes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
