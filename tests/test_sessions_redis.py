"""Several instances share sessions through Redis (the machine's server at 127.0.0.1:6379)."""

from __future__ import annotations

import msgspec
from litestar.testing import TestClient

from etax.platform.app import create_app
from etax.platform.settings import Settings
from tests.conftest import new_client
from tests.factories import create_enterprise, log_in_staff

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_a_login_on_one_instance_is_seen_by_another(settings: Settings) -> None:
    shared = msgspec.structs.replace(settings, session_store=REDIS_URL)
    first, second = create_app(shared), create_app(shared)
    enterprise = create_enterprise(name="共享会话测试有限公司", officers=0)
    with new_client(first) as client_a, new_client(second) as client_b:
        log_in_staff(client_a, enterprise, "legal_rep")
        assert "共享会话测试有限公司" in client_a.get("/").text
        client_b.cookies.update(client_a.cookies)
        assert "共享会话测试有限公司" in client_b.get("/").text


def test_file_store_sessions_are_not_shared_with_a_redis_instance(settings: Settings) -> None:
    redis_app = create_app(msgspec.structs.replace(settings, session_store=REDIS_URL))
    file_app = create_app(settings)
    enterprise = create_enterprise(name="文件会话测试有限公司", officers=0)
    with new_client(file_app) as on_file, TestClient(redis_app) as on_redis:
        log_in_staff(on_file, enterprise, "legal_rep")
        on_redis.cookies.update(on_file.cookies)
        assert "文件会话测试有限公司" not in on_redis.get("/").text
