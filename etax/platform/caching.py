"""In-process caches for data that changes rarely (published 套餐业务, 特色业务, 通知公告, version keys).

Every worker keeps its own copy; nothing is read from the database more often than once every
``ETAX_CACHE_CHECK_SECONDS`` (default 2 s; 0 in the tests: always read). What a change propagates
through:

* :class:`VersionKey` — a cheap shared version (a counter row the writer raises in its transaction,
  e.g. the menus' ``menu_version``), read at most once per interval; a worker that sees a new value
  rebuilds what depends on it (the package documents of search).
* :func:`cached` — a value per key, reloaded when the interval has passed or when this process wrote
  (:func:`invalidate`); a change made on another worker or instance shows within the interval.

A cached value must never depend on who is asking beyond its key: callers cache raw records per
audience and apply the visitor's own access decision afterwards.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_CHECK_SECONDS = 2.0


class _Config:
    check_seconds: float = DEFAULT_CHECK_SECONDS
    generation: int = 0  # raised by every local change (:func:`invalidate`, :meth:`VersionKey.expire`)


def configure(check_seconds: float) -> None:
    """Set how long a cached value or version is trusted (the application does it from its settings)."""
    _Config.check_seconds = max(0.0, check_seconds)


def check_seconds() -> float:
    return _Config.check_seconds


def generation() -> int:
    """A number that changes whenever this process changed cached data: what is built from cached values
    (a stored page) is stale when it was built under another generation."""
    return _Config.generation


_VALUES: dict[tuple[str, Hashable], tuple[float, Any]] = {}


async def cached(name: str, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
    """``load()``'s value for ``(name, key)``, reloaded after :func:`check_seconds` or an invalidation."""
    interval = _Config.check_seconds
    if interval <= 0:
        return await load()
    now = time.monotonic()
    hit = _VALUES.get((name, key))
    if hit is not None and now - hit[0] < interval:
        value: T = hit[1]
        return value
    value = await load()
    _VALUES[(name, key)] = (now, value)
    return value


def invalidate(name: str) -> None:
    """Forget every value cached under ``name`` in this process (call it after writing its data)."""
    _Config.generation += 1
    for cache_key in [k for k in _VALUES if k[0] == name]:
        _VALUES.pop(cache_key, None)


_VERSION_KEYS: weakref.WeakSet[VersionKey] = weakref.WeakSet()


def expire_all() -> None:
    """Forget every cached value and re-read every version at the next call: the database says something
    changed, written by another worker or instance (:mod:`etax.platform.dataversion`)."""
    _Config.generation += 1
    _VALUES.clear()
    for key in list(_VERSION_KEYS):
        key._checked = float("-inf")


class VersionKey:
    """A shared version read through ``read`` at most once per :func:`check_seconds`."""

    def __init__(self, read: Callable[[], Awaitable[int]]) -> None:
        self._read = read
        self._value = 0
        self._checked = float("-inf")
        _VERSION_KEYS.add(self)

    async def current(self) -> int:
        interval = _Config.check_seconds
        now = time.monotonic()
        if interval <= 0 or now - self._checked >= interval:
            self._value = await self._read()
            self._checked = now
        return self._value

    def expire(self) -> None:
        """Read the version again on the next call (after this process changed it)."""
        _Config.generation += 1
        self._checked = float("-inf")
