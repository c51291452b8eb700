"""Start-up: what a worker loads and builds before its first answer (issue 18).

A built search catalogue is read back from ``ETAX_VAR_DIR`` by the next start-up with the same
documents and must answer exactly like a fresh build; the heavy libraries of exports, PDFs, captchas
and Markdown are not imported by building the application. No timing here: the figures are
``bench/bench_ratios.py``'s.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, Router
from piccolo.apps.migrations.tables import Migration

from etax.platform.app import create_app, load_plugins
from etax.platform.db import migrate
from etax.platform.errors import StartupError
from etax.platform.search import function_documents
from etax.platform.settings import Settings
from etax.search_index import SearchDocument, SearchIndex, stored
from etax.search_index.index import build_catalogue, extended_synonyms

ROOT = Path(__file__).resolve().parents[1]

# Chinese words and phrases, full pinyin, initials, a homophone typo, words in another order, a
# tax's typed pinyin alone, a Latin typo, one letter and nonsense: every tier and the suggestions.
QUERIES = [
    "a",
    "nsrztcx",
    "纳税人状态查询",
    "增值税",
    "zzs",
    "zengzhishui",
    "申报增值税",
    "发票",
    "个税",
    "xiaofeishui",
    "纳税人壮态",
    "nsrztxc",
    "退税 出口",
    "qwertyuiop",
]


def corpus(settings: Settings) -> tuple[list[SearchDocument], dict[str, tuple[str, ...]]]:
    """Every built-in plugin's functions and documents, and their synonyms (as the application has them)."""
    host, registry = load_plugins(settings)
    return [*function_documents(registry), *host.search_documents()], host.search_synonyms()


Answer = tuple[list[tuple[str, float, str]], list[str]]


def answers(index: SearchIndex) -> list[Answer]:
    return [
        (
            [(hit.key, round(hit.score, 9), hit.match) for hit in index.search(query, limit=20)],
            index.suggest(query),
        )
        for query in QUERIES
    ]


def test_an_index_read_back_from_disk_answers_like_a_fresh_build(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents, extra = corpus(settings)
    synonyms = extended_synonyms(extra)
    fresh = SearchIndex(build_catalogue(documents, synonyms))
    first = stored.load_or_build(documents, synonyms, directory=tmp_path, synonyms_fingerprint=b"x")
    assert len(list(tmp_path.glob("catalogue-*.pickle"))) == 1

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stored catalogue should have been read, not built")

    monkeypatch.setattr(stored, "build_catalogue", no_build)
    again = stored.load_or_build(documents, synonyms, directory=tmp_path, synonyms_fingerprint=b"x")

    expected = answers(fresh)
    assert any(hits for hits, _ in expected) and any(suggestions for _, suggestions in expected)
    assert answers(SearchIndex(first)) == expected
    assert answers(SearchIndex(again)) == expected
    assert len(again.documents) == len(documents)


def test_other_documents_or_synonyms_are_indexed_again_and_a_damaged_file_is_rebuilt(
    settings: Settings, tmp_path: Path
) -> None:
    documents, _ = corpus(settings)
    stored.load_or_build(documents, None, directory=tmp_path)
    added = SearchDocument(
        key="article:startup-test",
        kind="article",
        title="启动速度说明",
        short_title="启动速度说明",
        path=("办税指南",),
        url="/a/startup-test",
    )
    more = stored.load_or_build([*documents, added], None, directory=tmp_path)
    assert SearchIndex(more).search("启动速度")[0].key == added.key
    stored.load_or_build(documents, None, directory=tmp_path, synonyms_fingerprint=b"other")
    files = sorted(tmp_path.glob("catalogue-*.pickle"))
    assert len(files) == 3  # one per distinct set of inputs

    for file in files:
        file.write_bytes(b"not a catalogue")
    rebuilt = stored.load_or_build([*documents, added], None, directory=tmp_path)
    assert SearchIndex(rebuilt).search("启动速度")[0].key == added.key


def test_at_most_keep_catalogues_are_kept(settings: Settings, tmp_path: Path) -> None:
    documents, _ = corpus(settings)
    for number in range(stored.KEEP + 2):
        stored.load_or_build(documents[: 5 + number], None, directory=tmp_path)
    assert len(list(tmp_path.glob("catalogue-*.pickle"))) == stored.KEEP


HEAVY = ["fpdf", "xlsxwriter", "openpyxl", "segno", "captcha", "PIL", "markdown_it", "redis", "pydantic"]
"""Loaded where used: exports, PDFs, QR codes, captchas, Markdown, and Redis only when a Redis store is set;
pydantic (installed for Piccolo) not at all: etax's routes take and return msgspec Structs."""

PROBE = """
import gc, json, sys
defaults = gc.get_threshold()
import etax.platform.asgi
print(json.dumps({
    "loaded": sorted(name for name in %r if name in sys.modules),
    "thresholds_restored": gc.get_threshold() == defaults,
    "frozen": gc.get_freeze_count(),
}))
"""


def test_building_the_application_leaves_exports_pdfs_captchas_markdown_and_redis_unloaded(
    tmp_path: Path,
) -> None:
    """What ``uvicorn etax.platform.asgi:app`` imports: no library only some pages need."""
    env = {
        **os.environ,
        "ETAX_VAR_DIR": str(tmp_path),
        "ETAX_MODE": "dev",
        "ETAX_DATABASE_URL": f"sqlite:///{tmp_path / 'etax.sqlite3'}",
    }
    env.pop("ETAX_SESSION_STORE", None)
    probe = subprocess.run(
        [sys.executable, "-c", PROBE % HEAVY],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["loaded"] == []
    # The collector's thresholds are the interpreter's own once the app is built; start-up is frozen.
    assert found["thresholds_restored"] is True
    assert found["frozen"] > 100_000


async def _statuses_both_ways() -> tuple[list[str], list[str]]:
    from piccolo.apps.migrations.commands.check import CheckMigrationManager

    statuses = await CheckMigrationManager(app_name="all").get_migration_statuses()
    piccolo = sorted(f"{s.app_name}:{s.migration_id}" for s in statuses if not s.has_ran)
    return sorted(await migrate.pending()), piccolo


def test_the_start_up_migration_check_finds_what_piccolo_finds(settings: Settings) -> None:
    """The check reads the migration IDs from the files and asks once; a migration not applied is named."""
    load_plugins(settings)
    assert migrate._migration_ids() is not None  # every migration file has its literal ID line
    assert asyncio.run(_statuses_both_ways()) == ([], [])
    row, (ours, piccolo), refused = asyncio.run(_forget_last_migration())
    assert ours == piccolo == [f"{row['app_name']}:{row['name']}"]
    assert refused is not None and "pending migration" in refused
    assert asyncio.run(_statuses_both_ways()) == ([], [])


async def _forget_last_migration() -> tuple[dict[str, Any], tuple[list[str], list[str]], str | None]:
    """Delete the record of the last applied migration of an app this process runs, look, then put the
    record back (earlier tests may have applied a regional distribution's migrations to the same database;
    its app is not loaded here, so neither check looks at it)."""
    known = migrate._migration_ids()
    assert known is not None
    apps = sorted({app for app, _ in known})
    row: dict[str, Any] | None = (
        await Migration.select()
        .where(Migration.app_name.is_in(apps))
        .order_by(Migration.ran_on, ascending=False)
        .first()
    )
    assert row is not None
    where = (Migration.app_name == row["app_name"]) & (Migration.name == row["name"])
    await Migration.delete().where(where)
    try:
        found = await _statuses_both_ways()
        try:
            await migrate.check_migrations()
        except StartupError as error:
            return row, found, str(error)
        return row, found, None
    finally:
        await Migration.insert(Migration(app_name=row["app_name"], name=row["name"], ran_on=row["ran_on"]))


def _pydantic_types(annotation: Any) -> list[str]:
    """Names of pydantic classes in a (possibly generic) annotation, without importing pydantic."""
    found = []
    for part in (annotation, *getattr(annotation, "__args__", ())):
        if part is not annotation:
            found += _pydantic_types(part)
        elif isinstance(part, type) and any(c.__module__.startswith("pydantic") for c in part.__mro__):
            found.append(part.__qualname__)
    return found


def test_every_route_is_served_without_litestars_pydantic_plugins(app: Litestar) -> None:
    """The application installs no pydantic plugin, so no route may take or return a pydantic model."""
    assert not [p for p in app.plugins if type(p).__module__.startswith("litestar.plugins.pydantic")]
    handlers = [h for route in app.routes for h in getattr(route, "route_handlers", [])]
    assert len(handlers) > 500
    pydantic = {
        str(handler): names
        for handler in handlers
        if (
            names := [
                name
                for field in (*handler.parsed_fn_signature.parameters.values(), handler.parsed_return_field)
                for name in _pydantic_types(field.annotation)
            ]
        )
    }
    assert pydantic == {}


def test_the_route_map_kept_between_registrations_is_litestars(app: Litestar) -> None:
    """Paths, methods and handlers — and their order — as Litestar's own map of the built application."""
    kept = app.route_handler_method_map
    litestars = Router.route_handler_method_map.fget(app)  # type: ignore[attr-defined]
    assert [(path, list(entry.items())) for path, entry in kept.items()] == [
        (path, list(entry.items())) for path, entry in litestars.items()
    ]
    assert len(kept) > 400


def test_controller_pages_of_two_applications_in_one_process_answer_alike(settings: Settings) -> None:
    """A controller's handlers are copied per application, not shared: both applications answer its pages,
    each with its own handlers, and the controller classes' own handlers stay unregistered."""
    from litestar.testing import TestClient

    first, second = create_app(settings), create_app(settings)
    paths = ["/", "/public/taxpayer-status", "/api/search?q=nsrztcx", "/login"]
    answers = []
    for application in (first, second):
        with TestClient(application) as client:
            answers.append(
                [(client.get(path).status_code, client.options(path).headers.get("allow")) for path in paths]
            )
    assert answers[0] == answers[1]
    assert all(status == 200 for status, _ in answers[0])
    # Each application's controller handler is its own copy, owned through that application's routers.
    status_handlers = [
        application.route_handler_method_map["/public/taxpayer-status"]["GET"]
        for application in (first, second)
    ]
    assert status_handlers[0] is not status_handlers[1]
    assert [h.ownership_layers[0] for h in status_handlers] == [first, second]


def test_options_answers_name_each_paths_methods(app: Litestar) -> None:
    """Litestar's ``OPTIONS`` answer (its handlers share one parsed signature here): 204 and the path's methods."""
    from litestar.testing import TestClient

    paths = ["/", "/api/search", "/login", "/search"]
    with TestClient(app) as client:
        answers = {path: client.options(path) for path in paths}
    for path, answer in answers.items():
        methods = sorted(
            app.route_handler_method_map[path] if path != "/static/etax.css" else ["GET", "OPTIONS"]
        )
        assert (answer.status_code, answer.headers["allow"]) == (204, ", ".join(methods))


def test_etax_serve_answers_a_search_as_the_application_does(app: Litestar) -> None:
    """``etax serve`` (one worker: uvicorn serving the application the command built, without a WebSocket
    protocol) answers its first search with what the application answers in-process."""
    import socket
    import time

    import httpx
    from litestar.testing import TestClient

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "etax", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        served = None
        deadline = time.monotonic() + 120
        while served is None and time.monotonic() < deadline and server.poll() is None:
            try:
                served = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "nsrztcx"}, timeout=5)
            except httpx.TransportError:
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with TestClient(app) as client:
        expected = client.get("/api/search", params={"q": "nsrztcx"})
    assert served is not None and served.status_code == 200
    codes = [result["code"] for result in served.json()["results"]]
    assert codes and codes == [result["code"] for result in expected.json()["results"]]
