"""Test set-up: a fresh database per run (SQLite file, or a new PostgreSQL database), migrated and
filled with the demo world, and one application shared by the tests.

``ETAX_TEST_DATABASE=postgres`` runs the suite on the machine's PostgreSQL (127.0.0.1:5432, trust
auth); the default is SQLite. Nothing is mocked: the database, the session store and the browser
are real.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

VAR_DIR = Path(tempfile.mkdtemp(prefix="etax-test-"))
POSTGRES_ADMIN_DSN = os.environ.get("ETAX_TEST_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
BACKEND = os.environ.get("ETAX_TEST_DATABASE", "sqlite")
PG_DATABASE = f"etax_test_{uuid.uuid4().hex[:10]}"
CAPTCHA_TEST_ANSWER = "TEST"


async def _admin(sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def _configure_environment() -> None:
    os.environ["ETAX_VAR_DIR"] = str(VAR_DIR)
    os.environ["ETAX_MODE"] = "dev"
    os.environ["ETAX_CAPTCHA_TEST_ANSWER"] = CAPTCHA_TEST_ANSWER
    # No in-process caching or batching in tests: every change is seen by the next request.
    os.environ["ETAX_CACHE_CHECK_SECONDS"] = "0"
    os.environ["ETAX_USAGE_FLUSH_SECONDS"] = "0"
    # No background warm-up after each application's first answer (tests/test_warmup.py turns it on).
    os.environ["ETAX_WARMUP"] = "0"
    for name in (
        "ETAX_PLUGINS",
        "ETAX_DENY_PLUGINS",
        "ETAX_ALLOW_PLUGINS",
        "ETAX_STRICT_PLUGINS",
        "ETAX_SESSION_STORE",
    ):
        os.environ.pop(name, None)
    # The Liaoning distribution (examples/etax-liaoning) is pip-installed by `make run`; the suite runs the
    # same with or without it: its own tests run in tests/test_plugin_distribution.py.
    os.environ["ETAX_DENY_PLUGINS"] = "liaoning"
    os.environ["ETAX_PLUGIN_REFRESH_SECONDS"] = "0"  # plugin switches apply at the next request
    if BACKEND == "postgres":
        asyncio.run(_admin(f'CREATE DATABASE "{PG_DATABASE}"'))
        base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0]
        os.environ["ETAX_DATABASE_URL"] = f"{base}/{PG_DATABASE}"
    else:
        os.environ["ETAX_DATABASE_URL"] = f"sqlite:///{VAR_DIR / 'etax.sqlite3'}"


_configure_environment()

from litestar import Litestar  # noqa: E402
from litestar.testing import TestClient  # noqa: E402

from etax.platform.app import create_app, load_plugins  # noqa: E402
from etax.platform.db.migrate import migrate  # noqa: E402
from etax.platform.demo import load_demo  # noqa: E402
from etax.platform.runtime import get_runtime  # noqa: E402
from etax.platform.settings import Settings, load_settings  # noqa: E402
from tests.clock_fixture import pin_clock  # noqa: E402, F401  (the platform clock, pinned per test)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the browser tests last (Playwright's sync API keeps an event loop on the main thread), and only
    in the PostgreSQL pass: they walk pages, not database dialects, so running them twice adds minutes to
    ``make test`` and proves nothing more."""
    if BACKEND != "postgres":
        browser = [item for item in items if item.get_closest_marker("browser") is not None]
        if browser:
            config.hook.pytest_deselected(items=browser)
            items[:] = [item for item in items if item.get_closest_marker("browser") is None]
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


async def _prepare() -> None:
    await migrate()
    await load_demo()


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session", autouse=True)
def database(settings: Settings) -> Iterator[str]:
    """Migrate the fresh database and load the demo world once per run."""
    load_plugins(settings)
    asyncio.run(_prepare())
    yield settings.database_url
    if BACKEND == "postgres":
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def app(settings: Settings, database: str) -> Litestar:
    return create_app(settings)


def new_client(app: Litestar) -> TestClient[Litestar]:
    """A browser-like client with its own cookies; ``set_session_data`` writes the real session store."""
    return TestClient(app=app, session_config=get_runtime(app).session_config)


@pytest.fixture()
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    """A browser-like client with its own cookies."""
    with new_client(app) as test_client:
        yield test_client
