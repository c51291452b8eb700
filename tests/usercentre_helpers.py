"""Helpers for the user-centre tests: fresh enterprises written straight into the database, and real
server-side sessions set through Litestar's ``TestClient.set_session_data`` (which writes through the
application's own session store), so the tests need none of the login pages.

This module is also a tiny etax plugin, registered in code by :func:`usercentre_app`: two functions
granted through identities (甲类测试查询 under 我要查询, 乙类测试办理 under 我要办税), so that the tests can
prove an officer holds exactly the union of their identities' functions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import random
import sys
from collections.abc import Coroutine
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

import msgspec
from httpx import Response
from litestar import Litestar, get
from litestar.testing import TestClient
from litestar.types import ControllerRouterHandler

from etax.platform import FunctionSpec, hookimpl
from etax.platform.app import IDLE_TIMEOUT_SECONDS, create_app
from etax.platform.audit.tables import AuditLog
from etax.platform.auth.passwords import hash_password
from etax.platform.auth.principal import SessionAuth
from etax.platform.auth.sessions import SESSION_COOKIE, RotatingSessionConfig
from etax.platform.auth.tables import (
    AgencyCertification,
    EnterpriseAccount,
    NaturalPersonAccount,
    PermissionIdentity,
    StaffIdentity,
    StaffMember,
)
from etax.platform.coresys.tables import Person, Taxpayer, TaxpayerStaff
from etax.platform.demo import resident_id, uscc
from etax.platform.settings import Settings

T = TypeVar("T")

PERSONAL_PASSWORD = "Geren#2026"
ENTERPRISE_PASSWORD = "Qiye#2026a"
NATURAL_PASSWORD = "Ziran#2026"
CAPTCHA = "TEST"

ALPHA = FunctionSpec(
    code="uctest.alpha",
    name="甲类测试查询",
    path=("我要查询", "人员维护测试", "甲类测试查询"),
    url="/uctest/alpha",
    keywords=("甲类测试",),
)
BETA = FunctionSpec(
    code="uctest.beta",
    name="乙类测试办理",
    path=("我要办税", "人员维护测试", "乙类测试办理"),
    url="/uctest/beta",
    keywords=("乙类测试",),
)
ALPHA_BRANCH = "我要查询/人员维护测试"


@get(ALPHA.url, opt={"function": ALPHA.code})
async def alpha_page() -> str:
    return "甲类测试查询页面"


@get(BETA.url, opt={"function": BETA.code})
async def beta_page() -> str:
    return "乙类测试办理页面"


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [ALPHA, BETA]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [alpha_page, beta_page]


@cache
def usercentre_app(settings: Settings) -> Litestar:
    """The application with this module registered as an extra plugin (one per test run)."""
    return create_app(settings, extra_plugins=[sys.modules[__name__]])


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run database work from a synchronous test."""
    return asyncio.run(coroutine)


# -- people and enterprises --------------------------------------------------------------------

_serial = itertools.count(1)
_run_prefix = random.SystemRandom().randrange(10**4)
_used_ids: set[str] = set()
_hashes: dict[str, str] = {}


async def hashed(password: str) -> str:
    """An argon2id hash of ``password`` (computed once per password per run: hashing is slow)."""
    if password not in _hashes:
        _hashes[password] = await hash_password(password)
    return _hashes[password]


def new_tin() -> str:
    """A valid, unused 统一社会信用代码."""
    return uscc(f"91210102{_run_prefix:04d}{next(_serial):05d}")


def new_id_number() -> str:
    """A valid, unused 居民身份证号码."""
    rng = random.SystemRandom()
    while True:
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365))
        number = resident_id(f"210102{birth:%Y%m%d}{rng.randrange(1000):03d}")
        if number not in _used_ids:
            _used_ids.add(number)
            return number


@dataclass
class Member:
    """A person on a registration, and their StaffMember row when they are maintained."""

    person_id: int
    name: str
    id_number: str
    role: str
    mobile: str
    staff_id: int | None = None

    @property
    def staff(self) -> int:
        assert self.staff_id is not None
        return self.staff_id


@dataclass
class Enterprise:
    """A fresh taxpayer with its legal representative, financial head and enterprise account."""

    taxpayer_id: int
    tin: str
    name: str
    legal_rep: Member
    finance_head: Member
    others: list[Member] = field(default_factory=list)


async def add_person(
    taxpayer_id: int,
    name: str,
    role: str = "tax_officer",
    *,
    real_name: bool = True,
    staff: bool = False,
    registered: bool = True,
    natural_account: bool = False,
    mobile: str = "",
) -> Member:
    """A person, linked to the registration (``registered``) and maintained as staff (``staff``)."""
    number = new_id_number()
    mobile = mobile or f"139{random.SystemRandom().randrange(10**8):08d}"
    person = Person(
        name=name, id_number=number, mobile=mobile if real_name else "", real_name_collected=real_name
    )
    await person.save()
    member = Member(person_id=int(person.id), name=name, id_number=number, role=role, mobile=mobile)
    if registered:
        tin = (await Taxpayer.select(Taxpayer.tin).where(Taxpayer.id == taxpayer_id).first() or {})["tin"]
        await TaxpayerStaff(
            key=f"{tin}:{person.id}:{role}",
            taxpayer=taxpayer_id,
            person=person.id,
            role=role,
            registered_mobile=mobile,
        ).save()
    if staff:
        row = StaffMember(
            key=f"{taxpayer_id}:{person.id}",
            taxpayer=taxpayer_id,
            person=person.id,
            role=role,
            personal_password_hash=await hashed(PERSONAL_PASSWORD),
        )
        await row.save()
        member.staff_id = int(row.id)
    if natural_account:
        await NaturalPersonAccount(
            person=person.id,
            username=f"np{person.id}x{_run_prefix}",
            password_hash=await hashed(NATURAL_PASSWORD),
        ).save()
    return member


async def create_enterprise(name: str = "测试科技有限公司", *, is_agency: bool = False) -> Enterprise:
    """A new taxpayer in a city district, with maintained legal representative and financial head."""
    tin = new_tin()
    taxpayer = Taxpayer(
        tin=tin,
        name=f"{name}{tin[-6:]}",
        taxpayer_type="一般纳税人",
        status="正常",
        location_class="市区",
        tax_office="国家税务总局沈阳市和平区税务局",
        is_agency=is_agency,
        registered_taxes="增值税,城市维护建设税,企业所得税",
        registered_on=dt.date(2020, 1, 1),
        address="辽宁省沈阳市和平区测试路1号",
    )
    await taxpayer.save()
    taxpayer_id = int(taxpayer.id)
    await EnterpriseAccount(taxpayer=taxpayer_id, password_hash=await hashed(ENTERPRISE_PASSWORD)).save()
    legal_rep = await add_person(taxpayer_id, "钱法人", "legal_rep", staff=True)
    finance_head = await add_person(taxpayer_id, "孙财务", "finance_head", staff=True)
    return Enterprise(
        taxpayer_id=taxpayer_id,
        tin=tin,
        name=str(taxpayer.name),
        legal_rep=legal_rep,
        finance_head=finance_head,
    )


async def add_identity(enterprise: Enterprise, name: str, nodes: list[str]) -> int:
    identity = PermissionIdentity(
        key=f"{enterprise.taxpayer_id}:{name}",
        taxpayer=enterprise.taxpayer_id,
        name=name,
        nodes="\n".join(nodes),
    )
    await identity.save()
    return int(identity.id)


async def grant(member: Member, identity_id: int) -> None:
    await StaffIdentity(key=f"{member.staff}:{identity_id}", staff=member.staff, identity=identity_id).save()


async def certify(
    client: Enterprise, agency: Enterprise, nodes: list[str], *, valid_until: dt.date, status: str = "active"
) -> int:
    row = AgencyCertification(
        key=f"{client.taxpayer_id}:{agency.taxpayer_id}",
        client=client.taxpayer_id,
        agency=agency.taxpayer_id,
        agreement_password_hash=await hashed("Xieyi#2026"),
        nodes="\n".join(nodes),
        valid_until=valid_until,
        status=status,
    )
    await row.save()
    return int(row.id)


async def staff_row(staff_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = await StaffMember.select().where(StaffMember.id == staff_id).first()
    return row


async def audit_actions(taxpayer_id: int) -> list[tuple[str, str]]:
    """``(action, outcome)`` of every audit entry about this enterprise, oldest first."""
    rows = (
        await AuditLog.select(AuditLog.action, AuditLog.outcome)
        .where(AuditLog.taxpayer_id == taxpayer_id)
        .order_by(AuditLog.id)
    )
    return [(str(r["action"]), str(r["outcome"])) for r in rows]


# -- sessions and requests -----------------------------------------------------------------------


def session_config() -> RotatingSessionConfig:
    """The application's session configuration (same cookie and store)."""
    return RotatingSessionConfig(
        key=SESSION_COOKIE, max_age=IDLE_TIMEOUT_SECONDS, renew_on_access=True, httponly=True, samesite="lax"
    )


def new_client(app: Litestar) -> TestClient[Litestar]:
    """A browser-like client that can be given a server-side session."""
    return TestClient(app=app, session_config=session_config())


def login(client: TestClient[Litestar], auth: SessionAuth) -> None:
    """Store ``auth`` in a real server-side session, as the login flows do after a successful login."""
    client.set_session_data({"auth": msgspec.to_builtins(auth)})


def login_staff(client: TestClient[Litestar], enterprise: Enterprise, member: Member) -> None:
    login(client, SessionAuth(kind="enterprise", taxpayer_id=enterprise.taxpayer_id, staff_id=member.staff))


def csrf_headers(client: TestClient[Litestar]) -> dict[str, str]:
    """The CSRF header for a state change (the cookie comes with the first page)."""
    if "etax_csrf" not in client.cookies:
        client.get("/")
    return {"x-csrftoken": client.cookies["etax_csrf"]}


def post(
    client: TestClient[Litestar], url: str, data: dict[str, Any] | None = None, *, htmx: bool = False
) -> Response:
    headers = csrf_headers(client)
    if htmx:
        headers["hx-request"] = "true"
    return client.post(url, data=data or {}, headers=headers, follow_redirects=False)


def fetch(client: TestClient[Litestar], url: str, *, htmx: bool = False) -> Response:
    return client.get(url, headers={"hx-request": "true"} if htmx else {}, follow_redirects=False)
