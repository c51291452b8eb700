"""Queries and in-process milliseconds per logged-in request (issue 18: per-identity work cached).

Builds the application from ``etax.platform.asgi:app`` on a fresh SQLite file with the demo world
(``etax db migrate && etax demo load``), logs in as the demo enterprise 和信 / 张伟 (the login walk of
``bench/bench_ratios.py``) and, for ``/`` and ``/query/declarations``, prints the database queries one request
makes and the median in-process time of a request — with the cache of resolved principals, and in the same
run with every request resolving the principal afresh (the baseline). No server, no sockets: only the
application's own work.

Run: ``.venv/bin/python bench/bench_logged_in.py`` (``ETAX_BENCH_REQUESTS`` requests per figure, default 200). To
compare with an older revision, export it (``git archive <rev> | tar -x -C /tmp/old``) and run this file with
``PYTHONPATH=/tmp/old``: both rows then show that revision's resolver.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REQUESTS = int(os.environ.get("ETAX_BENCH_REQUESTS", "200"))
PATHS = ("/", "/query/declarations")
ROOT = Path(__file__).resolve().parents[1]


def prepare() -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="etax-bench-logged-in-"))
    os.environ.update(
        ETAX_MODE="dev",
        ETAX_CAPTCHA_TEST_ANSWER="TEST",
        ETAX_VAR_DIR=str(var_dir),
        ETAX_DATABASE_URL=f"sqlite:///{var_dir / 'etax.sqlite3'}",
    )
    etax = str(Path(sys.executable).with_name("etax"))
    for command in (["db", "migrate"], ["demo", "load"]):
        subprocess.run([etax, *command], check=True, capture_output=True, cwd=ROOT)


class QueryCount:
    """Counts the statements the Piccolo engine runs (every query goes through ``run_querystring``)."""

    def __init__(self) -> None:
        self.count = 0

    @contextmanager
    def installed(self) -> Iterator[None]:
        from piccolo.engine import engine_finder

        engine = engine_finder()
        assert engine is not None
        original = engine.run_querystring

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await original(*args, **kwargs)

        engine.run_querystring = counted  # type: ignore[method-assign]
        try:
            yield
        finally:
            del engine.run_querystring


async def log_in(client: Any) -> None:
    from etax.platform.demo import TAXPAYERS

    await client.get("/login")
    token = client.cookies.get("etax_csrf") or ""
    step = {"tin": str(TAXPAYERS[0]["tin"]), "password": "Hexin@2026", "captcha": "TEST", "agree": "on"}
    answer = await client.post("/login/enterprise", data={**step, "next": "/", "_csrf_token": token})
    staff_page = (await client.get("/login/enterprise/staff")).text
    match = re.search(r'value="(\d+)"[^>]*><span class="person-name">张\*', staff_page)
    assert answer.status_code in (302, 303) and match, "login step 1 failed"
    chosen = {"staff": match.group(1), "method": "password", "_csrf_token": token}
    await client.post("/login/enterprise/staff", data=chosen)
    done = await client.post(
        "/login/enterprise/password", data={"password": "Zhangwei@2026", "_csrf_token": token}
    )
    assert done.status_code in (302, 303), done.text[:300]


async def queries_of(client: Any, path: str, counter: QueryCount) -> int:
    """The statements one warm request of ``path`` runs."""
    for _ in range(3):  # warm: templates compiled, caches filled
        assert (await client.get(path)).status_code == 200, path
    counter.count = 0
    await client.get(path)
    return counter.count


async def timed(client: Any, path: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return times


async def main() -> None:
    import httpx

    from etax.platform.app import auth_principal
    from etax.platform.asgi import app
    from etax.platform.runtime import get_runtime

    runtime = get_runtime(app)
    cached = runtime.resolver
    counter = QueryCount()
    async with (
        app.lifespan(),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app),  # type: ignore[arg-type]
            base_url="http://bench",
        ) as client,
    ):
        await log_in(client)
        resolvers = {"uncached": auth_principal, "cached": cached}
        import etax

        print(
            f"etax from {Path(etax.__file__).parent}; logged in as 和信 / 张伟 (办税员), in-process, SQLite"
        )
        print(f"{REQUESTS} requests per figure, the two resolvers alternating in batches of 10")
        print(f"{'path':<22}{'principal':<12}{'queries':>8}{'median ms':>11}{'ratio':>8}")
        for path in PATHS:
            queries: dict[str, int] = {}
            with counter.installed():
                for label, resolver in resolvers.items():
                    runtime.resolver = resolver
                    queries[label] = await queries_of(client, path, counter)
            # Alternate in small batches: the machine's load drifts, both see the same drift.
            times: dict[str, list[float]] = {label: [] for label in resolvers}
            for _ in range(max(1, REQUESTS // 10)):
                for label, resolver in resolvers.items():
                    runtime.resolver = resolver
                    times[label] += await timed(client, path, 10)
            base = statistics.median(times["uncached"])
            for label in resolvers:
                ms = statistics.median(times[label])
                print(f"{path:<22}{label:<12}{queries[label]:>8}{ms:>11.2f}{ms / base:>8.2f}")
        runtime.resolver = cached


if __name__ == "__main__":
    prepare()
    asyncio.run(main())
