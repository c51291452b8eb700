"""A small closed-loop HTTP/1.1 load generator on asyncio streams (wrk is not installed here).

``C`` keep-alive connections each send a request, read the whole answer, and send the next, for
``seconds``; the paths are taken in turn from a list (a query mix). Plain sockets keep the client's
own cost low, so on a 2-core machine the server, not the client, is what is measured. Used by
``bench/bench_ratios.py`` (``make bench``) and ``bench/load_mixed.py``.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field


@dataclass
class Result:
    """Completed requests, errors (non-2xx/3xx or broken connections) and latencies in seconds."""

    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return its status and whether the server keeps the connection."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    chunked = False
    keep = True
    for line in lines[1:]:
        name, _, value = line.partition(":")
        lowered = name.strip().lower()
        if lowered == "content-length":
            length = int(value.strip())
        elif lowered == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif lowered == "connection" and "close" in value.lower():
            keep = False
    if chunked:
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status, keep


async def _worker(
    host: str,
    port: int,
    paths: Iterator[tuple[str, dict[str, str]]],
    deadline: float,
    result: Result,
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < deadline:
        path, headers = next(paths)
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}\r\n".encode()
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            assert reader is not None
            writer.write(request)
            status, keep = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            result.errors += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        result.latencies.append(time.perf_counter() - started)
        result.requests += 1
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status >= 400:
            result.errors += 1
        if not keep:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def quote_path(path: str) -> str:
    """Percent-encode the non-ASCII characters of a path and query (Chinese queries)."""
    from urllib.parse import quote

    return quote(path, safe="/?=&%:+,-_.~")


async def run(
    base: str,
    paths: Sequence[str],
    *,
    connections: int = 32,
    seconds: float = 5.0,
    headers: dict[str, str] | None = None,
    per_connection_headers: Sequence[dict[str, str]] | None = None,
) -> Result:
    """Drive ``base`` (``http://host:port``) with ``connections`` closed loops for ``seconds``."""
    hostport = base.removeprefix("http://").rstrip("/")
    host, _, port_text = hostport.partition(":")
    encoded = [quote_path(p) for p in paths]
    result = Result()
    started = time.perf_counter()
    deadline = started + seconds
    tasks = []
    for number in range(connections):
        own = dict(headers or {})
        if per_connection_headers:
            own.update(per_connection_headers[number % len(per_connection_headers)])
        offset = (number * 7919) % len(encoded)
        cycle = itertools.cycle([*encoded[offset:], *encoded[:offset]])
        tasks.append(_worker(host, int(port_text or 80), ((p, own) for p in cycle), deadline, result))
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - started
    return result
