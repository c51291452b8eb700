"""Issue 18's memory target: a worker's RSS after start-up, after 1 minute and after N minutes of mixed load.

A fresh ``uvicorn etax.platform.asgi:app`` worker is started; its RSS is read once it answers (start-up),
then a mixed load runs for ``ETAX_BENCH_MEMORY_MINUTES`` minutes (default 10):

* anonymous connections over the development set's search queries (``/api/search`` and ``/search``) and
  the public pages (home, 纳税人状态查询, 通知公告, the 公众服务 menu);
* logged-in connections (the demo enterprise 和信's officer, a few sessions) over the home page, menus,
  the query centre and search;
* a whole 普通登录 walk (password, officer, personal password) about every ``LOGIN_EVERY`` seconds.

The RSS is read after 1 minute and at the end, and printed as two windows: start-up → 1 minute (warm-up:
the first compile of each template, the first use of each code path, the pool filling up) and
1 minute → the end (growth), with the whole window's ratio beside the goal ≤ 1.10. Used by
``bench/bench_ratios.py`` (``make bench``); run alone against a running worker with
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
    """One look at the worker: seconds since the load began, RSS in MB, threads, open files."""

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

    def rss_at(self, index: int) -> float:
        return self.readings[index].rss


def read(pid: int, at: float) -> Reading:
    return Reading(at, rss_mb(pid), thread_count(pid), len(list(Path(f"/proc/{pid}/fd").iterdir())))


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
    """Drive ``base`` with the mixed load for ``minutes``, reading ``pid`` at start, 1 minute and the end."""
    figures = MemoryFigures(readings=[read(pid, 0.0)])
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
        figures.readings.append(read(pid, time.perf_counter() - started))
    return figures


def report(figures: MemoryFigures, minutes: float, emit: Callable[[str], None] = print) -> None:
    """The readings, the two windows and the whole window's ratio beside its goal."""
    for reading in figures.readings:
        emit(
            f"  after {reading.at / 60:5.1f} min: RSS {reading.rss:6.1f} MB, {reading.threads} threads, "
            f"{reading.files} open files"
        )
    first, last = figures.readings[0].rss, figures.readings[-1].rss
    emit(
        f"  {figures.requests} requests, {figures.logins} logins, {figures.errors} errors in {minutes:g} min"
    )
    if len(figures.readings) >= 3:
        minute = figures.readings[1].rss
        emit(
            f"  start-up → 1 min (warm-up): ×{minute / first:.3f}; 1 min → end (growth): ×{last / minute:.3f}"
        )


def table_row(figures: MemoryFigures, minutes: float) -> str:
    """The row ``bench/bench_ratios.py`` prints in its table."""
    first, last = figures.readings[0].rss, figures.readings[-1].rss
    ratio = last / first if first else 0.0
    label = f"worker RSS: start-up → {minutes:g} min mixed load"
    return (
        f"| {label:48} | {first:5.0f}→{last:.0f} MB | {'—':>16} | {ratio:6.2f} | {'≤ 1.10':>7} | "
        f"{'yes' if ratio <= GOAL else 'no':3} |"
    )


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
