"""Filing throughput and latency over HTTP on this machine, beside a bare Litestar endpoint, printed,
no thresholds.

Against one ``uvicorn etax.platform.asgi:app`` worker on loopback (a fresh ``ETAX_VAR_DIR`` on SQLite,
migrated and loaded with the demo world through the CLI), logged in as 王建国 of 沈阳和信科技:

* ``POST /filing/vat-general/compute`` — the htmx recompute of the whole 增值税一般纳税人 return (219
  lines: parse, validate, compute, render the out-of-band cells): median and p99 over sequential
  requests, and requests per second with 1, 4 and 8 concurrent clients;
* the same for ``GET /api/search`` of the bare Litestar app in ``../shared/bench/bare_app.py``, served
  the same way in the same run, and the ratio — what the engine and the portal cost above the framework;
* filing: 预览 + 提交 of a return (recompute, checks against the ledger, four declarations written in one
  transaction), sequential and with 4 concurrent clients on distinct periods, returns per second;
* paying: 税款缴纳 of one filed return's four declarations through the 三方协议 (the development bank
  with ``ETAX_BANK_LATENCY_MS=0``, so the figure is the portal's own cost), payments per second.

The periods filed are 2016-01 … 2019-12 under an extra VAT registration the script adds to 和信 (the
demo world already files its last two years).

Run from the repository root: ``.venv/bin/python -m bench.bench_filing``
"""

from __future__ import annotations

import os
import re
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

from bench.bench_login import (
    CAPTCHA,
    ENTERPRISE_PASSWORD,
    HOST,
    PERSONAL_PASSWORD,
    ROOT,
    TIN,
    free_port,
    ms,
    p99,
    run_cli,
    start_server,
    stop_server,
)

BARE_APP = Path(os.environ.get("ETAX_BARE_APP_DIR", ROOT.parent.parent / "shared" / "bench"))
EXAMPLE = {
    "T1.1.1": "1000000",
    "T1.1.2": "130000",
    "T2.2.t": "80000",
    "T2.23b.t": "2000",
    "H.location": "市区",
    "H.six_two": "否",
}
SEQUENTIAL = 200
LEVELS = (1, 4, 8)
LEVEL_SECONDS = 5.0
SETUP = """
import asyncio, datetime as dt
from etax.platform.app import load_plugins
from etax.platform.settings import load_settings
from etax.platform.api import ledger as L, registry

load_plugins(load_settings())

async def main():
    tp = (await registry.taxpayer_by_tin("{tin}")).id
    for tax in (L.TaxType.VAT, L.TaxType.URBAN_CONSTRUCTION, L.TaxType.EDUCATION, L.TaxType.LOCAL_EDUCATION):
        await L.register_tax(tp, tax, L.PeriodKind.MONTH, dt.date(2016, 1, 1), valid_to=dt.date(2019, 12, 31))
    if await L.active_agreement(tp) is None:
        name = (await registry.taxpayer_by_id(tp)).name
        await L.sign_agreement(tp, bank_code="102", bank_name="中国工商银行沈阳和平支行",
                               account_number="6222020200001234567", account_name=name, signed_by="bench")

asyncio.run(main())
"""


def periods() -> list[str]:
    return [f"{year}-{month:02d}" for year in range(2016, 2020) for month in range(1, 13)]


class Officer:
    """王建国 logged in with his own cookies and CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, trust_env=False, timeout=60.0)
        self.client.get("/login").raise_for_status()
        self.token = str(self.client.cookies["etax_csrf"])
        data = {"tin": TIN, "password": ENTERPRISE_PASSWORD, "captcha": CAPTCHA, "agree": "on"}
        assert self.post("/login/enterprise", data).status_code == 303
        page = self.client.get("/login/enterprise/staff").text
        found = re.search(r'value="(\d+)"[^>]*><span class="person-name">王\*国<', page)
        assert found, "王建国 not offered"
        assert (
            self.post("/login/enterprise/staff", {"staff": found.group(1), "method": "password"}).status_code
            == 303
        )
        done = self.post("/login/enterprise/password", {"password": PERSONAL_PASSWORD})
        assert done.status_code == 303, done.text[:500]
        self.token = str(self.client.cookies.get("etax_csrf", self.token))

    def post(self, url: str, data: Mapping[str, str | list[str]]) -> httpx.Response:
        return self.client.post(url, data={**data, "_csrf_token": self.token})

    def compute(self) -> bool:
        answer = self.post("/filing/vat-general/compute", {"_period": "2019-12", **EXAMPLE})
        return answer.status_code == 200 and "hx-swap-oob" in answer.text

    def file(self, period: str) -> bool:
        shown = self.post("/filing/vat-general/preview", {"_period": period, **EXAMPLE})
        found = re.search(r'name="_submission" value="([^"]+)"', shown.text)
        if shown.status_code != 200 or found is None:
            return False
        done = self.post(
            "/filing/vat-general/submit", {"_period": period, "_submission": found.group(1), **EXAMPLE}
        )
        return done.status_code == 303

    def pay_one(self) -> bool:
        page = self.client.get("/filing/payment/").text
        token = re.search(r'name="_token" value="([^"]+)"', page)
        ids = re.findall(r'name="declaration" value="(\d+)"', page)
        if token is None or not ids:
            return False
        answer = self.post("/filing/payment/", {"_token": token.group(1), "declaration": ids[:4]})
        return answer.status_code == 303

    def close(self) -> None:
        self.client.close()


def timed(action: Callable[[], bool], count: int) -> tuple[list[float], int]:
    samples, failures = [], 0
    for _ in range(count):
        started = time.perf_counter()
        failures += not action()
        samples.append(time.perf_counter() - started)
    return samples, failures


def throughput(
    make: Callable[[], Callable[[], bool]], clients: int, seconds: float = LEVEL_SECONDS
) -> tuple[float, float, int]:
    """Requests per second and median latency of ``clients`` workers repeating their action."""
    actions = [make() for _ in range(clients)]
    samples: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    barrier = threading.Barrier(clients + 1)
    deadline: list[float] = []

    def work(number: int) -> None:
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            started = time.perf_counter()
            try:
                ok = actions[number]()
            except httpx.HTTPError:
                ok = False
            samples[number].append(time.perf_counter() - started)
            failures[number] += not ok

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline.append(began + seconds)
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    flat = [s for per in samples for s in per]
    return (len(flat) - sum(failures)) / elapsed, statistics.median(flat), sum(failures)


def start_bare(port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "uvicorn", "bare_app:app",
        "--host", HOST, "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=BARE_APP, stdout=log, stderr=subprocess.STDOUT)
    with httpx.Client(trust_env=False, timeout=5.0) as client:
        for _ in range(400):
            try:
                if client.get(f"http://{HOST}:{port}/api/search").status_code == 200:
                    return server
            except httpx.TransportError:
                time.sleep(0.05)
    stop_server(server)
    raise RuntimeError("the bare app did not start")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="etax-bench-filing-") as var_dir:
        os.environ["ETAX_VAR_DIR"] = var_dir
        env = {
            **os.environ,
            "ETAX_MODE": "dev",
            "ETAX_CAPTCHA_TEST_ANSWER": CAPTCHA,
            "ETAX_BANK_LATENCY_MS": "0",
        }
        env.pop("ETAX_DATABASE_URL", None)
        print(
            f"etax filing benchmark (ETAX_VAR_DIR={var_dir}, {os.cpu_count()} CPUs, one uvicorn worker each)"
        )
        run_cli(env, "db", "migrate")
        run_cli(env, "demo", "load")
        subprocess.run(
            [sys.executable, "-c", SETUP.format(tin=TIN)], cwd=ROOT, env=env, check=True, timeout=300
        )
        etax_port, bare_port = free_port(), free_port()
        base, bare_url = f"http://{HOST}:{etax_port}", f"http://{HOST}:{bare_port}"
        with (
            open(Path(var_dir) / "uvicorn.log", "wb") as log,
            open(Path(var_dir) / "bare.log", "wb") as bare_log,
        ):
            server = start_server(env, etax_port, log)
            bare = start_bare(bare_port, bare_log)
            try:
                officer = Officer(base)
                bare_client = httpx.Client(base_url=bare_url, trust_env=False, timeout=30.0)

                def bare_get() -> bool:
                    return bare_client.get("/api/search", params={"q": "增值税"}).status_code == 200

                timed(officer.compute, 5)
                timed(bare_get, 5)
                compute, compute_failed = timed(officer.compute, SEQUENTIAL)
                baseline, _ = timed(bare_get, SEQUENTIAL)
                print(f"\nsequential requests ({SEQUENTIAL} each)")
                print(f"  {'endpoint':<44} {'median':>11} {'p99':>11}")
                print(
                    f"  {'bare Litestar GET /api/search':<44} {ms(statistics.median(baseline))} {ms(p99(baseline))}"
                )
                print(
                    f"  {'etax POST /filing/vat-general/compute':<44} {ms(statistics.median(compute))} "
                    f"{ms(p99(compute))}  ({compute_failed} failed)"
                )
                print(
                    f"  compute median / bare median: {statistics.median(compute) / statistics.median(baseline):6.1f} ×"
                )

                print(f"\nthroughput ({LEVEL_SECONDS:.0f} s per level)")
                print(
                    f"  {'clients':>7}  {'bare req/s':>10}  {'compute req/s':>13}  {'compute median':>14}  {'ratio':>6}"
                )
                officers = [Officer(base) for _ in range(max(LEVELS))]
                for clients in LEVELS:
                    bare_rate, _, _ = throughput(lambda: bare_get, clients)
                    computes = iter([o.compute for o in officers])
                    rate, median, failed = throughput(computes.__next__, clients)
                    print(
                        f"  {clients:7d}  {bare_rate:10.1f}  {rate:13.1f}  {ms(median)}  {bare_rate / rate:5.1f}×"
                        + (f"  ({failed} failed)" if failed else "")
                    )

                todo = periods()
                sequential_periods, parallel_periods = todo[:16], todo[16:48]
                print("\nfiling 增值税一般纳税人申报 (预览 + 提交, four declarations per return)")
                started = time.perf_counter()
                filed = sum(officer.file(p) for p in sequential_periods)
                elapsed = time.perf_counter() - started
                print(
                    f"  sequential: {filed}/{len(sequential_periods)} returns, {filed / elapsed:6.1f} returns/s, "
                    f"{ms(elapsed / len(sequential_periods))} per return"
                )
                chunks = [parallel_periods[i::4] for i in range(4)]
                results = [0] * 4

                def file_chunk(index: int) -> None:
                    results[index] = sum(officers[index].file(p) for p in chunks[index])

                threads = [threading.Thread(target=file_chunk, args=(i,)) for i in range(4)]
                started = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.perf_counter() - started
                print(
                    f"  4 clients:  {sum(results)}/{len(parallel_periods)} returns, {sum(results) / elapsed:6.1f} returns/s"
                )

                print("\npaying 税款缴纳 through the 三方协议 (development bank, no simulated latency)")
                payments, failed_payments = timed(officer.pay_one, 12)
                print(
                    f"  sequential: {len(payments) - failed_payments}/12 payments, median {ms(statistics.median(payments))}, "
                    f"{(len(payments) - failed_payments) / sum(payments):6.1f} payments/s"
                )
                for extra in [officer, *officers]:
                    extra.close()
                bare_client.close()
            finally:
                stop_server(server)
                stop_server(bare)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
