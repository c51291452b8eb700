"""etax.testing — pytest fixtures for plugin authors (registered through the ``pytest11`` entry point).

Installed with etax, active in every pytest run, and inert until a project names its plugins in its
pytest configuration::

    [tool.pytest.ini_options]
    etax_plugins = ["my_plugin"]          # the plugin modules under test

Then, before any test module is imported, the session gets a temporary directory with a fresh SQLite
database, development mode, the captcha test answer ``TEST``, an instant development bank and plugin
switches that apply at once. The fixtures (docs/plugin-author-guide.md walks through them):

- ``etax_app`` — the application with every installed plugin plus ``etax_plugins``, migrations applied
  (the plugins' own too) and the demo world loaded (with every plugin's ``etax_demo_load``);
- ``etax_client`` — an anonymous browser-like client;
- ``etax_login(kind, ...)`` — a client logged in as ``legal_representative``, ``financial_head``,
  ``officer`` (holding ``functions=[...]``), ``natural_person``, ``agency`` (acting for a client that
  delegated ``functions=[...]``), ``pure_social_security``, or an administrator ``admin:system``,
  ``admin:reviewer``, ``admin:content``, ``admin:consultant``, ``admin:hall``; each call creates a fresh
  taxpayer or account;
- ``etax_access_check(plugin)`` — walks every route of the plugin as each kind of visitor and returns
  the differences from what its declarations promise (an empty list when the contract holds);
- ``etax_search(query, client=None)`` — the codes search returns, best first (as ``client`` would see
  them; anonymous by default);
- ``etax_clock(day)`` — pin the platform clock for the test (every "today", deadline and late fee).

Nothing here is used by etax's own test suite, which has its own ``tests/conftest.py``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import os
import re
import secrets
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.testing import TestClient

    from etax.platform.settings import Settings

T = TypeVar("T")
INI = "etax_plugins"
CAPTCHA_ANSWER = "TEST"
PASSWORD = "Shui@2026"
ADMIN_PASSWORD = "Houtai@2026pass"
KINDS = (
    "legal_representative",
    "financial_head",
    "officer",
    "natural_person",
    "agency",
    "pure_social_security",
    "admin:system",
    "admin:reviewer",
    "admin:content",
    "admin:consultant",
    "admin:hall",
)
_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(INI, "plugin modules under test, loaded into the etax_app fixture", type="args", default=[])


def _active(config: pytest.Config) -> bool:
    return bool(config.getini(INI))


def pytest_configure(config: pytest.Config) -> None:
    """Point etax at a temporary SQLite database before any test module imports a plugin."""
    if not _active(config):
        return
    var_dir = Path(tempfile.mkdtemp(prefix="etax-plugin-test-"))
    os.environ.update(
        {
            "ETAX_VAR_DIR": str(var_dir),
            "ETAX_DATABASE_URL": f"sqlite:///{var_dir / 'etax.sqlite3'}",
            "ETAX_MODE": "dev",
            "ETAX_CAPTCHA_TEST_ANSWER": CAPTCHA_ANSWER,
            "ETAX_BANK_LATENCY_MS": "0",
            "ETAX_PLUGIN_REFRESH_SECONDS": "0",
            # No background warm-up after an application's first answer (a plugin's tests don't need one).
            "ETAX_WARMUP": "0",
        }
    )
    for name in ("ETAX_PLUGINS", "ETAX_DENY_PLUGINS", "ETAX_ALLOW_PLUGINS", "ETAX_STRICT_PLUGINS"):
        os.environ.pop(name, None)
    os.environ.setdefault("PICCOLO_CONF", "etax.platform.db.piccolo_conf")
    # Passwords hashed with argon2id's cheapest parameters: the demo world and every identity the fixtures
    # create hash a password, and the production cost (a few hundred ms each) would dominate the session.
    from argon2 import PasswordHasher

    from etax.platform.auth import passwords

    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def run(awaitable: Awaitable[T]) -> T:
    """Run a coroutine (a database query) from a synchronous test."""

    async def wait() -> T:
        return await awaitable

    return asyncio.run(wait())


def _modules(names: list[str]) -> list[ModuleType]:
    """The plugin modules under test that no installed entry point already provides."""
    installed = {ep.value for ep in entry_points(group="etax.plugins")}
    return [importlib.import_module(name) for name in names if name not in installed]


@pytest.fixture(scope="session")
def etax_settings(pytestconfig: pytest.Config) -> Settings:
    if not _active(pytestconfig):
        pytest.skip(f"name the plugins under test in the pytest setting {INI!r} to use etax.testing")
    from etax.platform.settings import load_settings

    return load_settings()


@pytest.fixture(scope="session")
def etax_app(etax_settings: Settings, pytestconfig: pytest.Config) -> Litestar:
    """The portal with every installed plugin plus the ones under test, migrated, demo world loaded."""
    from etax.platform.app import create_app, load_plugins
    from etax.platform.db.migrate import migrate
    from etax.platform.demo import load_demo

    extra = _modules(list(pytestconfig.getini(INI)))
    host, registry = load_plugins(etax_settings, extra)
    failures = [f"{f.plugin} ({f.stage}): {f.error}" for f in host.failures]
    assert not failures, "plugins failed to load: " + "; ".join(failures)

    async def prepare() -> None:
        await migrate()
        await load_demo(registry)
        await host.demo_load()

    run(prepare())
    return create_app(etax_settings, extra_plugins=extra)


def _client(app: Litestar) -> TestClient[Litestar]:
    from litestar.testing import TestClient

    from etax.platform.runtime import get_runtime

    return TestClient(app=app, session_config=get_runtime(app).session_config)


@pytest.fixture()
def etax_client(etax_app: Litestar) -> Iterator[TestClient[Litestar]]:
    """An anonymous, browser-like client with its own cookies."""
    with _client(etax_app) as client:
        yield client


# --- identities ------------------------------------------------------------------------------------


def _tin() -> str:
    from etax.platform.demo import uscc

    return uscc("91210102" + "".join(secrets.choice(_CHARSET) for _ in range(9)))


def _id_number() -> str:
    from etax.platform.demo import resident_id

    birth = dt.date(1960, 1, 1) + dt.timedelta(days=secrets.randbelow(15000))
    return resident_id("210102" + birth.strftime("%Y%m%d") + f"{secrets.randbelow(1000):03d}")


async def _enterprise(
    role: str, *, pure_social_security: bool = False, agency: bool = False
) -> tuple[int, int]:
    """A fresh taxpayer with one person of ``role``; returns (taxpayer id, staff member id)."""
    from etax.platform.auth.passwords import hash_password
    from etax.platform.auth.tables import StaffMember
    from etax.platform.coresys.tables import Person, Taxpayer, TaxpayerStaff

    tin = _tin()
    taxpayer = Taxpayer(
        tin=tin,
        name=("测试代理机构" if agency else "测试企业") + secrets.token_hex(3),
        tax_office="国家税务总局沈阳市和平区税务局",
        registered_on=dt.date(2020, 1, 1),
        pure_social_security=pure_social_security,
        is_agency=agency,
        registered_taxes="基本养老保险费,失业保险费" if pure_social_security else "增值税,企业所得税",
    )
    await taxpayer.save()
    mobile = "139" + "".join(secrets.choice("0123456789") for _ in range(8))
    person = Person(name=f"测试{role}", id_number=_id_number(), mobile=mobile, real_name_collected=True)
    await person.save()
    await TaxpayerStaff(
        key=f"{tin}:{person.id}:{role}",
        taxpayer=taxpayer.id,
        person=person.id,
        role=role,
        registered_mobile=mobile,
    ).save()
    member = StaffMember(
        key=f"{taxpayer.id}:{person.id}",
        taxpayer=taxpayer.id,
        person=person.id,
        role=role,
        personal_password_hash=await hash_password(PASSWORD),
    )
    await member.save()
    return int(taxpayer.id), int(member.id)


async def _grant(taxpayer_id: int, staff_id: int, functions: list[str]) -> None:
    from etax.platform.auth.tables import PermissionIdentity, StaffIdentity

    identity = PermissionIdentity(
        key=f"{taxpayer_id}:{secrets.token_hex(6)}",
        taxpayer=taxpayer_id,
        name="测试身份" + secrets.token_hex(3),
        nodes="\n".join(functions),
    )
    await identity.save()
    await StaffIdentity(key=f"{staff_id}:{identity.id}", staff=staff_id, identity=identity.id).save()


async def _natural_person() -> int:
    from etax.platform.auth.passwords import hash_password
    from etax.platform.auth.tables import NaturalPersonAccount
    from etax.platform.coresys.tables import Person

    person = Person(name="测试自然人", id_number=_id_number(), mobile="13700000000", real_name_collected=True)
    await person.save()
    account = NaturalPersonAccount(
        person=person.id, username="np" + secrets.token_hex(5), password_hash=await hash_password(PASSWORD)
    )
    await account.save()
    return int(account.id)


async def _certification(client_id: int, agency_id: int, functions: list[str]) -> int:
    from etax.platform import clock
    from etax.platform.auth.passwords import hash_password
    from etax.platform.auth.tables import AgencyCertification

    cert = AgencyCertification(
        key=f"{client_id}:{agency_id}",
        client=client_id,
        agency=agency_id,
        agreement_password_hash=await hash_password("Xieyi#2026"),
        nodes="\n".join(functions),
        valid_until=clock.today() + dt.timedelta(days=365),
        status="active",
    )
    await cert.save()
    return int(cert.id)


def session_for(kind: str, functions: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Session data of a fresh visitor of ``kind`` (see :data:`KINDS`), as a completed login leaves it."""
    import msgspec

    from etax.platform.admin.accounts import create_admin
    from etax.platform.admin.guard import SESSION_ADMIN
    from etax.platform.auth.principal import SESSION_AUTH, SessionAuth

    def auth(value: SessionAuth) -> dict[str, Any]:
        return {SESSION_AUTH: msgspec.to_builtins(value)}

    if kind.startswith("admin:"):
        role = kind.split(":", 1)[1]
        admin = run(create_admin("t" + secrets.token_hex(5), f"测试{role}", role, ADMIN_PASSWORD))
        return {SESSION_ADMIN: {"admin_id": admin.id}}
    if kind in ("legal_representative", "financial_head", "pure_social_security"):
        role = "finance_head" if kind == "financial_head" else "legal_rep"
        pure = kind == "pure_social_security"
        taxpayer_id, staff_id = run(_enterprise(role, pure_social_security=pure))
        return auth(
            SessionAuth(
                kind="enterprise", taxpayer_id=taxpayer_id, staff_id=staff_id, pure_social_security=pure
            )
        )
    if kind == "officer":
        taxpayer_id, staff_id = run(_enterprise("tax_officer"))
        if functions:
            run(_grant(taxpayer_id, staff_id, list(functions)))
        return auth(SessionAuth(kind="enterprise", taxpayer_id=taxpayer_id, staff_id=staff_id))
    if kind == "natural_person":
        return auth(SessionAuth(kind="natural_person", account_id=run(_natural_person())))
    if kind == "agency":
        agency_id, agent = run(_enterprise("legal_rep", agency=True))
        client_id, _ = run(_enterprise("legal_rep"))
        certification = run(_certification(client_id, agency_id, list(functions)))
        return auth(
            SessionAuth(
                kind="agency",
                taxpayer_id=agency_id,
                staff_id=agent,
                client_taxpayer_id=client_id,
                certification_id=certification,
            )
        )
    raise ValueError(f"unknown identity kind {kind!r}; one of {', '.join(KINDS)}")


@pytest.fixture()
def etax_login(etax_app: Litestar) -> Iterator[Callable[..., TestClient[Litestar]]]:
    """``etax_login(kind, functions=(...))``: a new client logged in as a fresh visitor of ``kind``."""
    opened: list[TestClient[Litestar]] = []

    def login(kind: str, functions: list[str] | tuple[str, ...] = ()) -> TestClient[Litestar]:
        client = _client(etax_app)
        client.__enter__()
        opened.append(client)
        client.set_session_data(session_for(kind, functions))
        return client

    yield login
    for client in reversed(opened):  # last in, first out: each client holds its own event-loop portal
        client.__exit__(None, None, None)


@pytest.fixture()
def etax_clock() -> Iterator[Callable[[dt.date | dt.datetime], None]]:
    """``etax_clock(day)``: pin the platform clock (a date pins 10:00 Beijing) until the test ends."""
    from etax.platform import clock

    yield clock.pin
    clock.pin(None)


# --- the access contract and search ---------------------------------------------------------------------

_PARAMETER = re.compile(r"\{(\w+):(\w+)\}")
_MISSING = {"int": "999999999", "str": "no-such-thing", "path": "no/such/thing"}


def _expected(kind: str, spec: Any, held: frozenset[str]) -> str:
    from etax.platform.functions import Audience

    if Audience.PUBLIC in spec.audiences:
        return "allowed"
    if kind == "anonymous" or kind.startswith("admin:"):
        return "login"
    audience = {
        "natural_person": Audience.NATURAL_PERSON,
    }.get(kind, Audience.ENTERPRISE)
    if audience not in spec.audiences:
        return "refused"
    if kind == "pure_social_security":
        return "allowed" if spec.social_security else "refused"
    if spec.grant == "managers":
        return "allowed" if kind in ("legal_representative", "financial_head") else "refused"
    if spec.grant == "everyone" or kind in ("legal_representative", "financial_head"):
        return "allowed"
    return "allowed" if spec.code in held else "refused"


def _actual(status: int, location: str) -> str:
    if status in (302, 303) and location.startswith("/login"):
        return "login"
    if status == 403:
        return "refused"
    if status >= 500:
        return f"error {status}"
    return "allowed"


@pytest.fixture()
def etax_access_check(etax_app: Litestar) -> Callable[[str], list[str]]:
    """``etax_access_check(plugin)``: every route of ``plugin`` walked as every kind of visitor.

    Returns one line per difference between what a visitor got and what the route's function declares
    (audiences, grant, ``social_security``); officers and agencies hold nothing, so a function of theirs
    must refuse them. Routes with parameters get ids that do not exist (allowed visitors get 404).
    """
    from litestar.routes import HTTPRoute

    from etax.platform.access import FUNCTION_OPT, PLUGIN_OPT
    from etax.platform.runtime import get_runtime

    registry = get_runtime(etax_app).registry

    def check(plugin: str) -> list[str]:
        routes: list[tuple[str, str, str]] = []
        for route in etax_app.routes:
            if not isinstance(route, HTTPRoute):
                continue
            for handler in route.route_handlers:
                if handler.opt.get(PLUGIN_OPT) != plugin or not handler.opt.get(FUNCTION_OPT):
                    continue
                url = _PARAMETER.sub(lambda m: _MISSING[m.group(2)], route.path)
                routes.extend(
                    (method, url, str(handler.opt[FUNCTION_OPT]))
                    for method in sorted(handler.http_methods)
                    if method not in ("HEAD", "OPTIONS")
                )
        assert routes, f"plugin {plugin!r} has no function routes (is it loaded?)"
        problems: list[str] = []
        for kind in ("anonymous", *KINDS):
            session = {} if kind == "anonymous" else session_for(kind)
            with _client(etax_app) as client:
                client.get("/search")
                token = str(client.cookies.get("etax_csrf", ""))
                for method, url, code in routes:
                    spec = registry.get(code)
                    assert spec is not None
                    client.set_session_data(session)
                    if method == "GET":
                        response = client.get(url, follow_redirects=False)
                    else:
                        response = client.request(
                            method, url, data={}, headers={"x-csrftoken": token}, follow_redirects=False
                        )
                    got = _actual(response.status_code, response.headers.get("location", ""))
                    want = _expected(kind, spec, frozenset())
                    if got != want:
                        problems.append(f"{kind}: {method} {url} ({code}) expected {want}, got {got}")
        return problems

    return check


@pytest.fixture()
def etax_search(etax_app: Litestar) -> Callable[..., list[str]]:
    """``etax_search(query, client=None)``: the codes of the results, best first."""

    def search(query: str, client: TestClient[Litestar] | None = None) -> list[str]:
        if client is None:
            with _client(etax_app) as anonymous:
                response = anonymous.get("/api/search", params={"q": query})
        else:
            response = client.get("/api/search", params={"q": query})
        assert response.status_code == 200, response.text[:500]
        return [str(result["code"]) for result in response.json()["results"]]

    return search
