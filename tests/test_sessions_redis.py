"""Several instances share sessions through Redis (the machine's server at 127.0.0.1:6379)."""

from __future__ import annotations

import msgspec
import pytest
import redis
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.app import create_app
from etax.platform.auth.sessions import SESSION_COOKIE
from etax.platform.settings import Settings
from tests.conftest import new_client
from tests.login_helpers import PersonSpec, is_logged_in, location, make_enterprise, password_login

REDIS_URL = "redis://127.0.0.1:6379/15"


def stored_in_redis(session_id: str) -> bool:
    """Whether the Redis session store holds ``session_id`` (Litestar's store, namespace etax_sessions)."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return bool(client.exists(f"etax_sessions:{session_id}"))
    finally:
        client.close()


@pytest.fixture(scope="module")
def redis_apps(settings: Settings) -> tuple[Litestar, Litestar]:
    """Two instances of the portal sharing the Redis session store."""
    shared = msgspec.structs.replace(settings, session_store=REDIS_URL)
    return create_app(shared), create_app(shared)


def test_a_login_on_one_instance_is_seen_by_another(redis_apps: tuple[Litestar, Litestar]) -> None:
    first, second = redis_apps
    firm = make_enterprise(PersonSpec("共享会话", role="legal_rep", personal_password="Geren@2026"))
    with TestClient(first) as client_a, TestClient(second) as client_b:
        answer = password_login(client_a, firm.tin, firm.password, firm.staff_id("共享会话"), "Geren@2026")
        assert answer.status_code in (302, 303) and location(answer) == "/"  # the real login succeeded
        home = client_a.get("/")
        assert home.status_code == 200 and firm.name in home.text and is_logged_in(client_a)
        session_id = client_a.cookies.get(SESSION_COOKIE)
        assert session_id and stored_in_redis(session_id)  # the session lives in Redis, not on disk
        client_b.cookies.update(client_a.cookies)
        other = client_b.get("/")
        assert other.status_code == 200 and firm.name in other.text and is_logged_in(client_b)


def test_file_store_sessions_are_not_shared_with_a_redis_instance(
    app: Litestar, redis_apps: tuple[Litestar, Litestar]
) -> None:
    file_app, redis_app = app, redis_apps[0]
    firm = make_enterprise(PersonSpec("文件会话", role="legal_rep", personal_password="Geren@2026"))
    with new_client(file_app) as on_file, TestClient(redis_app) as on_redis:
        answer = password_login(on_file, firm.tin, firm.password, firm.staff_id("文件会话"), "Geren@2026")
        assert location(answer) == "/" and is_logged_in(on_file)
        session_id = on_file.cookies.get(SESSION_COOKIE)
        assert session_id and not stored_in_redis(session_id)
        on_redis.cookies.update(on_file.cookies)
        anonymous = on_redis.get("/")
        assert anonymous.status_code == 200 and not is_logged_in(on_redis)
        assert firm.name not in anonymous.text
