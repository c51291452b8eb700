"""Warm-up after the first answer: load in the background what the first minutes of traffic load anyway.

A worker starts lean — pypinyin, Pillow and the captcha fonts, markdown-it are imported at first use,
each template is compiled at its first render, the search index's typo-tolerant pinyin table is built at
the first pinyin query, the SQLite pool opens its connections as queries come — so that spawn → first
answer stays short (issue 18). Left to the traffic, all of that happens in a worker's first minute of
load (≈ 80 MB, most of it pypinyin's dictionaries), and looks like memory growth.

Once the worker has sent its first answer, :func:`install`'s hook starts :meth:`Warmup.run` as a task:
each step runs in a worker thread (the event loop keeps serving), then the collector frees what the
steps dropped, a server process freezes what they built (as :mod:`etax.startup_collector` does for
start-up) and glibc is asked to give freed memory back. ``GET /health`` tells whether the worker is warm
(``bench/bench_memory.py`` reads its RSS then). ``ETAX_WARMUP=0`` turns it off (the tests do: they build
hundreds of applications).

A module made lazy for start-up that every worker loads in its first minutes belongs in
:data:`LAZY_MODULES` (or in a step that uses it), so that it is loaded here rather than under load.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import enum
import gc
import importlib
import logging
import mimetypes
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio.to_thread
import msgspec
from litestar import Litestar, Request, get
from litestar.enums import ScopeType
from litestar.types import Receive, Scope, Send
from piccolo.engine import engine_finder

from etax.platform.access import PUBLIC_OPT

log = logging.getLogger("etax.warmup")

STATE_KEY = "etax_warmup"

LAZY_MODULES = (
    "pypinyin",  # the readings of Han text in queries (≈ 55 MB of dictionaries)
    "markdown_it",  # announcements and guides written in the back office
    "PIL.Image",  # captcha images
    "captcha.image",
)
"""Libraries imported at first use rather than at start-up that the first minutes of traffic load anyway
(exports, PDFs and QR codes are not: few workers ever need them)."""

SEARCH_QUERIES = ("纳税人状态查询", "增值税申报", "zzs", "zengzhishui", "nsrztcx", "个税 汇算")
SUGGEST_QUERIES = ("纳税人壮态", "nsrztxc", "qwertyuiop")
"""A Chinese phrase, words, initials, full pinyin, a homophone and a pinyin typo: every lazily built part
of the search index (the pinyin readings, the tax names by reading, the typo-tolerant pinyin table)."""


class WarmupState(enum.StrEnum):
    OFF = "off"  # ETAX_WARMUP=0
    COLD = "cold"  # no answer sent yet
    WARMING = "warming"
    WARM = "warm"


class Health(msgspec.Struct, frozen=True, kw_only=True):
    """``GET /health``: the worker answers; ``warm`` once its warm-up has run (never when it is off)."""

    warm: bool
    warmup: WarmupState


def import_lazy_modules(app: Litestar) -> None:
    for name in LAZY_MODULES:
        importlib.import_module(name)
    mimetypes.init()  # the system's type table, read otherwise at the first static file or download (≈ 0.3 MB)


def warm_search(app: Litestar) -> None:
    from etax.platform.runtime import get_runtime

    index = get_runtime(app).search.index
    for query in SEARCH_QUERIES:
        index.search(query)
    for query in SUGGEST_QUERIES:
        index.suggest(query)


def compile_templates(app: Litestar) -> None:
    """Every template of the platform and the plugins, compiled into Jinja's cache."""
    engine = app.template_engine
    environment = getattr(engine, "engine", None)
    if environment is None:
        return
    for name in environment.list_templates():
        environment.get_template(name)


def draw_captcha(app: Litestar) -> None:
    """One captcha image: Pillow, the captcha library and its fonts loaded."""
    from etax.platform import captcha

    captcha._image().generate("2345")


def render_markdown(app: Litestar) -> None:
    from etax.platform.web.markdown import render_markdown

    render_markdown("**预热**\n\n| 表 | 格 |\n|---|---|\n| 1 | 2 |")


STEPS: tuple[tuple[str, Callable[[Litestar], None]], ...] = (
    ("modules", import_lazy_modules),
    ("search", warm_search),
    ("templates", compile_templates),
    ("captcha", draw_captcha),
    ("markdown", render_markdown),
)
"""The steps run in a worker thread, in order; a step that fails is logged and the others still run."""


async def open_database_connections(app: Litestar) -> None:
    """The SQLite pool's connections, all open (PostgreSQL's pool is opened at start-up)."""
    from etax.platform.db.engine import PooledSQLiteEngine

    engine = engine_finder()
    if isinstance(engine, PooledSQLiteEngine):
        await engine.open_idle()


ASYNC_STEPS: tuple[tuple[str, Callable[[Litestar], Awaitable[None]]], ...] = (
    ("database", open_database_connections),
)


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (gives freed heap pages back to the system), ``None`` elsewhere."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def settle() -> None:
    """Free what the steps dropped; in a server process (one that froze its start-up, see
    :mod:`etax.startup_collector`), freeze what they built; give freed memory back to the system."""
    gc.collect()
    if gc.get_freeze_count():
        gc.freeze()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class Warmup:
    """One worker's warm-up: its state and the task running it."""

    def __init__(self, app: Litestar, *, enabled: bool) -> None:
        self.app = app
        self.state = WarmupState.COLD if enabled else WarmupState.OFF
        self.seconds: float | None = None
        self.failed: list[str] = []
        self._task: asyncio.Task[None] | None = None

    @property
    def warm(self) -> bool:
        return self.state is WarmupState.WARM

    def start(self) -> None:
        """Start the warm-up as a task of the running loop (once)."""
        if self.state is WarmupState.COLD:
            self.state = WarmupState.WARMING
            self._task = asyncio.get_running_loop().create_task(self.run())

    async def run(self) -> None:
        started = time.perf_counter()
        for name, step in STEPS:
            try:
                await anyio.to_thread.run_sync(step, self.app)
            except Exception:
                log.exception("warm-up step %s failed", name)
                self.failed.append(name)
        for name, async_step in ASYNC_STEPS:
            try:
                await async_step(self.app)
            except Exception:
                log.exception("warm-up step %s failed", name)
                self.failed.append(name)
        await anyio.to_thread.run_sync(settle)
        self.seconds = time.perf_counter() - started
        self.state = WarmupState.WARM
        log.info("etax warm in %.2f s", self.seconds)

    async def stop(self) -> None:
        """Cancel a warm-up still running (the worker shuts down).

        A test client may run the application's shutdown in another event loop than the request that
        started the warm-up: the task is then cancelled in its own loop (if that loop still runs), not
        awaited from this one."""
        task = self._task
        if task is None or task.done():
            return
        loop = task.get_loop()
        if loop is not asyncio.get_running_loop():
            if not loop.is_closed():
                loop.call_soon_threadsafe(task.cancel)
            return
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass


def get_warmup(app: Litestar) -> Warmup:
    warmup = app.state.get(STATE_KEY)
    return warmup if isinstance(warmup, Warmup) else Warmup(app, enabled=False)


def install(app: Litestar, *, enabled: bool) -> Warmup:
    """Keep a :class:`Warmup` in ``app``'s state and, when ``enabled``, start it after the first answer.

    The hook wraps the outermost ASGI handler until a first HTTP answer has been sent, then takes itself
    out (when nothing wrapped it since), so that later requests do not pass through it.
    """
    warmup = Warmup(app, enabled=enabled)
    app.state[STATE_KEY] = warmup
    if not enabled:
        return warmup
    inner = app.asgi_handler

    async def after_first_answer(scope: Scope, receive: Receive, send: Send) -> None:
        await inner(scope, receive, send)
        if scope["type"] == ScopeType.HTTP and warmup.state is WarmupState.COLD:
            warmup.start()
            if app.asgi_handler is after_first_answer:
                app.asgi_handler = inner

    app.asgi_handler = after_first_answer
    app.on_shutdown.append(warmup.stop)
    return warmup


@get("/health", name="health", opt={PUBLIC_OPT: True}, include_in_schema=False)
async def health(request: Request[Any, Any, Any]) -> Health:
    """Whether the worker answers and is warm (for load balancers and ``bench/bench_memory.py``)."""
    warmup = get_warmup(request.app)
    return Health(warm=warmup.warm, warmup=warmup.state)


__all__ = ["LAZY_MODULES", "STEPS", "Health", "Warmup", "WarmupState", "get_warmup", "health", "install"]
