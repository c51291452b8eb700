"""Schemathesis over the OpenAPI schema: every operation, as every kind of identity,
with the CSRF token, so that requests reach the handlers; no answer may be a server error.

Runs once per ``make test``, in the PostgreSQL pass. Each request gets a fresh server-side session of
its identity (so a logout or a session rotation in one request does not log the next one out), and
record ids in paths are moved far above the records that exist, so that destructive operations touch
nothing other tests rely on (they still reach their handlers, which answer 404).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.admin.guard import SESSION_ADMIN
from etax.platform.auth.principal import SESSION_AUTH, SessionAuth
from etax.platform.ids import MAX_RECORD_ID
from etax.platform.runtime import get_runtime
from tests.conftest import BACKEND
from tests.login_helpers import PersonSpec, certify, make_enterprise, make_person, run
from tests.test_admin_support import make_admin

pytestmark = pytest.mark.skipif(
    BACKEND != "postgres", reason="run once per `make test`, in the PostgreSQL pass"
)

EXAMPLES_PER_OPERATION = 4
ID_SPREAD = 1000


def identities() -> dict[str, dict[str, Any]]:
    """Session contents of every kind of identity (fresh accounts: nothing shared is changed)."""
    firm = make_enterprise(
        PersonSpec("模糊法人", role="legal_rep", personal_password="Faren@2026"),
        PersonSpec("模糊办税员", personal_password="Banshui@2026"),
    )
    social = make_enterprise(
        PersonSpec("模糊社保法人", role="legal_rep", personal_password="Faren@2026"),
        pure_social_security=True,
        registered_taxes="城镇职工基本养老保险费",
    )
    agency = make_enterprise(PersonSpec("模糊代理人", personal_password="Daili@2026"), is_agency=True)
    cert = certify(firm.id, agency.id)
    person = make_person("模糊自然人", natural_password="Ziran@2026")
    account = run(_account_id(person.username))

    def auth(value: SessionAuth) -> dict[str, Any]:
        return {SESSION_AUTH: msgspec.to_builtins(value)}

    return {
        "anonymous": {},
        "legal representative": auth(
            SessionAuth(kind="enterprise", taxpayer_id=firm.id, staff_id=firm.staff_id("模糊法人"))
        ),
        "tax officer": auth(
            SessionAuth(kind="enterprise", taxpayer_id=firm.id, staff_id=firm.staff_id("模糊办税员"))
        ),
        "pure social security": auth(
            SessionAuth(
                kind="enterprise",
                taxpayer_id=social.id,
                staff_id=social.staff_id("模糊社保法人"),
                pure_social_security=True,
            )
        ),
        "agency acting for a client": auth(
            SessionAuth(
                kind="agency",
                taxpayer_id=agency.id,
                staff_id=agency.staff_id("模糊代理人"),
                client_taxpayer_id=firm.id,
                certification_id=cert,
            )
        ),
        "natural person": auth(SessionAuth(kind="natural_person", account_id=account)),
        **{
            f"administrator ({role})": {SESSION_ADMIN: {"admin_id": make_admin(role).id}}
            for role in ("system", "reviewer", "content")
        },
    }


async def _account_id(username: str) -> int:
    from etax.platform.auth.tables import NaturalPersonAccount

    row = (
        await NaturalPersonAccount.select(NaturalPersonAccount.id)
        .where(NaturalPersonAccount.username == username)
        .first()
    )
    assert row is not None
    return int(row["id"])


def count_handler_calls(app: Litestar) -> set[tuple[str, str]]:
    """Wrap every route handler so that a call records its (method, path); return the record."""
    reached: set[tuple[str, str]] = set()
    for route in app.routes:
        for method, (handler_fn, _) in getattr(route, "route_handler_map", {}).items():
            original: Callable[..., Any] = handler_fn.fn
            key = (method, route.path_format)

            def wrap(fn: Callable[..., Any], key: tuple[str, str], sync: bool) -> Callable[..., Any]:
                @functools.wraps(fn)
                def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
                    reached.add(key)
                    return fn(*args, **kwargs)

                @functools.wraps(fn)
                async def wrapper(*args: Any, **kwargs: Any) -> Any:
                    reached.add(key)
                    return await fn(*args, **kwargs)

                return sync_wrapper if sync else wrapper

            handler_fn._fn = wrap(original, key, handler_fn.has_sync_callable)
    return reached


def test_schemathesis_finds_no_server_error(app: Litestar, request: pytest.FixtureRequest) -> None:
    reached = count_handler_calls(app)
    people = identities()
    config = get_runtime(app).session_config
    with TestClient(app, session_config=config) as client:
        raw = client.get("/schema/openapi.json").json()
        client.get("/login")
        csrf = str(client.cookies["etax_csrf"])
        schema = schemathesis.openapi.from_dict(raw)
        operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
        failures: list[str] = []
        requests = 0

        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def exercise(case: Any) -> None:
                nonlocal requests
                path = case.operation.path
                for name, value in (case.path_parameters or {}).items():
                    if isinstance(value, int):
                        value = MAX_RECORD_ID - value % ID_SPREAD  # above every record that exists
                    path = path.replace("{" + name + "}", str(value))
                for identity, data in people.items():
                    client.cookies.clear()
                    client.cookies.set("etax_csrf", csrf, domain="testserver.local")
                    if data:
                        client.set_session_data(data)
                    headers = {k: str(v) for k, v in (case.headers or {}).items()}
                    headers["x-csrftoken"] = csrf
                    response = client.request(
                        case.method, path, params=case.query or None, headers=headers, follow_redirects=False
                    )
                    requests += 1
                    if response.status_code >= 500:
                        failures.append(f"{identity}: {case.method} {path} → {response.status_code}")

            exercise()

    operation_keys = {(op.method.upper(), op.path) for op in operations}
    hit = operation_keys & reached
    report = {
        "operations": len(operation_keys),
        "reached a handler": len(hit),
        "identities": len(people),
        "requests": requests,
        "server errors": len(failures),
        "not reached": sorted(f"{m} {p}" for m, p in operation_keys - reached),
    }
    Path(os.environ["ETAX_VAR_DIR"], "schemathesis-report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1)
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            f"\nschemathesis: {report['operations']} operations, {report['reached a handler']} reached a handler, "
            f"{requests} requests as {len(people)} identities, {len(failures)} server errors"
        )
    assert failures == []
    assert len(hit) >= 0.9 * len(operation_keys), report["not reached"]
