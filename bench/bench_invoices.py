"""数电发票 issue throughput and 全量发票查询 page latency on 100,000 invoices, beside a bare endpoint.

In one run, on loopback, each server one uvicorn worker:

* the bare Litestar endpoint of ``/work/shared/bench/bare_app.py`` (``../shared/bench``): throughput and
  latency of ``GET /api/search`` — the framework's own ceiling;
* etax on a fresh database (SQLite by default; set ``BENCH_DATABASE_URL=postgresql://…`` for PostgreSQL),
  migrated and loaded with the demo world; 沈阳和信科技 gets an approved 票种核定 and a large quota, and
  100,000 invoices are inserted for it (bulk, not through the form);
* issue throughput: 4 concurrent clients posting the 蓝字发票开具 form for 5 seconds (each POST issues one
  invoice: checks, quota, number, insert, audit), as the logged-in legal representative;
* 全量发票查询 latency (median, p99 of 30 requests each): the first page, pages 2 to 60 of 100 rows
  reached by following 下一页 (signed keyset cursors: page 60 costs what page 2 costs), and a page
  filtered by counterparty.

Numbers are printed side by side with their ratio to the bare endpoint; no thresholds.
Run: ``.venv/bin/python bench/bench_invoices.py``
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BARE_APP_DIR = Path(os.environ.get("BENCH_BARE_DIR", ROOT.parent.parent / "shared" / "bench"))
HOST = "127.0.0.1"
INVOICES = int(os.environ.get("BENCH_INVOICES", "100000"))
CLIENTS = 4
SECONDS = 5.0
ROUNDS = 30
PAGES = 59
CAPTCHA = "BENCH"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def start(
    command: list[str], cwd: Path, env: dict[str, str], port: int, probe: str
) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}{probe}", timeout=2).status_code < 500:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"server on port {port} did not start")


def uvicorn(app: str, port: int) -> list[str]:
    return [
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


async def seed() -> tuple[str, int]:
    """Quota and 100,000 invoices for 沈阳和信科技; returns the buyer TIN and the legal rep's staff id."""
    from etax.platform.auth.tables import StaffMember
    from etax.platform.coresys.tables import Person, Taxpayer
    from etax.plugins.invoices.forms import TypeApprovalForm
    from etax.plugins.invoices.issuing.service import sync_account
    from etax.plugins.invoices.quota import approve
    from etax.plugins.invoices.tables import Invoice, InvoiceAccount

    sellers = await Taxpayer.select().where(Taxpayer.name == "沈阳和信科技有限公司").first()
    buyers = await Taxpayer.select().where(Taxpayer.name == "康平县兴农农资经营部").first()
    assert sellers and buyers
    seller_id = int(sellers["id"])
    form = TypeApprovalForm(
        invoice_type="增值税电子专用发票",
        max_amount="一千万元",
        monthly_quantity=999,
        per_purchase_quantity=999,
        holding_quantity=999,
    )
    now = dt.datetime.now(dt.UTC)
    await approve(seller_id, form, "2026999999", now)
    await sync_account(seller_id)
    account = await InvoiceAccount.select().where(InvoiceAccount.taxpayer == seller_id).first()
    assert account
    start = int(account["last_sequence"])
    today = dt.date.today()
    batch: list[Invoice] = []
    for index in range(INVOICES):
        amount = Decimal(100 + index % 900)
        batch.append(
            Invoice(
                number=f"{today.year % 100:02d}211{int(account['id']):07d}{start + index + 1:08d}",
                kind="special",
                colour="blue",
                seller=seller_id,
                seller_tin=sellers["tin"],
                seller_name=sellers["name"],
                buyer=buyers["id"] if index % 2 else None,
                buyer_tin=buyers["tin"] if index % 2 else "91210102MA0BENCH01",
                buyer_name=buyers["name"] if index % 2 else f"外部客户{index % 97}号有限公司",
                issued_at=now,
                issue_date=today - dt.timedelta(days=(INVOICES - index) // 300),
                amount=amount,
                tax=amount * Decimal("0.13"),
                total=amount * Decimal("1.13"),
                status="正常",
                issuer="王建国",
            )
        )
        if len(batch) == 1000:  # PostgreSQL takes at most 32,767 parameters per statement
            await Invoice.insert(*batch)
            batch = []
    if batch:
        await Invoice.insert(*batch)
    await InvoiceAccount.update(
        {InvoiceAccount.last_sequence: start + INVOICES, InvoiceAccount.issued_count: INVOICES}
    ).where(InvoiceAccount.taxpayer == seller_id)
    person = await Person.select(Person.id).where(Person.name == "王建国").first()
    assert person
    staff = (
        await StaffMember.select(StaffMember.id)
        .where((StaffMember.taxpayer == seller_id) & (StaffMember.person == person["id"]))
        .first()
    )
    assert staff
    return str(buyers["tin"]), int(staff["id"])


def log_in(base: str, staff_id: int) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    client.get("/login")
    token = client.cookies["etax_csrf"]
    data = {"tin": "91210102MA0Y8K3P1T", "password": "Hexin@2026", "captcha": CAPTCHA, "agree": "on"}
    client.post("/login/enterprise", data={**data, "_csrf_token": token})
    client.post(
        "/login/enterprise/staff", data={"staff": str(staff_id), "method": "password", "_csrf_token": token}
    )
    done = client.post("/login/enterprise/password", data={"password": "Wangjg@2026", "_csrf_token": token})
    assert done.status_code in (302, 303) and done.headers["location"] == "/", done.text[:500]
    return client


def throughput(work: object, clients: list[httpx.Client]) -> tuple[int, int, float]:
    """Requests done and failed by ``clients`` in parallel for SECONDS; returns (ok, failed, per second)."""
    counts = [0, 0]
    lock = threading.Lock()
    deadline = time.perf_counter() + SECONDS

    def loop(client: httpx.Client) -> None:
        while time.perf_counter() < deadline:
            ok = work(client)  # type: ignore[operator]
            with lock:
                counts[0 if ok else 1] += 1

    threads = [threading.Thread(target=loop, args=(client,)) for client in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return counts[0], counts[1], counts[0] / elapsed


def latency(client: httpx.Client, url: str) -> tuple[float, float]:
    client.get(url)
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text[:300]
    return statistics.median(samples), p99(samples)


def walk_pages(client: httpx.Client, url: str, pages: int) -> tuple[float, float]:
    """Follow 下一页 ``pages`` times from ``url``; median and p99 of those page loads."""
    samples = []
    base = url.split("?", 1)[0]
    html = client.get(url).text
    for _ in range(pages):
        found = re.search(r'href="(\?[^"]*cursor=[^"]*)" rel="next"', html)
        if not found:
            break
        started = time.perf_counter()
        response = client.get(base + found.group(1).replace("&amp;", "&"))
        samples.append(time.perf_counter() - started)
        html = response.text
    return statistics.median(samples), p99(samples)


def main() -> None:
    var = tempfile.mkdtemp(prefix="etax-bench-invoices-")
    env = {
        **os.environ,
        "ETAX_VAR_DIR": var,
        "ETAX_MODE": "dev",
        "ETAX_CAPTCHA_TEST_ANSWER": CAPTCHA,
        "ETAX_DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{var}/etax.sqlite3"),
    }
    for args in (["db", "migrate"], ["demo", "load"]):
        subprocess.run(
            [sys.executable, "-m", "etax", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )
    os.environ.update(env)
    from etax.platform.app import load_plugins
    from etax.platform.settings import load_settings

    load_plugins(load_settings())
    started = time.perf_counter()
    buyer_tin, staff_id = asyncio.run(seed())
    print(
        f"seeded {INVOICES:,} invoices in {time.perf_counter() - started:.1f} s ({env['ETAX_DATABASE_URL'].split(':')[0]})"
    )

    bare_port, etax_port = free_port(), free_port()
    bare = start(uvicorn("bare_app:app", bare_port), BARE_APP_DIR, env, bare_port, "/api/search")
    server = start(uvicorn("etax.platform.asgi:app", etax_port), ROOT, env, etax_port, "/api/search?q=a")
    try:
        bare_clients = [httpx.Client(base_url=f"http://{HOST}:{bare_port}") for _ in range(CLIENTS)]
        _, _, bare_rate = throughput(lambda c: c.get("/api/search?q=a").status_code == 200, bare_clients)
        bare_median, bare_p99 = latency(bare_clients[0], "/api/search?q=a")

        clients = [log_in(f"http://{HOST}:{etax_port}", staff_id) for _ in range(CLIENTS)]

        def issue(client: httpx.Client) -> bool:
            data = {
                "kind": "special",
                "buyer_tin": buyer_tin,
                "price_inclusive": "0",
                "rows": "1",
                "name_0": "技术服务费",
                "amount_0": "1000.00",
                "rate_0": "6",
                "action": "issue",
                "_submission": secrets.token_urlsafe(12),
                "_csrf_token": client.cookies["etax_csrf"],
            }
            return client.post("/invoices/issue", data=data).status_code == 303

        ok, failed, issue_rate = throughput(issue, clients)
        first = latency(clients[0], "/invoices/query")
        deep = walk_pages(clients[0], "/invoices/query?size=100", PAGES)
        filtered = latency(clients[0], "/invoices/query?counterparty=%E5%A4%96%E9%83%A8%E5%AE%A2%E6%88%B737")
        # 发票信息查询 (查询中心): the same invoices through the etax_invoice_records hook
        info_first = latency(clients[0], "/query/invoices")
        info_deep = walk_pages(clients[0], "/query/invoices?size=100", PAGES)
        info_filtered = latency(
            clients[0], "/query/invoices?counterparty=%E5%A4%96%E9%83%A8%E5%AE%A2%E6%88%B737"
        )
    finally:
        for process in (bare, server):
            process.terminate()
            process.wait(timeout=10)

    print(f"{'measure':<44}{'value':>14}{'ratio to bare':>16}")
    print(f"{'bare endpoint throughput (req/s)':<44}{bare_rate:>14.1f}{1:>16.2f}")
    print(
        f"{'蓝字发票开具 POST throughput (invoices/s)':<40}{issue_rate:>14.1f}{issue_rate / bare_rate:>16.3f}   ({ok} issued, {failed} failed)"
    )
    print(
        f"{'bare endpoint latency median / p99 (ms)':<44}{bare_median * 1000:>7.2f} / {bare_p99 * 1000:.2f}"
    )
    for label, (median, worst) in (
        ("全量发票查询 first page", first),
        ("全量发票查询 pages 2-60 of 100 rows (keyset)", deep),
        ("全量发票查询 filtered by counterparty", filtered),
        ("发票信息查询 first page", info_first),
        ("发票信息查询 pages 2-60 of 100 rows (keyset)", info_deep),
        ("发票信息查询 filtered by counterparty", info_filtered),
    ):
        print(
            f"{label + ' median / p99 (ms)':<38}{median * 1000:>7.2f} / {worst * 1000:.2f}   x{median / bare_median:.1f} bare"
        )


if __name__ == "__main__":
    main()
