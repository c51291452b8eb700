"""What a request costs the server (issue 18): no stored session for a visitor who only reads, a session
written only when it changed, browser-cached static files, gzip, rarely-changing data read from memory
between version checks, openings counted in batches, a logged-in visitor's principal read from memory after
one small version read."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from piccolo.engine import engine_finder

from etax.platform import caching, usage
from etax.platform.settings import Settings
from etax.platform.web.assets import static_url
from tests.conftest import new_client
from tests.factories import create_enterprise, grant, log_in_staff


def session_files(settings: Settings) -> int:
    directory = Path(settings.var_dir) / "sessions"
    return len(list(directory.iterdir())) if directory.exists() else 0


def session_cookie_set(response: httpx.Response) -> bool:
    return any(value.startswith("etax_session=") for value in response.headers.get_list("set-cookie"))


def test_an_anonymous_reader_gets_no_session(app: Litestar, settings: Settings) -> None:
    before = session_files(settings)
    with TestClient(app) as visitor:
        for path in ("/", "/api/search?q=nsrztcx", "/search?q=发票", "/public/taxpayer-status", "/login"):
            response = visitor.get(path)
            assert response.status_code == 200, path
            assert not session_cookie_set(response), path
    assert session_files(settings) == before


def test_a_logged_in_session_is_written_only_when_it_changes(app: Litestar) -> None:
    enterprise = create_enterprise(name="会话写入测试有限公司", officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        client.get("/")  # the first page sets the CSRF cookie, the next binds it to the session (a change)
        assert "会话写入测试有限公司" in client.get("/").text
        # From then on reading pages changes nothing in the session: no write, no new cookie, still logged in.
        for path in ("/", "/menu/我要查询", "/"):
            again = client.get(path)
            assert again.status_code == 200 and not session_cookie_set(again), path
        assert "会话写入测试有限公司" in again.text
        logout = client.post("/logout", data={"_csrf_token": client.cookies.get("etax_csrf", "")})
        assert logout.status_code in (200, 302, 303)
        assert "会话写入测试有限公司" not in client.get("/").text


def test_static_files_carry_a_content_hash_and_are_cached_for_a_year(client: TestClient[Litestar]) -> None:
    html = client.get("/").text
    url = static_url("css/etax.css")
    assert "?v=" in url and url in html
    hashed = client.get(url)
    assert hashed.status_code == 200 and "immutable" in hashed.headers["cache-control"]
    plain = client.get("/static/css/etax.css")
    assert plain.headers["cache-control"] == "no-cache"


def test_pages_are_gzipped_for_browsers_that_accept_it(client: TestClient[Litestar]) -> None:
    response = client.get("/", headers={"accept-encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip" and "<html" in response.text


@pytest.fixture()
def trusted_for_a_minute() -> Iterator[None]:
    caching.configure(60)
    yield
    caching.configure(0)


def test_cached_values_are_reread_after_the_interval_or_a_local_change(trusted_for_a_minute: None) -> None:
    loads: list[int] = []

    async def load() -> int:
        loads.append(1)
        return len(loads)

    async def scenario() -> list[int]:
        first = await caching.cached("test.values", "k", load)
        second = await caching.cached("test.values", "k", load)  # within the interval: from memory
        caching.invalidate("test.values")  # this process wrote: read again
        third = await caching.cached("test.values", "k", load)
        key = caching.VersionKey(load)
        version = await key.current()
        same = await key.current()
        key.expire()
        return [first, second, third, version, same, await key.current()]

    assert asyncio.run(scenario()) == [1, 1, 2, 3, 3, 4]


def test_openings_are_counted_in_batches() -> None:
    code = "test.batched_opening"

    async def scenario() -> tuple[int, int]:
        usage.configure(3600)
        try:
            await usage.record_open(code)
            await usage.record_open(code)
            waiting = (await usage.popularity()).get(code, 0)
            await usage.flush()
            return waiting, (await usage.popularity()).get(code, 0)
        finally:
            usage.configure(0)

    waiting, written = asyncio.run(scenario())
    assert written == waiting + 2


PRINCIPAL_TABLES = (
    "auth_staff_member",
    "auth_staff_identity",
    "auth_permission_identity",
    "auth_enterprise_account",
    "auth_natural_person_account",
    "auth_agency_certification",
)
"""Where a principal is resolved from (with the taxpayer's and the person's names, joined)."""


@contextmanager
def recorded_queries() -> Iterator[list[str]]:
    """The SQL of every statement the database engine runs meanwhile (every query passes here)."""
    engine = engine_finder()
    assert engine is not None
    seen: list[str] = []
    original = engine.run_querystring

    async def recorded(querystring: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(querystring))
        return await original(querystring, *args, **kwargs)

    engine.run_querystring = recorded  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        del engine.run_querystring


def touching(queries: list[str], *tables: str) -> list[str]:
    return [sql for sql in queries if any(f'"{table}"' in sql for table in tables)]


@pytest.mark.parametrize("role", ["legal_rep", "tax_officer0"])
def test_a_logged_in_page_reads_its_principal_with_one_small_query(app: Litestar, role: str) -> None:
    enterprise = create_enterprise(name="每请求查询测试有限公司", officers=1)
    grant(enterprise, "tax_officer0", ["我要查询"])
    with new_client(app) as client:
        log_in_staff(client, enterprise, role)
        with recorded_queries() as first:
            assert client.get("/").status_code == 200
        assert touching(first, *PRINCIPAL_TABLES)  # resolved from the database once
        for path in ("/", "/query/declarations"):
            assert client.get(path).status_code == 200
            with recorded_queries() as warm:
                assert client.get(path).status_code == 200
            # Warm: the principal comes from memory after one read of the shared version counter.
            assert touching(warm, *PRINCIPAL_TABLES) == [], path
            assert len(touching(warm, "auth_principal_version")) == 1, path
            if path == "/":
                assert len(touching(warm, "menus_favourite")) == 1  # 常用功能: the saved list, read once
