"""Warm-up after the first answer (issue 18's memory target, :mod:`etax.platform.warmup`).

A worker answers its first request lean; then, in the background, it loads what the first minutes of
traffic would: the lazily imported libraries, every template compiled, the search index's lazily built
pinyin tables, the SQLite pool's connections. ``GET /health`` (public) says when it is warm. With
``ETAX_WARMUP=0`` (the rest of the suite) nothing is warmed. No timing here: the figures are
``bench/bench_memory.py``'s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from piccolo.engine import engine_finder

from etax.platform import warmup
from etax.platform.app import create_app
from etax.platform.db.engine import SQLITE_CONNECTIONS, PooledSQLiteEngine
from etax.platform.runtime import get_runtime
from etax.platform.settings import Settings, SettingsError, load_settings
from etax.platform.warmup import WarmupState

WAIT_SECONDS = 120  # an upper bound for a busy machine, not a measurement


def jinja_cached(app: Litestar) -> set[str]:
    environment: Any = getattr(app.template_engine, "engine", None)
    assert environment is not None and environment.cache is not None
    return {name for _, name in environment.cache}


def wait_warm(client: TestClient[Litestar]) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        health: dict[str, Any] = client.get("/health").json()
        if health["warm"]:
            return health
        time.sleep(0.05)
    raise AssertionError("the worker never reported itself warm")


def test_after_its_first_answer_a_worker_warms_in_the_background_and_says_so(
    settings: Settings, database: str
) -> None:
    app = create_app(msgspec.structs.replace(settings, warmup=True))
    environment: Any = getattr(app.template_engine, "engine", None)
    templates = set(environment.list_templates())
    with TestClient(app=app) as client:
        first = client.get("/health")
        assert first.status_code == 200
        assert first.json() == {"warm": False, "warmup": "cold"}  # nothing is warmed before an answer
        assert "etax_session" not in first.cookies  # public, and no session for it

        assert wait_warm(client) == {"warm": True, "warmup": "warm"}
        state = warmup.get_warmup(app)
        assert state.failed == []
        assert templates <= jinja_cached(app)  # every template compiled, plugins' too
        for name in warmup.LAZY_MODULES:
            assert name in sys.modules
        assert "\0latin" in get_runtime(app).search.index._catalogue._memo  # the pinyin typo table is built
        engine = engine_finder()
        if isinstance(engine, PooledSQLiteEngine):
            assert len(engine._idle) == SQLITE_CONNECTIONS

        # Warm, the worker answers as before: a homophone typo finds the function, the home page renders.
        answer = client.get("/api/search", params={"q": "纳税人壮态"}).json()
        assert "纳税人状态查询" in [hit["name"] for hit in answer["results"]] + answer["suggestions"]
        assert client.get("/").status_code == 200


def test_with_warm_up_off_health_says_so(app: Litestar) -> None:
    with TestClient(app=app) as client:
        for _ in range(3):
            assert client.get("/health").json() == {"warm": False, "warmup": "off"}
    assert warmup.get_warmup(app).state is WarmupState.OFF


@pytest.mark.parametrize(("value", "expected"), [("", True), ("1", True), ("0", False), ("off", False)])
def test_etax_warmup_turns_it_on_and_off(value: str, expected: bool, tmp_path: Path) -> None:
    settings = load_settings({"ETAX_VAR_DIR": str(tmp_path), "ETAX_WARMUP": value})
    assert settings.warmup is expected


def test_a_malformed_etax_warmup_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="ETAX_WARMUP"):
        load_settings({"ETAX_VAR_DIR": str(tmp_path), "ETAX_WARMUP": "maybe"})


def test_stopping_a_warm_up_from_another_event_loop_cancels_it_without_an_error(app: Litestar) -> None:
    """A test client may shut the application down in another loop than the request that started the
    warm-up (the Liaoning distribution's own tests did): the shutdown must end cleanly, the task be
    cancelled in its own loop."""
    import asyncio
    import threading

    held = threading.Event()
    loop = asyncio.new_event_loop()
    runner = threading.Thread(target=loop.run_forever, daemon=True)
    runner.start()
    try:
        warming = warmup.Warmup(app, enabled=True)

        async def begin() -> asyncio.Task[None]:
            async def slow_step() -> None:
                held.set()
                await asyncio.sleep(WAIT_SECONDS)

            warming.state = WarmupState.WARMING
            task = asyncio.get_running_loop().create_task(slow_step())
            warming._task = task
            return task

        task = asyncio.run_coroutine_threadsafe(begin(), loop).result(WAIT_SECONDS)
        assert held.wait(WAIT_SECONDS)
        asyncio.run(warming.stop())  # another loop: no "attached to a different loop" error
        deadline = time.monotonic() + WAIT_SECONDS
        while not task.done() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert task.cancelled()
    finally:
        loop.call_soon_threadsafe(loop.stop)
        runner.join(WAIT_SECONDS)
