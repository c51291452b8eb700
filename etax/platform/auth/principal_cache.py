"""A per-worker cache of resolved principals, validated on every request by one tiny read.

Resolving a login (:func:`etax.platform.auth.principal.resolve_principal`) costs two to four joins; the
result changes only when someone changes what it is made of. Each application keeps the principals it
resolved in a bounded LRU map (:data:`CAPACITY` entries), keyed by everything the session's
:class:`SessionAuth` holds (ids, password and 协议密码 fingerprints, the pure social-security flag) and the
platform clock's date (agency certifications expire by date) and the set of plugins switched off (an
officer's functions are expanded from the function tree without them), each stored with the value of
``auth_principal_version`` it was resolved under.

On every request the worker reads that counter (one indexed single-row read, :func:`principal_version`)
and uses a cached principal only when it was resolved under the same value. The counter is raised by the
database itself: triggers on staff members, their identities and the identities' nodes, enterprise and
natural-person accounts, agency certifications and taxpayers' and persons' names (see the migration
``etax_core 2026-12-01T01:55:18``; on PostgreSQL deferred to commit by ``2026-12-01T04:56:00``) raise it in
the same transaction as the change, whoever makes it. So a
freeze, a deletion, a change of grants or identity nodes, a password change or reset, a cancelled or
renewed certification or a rename takes effect at the next request on every worker of every instance.

The counter is read *before* the principal is resolved: a change committed in between is then seen as
a newer counter by the next request, never cached under the new value with the old data. A login that
no longer resolves is not cached (it is refused anyway, and such requests are rare).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import msgspec
from litestar.connection import ASGIConnection

from etax.platform import clock
from etax.platform.auth.principal import SessionAuth, resolve_principal, session_auth
from etax.platform.auth.tables import PrincipalVersion
from etax.platform.identity import Principal

if TYPE_CHECKING:
    import datetime as dt

    from etax.platform.runtime import Runtime

CAPACITY = 4096
"""Principals kept per application (least recently used first out); a few hundred bytes each."""

COUNTER_ROW = 1


async def principal_version() -> int | None:
    """The shared counter of principal changes; None when its row is missing (nothing is then cached)."""
    row = (
        await PrincipalVersion.select(PrincipalVersion.counter)
        .where(PrincipalVersion.id == COUNTER_ROW)
        .first()
    )
    return None if row is None else int(row["counter"])


CacheKey = tuple[tuple[Any, ...], "dt.date", frozenset[str]]


def cache_key(runtime: Runtime, auth: SessionAuth) -> CacheKey:
    """The whole login, today's date, and the plugins switched off (a principal's functions are expanded
    from the function tree, which leaves their functions out)."""
    return (msgspec.structs.astuple(auth), clock.today(), runtime.registry.hidden_plugins)


class PrincipalCache:
    """Resolved principals of one application, each with the counter value it was resolved under."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[CacheKey, tuple[int, Principal]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()

    def peek(self, runtime: Runtime, auth: SessionAuth) -> Principal | None:
        """The principal cached for ``auth`` now, whatever counter value it was resolved under."""
        hit = self._entries.get(cache_key(runtime, auth))
        return None if hit is None else hit[1]

    async def resolve(self, runtime: Runtime, auth: SessionAuth) -> Principal | None:
        version = await principal_version()  # first: a change committed after this read is seen next time
        key = cache_key(runtime, auth)
        hit = self._entries.get(key)
        if hit is not None and hit[0] == version:
            self._entries.move_to_end(key)
            return hit[1]
        principal = await resolve_principal(runtime.registry, auth)
        if principal is None or version is None:
            self._entries.pop(key, None)
            return principal
        self._entries[key] = (version, principal)
        self._entries.move_to_end(key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)
        return principal

    async def __call__(
        self, runtime: Runtime, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> Principal | None:
        """The logged-in principal (a :data:`etax.platform.runtime.PrincipalResolver`)."""
        auth = session_auth(connection)
        return None if auth is None else await self.resolve(runtime, auth)
