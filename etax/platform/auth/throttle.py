"""In-memory, per-process limits that slow password and code guessing.

Two limits, both kept in this process's memory (no table; each worker process counts on its own):

* :data:`IP_FAILURES` — per client address: after 20 failed credential checks (wrong password,
  wrong SMS code, unknown account) within 15 minutes, further checks from that address are refused
  until the oldest failure leaves the window.
* :data:`AGREEMENT_FAILURES` — per agency certification: 5 wrong 协议密码 lock that certification
  for the agent's address for 30 minutes (the certification table has no failure columns).

Account lockout for enterprise, staff and natural-person passwords is stored in the database
(:mod:`etax.platform.auth.login.guard`); these limits are an extra layer in front of it.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class FailureWindow:
    """At most ``limit`` failures per key within ``window`` seconds; then the key is blocked."""

    def __init__(self, limit: int, window: float, *, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float] | None:
        events = self._events.get(key)
        if events is None:
            return None
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            del self._events[key]
            return None
        return events

    def blocked_for(self, key: str, now: float | None = None) -> int:
        """Seconds ``key`` must still wait (0 when it may try)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._prune(key, now)
            if events is None or len(events) < self.limit:
                return 0
            return max(1, math.ceil(events[-self.limit] + self.window - now))

    def count(self, key: str, now: float | None = None) -> int:
        """Failures of ``key`` still inside the window."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._prune(key, now)
            return 0 if events is None else len(events)

    def failure(self, key: str, now: float | None = None) -> None:
        """Count one failure for ``key``."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if key not in self._events and len(self._events) >= self.max_keys:
                self._evict(now)
            events = self._prune(key, now) or self._events.setdefault(key, deque())
            events.append(now)
            while len(events) > self.limit:
                events.popleft()

    def clear(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)

    def reset(self) -> None:
        """Forget every key (used by tests that start from a clean slate)."""
        with self._lock:
            self._events.clear()

    def _evict(self, now: float) -> None:
        for key in list(self._events):
            self._prune(key, now)
        while len(self._events) >= self.max_keys:
            self._events.pop(next(iter(self._events)))


IP_FAILURE_LIMIT = 20
IP_FAILURE_WINDOW = 15 * 60
IP_FAILURES = FailureWindow(IP_FAILURE_LIMIT, IP_FAILURE_WINDOW)

AGREEMENT_FAILURE_LIMIT = 5
AGREEMENT_LOCK_SECONDS = 30 * 60
AGREEMENT_FAILURES = FailureWindow(AGREEMENT_FAILURE_LIMIT, AGREEMENT_LOCK_SECONDS)


def wait_text(seconds: int) -> str:
    """``seconds`` as a short Chinese duration (rounded up to minutes above one minute)."""
    if seconds <= 60:
        return f"{seconds}秒"
    return f"{math.ceil(seconds / 60)}分钟"


def ip_blocked_message(ip: str) -> str | None:
    """The refusal for an address that failed too often, or None."""
    wait = IP_FAILURES.blocked_for(ip)
    if not wait:
        return None
    return f"您的网络地址登录失败次数过多，为保护账户安全，请于{wait_text(wait)}后再试"


def reset_all() -> None:
    """Forget every counted failure in this process."""
    IP_FAILURES.reset()
    AGREEMENT_FAILURES.reset()
