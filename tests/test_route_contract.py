"""The route contract: every route of the application, walked as every kind of visitor.

Each route declares exactly one of ``function``, ``admin_role`` or ``public`` (the application refuses
to start otherwise). From those declarations alone — a function's audiences and grant, an admin
role — this test derives what each visitor must get, and fails on any difference:

- anonymous visitors: a function route sends them to ``/login?next=…`` (302), a back-office route to
  ``/admin/login?next=…``; a public function opens (200);
- a visitor of each audience (enterprise manager, natural person, agency without a client), an
  officer holding no function, an agency acting for a client that certified it (for the 我要查询
  functions), and an agency whose certification was cancelled: 200 where the function is theirs, 403
  where it is not;
- each administrator role: 200 where the role allows, 403 elsewhere; to the portal they are anonymous.

Routes with path parameters get an id that does not exist: the guard decides before the handler
looks anything up, so an allowed visitor gets 404 (never 403 or a login redirect) and a refused one
is refused all the same. Public routes (login, search, portal shell, static) are never refused by
the guard: they answer below 500 and never 403 to anyone. POSTs carry a valid CSRF token and an
empty form: a refused visitor is refused, an allowed one gets an answer below 500 (a form error).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from etax.platform.access import DECLARATION_OPTS
from etax.platform.admin.guard import SESSION_ADMIN
from etax.platform.auth.principal import SESSION_AUTH, SessionAuth
from etax.platform.functions import Audience, FunctionSpec
from etax.platform.runtime import get_runtime
from tests.conftest import new_client
from tests.factories import create_enterprise, create_natural_person
from tests.login_helpers import PersonSpec, certify, make_enterprise
from tests.test_admin_support import make_admin

PARAMETER = re.compile(r"\{(\w+):(\w+)\}")
MISSING = {"int": "999999999", "str": "no-such-thing", "path": "no/such/thing"}
ADMIN_ROLES = ("system", "reviewer", "content", "consultant", "hall", "rights")

ALLOW, LOGIN, ADMIN_LOGIN, FORBIDDEN, OPEN = "200", "302 /login", "302 /admin/login", "403", "public"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    kind: str  # function | admin_role | public
    value: str

    @property
    def has_parameters(self) -> bool:
        return bool(PARAMETER.search(self.path))

    def url(self) -> str:
        return PARAMETER.sub(lambda m: MISSING[m.group(2)], self.path)


@dataclass
class Subject:
    """A kind of visitor: what they are, as the declarations speak of them."""

    name: str
    session: dict[str, Any]
    audience: Audience | None = None  # None: not logged in to the portal
    manager: bool = False
    functions: frozenset[str] | None = None  # None: every function of the audience
    admin_role: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def routes(app: Litestar) -> list[Route]:
    found: list[Route] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.handler_name == "options_handler":
                continue
            declared = [key for key in DECLARATION_OPTS if handler.opt.get(key) not in (None, False, "")]
            assert len(declared) == 1, f"{route.path} ({handler.handler_name}) declares {declared}"
            kind = declared[0]
            value = "" if kind == "public" else str(handler.opt[kind])
            found.extend(
                Route(method, route.path, kind, value)
                for method in sorted(handler.http_methods)
                if method != "HEAD"
            )
    return found


def expected(subject: Subject, route: Route, specs: dict[str, FunctionSpec]) -> str:
    """What ``subject`` must get at ``route``, from the declarations alone."""
    if route.kind == "public":
        return OPEN
    if route.kind == "admin_role":
        if subject.admin_role is None:
            return ADMIN_LOGIN
        allowed = route.value == "any" or subject.admin_role in ("system", route.value)
        return ALLOW if allowed else FORBIDDEN
    spec = specs[route.value]
    if Audience.PUBLIC in spec.audiences:
        return ALLOW
    if subject.audience is None:
        return LOGIN
    if subject.audience not in spec.audiences:
        return FORBIDDEN
    if spec.grant == "managers":
        return ALLOW if subject.manager else FORBIDDEN
    if spec.grant == "everyone" or subject.functions is None:
        return ALLOW
    return ALLOW if spec.code in subject.functions else FORBIDDEN


def actual(response: httpx.Response) -> str:
    if response.status_code in (302, 303):
        location = response.headers["location"]
        if location.startswith("/admin/login?next="):
            return ADMIN_LOGIN
        if location.startswith("/login?next="):
            return LOGIN
    if response.status_code == 403:
        return FORBIDDEN
    return str(response.status_code)


@pytest.fixture(scope="module")
def subjects(app: Litestar) -> list[Subject]:
    registry = get_runtime(app).registry
    enterprise = create_enterprise(officers=1)
    agency = make_enterprise(
        PersonSpec("代理经办人", role="legal_rep", personal_password="Geren@2026"), is_agency=True
    )
    client = make_enterprise(PersonSpec("委托法人", role="legal_rep"))
    former = make_enterprise(PersonSpec("解除委托法人", role="legal_rep"))
    queries = sorted(spec.code for spec in registry if spec.path[0] == "我要查询")
    assert queries, "no 我要查询 function to certify"
    certified = certify(client.id, agency.id, nodes="\n".join(queries))
    cancelled = certify(former.id, agency.id, nodes="\n".join(queries), status="cancelled")
    agent = agency.staff_id("代理经办人")

    def auth(value: SessionAuth) -> dict[str, Any]:
        return {SESSION_AUTH: msgspec.to_builtins(value)}

    def staff(role: str) -> dict[str, Any]:
        return auth(
            SessionAuth(
                kind="enterprise", taxpayer_id=enterprise.taxpayer_id, staff_id=enterprise.staff[role]
            )
        )

    def acting(client_id: int, certification: int) -> dict[str, Any]:
        return auth(
            SessionAuth(
                kind="agency",
                taxpayer_id=agency.id,
                staff_id=agent,
                client_taxpayer_id=client_id,
                certification_id=certification,
            )
        )

    found = [
        Subject("anonymous", {}),
        Subject("enterprise legal representative", staff("legal_rep"), Audience.ENTERPRISE, manager=True),
        Subject("enterprise financial head", staff("finance_head"), Audience.ENTERPRISE, manager=True),
        Subject(
            "officer without the grant", staff("tax_officer0"), Audience.ENTERPRISE, functions=frozenset()
        ),
        Subject(
            "natural person",
            auth(SessionAuth(kind="natural_person", account_id=create_natural_person())),
            Audience.NATURAL_PERSON,
        ),
        Subject(
            "agency without a client",
            auth(SessionAuth(kind="agency", taxpayer_id=agency.id, staff_id=agent)),
            Audience.AGENCY,
            functions=frozenset(),
        ),
        Subject(
            "agency for a certified client",
            acting(client.id, certified),
            Audience.ENTERPRISE,
            functions=frozenset(queries),
        ),
        Subject(
            "agency for a cancelled client",
            acting(former.id, cancelled),
            Audience.AGENCY,
            functions=frozenset(),
        ),
    ]
    found += [
        Subject(f"administrator {role}", {SESSION_ADMIN: {"admin_id": make_admin(role).id}}, admin_role=role)
        for role in ADMIN_ROLES
    ]
    return found


@pytest.fixture()
def browser(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with new_client(app) as client:
        yield client


def csrf(client: TestClient[Litestar]) -> str:
    client.get("/search")
    return str(client.cookies.get("etax_csrf", ""))


def call(client: TestClient[Litestar], subject: Subject, route: Route, token: str) -> httpx.Response:
    client.set_session_data(subject.session)  # fresh every time: a POST to /logout ends nothing else
    if route.method == "GET":
        return client.get(route.url(), follow_redirects=False)
    return client.request(
        route.method, route.url(), data={}, headers={"x-csrftoken": token}, follow_redirects=False
    )


def test_every_route_declares_exactly_one_rule_and_every_kind_is_present(app: Litestar) -> None:
    kinds = {route.kind for route in routes(app)}
    assert kinds == {"function", "admin_role", "public"}


def test_every_visitor_gets_what_the_declarations_say(
    app: Litestar, browser: TestClient[Litestar], subjects: list[Subject]
) -> None:
    specs = {spec.code: spec for spec in get_runtime(app).registry}
    token = csrf(browser)
    differences: list[str] = []
    seen: set[str] = set()
    all_routes = routes(app)
    # Public POSTs (login steps, logout) belong to the login tests; their GETs are walked here.
    walked = [r for r in all_routes if not (r.kind == "public" and r.method != "GET")]
    walked.sort(key=lambda r: r.method != "GET")  # state-changing requests last
    for subject in subjects:
        for route in walked:
            want = expected(subject, route, specs)
            seen.add(want)
            response = call(browser, subject, route, token)
            got = actual(response)
            if want == OPEN:
                ok = got not in (FORBIDDEN, LOGIN, ADMIN_LOGIN) and response.status_code < 500
            elif want == ALLOW and (route.method != "GET" or route.has_parameters):
                ok = got not in (FORBIDDEN, LOGIN, ADMIN_LOGIN) and response.status_code < 500
            else:
                ok = got == want
            if not ok:
                differences.append(f"{subject.name}: {route.method} {route.path} → {got}, expected {want}")
    assert not differences, "\n".join(differences)
    assert seen == {ALLOW, LOGIN, ADMIN_LOGIN, FORBIDDEN, OPEN}  # every outcome was put to the test


def test_no_plugin_refuses_a_visitor_itself() -> None:
    """Refusals (401/403) come from the platform's decision, never from a plugin's handler."""
    import ast
    from pathlib import Path

    import etax.plugins

    refusing = {"NotAuthorizedException", "PermissionDeniedException"}
    found: list[str] = []
    for path in Path(etax.plugins.__path__[0]).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = (
                node.id
                if isinstance(node, ast.Name)
                else node.attr
                if isinstance(node, ast.Attribute)
                else ""
            )
            if name in refusing or (isinstance(node, ast.Constant) and node.value in (401, 403)):
                found.append(f"{path.name}:{node.lineno}")  # type: ignore[attr-defined]
    assert not found, found
