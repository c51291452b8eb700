"""Real portal instances for the tests that need several processes or truly simultaneous requests:
``python -m uvicorn etax.platform.asgi:app`` in child processes, on the test run's database and
``ETAX_VAR_DIR`` (so the instances share the database and the session store, like two servers behind
one load balancer).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def portal_instances(count: int, extra_env: dict[str, str] | None = None) -> Iterator[list[str]]:
    """Start ``count`` instances; yield their base URLs; stop them afterwards."""
    processes: list[tuple[subprocess.Popen[bytes], Path]] = []
    bases: list[str] = []
    env = {**os.environ, **(extra_env or {})}
    try:
        for _ in range(count):
            port = free_port()
            log_path = Path(os.environ["ETAX_VAR_DIR"]) / f"instance-{port}.log"
            with log_path.open("w") as log:
                process = subprocess.Popen(
                    [sys.executable, "-m", "uvicorn", "etax.platform.asgi:app", "--port", str(port)],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            processes.append((process, log_path))
            bases.append(f"http://127.0.0.1:{port}")
        for (process, log_path), base in zip(processes, bases, strict=True):
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/login", timeout=2):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("an instance did not start:\n" + log_path.read_text()) from None
                    time.sleep(0.2)
        yield bases
    finally:
        for process, _ in processes:
            process.terminate()
        for process, _ in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
