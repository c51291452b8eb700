"""Login latency and concurrent logins over HTTP on this machine, printed, no thresholds.

Measures, against one ``uvicorn etax.platform.asgi:app`` worker on loopback (a fresh ``ETAX_VAR_DIR``,
migrated and loaded with the demo world through the CLI first; ``ETAX_CAPTCHA_TEST_ANSWER`` set so
scripts can pass the captcha in dev mode):

* the cost of one argon2id check in-process (the floor of every password step);
* the latency of the enterprise password step (``POST /login/enterprise``: 纳税人识别号 + 企业密码 +
  captcha + agreement → 303 to the person choice), median and p99 over sequential requests, and its
  ratio to one argon2id check;
* the latency of a complete 普通登录 by personal password (password step, person choice, personal
  password → 303 home), median and p99;
* concurrency: for 1, 2, 4, 8, 16 and 32 simultaneous clients, each repeating the password step for a
  fixed time, the logins per second, median and p99 latency and failures — the level where throughput
  stops growing and latency grows with the number of clients is what the machine holds.

Run: ``.venv/bin/python bench/bench_login.py``
"""

from __future__ import annotations

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
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
CAPTCHA = "TEST"
TIN = "91210102MA0Y8K3P1T"  # 沈阳和信科技有限公司 (docs/demo-accounts.md)
ENTERPRISE_PASSWORD = "Hexin@2026"
PERSONAL_PASSWORD = "Wangjg@2026"  # 王建国, 法定代表人
SEQUENTIAL_LOGINS = 40
FULL_LOGINS = 15
LEVELS = (1, 2, 4, 8, 16, 32)
LEVEL_SECONDS = 6.0
SERVER_START_TIMEOUT = 120.0
CLI_TIMEOUT = 300.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def p99(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0] if samples else 0.0
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def run_cli(env: Mapping[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "etax", *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"etax {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def start_server(env: Mapping[str, str], port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "uvicorn", "etax.platform.asgi:app",
        "--host", HOST, "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
    started = time.perf_counter()
    with httpx.Client(trust_env=False, timeout=5.0) as client:
        while time.perf_counter() - started < SERVER_START_TIMEOUT:
            if server.poll() is not None:
                break
            try:
                if client.get(f"http://{HOST}:{port}/login").status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    stop_server(server)
    raise RuntimeError(f"uvicorn did not answer within {SERVER_START_TIMEOUT:.0f} s ({log.name})")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def argon2_check_time() -> float:
    """Median wall time of one argon2id verification in this process (the library's defaults)."""
    from etax.platform.auth.passwords import hash_password, verify_password

    async def measure() -> list[float]:
        digest = await hash_password(ENTERPRISE_PASSWORD)
        samples = []
        for _ in range(10):
            started = time.perf_counter()
            await verify_password(digest, ENTERPRISE_PASSWORD)
            samples.append(time.perf_counter() - started)
        return samples

    return statistics.median(asyncio.run(measure()))


class Browser:
    """One visitor: a keep-alive client with its own cookies and CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, trust_env=False, timeout=60.0)
        self.client.get("/login").raise_for_status()
        self.token = str(self.client.cookies["etax_csrf"])

    def post(self, url: str, data: dict[str, str]) -> httpx.Response:
        return self.client.post(url, data={**data, "_csrf_token": self.token})

    def password_step(self) -> bool:
        data = {"tin": TIN, "password": ENTERPRISE_PASSWORD, "captcha": CAPTCHA, "agree": "on"}
        response = self.post("/login/enterprise", data)
        return response.status_code == 303 and response.headers["location"] == "/login/enterprise/staff"

    def full_login(self) -> bool:
        if not self.password_step():
            return False
        page = self.client.get("/login/enterprise/staff").text
        found = re.search(r'value="(\d+)"[^>]*><span class="person-name">王\*国<', page)
        if found is None:
            return False
        chosen = self.post("/login/enterprise/staff", {"staff": found.group(1), "method": "password"})
        if chosen.status_code != 303:
            return False
        done = self.post("/login/enterprise/password", {"password": PERSONAL_PASSWORD})
        ok = done.status_code == 303 and done.headers["location"] == "/"
        self.token = str(self.client.cookies.get("etax_csrf", self.token))
        self.post("/logout", {})
        return ok

    def close(self) -> None:
        self.client.close()


def sequential(base_url: str, count: int, full: bool) -> tuple[list[float], int]:
    browser = Browser(base_url)
    samples: list[float] = []
    failures = 0
    try:
        for _ in range(count):
            started = time.perf_counter()
            ok = browser.full_login() if full else browser.password_step()
            samples.append(time.perf_counter() - started)
            failures += not ok
    finally:
        browser.close()
    return samples, failures


def concurrent(base_url: str, clients: int) -> tuple[int, int, list[float], float]:
    """``clients`` visitors repeating the password step for ``LEVEL_SECONDS``."""
    browsers = [Browser(base_url) for _ in range(clients)]
    samples: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    barrier = threading.Barrier(clients + 1)
    deadline: list[float] = []

    def work(number: int) -> None:
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            started = time.perf_counter()
            try:
                ok = browsers[number].password_step()
            except httpx.HTTPError:
                ok = False
            samples[number].append(time.perf_counter() - started)
            failures[number] += not ok

    threads = [threading.Thread(target=work, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline.append(began + LEVEL_SECONDS)
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    for browser in browsers:
        browser.close()
    flat = [sample for per_client in samples for sample in per_client]
    return len(flat) - sum(failures), sum(failures), flat, elapsed


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="etax-bench-login-") as var_dir:
        os.environ["ETAX_VAR_DIR"] = var_dir
        env = {**os.environ, "ETAX_MODE": "dev", "ETAX_CAPTCHA_TEST_ANSWER": CAPTCHA}
        env.pop("ETAX_DATABASE_URL", None)
        print(f"etax login benchmark (ETAX_VAR_DIR={var_dir}, {os.cpu_count()} CPUs, one uvicorn worker)")
        run_cli(env, "db", "migrate")
        run_cli(env, "demo", "load")
        check = argon2_check_time()
        print(f"\none argon2id check in-process (median of 10): {ms(check)}")
        port = free_port()
        base_url = f"http://{HOST}:{port}"
        with open(Path(var_dir) / "uvicorn.log", "wb") as log:
            server = start_server(env, port, log)
            try:
                sequential(base_url, 3, full=False)  # warm-up
                step, step_failed = sequential(base_url, SEQUENTIAL_LOGINS, full=False)
                print(
                    f"\nenterprise password step, {SEQUENTIAL_LOGINS} sequential logins ({step_failed} failed)"
                )
                print(f"  median {ms(statistics.median(step))}   p99 {ms(p99(step))}")
                print(f"  median / one argon2id check: {statistics.median(step) / check:5.2f} ×")
                full, full_failed = sequential(base_url, FULL_LOGINS, full=True)
                print(
                    f"\ncomplete 普通登录 by personal password (3 requests, 2 argon2id checks), "
                    f"{FULL_LOGINS} logins ({full_failed} failed)"
                )
                print(f"  median {ms(statistics.median(full))}   p99 {ms(p99(full))}")
                print(f"  median / password step: {statistics.median(full) / statistics.median(step):5.2f} ×")

                print(f"\nconcurrent password steps ({LEVEL_SECONDS:.0f} s per level)")
                print(
                    f"  {'clients':>7}  {'logins/s':>9}  {'median':>11}  {'p99':>11}  {'failed':>6}  {'vs 1 client':>11}"
                )
                base_rate = 0.0
                for clients in LEVELS:
                    done, failed, samples, elapsed = concurrent(base_url, clients)
                    rate = done / elapsed
                    base_rate = base_rate or rate
                    print(
                        f"  {clients:7d}  {rate:9.1f}  {ms(statistics.median(samples))}  {ms(p99(samples))}"
                        f"  {failed:6d}  {rate / base_rate:9.2f} ×"
                    )
            finally:
                stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
