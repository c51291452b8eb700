"""Start-up time and search latency in-process versus over HTTP, printed side by side, no thresholds.

Measures, in one run:

* start-up: median of 5 in-process ``create_app(load_settings(), check_db=False)`` calls, and the time
  from spawning ``uvicorn etax.platform.asgi:app`` (127.0.0.1, a free port) to its first 200 answer
  to ``GET /api/search?q=a``;
* search latency for a fixed list of queries: in-process through
  :class:`etax.platform.search.SearchService` and over HTTP (``GET /api/search``, one keep-alive
  httpx client, sequential), median and p99 of each and their ratio;
* throughput: 4 concurrent httpx clients for 5 seconds.

The server gets a fresh ``ETAX_VAR_DIR`` (a temporary directory) which is migrated and loaded with
the demo world through the CLI first; the server is stopped and the directory removed at the end.
Only loopback is used.

Run: ``.venv/bin/python bench/bench_startup_http.py``
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
STARTUP_RUNS = 5
ROUNDS = 20
WARMUP_ROUNDS = 1
CONCURRENT_CLIENTS = 4
THROUGHPUT_SECONDS = 5.0
SERVER_START_TIMEOUT = 120.0
POLL_INTERVAL = 0.02
CLI_TIMEOUT = 300.0
LIMIT = 10
QUERIES = [
    "nsrztcx", "纳税人状态", "冻结", "密码忘记", "zzs", "增值税", "专票", "公告", "识别号", "ybnsr",
    "咨询", "发票", "申报", "登录", "办税人员", "实名", "税", "纳税人", "mima", "查询", "忘记密码",
    "发票丢了怎么办", "查询状态纳税人", "增值税申报", "天气预报", "zengzhishui", "企业", "解冻",
    "热点问题", "代理", "nashuiren",
]  # fmt: skip


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.3f} ms"


def run_cli(env: Mapping[str, str], *args: str) -> float:
    """Run ``python -m etax ARGS`` with ``env``; return its wall time; exit on failure."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "etax", *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"etax {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed


def time_create_app() -> list[float]:
    """Wall times of ``create_app(load_settings(), check_db=False)``; the first includes imports."""
    started = time.perf_counter()
    from etax.platform.app import create_app
    from etax.platform.settings import load_settings

    imports = time.perf_counter() - started
    times: list[float] = []
    for _ in range(STARTUP_RUNS):
        started = time.perf_counter()
        create_app(load_settings(), check_db=False)
        times.append(time.perf_counter() - started)
    print(f"  (imports of etax.platform.app before the first call: {ms(imports)})")
    return times


def in_process_search() -> Callable[[str], list[str]]:
    """A function searching like ``/api/search`` for an anonymous visitor, returning the result codes."""
    from etax.platform.app import load_plugins
    from etax.platform.search import SearchService
    from etax.platform.settings import load_settings

    host, registry = load_plugins(load_settings())
    service = SearchService(registry, host.search_documents())

    def search(query: str) -> list[str]:
        return [result.code for result in service.search(query, None, LIMIT).results]

    return search


def http_search(client: httpx.Client) -> Callable[[str], list[str]]:
    def search(query: str) -> list[str]:
        response = client.get("/api/search", params={"q": query, "limit": LIMIT})
        response.raise_for_status()
        body = response.json()
        return [str(result["code"]) for result in body["results"]]

    return search


def latencies(search: Callable[[str], list[str]]) -> tuple[list[float], dict[str, list[str]]]:
    """Per-call wall times over ``ROUNDS`` rounds of every query (after a warm-up), and the answers."""
    answers: dict[str, list[str]] = {}
    for _ in range(WARMUP_ROUNDS):
        for query in QUERIES:
            answers[query] = search(query)
    samples: list[float] = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            started = time.perf_counter()
            search(query)
            samples.append(time.perf_counter() - started)
    return samples, answers


def start_server(env: Mapping[str, str], port: int, log: IO[bytes]) -> tuple[subprocess.Popen[bytes], float]:
    """Spawn uvicorn and poll until ``/api/search?q=a`` answers 200; return it and the time taken."""
    command = [
        sys.executable, "-m", "uvicorn", "etax.platform.asgi:app",
        "--host", HOST, "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}/api/search"
    with httpx.Client(trust_env=False, timeout=5.0) as client:
        while time.perf_counter() - started < SERVER_START_TIMEOUT:
            if server.poll() is not None:
                break
            try:
                if client.get(url, params={"q": "a"}).status_code == 200:
                    return server, time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(POLL_INTERVAL)
    stop_server(server)
    log.flush()
    raise RuntimeError(f"uvicorn did not answer 200 within {SERVER_START_TIMEOUT:.0f} s ({log.name})")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def throughput(base_url: str) -> tuple[int, int, float]:
    """Requests answered 200 and failures by ``CONCURRENT_CLIENTS`` keep-alive clients in a fixed time."""
    counts = [0] * CONCURRENT_CLIENTS
    failures = [0] * CONCURRENT_CLIENTS
    start = threading.Barrier(CONCURRENT_CLIENTS + 1)
    deadline: list[float] = []

    def work(number: int) -> None:
        with httpx.Client(base_url=base_url, trust_env=False, timeout=10.0) as client:
            start.wait()
            position = number
            while time.perf_counter() < deadline[0]:
                query = QUERIES[position % len(QUERIES)]
                position += 1
                try:
                    ok = client.get("/api/search", params={"q": query, "limit": LIMIT}).status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    counts[number] += 1
                else:
                    failures[number] += 1

    threads = [threading.Thread(target=work, args=(number,)) for number in range(CONCURRENT_CLIENTS)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline.append(began + THROUGHPUT_SECONDS)
    start.wait()
    for thread in threads:
        thread.join()
    return sum(counts), sum(failures), time.perf_counter() - began


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="etax-bench-") as var_dir:
        os.environ["ETAX_VAR_DIR"] = var_dir  # the in-process app and the server share it
        env = dict(os.environ)
        print(f"etax start-up and search benchmark (ETAX_VAR_DIR={var_dir})")
        print(f"  etax db migrate: {ms(run_cli(env, 'db', 'migrate'))}")
        print(f"  etax demo load:  {ms(run_cli(env, 'demo', 'load'))}")

        print("\nstart-up")
        create_times = time_create_app()
        print(
            f"  create_app(check_db=False), median of {STARTUP_RUNS}: {ms(statistics.median(create_times))}"
            f"  (min {ms(min(create_times))}, max {ms(max(create_times))})"
        )
        port = free_port()
        with open(Path(var_dir) / "uvicorn.log", "wb") as log:
            server, spawn_time = start_server(env, port, log)
            try:
                print(f"  uvicorn spawn → first 200 of /api/search?q=a:   {ms(spawn_time)}")

                print(
                    f"\nsearch latency ({len(QUERIES)} queries × {ROUNDS} rounds, limit {LIMIT}, anonymous)"
                )
                local_samples, local_answers = latencies(in_process_search())
                base_url = f"http://{HOST}:{port}"
                with httpx.Client(base_url=base_url, trust_env=False, timeout=10.0) as client:
                    http_samples, http_answers = latencies(http_search(client))
                local_median, http_median = statistics.median(local_samples), statistics.median(http_samples)
                local_p99, http_p99 = p99(local_samples), p99(http_samples)
                print(f"  {'':14}{'median':>12}  {'p99':>12}")
                print(f"  {'in-process':14}{ms(local_median)}  {ms(local_p99)}")
                print(f"  {'HTTP':14}{ms(http_median)}  {ms(http_p99)}")
                print(
                    f"  {'HTTP/in-proc':14}{http_median / local_median:9.1f} ×    {http_p99 / local_p99:9.1f} ×"
                )
                same = sum(local_answers[query] == http_answers[query] for query in QUERIES)
                found = sum(bool(answer) for answer in local_answers.values())
                print(f"  same result codes in-process and over HTTP: {same}/{len(QUERIES)} queries")
                print(f"  queries with at least one result: {found}/{len(QUERIES)}")

                print(
                    f"\nthroughput ({CONCURRENT_CLIENTS} concurrent keep-alive clients, {THROUGHPUT_SECONDS:.0f} s)"
                )
                done, failed, elapsed = throughput(base_url)
                print(f"  {done} requests answered 200, {failed} failed, {done / elapsed:.1f} requests/s")
            finally:
                stop_server(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
