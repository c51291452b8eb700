"""Query-centre page latency over HTTP beside a bare Litestar endpoint, printed side by side, no thresholds.

Measures, in one run, on a scratch PostgreSQL database:

* a filtered page of 申报信息查询 (税款所属期 and 征收项目 filters) and of 缴款信息查询: p50 and p99 over
  sequential requests and under 4 concurrent clients;
* the deep page of 申报信息查询 reached by following "下一页" 500 times, requested again by its cursor;
* a bare Litestar JSON endpoint (the framework's own ceiling) served the same way, in the same run.

Data: ``--taxpayers`` taxpayers × 24 months of declarations and payments inserted in bulk (SQL
``generate_series``), plus 12,000 declarations and payments for the demo enterprise 沈阳和信科技 (so that
500 pages of 20 exist). The server is ``uvicorn etax.platform.asgi:app`` (one worker) on the scratch
database, logged in through the real enterprise login (dev mode, the captcha test answer).

Run: ``.venv/bin/python bench/bench_queries.py [--taxpayers 50000]`` (PostgreSQL at 127.0.0.1:5432, trust;
the scratch database is dropped at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from html import unescape
from pathlib import Path

import asyncpg
import httpx

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


def load_sql(taxpayers: int) -> list[str]:
    taxpayer_ids = "(SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM coresys_taxpayer WHERE tin LIKE 'BENCH%') t"
    rows = taxpayers * 24
    hexin = "(SELECT id FROM coresys_taxpayer WHERE name = '沈阳和信科技有限公司')"
    return [
        f"""INSERT INTO coresys_taxpayer (tin, name, taxpayer_type, status, location_class, tax_office,
            pure_social_security, is_agency, registered_taxes, registered_on, address)
            SELECT 'BENCH' || lpad(i::text, 13, '0'), '压测企业' || i, '一般纳税人', '正常', '市区', '测试局',
                   false, false, '', DATE '2020-01-01', '' FROM generate_series(1, {taxpayers}) AS i""",
        f"""INSERT INTO ledger_declaration (number, submission, taxpayer, tax_type, form_code, form_version,
            period_kind, period_start, period_end, event_ref, kind, status, live_key, income_fen, tax_fen,
            relief_fen, prepaid_fen, payable_fen, paid_fen, credit_fen, deadline, payment_deadline, late, filed_at,
            filed_by, channel, agency, agency_name, corrects, batch, data_version, payment_lock, voided_at, void_reason)
            SELECT 'B' || lpad(i::text, 17, '0'), 'bench-' || i, t.id, CASE WHEN i % 3 = 0 THEN '10109' ELSE '10101' END,
                   'BDA0610606', '2023-01', 'month',
                   (DATE '2024-11-01' + ((i / {taxpayers}) % 24) * INTERVAL '1 month')::date,
                   (DATE '2024-11-01' + ((i / {taxpayers}) % 24 + 1) * INTERVAL '1 month' - INTERVAL '1 day')::date,
                   '', '11', 'filed', NULL, 1000000 + i % 997, 13000, 0, 0, 13000, 13000, 0,
                   DATE '2025-01-15', DATE '2025-01-15', false,
                   TIMESTAMPTZ '2024-12-10 09:00+08' + ((i / {taxpayers}) % 24) * INTERVAL '1 month' + (i % 997) * INTERVAL '1 second',
                   '压测', 'import', NULL, '', NULL, 'bench-' || i, 1, NULL, NULL, ''
            FROM generate_series(0, {rows - 1}) AS i JOIN {taxpayer_ids} ON t.n = i % {taxpayers}""",
        f"""INSERT INTO ledger_payment (key, taxpayer, method, status, amount_fen, tax_fen, late_fee_fen, agreement,
            agreement_number, bank_serial, voucher_number, message, requested_by, requested_at, paid_on)
            SELECT 'bench-pay-' || i, t.id, 'agreement', 'succeeded', 13000, 13000, 0, NULL, '', '', NULL, '', '压测',
                   TIMESTAMPTZ '2024-12-12 09:00+08' + ((i / {taxpayers}) % 24) * INTERVAL '1 month', DATE '2024-12-12'
            FROM generate_series(0, {rows - 1}) AS i JOIN {taxpayer_ids} ON t.n = i % {taxpayers}""",
        f"""INSERT INTO ledger_declaration (number, submission, taxpayer, tax_type, form_code, form_version,
            period_kind, period_start, period_end, event_ref, kind, status, live_key, income_fen, tax_fen,
            relief_fen, prepaid_fen, payable_fen, paid_fen, credit_fen, deadline, payment_deadline, late, filed_at,
            filed_by, channel, agency, agency_name, corrects, batch, data_version, payment_lock, voided_at, void_reason)
            SELECT 'H' || lpad(i::text, 17, '0'), 'bench-hexin-' || i, {hexin}, '10101', 'BDA0610606', '2023-01', 'month',
                   (DATE '2024-11-01' + (i % 24) * INTERVAL '1 month')::date,
                   (DATE '2024-11-01' + (i % 24 + 1) * INTERVAL '1 month' - INTERVAL '1 day')::date,
                   '', '11', 'filed', NULL, 1000000, 13000, 0, 0, 13000, 13000, 0, DATE '2025-01-15', DATE '2025-01-15',
                   false, TIMESTAMPTZ '2024-12-10 09:00+08' + i * INTERVAL '1 minute', '压测', 'import', NULL, '', NULL,
                   'bench-hexin-' || i, 1, NULL, NULL, ''
            FROM generate_series(0, 11999) AS i""",
        f"""INSERT INTO ledger_payment (key, taxpayer, method, status, amount_fen, tax_fen, late_fee_fen, agreement,
            agreement_number, bank_serial, voucher_number, message, requested_by, requested_at, paid_on)
            SELECT 'bench-hexin-pay-' || i, {hexin}, 'agreement', 'succeeded', 13000, 13000, 0, NULL, '', '', NULL, '',
                   '压测', TIMESTAMPTZ '2024-12-12 09:00+08' + i * INTERVAL '1 minute', DATE '2024-12-12'
            FROM generate_series(0, 11999) AS i""",
        "ANALYZE",
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
    from etax.platform.demo import TAXPAYERS

    client.get("/login")
    token = client.cookies.get("etax_csrf") or ""

    answer = client.post(
        "/login/enterprise",
        data={
            "tin": str(TAXPAYERS[0]["tin"]),
            "password": "Hexin@2026",
            "captcha": "TEST",
            "agree": "on",
            "next": "/",
            "_csrf_token": token,
        },
    )
    staff_page = client.get("/login/enterprise/staff").text
    match = re.search(r'value="(\d+)"[^>]*><span class="person-name">张\*', staff_page)
    assert answer.status_code in (302, 303) and match, "login step 1 failed"
    client.post(
        "/login/enterprise/staff", data={"staff": match.group(1), "method": "password", "_csrf_token": token}
    )
    done = client.post("/login/enterprise/password", data={"password": "Zhangwei@2026", "_csrf_token": token})
    assert done.status_code in (302, 303), done.text[:500]


def sequential(client: httpx.Client, url: str, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def concurrent(make_client: Callable[[], httpx.Client], url: str) -> list[float]:
    samples: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + CONCURRENT_SECONDS

    def worker() -> None:
        client = make_client()
        try:
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200
                with lock:
                    samples.append(elapsed)
        finally:
            client.close()

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENT_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def line(name: str, samples: list[float]) -> str:
    return f"{name:<44} p50 {p(samples, 50):8.2f} ms   p99 {p(samples, 99):8.2f} ms   n={len(samples)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxpayers", type=int, default=5000, help="taxpayers × 24 months of declarations")
    options = parser.parse_args()
    database = f"etax_bench_{uuid.uuid4().hex[:8]}"
    base_dsn = ADMIN_DSN.rsplit("/", 1)[0]
    var_dir = tempfile.mkdtemp(prefix="etax-bench-queries-")
    env = {
        **os.environ,
        "ETAX_DATABASE_URL": f"{base_dsn}/{database}",
        "ETAX_VAR_DIR": var_dir,
        "ETAX_MODE": "dev",
        "ETAX_CAPTCHA_TEST_ANSWER": "TEST",
    }

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(ADMIN_DSN)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    async def load() -> float:
        connection = await asyncpg.connect(env["ETAX_DATABASE_URL"])
        started = time.perf_counter()
        try:
            for statement in load_sql(options.taxpayers):
                await connection.execute(statement)
            return time.perf_counter() - started
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{database}"'))
    servers: list[subprocess.Popen[bytes]] = []
    try:
        for args in (["db", "migrate"], ["demo", "load"]):
            subprocess.run(
                [sys.executable, "-m", "etax", *args], cwd=ROOT, env=env, check=True, capture_output=True
            )
        seconds = asyncio.run(load())
        print(
            f"loaded {options.taxpayers * 24 + 12000:,} declarations and as many payments in {seconds:.1f} s"
        )
        etax_port, bare_port = free_port(), free_port()
        servers.append(start(["etax.platform.asgi:app"], env, etax_port, "/api/search?q=a", ROOT))
        bare_dir = Path(var_dir)
        (bare_dir / "bench_bare_app.py").write_text(BARE_APP)
        servers.append(start(["bench_bare_app:app"], env, bare_port, "/bare", bare_dir))

        def etax_client() -> httpx.Client:
            client = httpx.Client(base_url=f"http://{HOST}:{etax_port}", timeout=30)
            log_in(client)
            return client

        filtered = "/query/declarations?period_from=2025-06&period_to=2025-12&tax_type=10101"
        payments = "/query/payments?paid_from=2024-01-01&paid_to=2025-12-31"
        client = etax_client()
        try:
            sequential(client, filtered, 20)  # warm-up
            cursor_url = "/query/declarations"
            started = time.perf_counter()
            for _ in range(DEEP):
                found = re.search(r'<a href="([^"]+)" rel="next"', client.get(cursor_url).text)
                assert found, "fewer than 500 pages"
                cursor_url = "/query/declarations" + unescape(found.group(1))
            walk = time.perf_counter() - started
            results = {
                "申报信息查询 filtered page (sequential)": sequential(client, filtered, SEQUENTIAL),
                "申报信息查询 page 501 by cursor (sequential)": sequential(client, cursor_url, SEQUENTIAL),
                "缴款信息查询 filtered page (sequential)": sequential(client, payments, SEQUENTIAL),
            }
        finally:
            client.close()
        with httpx.Client(base_url=f"http://{HOST}:{bare_port}") as bare:
            results["bare Litestar endpoint (sequential)"] = sequential(bare, "/bare", SEQUENTIAL)
        results["申报信息查询 filtered page (4 clients)"] = concurrent(etax_client, filtered)
        results["申报信息查询 page 501 by cursor (4 clients)"] = concurrent(etax_client, cursor_url)
        results["缴款信息查询 filtered page (4 clients)"] = concurrent(etax_client, payments)
        results["bare Litestar endpoint (4 clients)"] = concurrent(
            lambda: httpx.Client(base_url=f"http://{HOST}:{bare_port}"), "/bare"
        )
        print(f"following 下一页 500 times: {walk:.1f} s ({walk / DEEP * 1000:.1f} ms per page)")
        for name, samples in results.items():
            print(line(name, samples))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
