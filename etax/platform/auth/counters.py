"""Shared attempt counters: per client address, per 协议密码 certification, … — one limit for every
worker process and every instance.

A counter allows ``limit`` attempts per key within a window that starts at the key's first attempt.
An attempt is *reserved* before the check it guards (one atomic step that both counts and decides),
and *released* when the check succeeds, so simultaneous requests cannot all pass a check-then-count
gap: at most ``limit`` checks run per window, however many requests arrive at once.

Two stores, chosen by the settings:

* :class:`DatabaseCounters` (the default) — the table ``auth_attempt_counter``; a reservation is one
  ``UPDATE … SET attempts = attempts + 1 WHERE key = … AND attempts < limit RETURNING …``.
* :class:`RedisCounters` — when ``ETAX_SESSION_STORE`` is a Redis URL: ``INCR`` + ``PEXPIRE`` in one
  Lua script (atomic in Redis).

Not Litestar's Store API (no atomic increment) and not process memory (one count per process).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from typing import TYPE_CHECKING, Protocol

import msgspec

from etax.platform.auth.tables import AttemptCounter
from etax.platform.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis  # imported when a Redis store is used, not at start-up


class Slot(msgspec.Struct, frozen=True, kw_only=True):
    """The answer to one reservation."""

    ok: bool
    count: int = 0  # attempts counted in the window, this one included (when ``ok``)
    wait: int = 0  # seconds until the window ends (when refused)


class Counters(Protocol):
    """Where attempt counters live."""

    async def reserve(self, key: str, limit: int, window: int) -> Slot: ...

    async def release(self, key: str) -> None: ...

    async def clear(self, key: str) -> None: ...

    async def count(self, key: str) -> int: ...

    async def reset_all(self) -> None: ...


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _seconds(delta: dt.timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


class DatabaseCounters:
    """Counters in the database (SQLite or PostgreSQL), changed only by single atomic statements."""

    async def reserve(self, key: str, limit: int, window: int) -> Slot:
        for _ in range(3):
            now = _now()
            # A window that has ended starts again (only one of several simultaneous requests matches).
            await AttemptCounter.update(
                {AttemptCounter.attempts: 0, AttemptCounter.window_ends: now + dt.timedelta(seconds=window)}
            ).where((AttemptCounter.key == key) & (AttemptCounter.window_ends <= now))
            rows = (
                await AttemptCounter.update({AttemptCounter.attempts: AttemptCounter.attempts + 1})
                .where((AttemptCounter.key == key) & (AttemptCounter.attempts < limit))
                .returning(AttemptCounter.attempts)
            )
            if rows:
                return Slot(ok=True, count=int(rows[0]["attempts"]))
            row = (
                await AttemptCounter.select(AttemptCounter.window_ends)
                .where(AttemptCounter.key == key)
                .first()
            )
            if row is not None:
                return Slot(ok=False, count=limit, wait=_seconds(row["window_ends"] - now))
            try:
                await AttemptCounter.insert(
                    AttemptCounter(key=key, attempts=1, window_ends=now + dt.timedelta(seconds=window))
                )
            except Exception:  # another request inserted the key first: count on its row
                await asyncio.sleep(0)
                continue
            return Slot(ok=True, count=1)
        raise RuntimeError(f"attempt counter {key!r} could not be reserved")

    async def release(self, key: str) -> None:
        await AttemptCounter.update({AttemptCounter.attempts: AttemptCounter.attempts - 1}).where(
            (AttemptCounter.key == key) & (AttemptCounter.attempts > 0)
        )

    async def clear(self, key: str) -> None:
        await AttemptCounter.delete().where(AttemptCounter.key == key)

    async def count(self, key: str) -> int:
        row = (
            await AttemptCounter.select(AttemptCounter.attempts, AttemptCounter.window_ends)
            .where(AttemptCounter.key == key)
            .first()
        )
        if row is None or row["window_ends"] <= _now():
            return 0
        return int(row["attempts"])

    async def reset_all(self) -> None:
        await AttemptCounter.delete(force=True)


# KEYS[1] = counter, ARGV[1] = limit, ARGV[2] = window in milliseconds.
# Returns {count, ttl}: count -1 means refused (the limit is reached), ttl in milliseconds.
_RESERVE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= tonumber(ARGV[1]) then
  return {-1, redis.call('PTTL', KEYS[1])}
end
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return {count, redis.call('PTTL', KEYS[1])}
"""

_RELEASE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
"""


class RedisCounters:
    """Counters in Redis: ``INCR`` with expiry in one server-side script (atomic)."""

    prefix = "etax_counter:"

    def __init__(self, url: str) -> None:
        self.url = url
        self._clients: dict[int, Redis[bytes]] = {}

    def _client(self) -> Redis[bytes]:
        # redis-py's asyncio connections belong to the event loop that opened them.
        loop = id(asyncio.get_running_loop())
        if loop not in self._clients:
            from redis.asyncio import Redis

            self._clients[loop] = Redis.from_url(self.url)
        return self._clients[loop]

    async def reserve(self, key: str, limit: int, window: int) -> Slot:
        result = await self._client().eval(_RESERVE, 1, self.prefix + key, limit, window * 1000)  # type: ignore[no-untyped-call]
        count, ttl = int(result[0]), int(result[1])
        if count < 0:
            return Slot(ok=False, count=limit, wait=max(1, math.ceil(ttl / 1000)))
        return Slot(ok=True, count=count)

    async def release(self, key: str) -> None:
        await self._client().eval(_RELEASE, 1, self.prefix + key)  # type: ignore[no-untyped-call]

    async def clear(self, key: str) -> None:
        await self._client().delete(self.prefix + key)

    async def count(self, key: str) -> int:
        value = await self._client().get(self.prefix + key)
        return int(value or 0)

    async def reset_all(self) -> None:
        client = self._client()
        async for name in client.scan_iter(match=self.prefix + "*"):
            await client.delete(name)


_stores: dict[str, Counters] = {}


def counters_for(settings: Settings) -> Counters:
    """The counter store for ``settings``: Redis when the session store is Redis, else the database."""
    url = settings.session_store
    name = url if url.startswith(("redis://", "rediss://")) else "database"
    if name not in _stores:
        _stores[name] = DatabaseCounters() if name == "database" else RedisCounters(url)
    return _stores[name]
