"""In-process cost of the home page: milliseconds and database queries per request, printed, no thresholds.

A fresh SQLite file (or ``ETAX_BENCH_DATABASE_URL``, an empty PostgreSQL database) with the demo world, the
application in this process (Litestar's test client, no network), caches trusted for 2 s as in production:

* ``GET /`` anonymous;
* ``GET /`` logged in (the demo enterprise's 张伟, as ``bench/bench_ratios.py`` logs in).

Queries are counted through Piccolo's query ids (every query of the engine takes one). With
``--profile`` the logged-in home is profiled with pyinstrument (install it into the venv; not a dependency).

Run: ``.venv/bin/python bench/home_costs.py [--profile]``
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import demo_login

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = int(os.environ.get("ETAX_BENCH_REQUESTS", "200"))


def etax_cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(Path(sys.executable).parent / "etax"), *args], env=env, check=True, capture_output=True
    )


async def log_in(client: Any) -> None:
    assert await demo_login.log_in_async(client), "the demo login failed"


async def cost(client: Any, path: str, headers: dict[str, str]) -> tuple[float, float, float, int]:
    """Median ms, mean ms, CPU ms (this process, every thread: steadier than time on a busy machine) and
    queries per request of ``path``."""
    from piccolo.engine import engine_finder

    engine = engine_finder()
    assert engine is not None
    for _ in range(5):
        assert (await client.get(path, headers=headers)).status_code == 200
    times = []
    first = engine.query_id
    cpu = time.process_time()
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = await client.get(path, headers=headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, path
    cpu = time.process_time() - cpu
    queries = engine.query_id - first
    times.sort()
    median, mean = times[len(times) // 2] * 1000, sum(times) / len(times) * 1000
    return median, mean, cpu / REQUESTS * 1000, round(queries / REQUESTS)


async def measure(profile: bool) -> None:
    import httpx

    from etax.platform.app import create_app

    gzip = {"accept-encoding": "gzip"}
    app = create_app()
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # in this thread and event loop, so the profile sees the app
    base = "http://testserver.local"
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url=base) as anonymous,
        httpx.AsyncClient(transport=transport, base_url=base) as member,
    ):
        await log_in(member)
        rows = [
            ("GET / anonymous", await cost(anonymous, "/", gzip)),
            ("GET / logged in", await cost(member, "/", gzip)),
        ]
        print(
            f"{'request':32} {'median ms':>10} {'mean ms':>9} {'CPU ms':>8} {'queries':>8}   ({REQUESTS} each)"
        )
        for label, (median, mean, cpu, queries) in rows:
            print(f"{label:32} {median:10.2f} {mean:9.2f} {cpu:8.2f} {queries:8d}")
        if not profile:
            return
        import importlib

        # Optional profiler, not a dependency of etax: imported by name so a venv without it type-checks.
        Profiler: Any = importlib.import_module("pyinstrument").Profiler

        for label, client, path in (
            ("GET / anonymous", anonymous, "/"),
            ("GET / logged in", member, "/"),
        ):
            profiler = Profiler(interval=0.0002, async_mode="disabled")
            profiler.start()
            for _ in range(REQUESTS):
                await client.get(path, headers=gzip)
            profiler.stop()
            print(f"--- profile: {label}")
            print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> int:
    profile = "--profile" in sys.argv
    with tempfile.TemporaryDirectory(prefix="etax-home-") as var_dir:
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
        etax_cli(env, "db", "migrate")
        etax_cli(env, "demo", "load")
        os.environ.update(env)

        asyncio.run(measure(profile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
