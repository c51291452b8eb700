"""The mixed workload of issue 18 at a fixed request rate against one or more running instances.

70 % anonymous search and public pages, 20 % logged-in browsing (the demo world's enterprise 和信, logged in
once per simulated user), 10 % logins (spread over the seed's users: the whole 普通登录 walk — company password, officer, personal
password — of five officers of two enterprises, and two natural persons).
Requests are started on a fixed schedule (open loop), spread round-robin over the instances given, for
``--minutes``; at the end it prints errors, p50/p99 per kind of request, and — when given — before and after
the run: the worker processes' RSS and open files (``--pid``), the stored sessions of a file store
(``--var-dir``) or of a Redis store (``--redis-url``, the keys of the ``etax_sessions`` namespace) and the
PostgreSQL connections open to the database (``--database-url``: ``pg_stat_activity`` rows for it, the
instances' pools and anything else connected).

The instances must run in dev mode with ``ETAX_CAPTCHA_TEST_ANSWER=TEST`` and the demo world loaded
(``etax demo load``). Not part of ``make test``.

Run: ``python bench/load_mixed.py --minutes 5 --rate 40 http://127.0.0.1:8000 http://127.0.0.1:8001``
(add ``--pid 1234 --pid 1235 --redis-url redis://127.0.0.1:6379/5 --database-url postgresql://…/etax``)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import NamedTuple

import httpx

ANONYMOUS = [
    "/api/search?q=纳税人状态",
    "/api/search?q=nsrztcx",
    "/api/search?q=增值税申报",
    "/api/search?q=发票查验",
    "/api/search?q=专票",
    "/api/search?q=怎么开发票",
    "/search?q=个税",
    "/",
    "/public/taxpayer-status",
    "/public/announcements",
    "/menu/公众服务",
]
LOGGED_IN = ["/", "/menu/我要查询", "/query/declarations", "/api/search?q=申报", "/menu/我要办税"]
KINDS = (("anonymous", 0.7), ("logged_in", 0.2), ("login", 0.1))


class Login(NamedTuple):
    """A seed user who can log in (docs/demo-accounts.md): an enterprise officer or a natural person."""

    account: str  # the enterprise's TIN, or the natural person's user name
    enterprise_password: str  # "" for a natural person
    officer: str  # the officer's name as the staff list masks it
    password: str  # the personal password


HEXIN, ZHENGHENG = "91210102MA0Y8K3P1T", "91210106MA0Y8K3P4X"
# The logins are spread over the seed's users, as a bureau's are over its taxpayers: an account allows 5
# password checks in flight at once (docs/security.md), which one account logging in 1×/s would exceed.
LOGINS = (
    Login(HEXIN, "Hexin@2026", "张*", "Zhangwei@2026"),
    Login(HEXIN, "Hexin@2026", "王*国", "Wangjg@2026"),
    Login(HEXIN, "Hexin@2026", "吴*", "Wumin@2026"),
    Login(ZHENGHENG, "Zhengheng@2026", "冯*", "Fengxue@2026"),
    Login(ZHENGHENG, "Zhengheng@2026", "何*", "Hetao@2026"),
    Login("linxiao", "", "", "Linxiao@2026"),
    Login("zhangwei", "", "", "Zhangwei@2026"),
)
SESSION_NAMESPACE = "etax_sessions"
KEEPALIVE_SECONDS = 2.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def open_files(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/fd").iterdir()))


async def redis_sessions(url: str) -> int:
    """Sessions stored in a Redis session store (Litestar's ``RedisStore``, namespace ``etax_sessions``)."""
    if not url:
        return 0
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        return sum([1 async for _ in client.scan_iter(match=f"{SESSION_NAMESPACE}:*", count=1000)])
    finally:
        await client.aclose()  # type: ignore[attr-defined]  # redis-py ≥ 5.0.1; the stubs lag


async def database_connections(url: str) -> int:
    """Connections open to the PostgreSQL database of ``url`` (``pg_stat_activity``), this one excluded."""
    if not url:
        return 0
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        count: int = await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return count
    finally:
        await connection.close()


async def log_in(client: httpx.AsyncClient, base: str, who: Login = LOGINS[0]) -> str:
    """One of the seed's logins on ``base``: ``""`` when logged in, else what went wrong.

    Enterprise: the 普通登录 walk (company password, the officer by masked name, personal password);
    natural person: user name and password.
    """
    await client.get(f"{base}/login")
    token = client.cookies.get("etax_csrf") or ""
    if who.enterprise_password == "":
        done = await client.post(
            f"{base}/login/natural",
            data={
                "account": who.account,
                "password": who.password,
                "captcha": "TEST",
                "agree": "on",
                "_csrf_token": token,
            },
        )
        return "" if done.status_code in (302, 303) else f"natural person: HTTP {done.status_code}"
    step = await client.post(
        f"{base}/login/enterprise",
        data={
            "tin": who.account,
            "password": who.enterprise_password,
            "captcha": "TEST",
            "agree": "on",
            "next": "/",
            "_csrf_token": token,
        },
    )
    if step.status_code not in (302, 303):
        return f"company password: HTTP {step.status_code}"
    page = (await client.get(f"{base}/login/enterprise/staff")).text
    match = re.search(rf'value="(\d+)"[^>]*><span class="person-name">{re.escape(who.officer)}<', page)
    if match is None:
        return f"officer list: {who.officer} not offered"
    await client.post(
        f"{base}/login/enterprise/staff",
        data={"staff": match.group(1), "method": "password", "_csrf_token": token},
    )
    done = await client.post(
        f"{base}/login/enterprise/password", data={"password": who.password, "_csrf_token": token}
    )
    return "" if done.status_code in (302, 303) else f"personal password: HTTP {done.status_code}"


async def main(args: argparse.Namespace) -> int:
    bases: list[str] = args.instances
    rng = random.Random(18)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    sessions_dir = Path(args.var_dir) / "sessions" if args.var_dir else None

    def count_sessions() -> int:
        return len(list(sessions_dir.iterdir())) if sessions_dir and sessions_dir.exists() else 0

    rss_before = {pid: rss_mb(pid) for pid in args.pid}
    files_before = {pid: open_files(pid) for pid in args.pid}
    sessions_before = count_sessions()
    redis_before = await redis_sessions(args.redis_url)
    connections_before = await database_connections(args.database_url)
    # Idle connections are dropped before uvicorn's keep-alive timeout (5 s) closes them, as a balancer's
    # idle timeout must be: reusing a connection the server is closing fails the request.
    limits = httpx.Limits(max_connections=200, keepalive_expiry=KEEPALIVE_SECONDS)
    async with httpx.AsyncClient(timeout=args.timeout, limits=limits) as anonymous:
        users = [httpx.AsyncClient(timeout=args.timeout, limits=limits) for _ in range(args.users)]
        for number, user in enumerate(users):
            failed = await log_in(user, bases[number % len(bases)])
            if failed:
                raise SystemExit(
                    f"the demo login failed ({failed}): dev mode, ETAX_CAPTCHA_TEST_ANSWER=TEST, demo loaded?"
                )
        round_robin = itertools.cycle(bases)

        async def one(kind: str, base: str) -> None:
            started = time.perf_counter()
            failed = ""
            try:
                if kind == "anonymous":
                    path = rng.choice(ANONYMOUS)
                    response = await anonymous.get(base + path)
                elif kind == "logged_in":
                    path = rng.choice(LOGGED_IN)
                    response = await rng.choice(users).get(base + path)
                else:
                    async with httpx.AsyncClient(timeout=args.timeout) as fresh:
                        failed = await log_in(fresh, base, rng.choice(LOGINS))
                if kind != "login" and response.status_code != 200:
                    failed = f"{path}: HTTP {response.status_code}"
            except httpx.HTTPError as error:
                failed = type(error).__name__
            latencies[kind].append(time.perf_counter() - started)
            if failed:
                errors[kind] += 1
                reasons[kind][failed] += 1

        tasks: set[asyncio.Task[None]] = set()
        rss_minute: dict[int, float] = {}

        async def after_a_minute() -> None:
            await asyncio.sleep(min(60.0, args.minutes * 60))
            rss_minute.update({pid: rss_mb(pid) for pid in args.pid})

        sampler = asyncio.create_task(after_a_minute())
        interval = 1 / args.rate
        deadline = time.perf_counter() + args.minutes * 60
        next_at = time.perf_counter()
        while next_at < deadline:
            kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
            task = asyncio.create_task(one(kind, next(round_robin)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        await asyncio.gather(*tasks, sampler)
        for user in users:
            await user.aclose()

    total = sum(len(v) for v in latencies.values())
    print(f"{total} requests in {args.minutes} min at {args.rate}/s over {len(bases)} instance(s)")
    for kind, samples in sorted(latencies.items()):
        ordered = sorted(samples)
        p50 = ordered[len(ordered) // 2] * 1000
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
        print(
            f"  {kind:10} {len(samples):6} requests  errors {errors[kind]:4}  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms"
        )
        for reason, count in reasons[kind].most_common():
            print(f"    {count:5} × {reason}")
    for pid in args.pid:
        print(
            f"  pid {pid}: RSS {rss_before[pid]:.0f} → {rss_minute.get(pid, 0):.0f} (1 min) → {rss_mb(pid):.0f} MB, "
            f"open files {files_before[pid]} → "
            f"{open_files(pid)}"
        )
    if sessions_dir:
        print(f"  stored sessions: {sessions_before} → {count_sessions()}")
    if args.redis_url:
        print(f"  sessions in Redis: {redis_before} → {await redis_sessions(args.redis_url)}")
    if args.database_url:
        print(
            f"  PostgreSQL connections to the database: {connections_before} → "
            f"{await database_connections(args.database_url)}"
        )
    return 1 if any(errors.values()) else 0


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("instances", nargs="+", help="base URLs, e.g. http://127.0.0.1:8000")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=40.0, help="requests started per second")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before a request counts as failed"
    )
    parser.add_argument("--users", type=int, default=10, help="logged-in users browsing")
    parser.add_argument("--pid", type=int, action="append", default=[], help="a worker to watch (repeatable)")
    parser.add_argument(
        "--var-dir", default="", help="ETAX_VAR_DIR of a file session store, to count sessions"
    )
    parser.add_argument(
        "--redis-url", default="", help="the instances' ETAX_SESSION_STORE, to count sessions"
    )
    parser.add_argument(
        "--database-url", default="", help="the instances' PostgreSQL database, to count its connections"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse())))
