"""Query-centre page latency over HTTP beside a bare Litestar endpoint, printed side by side, no thresholds.

Measures, in one run, on a PostgreSQL database holding ``etax demo load --scale N`` (N taxpayers × 24
months of declarations and payments; N = 50,000 is issue 13's scale, about 3.4 million declarations):

* a filtered page of 申报信息查询 (税款所属期 and 征收项目 filters) and of 缴款信息查询 (缴款日期 range);
* the deep page of each — the one reached by following "下一页" 500 times — requested again by its cursor;
* p50 and p99 of each, over sequential requests and under 4 concurrent logged-in clients, and the server's
  CPU time per request over the sequential ones (read from /proc: it does not depend on the machine's load,
  so it is the figure to compare between runs and trees on a busy machine);
* a bare Litestar JSON endpoint (the framework's own ceiling) served the same way, in the same run;
* the XLSX export of 100,000 rows: seconds, file size, and the server's resident memory before, at its
  peak during the download, and after (sampled from /proc every 10 ms); and the same for a ~10,000-row
  export, so that the two peaks show whether memory grows with the row count;
* the machine's load average (``/proc/loadavg``) before and after: other work on the machine shows there.

沈阳和信科技 (the demo enterprise the bench logs in as) gets 100,000 extra declarations and 12,000 payments
(SQL ``generate_series``, once per database), so that 500 pages of 20 and a 100,000-row export exist.
The server is ``uvicorn etax.platform.asgi:app`` (one worker), logged in through the real enterprise login
(dev mode, the captcha test answer). Whatever the app caches (e.g. the principal) is used as in production.

Run:
* ``.venv/bin/python bench/bench_queries.py --scale 50000`` — a scratch database is created, migrated,
  loaded with ``etax demo load --scale 50000`` (the load is timed and printed) and dropped at the end;
* ``.venv/bin/python bench/bench_queries.py --database postgresql://…/db`` — an already loaded database
  (kept);
* ``--before DIR`` also serves the etax source tree in DIR (e.g. ``git archive`` of an earlier commit) on
  the same database and prints its rows beside this tree's.

PostgreSQL at ``ETAX_BENCH_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/test``, trust).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import uuid
import zipfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import demo_login

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
ADMIN_DSN = os.environ.get("ETAX_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
SEQUENTIAL = 200
CONCURRENT_CLIENTS = 4
CONCURRENT_SECONDS = 5.0
DEEP = 500

BARE_APP = """
from litestar import Litestar, get


@get("/bare", sync_to_thread=False)
def bare() -> dict[str, object]:
    return {"rows": []}


app = Litestar([bare])
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


HEXIN = "(SELECT id FROM coresys_taxpayer WHERE name = '沈阳和信科技有限公司')"
HEXIN_DECLARATIONS = 100_000
HEXIN_PAYMENTS = 12_000


def hexin_sql() -> list[str]:
    """和信's extra history: enough for 500 pages of 20 and a 100,000-row export."""
    return [
        f"""INSERT INTO ledger_declaration (number, submission, taxpayer, tax_type, form_code, form_version,
            period_kind, period_start, period_end, event_ref, kind, status, live_key, income_fen, tax_fen,
            relief_fen, prepaid_fen, payable_fen, paid_fen, credit_fen, deadline, payment_deadline, late, filed_at,
            filed_by, channel, agency, agency_name, corrects, batch, data_version, payment_lock, voided_at, void_reason)
            SELECT 'H' || lpad(i::text, 17, '0'), 'bench-hexin-' || i, {HEXIN},
                   CASE WHEN i % 4 = 0 THEN '10109' ELSE '10101' END, 'BDA0610606', '2021', 'month',
                   (DATE '2024-10-01' + (i % 24) * INTERVAL '1 month')::date,
                   (DATE '2024-10-01' + (i % 24 + 1) * INTERVAL '1 month' - INTERVAL '1 day')::date,
                   '', '11', 'filed', NULL, 1000000 + i % 997, 13000, 0, 0, 13000, 13000, 0, DATE '2024-11-15',
                   DATE '2024-11-15', false, TIMESTAMPTZ '2024-11-10 09:00+08' + i * INTERVAL '5 minutes', '压测',
                   'import', NULL, '', NULL, 'bench-hexin-' || i, 1, NULL, NULL, ''
            FROM generate_series(0, {HEXIN_DECLARATIONS - 1}) AS i""",
        f"""INSERT INTO ledger_payment (key, taxpayer, method, status, amount_fen, tax_fen, late_fee_fen, agreement,
            agreement_number, bank_serial, voucher_number, message, requested_by, requested_at, paid_on)
            SELECT 'bench-hexin-pay-' || i, {HEXIN}, 'agreement', 'succeeded', 13000, 13000, 0, NULL, '', '', NULL,
                   '', '压测', TIMESTAMPTZ '2024-11-12 09:00+08' + i * INTERVAL '1 hour',
                   (TIMESTAMPTZ '2024-11-12 09:00+08' + i * INTERVAL '1 hour')::date
            FROM generate_series(0, {HEXIN_PAYMENTS - 1}) AS i""",
        "ANALYZE ledger_declaration",
        "ANALYZE ledger_payment",
    ]


def start(args: list[str], env: dict[str, str], port: int, probe: str, cwd: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            *args,
            "--host",
            HOST,
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}{probe}", timeout=2).status_code < 500:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"server {args} did not start")


def log_in(client: httpx.Client) -> None:
    """The real enterprise login: 和信's password, then 张伟 with his personal password."""
    assert demo_login.log_in(client), "the demo login failed"


def cpu_seconds(pid: int) -> float:
    """The CPU time (user + system) process ``pid`` has used: a cost that does not depend on the machine's
    load, unlike the latencies."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sequential(client: httpx.Client, url: str, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def concurrent(make_client: Callable[[], httpx.Client], url: str, seconds: float) -> list[float]:
    """``CONCURRENT_CLIENTS`` logged-in clients requesting ``url`` for ``seconds``."""
    samples: list[float] = []
    lock = threading.Lock()
    clients = [make_client() for _ in range(CONCURRENT_CLIENTS)]  # logged in before the clock starts
    stop = time.monotonic() + seconds

    def worker(client: httpx.Client) -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            if response.status_code == 200:
                with lock:
                    samples.append(elapsed)

    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    return samples


FILTERED = "/query/declarations?period_from=2025-06&period_to=2025-12&tax_type=10101"
PAYMENTS = "/query/payments?paid_from=2025-01-01&paid_to=2025-12-31"
EXPORT_ALL = "/query/declarations/export/xlsx"
EXPORT_SMALL = "/query/declarations/export/xlsx?filed_from=2024-11-10&filed_to=2024-12-14"
NEXT = re.compile(r'<a href="([^"]+)" rel="next"')


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]

    def client(self) -> httpx.Client:
        client = httpx.Client(base_url=f"http://{HOST}:{self.port}", timeout=120)
        log_in(client)
        return client


def deep_url(client: httpx.Client, first: str) -> tuple[str, float]:
    """The URL of the page reached by following 下一页 :data:`DEEP` times, and the walk's seconds."""
    path = first.split("?")[0]
    url = first
    started = time.perf_counter()
    for _ in range(DEEP):
        found = NEXT.search(client.get(url).text)
        assert found, f"fewer than {DEEP} pages at {first}"
        url = path + unescape(found.group(1))
    return url, time.perf_counter() - started


def rss_kib(pid: int) -> int:
    for text in Path(f"/proc/{pid}/status").read_text().splitlines():
        if text.startswith("VmRSS:"):
            return int(text.split()[1])
    return 0


def export(client: httpx.Client, pid: int, url: str) -> str:
    """Download an export while sampling the server's resident memory; one line of figures."""
    before = rss_kib(pid)
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_kib(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    body = bytearray()
    with client.stream("GET", url) as response:
        assert response.status_code == 200, (url, response.status_code)
        for part in response.iter_bytes():
            body.extend(part)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    after = rss_kib(pid)
    with zipfile.ZipFile(io.BytesIO(bytes(body))) as book:
        rows = book.read("xl/worksheets/sheet1.xml").count(b"<row ") - 1  # minus the heading
    return (
        f"{rows:>7,} rows  {seconds:6.1f} s  {len(body) / 1e6:5.1f} MB   server RSS {before / 1024:6.1f} MiB "
        f"before, peak {peak / 1024:6.1f} MiB (+{(peak - before) / 1024:5.1f}), after {after / 1024:6.1f} MiB"
    )


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (a Chinese character takes two)."""
    wide = sum(1 for char in text if unicodedata.east_asian_width(char) in "WF")
    return text + " " * max(0, width - len(text) - wide)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scale", "--taxpayers", type=int, default=5000, help="etax demo load --scale N")
    where.add_argument("--database", help="an already loaded PostgreSQL database (kept)")
    parser.add_argument("--before", type=Path, help="an earlier etax source tree served beside this one")
    parser.add_argument("--rounds", type=int, default=SEQUENTIAL, help="sequential requests per page")
    parser.add_argument(
        "--seconds", type=float, default=CONCURRENT_SECONDS, help="seconds of 4 clients per page"
    )
    options = parser.parse_args()
    base_dsn = ADMIN_DSN.rsplit("/", 1)[0]
    scratch = None if options.database else f"etax_bench_{uuid.uuid4().hex[:8]}"
    var_dir = tempfile.mkdtemp(prefix="etax-bench-queries-")
    env = {
        **os.environ,
        "ETAX_DATABASE_URL": options.database or f"{base_dsn}/{scratch}",
        "ETAX_VAR_DIR": var_dir,
        "ETAX_MODE": "dev",
        "ETAX_CAPTCHA_TEST_ANSWER": "TEST",
    }

    async def execute(dsn: str, *statements: str) -> None:
        connection = await asyncpg.connect(dsn)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    async def prepare() -> tuple[int, int, int]:
        connection = await asyncpg.connect(env["ETAX_DATABASE_URL"])
        try:
            if not await connection.fetchval(
                "SELECT 1 FROM ledger_declaration WHERE number = 'H00000000000000000'"
            ):
                for statement in hexin_sql():
                    await connection.execute(statement)
            return (
                await connection.fetchval("SELECT count(*) FROM coresys_taxpayer"),
                await connection.fetchval("SELECT count(*) FROM ledger_declaration"),
                await connection.fetchval("SELECT count(*) FROM ledger_payment"),
            )
        finally:
            await connection.close()

    print(f"load average (1, 5, 15 min) at the start: {loadavg()}  ({os.cpu_count()} CPUs)")
    if scratch:
        asyncio.run(execute(ADMIN_DSN, f'CREATE DATABASE "{scratch}"'))
    servers: list[Server] = []
    processes: list[subprocess.Popen[bytes]] = []
    try:
        if scratch:
            etax = [sys.executable, "-m", "etax"]
            subprocess.run([*etax, "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
            started = time.perf_counter()
            subprocess.run(
                [*etax, "demo", "load", "--scale", str(options.scale)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            print(f"etax demo load --scale {options.scale:,}: {time.perf_counter() - started:.0f} s")
        taxpayers, declarations, payments = asyncio.run(prepare())
        print(f"database: {taxpayers:,} taxpayers, {declarations:,} declarations, {payments:,} payments")
        trees = [("etax", ROOT)] + ([("etax before", options.before.resolve())] if options.before else [])
        for name, tree in trees:
            port = free_port()
            tree_env = {**env, "PYTHONPATH": str(tree)}
            process = start(["etax.platform.asgi:app"], tree_env, port, "/api/search?q=a", tree)
            processes.append(process)
            servers.append(Server(name, port, process))
        bare_port = free_port()
        (Path(var_dir) / "bench_bare_app.py").write_text(BARE_APP)
        bare = Server(
            "bare Litestar", bare_port, start(["bench_bare_app:app"], env, bare_port, "/bare", Path(var_dir))
        )
        processes.append(bare.process)

        def bare_client() -> httpx.Client:
            return httpx.Client(base_url=f"http://{HOST}:{bare_port}")

        deep: dict[str, tuple[str, str]] = {}
        walks: list[str] = []
        for server in servers:
            with closing(server.client()) as client:
                sequential(client, FILTERED, 20)  # warm-up
                declarations_deep, walked = deep_url(client, "/query/declarations")
                walks.append(
                    f"{server.name}: 申报信息查询 {walked:.1f} s ({walked / DEEP * 1000:.1f} ms a page)"
                )
                payments_deep, walked = deep_url(client, "/query/payments")
                walks.append(
                    f"{server.name}: 缴款信息查询 {walked:.1f} s ({walked / DEEP * 1000:.1f} ms a page)"
                )
                deep[server.name] = (declarations_deep, payments_deep)
        requests: list[tuple[str, Callable[[Server], str]]] = [
            ("申报信息查询 filtered page", lambda _: FILTERED),
            (f"申报信息查询 page {DEEP + 1} by cursor", lambda s: deep[s.name][0]),
            ("缴款信息查询 filtered page", lambda _: PAYMENTS),
            (f"缴款信息查询 page {DEEP + 1} by cursor", lambda s: deep[s.name][1]),
        ]
        rows: list[tuple[str, str, list[float], list[float], float]] = []
        for label, url in requests:
            for server in servers:
                with closing(server.client()) as client:
                    cpu = cpu_seconds(server.process.pid)
                    alone = sequential(client, url(server), options.rounds)
                    cpu = (cpu_seconds(server.process.pid) - cpu) / options.rounds
                together = concurrent(server.client, url(server), options.seconds)
                rows.append((label, server.name, alone, together, cpu))
        with bare_client() as client:
            cpu = cpu_seconds(bare.process.pid)
            alone = sequential(client, "/bare", options.rounds)
            cpu = (cpu_seconds(bare.process.pid) - cpu) / options.rounds
        rows.append(
            ("bare endpoint", bare.name, alone, concurrent(bare_client, "/bare", options.seconds), cpu)
        )
        exports = []
        for server in servers:
            with closing(server.client()) as client:
                for export_url in (EXPORT_SMALL, EXPORT_ALL):
                    exports.append(f"{server.name:<12} {export(client, server.process.pid, export_url)}")
        print(f"following 下一页 {DEEP} times: " + "; ".join(walks))
        print()
        print(
            f"{'request':<28} {'server':<14} {'sequential p50':>15} {'p99':>9}   {'4 clients p50':>14} {'p99':>9}"
            f"   {'server CPU':>10}  n"
        )
        for label, name, alone, together, cpu in rows:
            print(
                f"{pad(label, 28)} {name:<14} {p(alone, 50):12.1f} ms {p(alone, 99):6.1f} ms   "
                f"{p(together, 50):11.1f} ms {p(together, 99):6.1f} ms   {cpu * 1000:7.2f} ms  "
                f"{len(alone)}/{len(together)}"
            )
        print()
        print(
            "XLSX export of 申报信息查询 (all of 和信's declarations, capped at 100,000 rows; and a month of them):"
        )
        for text in exports:
            print(text)
        print(f"load average (1, 5, 15 min) at the end: {loadavg()}")
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        if scratch:
            asyncio.run(execute(ADMIN_DSN, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
