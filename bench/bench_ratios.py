"""Every throughput and start-up target of issue 18 as a ratio beside its goal, from one run (``make bench``).

In one run, on this machine, one uvicorn worker each, the same closed-loop client (``bench/loadgen.py``,
32 keep-alive connections; wrk is not installed here), alternating servers:

* ``GET /api/search`` over a mix of the development set's taxpayer queries (``bench/data/search_devset.tsv``,
  ≥ 200 distinct) drawn with a Zipf-like frequency, against bare Litestar + plain Whoosh over the same
  functions (``bench/baselines/peer_search_app.py``); etax keeps no search-result cache, so this is also the
  "every result cache disabled" figure;
* the anonymous home page, the logged-in home page and a logged-in query-centre page
  (``/query/declarations``) against the bare JSON endpoint (``bench/baselines/bare_app.py``);
* ``etax serve`` spawn → first answer (median of 3);
* the worker's RSS after start-up and after the load (``ETAX_BENCH_SECONDS`` per measurement, default 5);
* issue 18's memory target: a fresh worker's RSS at its first answer, once warm (its background warm-up,
  ``etax.platform.warmup``), after 1 minute and after ``ETAX_BENCH_MEMORY_MINUTES`` (default 10, 0 skips
  it) of mixed load (``bench/bench_memory.py``).

Nothing is asserted: the table is printed (ratio, goal, met). The index build and in-process p99 against plain
Whoosh are printed by ``bench/search_eval.py`` (also run by ``make bench``). The database is a fresh SQLite file
with the demo world; set ``ETAX_BENCH_DATABASE_URL=postgresql://…/db`` (an empty database) to measure on
PostgreSQL.

Run: ``.venv/bin/python bench/bench_ratios.py`` (``--only logged-in`` measures just the two logged-in pages
against the bare endpoint: no start-up, search, ``--workers 2`` or memory phase).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bench_memory, demo_login, loadgen

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
HOST = "127.0.0.1"
SECONDS = float(os.environ.get("ETAX_BENCH_SECONDS", "5"))
CONNECTIONS = 32
MIX_LENGTH = 4000
ZIPF_S = 1.1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def etax_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "etax"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> float:
    """Seconds until ``url`` answers below 500."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise SystemExit(f"server for {url} exited")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.01)
    raise SystemExit(f"{url} did not answer")


def uvicorn(app: str, port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        HOST,
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def query_mix() -> tuple[list[str], int]:
    """Dev-set queries in a Zipf-like random order (a fixed seed): paths and the number of distinct queries."""
    queries: list[str] = []
    for line in (BENCH / "data" / "search_devset.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 2 and parts[1].strip() and parts[1].strip() not in queries:
            queries.append(parts[1].strip())
    rng = random.Random(18)
    rng.shuffle(queries)
    weights = [1 / (rank + 1) ** ZIPF_S for rank in range(len(queries))]
    drawn = rng.choices(queries, weights=weights, k=MIX_LENGTH)
    # Every query at least once, so the mix has all of them (the long tail of a search log).
    drawn[: len(queries)] = queries
    rng.shuffle(drawn)
    return [f"/api/search?q={q}&limit=10" for q in drawn], len(queries)


def log_in(base: str) -> str:
    """The demo enterprise login (dev mode, captcha test answer); the Cookie header of the session."""
    with httpx.Client(base_url=base, timeout=30) as client:
        assert demo_login.log_in(client), "the demo login failed"
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def measure(base: str, paths: list[str], headers: dict[str, str] | None = None) -> loadgen.Result:
    asyncio.run(
        loadgen.run(base, paths[:50], connections=CONNECTIONS, seconds=1.0, headers=headers)
    )  # warm-up
    return asyncio.run(loadgen.run(base, paths, connections=CONNECTIONS, seconds=SECONDS, headers=headers))


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (the load of other processes does not change it)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def startup_seconds(env: dict[str, str], runs: int = 3) -> tuple[list[float], list[float]]:
    """Wall-clock seconds from spawn to the first answer, and the server's CPU seconds by then, per run.

    The first run starts with an empty ``ETAX_VAR_DIR`` (it builds and stores the search index); the
    later ones read the index back, as every start-up but the first of a deployment does.
    """
    times, cpu = [], []
    for _ in range(runs):
        port = free_port()
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "etax"), "serve", "--host", HOST, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            times.append(wait_ready(f"http://{HOST}:{port}/api/search?q=a", process))
            cpu.append(cpu_seconds(process.pid))
        finally:
            stop(process)
    return times, cpu


def memory_worker(env: dict[str, str]) -> tuple[str, int, Callable[[], None]]:
    """A fresh etax worker for the memory phase (``bench/bench_memory.py``): base URL, pid, stop."""
    port = free_port()
    process = uvicorn("etax.platform.asgi:app", port, env, ROOT)
    wait_ready(f"http://{HOST}:{port}/api/search?q=a", process)
    return f"http://{HOST}:{port}", process.pid, lambda: stop(process)


def print_rows(rows: list[tuple[str, float, float, str, float]]) -> None:
    print()
    print(f"| {'target':48} | {'etax':>9} | {'baseline':>16} | {'ratio':>6} | {'goal':>7} | met |")
    print(f"|{'-' * 50}|{'-' * 11}|{'-' * 18}|{'-' * 8}|{'-' * 9}|-----|")
    for label, mine_rate, their_rate, other, goal in rows:
        ratio = mine_rate / their_rate if their_rate else 0.0
        goal_text = f"≥ {goal:.2f}" if goal else "—"
        met = ("yes" if ratio >= goal else "no") if goal else ""
        baseline = f"{their_rate:.0f} ({other})"
        print(
            f"| {label:48} | {mine_rate:7.0f}/s | {baseline:>16} | {ratio:6.3f} | {goal_text:>7} | {met:3} |"
        )


def main() -> int:
    only_logged_in = sys.argv[1:] == ["--only", "logged-in"]
    with tempfile.TemporaryDirectory(prefix="etax-bench-") as var_dir:
        env = {
            **os.environ,
            "ETAX_VAR_DIR": var_dir,
            "ETAX_MODE": "dev",
            "ETAX_CAPTCHA_TEST_ANSWER": "TEST",
            "ETAX_DATABASE_URL": os.environ.get(
                "ETAX_BENCH_DATABASE_URL", f"sqlite:///{var_dir}/etax.sqlite3"
            ),
        }
        env.pop("ETAX_CACHE_CHECK_SECONDS", None)
        os.environ.update(env)
        etax_cli(env, "db", "migrate")
        etax_cli(env, "demo", "load")
        functions = Path(var_dir) / "functions.json"
        functions.write_text(etax_cli(env, "functions", "list", "--json"), encoding="utf-8")
        peer_env = {**env, "FUNCTIONS_JSON": str(functions)}

        starts, start_cpu = ([], []) if only_logged_in else startup_seconds(env)
        ports = {"etax": free_port(), "bare": free_port(), "peer": free_port()}
        servers = {
            "etax": uvicorn("etax.platform.asgi:app", ports["etax"], env, ROOT),
            "bare": uvicorn("bare_app:app", ports["bare"], env, BENCH / "baselines"),
            "peer": uvicorn("peer_search_app:app", ports["peer"], peer_env, BENCH / "baselines"),
        }
        base = {name: f"http://{HOST}:{port}" for name, port in ports.items()}
        try:
            for name, process in servers.items():
                wait_ready(f"{base[name]}/api/search?q=a", process)
            # Measured once etax has warmed after its first answer (etax.platform.warmup), not during it.
            asyncio.run(bench_memory.wait_warm(base["etax"]))
            rss_start = rss_mb(servers["etax"].pid)
            mix, distinct = query_mix()
            rows: list[tuple[str, float, float, str, float]] = []

            def pair(
                label: str, etax_paths: list[str], other: str, other_paths: list[str], goal: float, **kw: str
            ) -> None:
                headers = {"Cookie": kw["cookie"]} if "cookie" in kw else None
                mine = measure(base["etax"], etax_paths, headers)
                theirs = measure(base[other], other_paths)
                if mine.errors:
                    print(f"  ! {label}: {mine.errors} errors {mine.statuses}")
                rows.append((label, mine.rate, theirs.rate, other, goal))
                print(
                    f"  {label}: etax {mine.rate:.0f} req/s (p50 {mine.median * 1000:.1f} ms, p99 "
                    f"{mine.percentile(0.99) * 1000:.1f} ms), {other} {theirs.rate:.0f} req/s",
                    flush=True,
                )

            print(f"etax issue-18 ratios: {CONNECTIONS} connections, {SECONDS:.0f} s each, one worker each")
            bare_path = ["/api/search?q=a"]
            if not only_logged_in:
                pair(f"/api/search, Zipf mix of {distinct} distinct queries", mix, "peer", mix, 1.0)
                pair("/api/search?q=nsrztcx (one query)", ["/api/search?q=nsrztcx"], "bare", bare_path, 0.0)
                pair("GET / anonymous", ["/"], "bare", bare_path, 0.3)
            cookie = log_in(base["etax"])
            pair("GET / logged in", ["/"], "bare", bare_path, 0.25, cookie=cookie)
            pair(
                "GET /query/declarations logged in",
                ["/query/declarations"],
                "bare",
                bare_path,
                0.2,
                cookie=cookie,
            )
            rss_end = rss_mb(servers["etax"].pid)
            single = {label: rate for label, rate, _, _, _ in rows}
        finally:
            for process in servers.values():
                stop(process)
        if only_logged_in:
            print_rows(rows)
            return 0
        # etax serve --workers 2 against the single worker above (this machine has 2 cores).
        port = free_port()
        workers = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "etax"),
                "serve",
                "--workers",
                "2",
                "--host",
                HOST,
                "--port",
                str(port),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(f"http://{HOST}:{port}/api/search?q=a", workers)
            two = f"http://{HOST}:{port}"
            gains = [
                (label, single[label], measure(two, paths).rate)
                for label, paths in ((rows[0][0], mix), ("GET / anonymous", ["/"]))
            ]
        finally:
            stop(workers)
        memory = bench_memory.run_phase(lambda: memory_worker(env), CONNECTIONS)

    print_rows(rows)
    median_start = statistics.median(starts)
    print(
        f"| {'etax serve spawn → first answer (median of 3)':48} | {median_start:7.2f} s | {'—':>16} | "
        f"{median_start / 1.5:6.2f} | {'≤ 1.00':>7} | {'yes' if median_start <= 1.5 else 'no':3} |"
    )
    cpu_start = statistics.median(start_cpu)
    print(
        f"| {'  … server CPU by the first answer (median of 3)':48} | {cpu_start:7.2f} s | {'—':>16} | "
        f"{cpu_start / 1.5:6.2f} | {'≤ 1.00':>7} | {'yes' if cpu_start <= 1.5 else 'no':3} |"
    )
    growth = (rss_end - rss_start) / rss_start if rss_start else 0.0
    print(
        f"| {'worker RSS: warm → after the load':48} | {rss_start:5.0f}→{rss_end:.0f} MB | {'—':>16} | "
        f"{1 + growth:6.2f} | {'≤ 1.10':>7} | {'yes' if growth <= 0.10 else 'no':3} |"
    )
    if memory is not None:
        print(bench_memory.table_row(*memory))
    for label, one, both in gains:
        print(
            f"| {'--workers 2: ' + label:48} | {both:7.0f}/s | {one:10.0f} (1 w) | {both / one:6.2f} | {'—':>7} |     |"
        )
    print(
        "(start-up ratio = seconds / 1.5 s goal; RSS ratios = after / once warm: the short window of the runs "
        "above, and a fresh worker under ETAX_BENCH_MEMORY_MINUTES of mixed load)"
    )
    print(json.dumps({"startup_seconds": starts, "startup_cpu_seconds": start_cpu}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
