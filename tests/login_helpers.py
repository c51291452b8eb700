"""Helpers for the login tests: CSRF-aware posting, reading SMS codes from the dev outbox, walking the
login paths, and factories that insert fresh taxpayers, people and accounts (so tests that change state
never touch the shared demo world).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import re
import secrets
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.audit.tables import AuditLog
from etax.platform.auth.passwords import hash_password
from etax.platform.auth.tables import (
    AgencyCertification,
    EnterpriseAccount,
    NaturalPersonAccount,
    SmsCode,
    StaffMember,
)
from etax.platform.coresys.tables import Person, Taxpayer, TaxpayerStaff
from etax.platform.demo import PERSONS, TAXPAYERS, resident_id, uscc

T = TypeVar("T")
Client = TestClient[Litestar]
CAPTCHA = "TEST"

# The demo world (docs/demo-accounts.md).
HEXIN_TIN = str(TAXPAYERS[0]["tin"])
XINGNONG_TIN = str(TAXPAYERS[1]["tin"])
CHENGUANG_TIN = str(TAXPAYERS[2]["tin"])
ZHENGHENG_TIN = str(TAXPAYERS[3]["tin"])
HAICHEN_TIN = str(TAXPAYERS[4]["tin"])
HEXIN_PASSWORD = "Hexin@2026"
XINGNONG_PASSWORD = "Xingnong@2026"
CHENGUANG_PASSWORD = "Chenguang@2026"
ZHENGHENG_PASSWORD = "Zhengheng@2026"
HAICHEN_PASSWORD = "Haichen@2026"


def run(awaitable: Awaitable[T]) -> T:
    """Run a database query or coroutine from a (synchronous) test."""

    async def _wait() -> T:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_wait())
    # Playwright's sync API keeps a loop running in this thread: run the query on another one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _wait()).result()


def token(client: Client) -> str:
    """The CSRF token (the cookie the first page view sets)."""
    if "etax_csrf" not in client.cookies:
        client.get("/login")
    return str(client.cookies["etax_csrf"])


def post(client: Client, url: str, data: dict[str, str] | None = None) -> httpx.Response:
    """POST a form with the CSRF token, without following redirects."""
    return client.post(url, data={**(data or {}), "_csrf_token": token(client)}, follow_redirects=False)


def location(response: httpx.Response) -> str:
    assert response.status_code in (302, 303), (response.status_code, response.text[:2000])
    return str(response.headers["location"])


def sms_code(client: Client, mobile: str) -> str:
    """The newest code sent to ``mobile``, read from the dev outbox as JSON."""
    for message in client.get("/dev/sms.json").json():
        if message["mobile"] == mobile:
            return str(message["code"])
    raise AssertionError(f"no SMS to {mobile} in the outbox")


async def _age_codes(mobile: str) -> None:
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)
    await SmsCode.update({SmsCode.sent_at: earlier}).where(SmsCode.mobile == mobile)


def allow_resend(mobile: str) -> None:
    """Move earlier codes' sending time back past the 60-second resend wait (their expiry stays)."""
    run(_age_codes(mobile))


def expire_codes(mobile: str) -> None:
    """Let every code sent to ``mobile`` expire (what 5 minutes would do)."""
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    run(SmsCode.update({SmsCode.expires_at: past}).where(SmsCode.mobile == mobile))


def is_logged_in(client: Client) -> bool:
    return 'data-testid="identity"' in client.get("/").text


def identity_text(client: Client) -> str:
    """The header's 'who is logged in (acting for whom)' text on the home page."""
    match = re.search(r'data-testid="identity"[^>]*>([^<]*)<', client.get("/").text)
    assert match is not None, "not logged in"
    return " ".join(match.group(1).split())


def audit_rows(action_prefix: str, taxpayer_id: int | None = None) -> list[dict[str, Any]]:
    query = AuditLog.select().where(AuditLog.action.like(f"{action_prefix}%"))
    if taxpayer_id is not None:
        query = query.where(AuditLog.taxpayer_id == taxpayer_id)
    rows: list[dict[str, Any]] = run(query.order_by(AuditLog.id))
    return rows


# ---- walking the login paths --------------------------------------------------------------------


def enterprise_step(client: Client, tin: str, password: str, *, next_url: str = "/") -> httpx.Response:
    """普通登录 step 1."""
    data = {"tin": tin, "password": password, "captcha": CAPTCHA, "agree": "on", "next": next_url}
    return post(client, "/login/enterprise", data)


def agency_step(client: Client, tin: str, password: str) -> httpx.Response:
    data = {"tin": tin, "password": password, "captcha": CAPTCHA, "agree": "on"}
    return post(client, "/login/agency", data)


def choose(client: Client, staff_id: int, method: str, kind: str = "enterprise") -> httpx.Response:
    return post(client, f"/login/{kind}/staff", {"staff": str(staff_id), "method": method})


def sms_login(
    client: Client, mobile: str, staff_id: int, *, kind: str = "enterprise", tin: str = "", password: str = ""
) -> httpx.Response:
    """Choose ``staff_id``, get a code for ``mobile`` and log in with it (after step 1 if ``tin``)."""
    if tin:
        assert location(
            enterprise_step(client, tin, password)
            if kind == "enterprise"
            else agency_step(client, tin, password)
        ).endswith("/staff")
    assert location(choose(client, staff_id, "sms", kind)) == f"/login/{kind}/sms"
    allow_resend(mobile)
    sent = post(client, f"/login/{kind}/sms/send")
    assert sent.status_code == 200, sent.text
    return post(client, f"/login/{kind}/sms", {"sms_code": sms_code(client, mobile)})


def password_login(
    client: Client, tin: str, password: str, staff_id: int, personal: str, *, kind: str = "enterprise"
) -> httpx.Response:
    step = (
        enterprise_step(client, tin, password) if kind == "enterprise" else agency_step(client, tin, password)
    )
    assert location(step) == f"/login/{kind}/staff"
    assert location(choose(client, staff_id, "password", kind)) == f"/login/{kind}/password"
    return post(client, f"/login/{kind}/password", {"password": personal})


def set_password(client: Client, new: str) -> httpx.Response:
    return post(client, "/login/set-password", {"password": new, "confirm": new, "captcha": CAPTCHA})


def natural_login(client: Client, account: str, password: str) -> httpx.Response:
    data = {"account": account, "password": password, "captcha": CAPTCHA, "agree": "on"}
    return post(client, "/login/natural", data)


# ---- factories ----------------------------------------------------------------------------------

_counter = itertools.count(1)
_hashes: dict[str, str] = {}


async def _hash(password: str) -> str:
    """One argon2id hash per password for the whole run (salted once; still a real hash)."""
    if password not in _hashes:
        _hashes[password] = await hash_password(password)
    return _hashes[password]


_run = secrets.randbelow(10_000)


def _unique_tin() -> str:
    """A valid 统一社会信用代码 no other test helper hands out (区划 210103)."""
    return uscc(f"91210103{_run:04d}{next(_counter):05d}")


def _unique_id_number() -> str:
    """A valid 居民身份证号码 no other test helper hands out (区划 210104, one birth date each)."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=next(_counter))
    return resident_id(f"210104{birth:%Y%m%d}{_run % 1000:03d}")


def unique_mobile() -> str:
    return f"136{_run:04d}{next(_counter):04d}"


@dataclass
class PersonSpec:
    """A person to create with a fresh enterprise."""

    name: str
    role: str | None = "tax_officer"  # their role on the tax registration; None = not on it
    real_name: bool = True
    mobile: str = "auto"  # "auto" = a fresh unique mobile; "" = none
    fixed_phone: str = ""
    registered_mobile: str = "same"  # the registration's number: "same" as the person's, or a value
    staff: bool = True  # a StaffMember row exists (already maintained through a normal login)
    staff_role: str = ""  # defaults to ``role``
    personal_password: str = ""
    frozen: bool = False
    bound: bool = False
    must_change: bool = False
    natural_password: str = ""  # also create a natural-person account with this password


@dataclass
class MadePerson:
    id: int
    name: str
    id_number: str
    mobile: str
    staff_id: int | None
    username: str = ""


@dataclass
class MadeEnterprise:
    id: int
    tin: str
    name: str
    password: str
    people: dict[str, MadePerson] = field(default_factory=dict)

    def staff_id(self, name: str) -> int:
        staff_id = self.people[name].staff_id
        assert staff_id is not None
        return staff_id


async def _make_enterprise(
    people: list[PersonSpec],
    password: str,
    pure_social_security: bool,
    is_agency: bool,
    registered_taxes: str,
    account: bool,
) -> MadeEnterprise:
    number = next(_counter)
    tin = _unique_tin()
    name = f"测试企业{number}号有限公司{secrets.token_hex(2)}"
    taxpayer = Taxpayer(
        tin=tin,
        name=name,
        tax_office="国家税务总局沈阳市和平区税务局",
        pure_social_security=pure_social_security,
        is_agency=is_agency,
        registered_taxes=registered_taxes,
        registered_on=dt.date(2020, 1, 1),
    )
    await taxpayer.save()
    made = MadeEnterprise(id=int(taxpayer.id), tin=tin, name=name, password=password)
    if account:
        await EnterpriseAccount(taxpayer=taxpayer.id, password_hash=await _hash(password)).save()
    for spec in people:
        mobile = unique_mobile() if spec.mobile == "auto" else spec.mobile
        person = Person(
            name=spec.name,
            id_number=_unique_id_number(),
            mobile=mobile,
            fixed_phone=spec.fixed_phone,
            real_name_collected=spec.real_name,
        )
        await person.save()
        if spec.role is not None:
            await TaxpayerStaff(
                key=f"{tin}:{person.id}:{spec.role}",
                taxpayer=taxpayer.id,
                person=person.id,
                role=spec.role,
                registered_mobile=mobile if spec.registered_mobile == "same" else spec.registered_mobile,
                registered_fixed_phone=spec.fixed_phone,
            ).save()
        staff_id: int | None = None
        if spec.staff:
            member = StaffMember(
                key=f"{taxpayer.id}:{person.id}",
                taxpayer=taxpayer.id,
                person=person.id,
                role=spec.staff_role or spec.role or "tax_officer",
                personal_password_hash=await _hash(spec.personal_password) if spec.personal_password else "",
                frozen=spec.frozen,
                bound=spec.bound,
                must_change_password=spec.must_change,
            )
            await member.save()
            staff_id = int(member.id)
        username = ""
        if spec.natural_password:
            username = f"user{number}x{person.id}"
            await NaturalPersonAccount(
                person=person.id, username=username, password_hash=await _hash(spec.natural_password)
            ).save()
        made.people[spec.name] = MadePerson(
            id=int(person.id),
            name=spec.name,
            id_number=str(person.id_number),
            mobile=mobile,
            staff_id=staff_id,
            username=username,
        )
    return made


def make_enterprise(
    *people: PersonSpec,
    password: str = "Qiye@2026",
    pure_social_security: bool = False,
    is_agency: bool = False,
    registered_taxes: str = "增值税,企业所得税",
    account: bool = True,
) -> MadeEnterprise:
    """A fresh taxpayer (unique valid TIN) with an enterprise account and the given people."""
    return run(
        _make_enterprise(list(people), password, pure_social_security, is_agency, registered_taxes, account)
    )


async def _make_person(name: str, real_name: bool, mobile: str, natural_password: str) -> MadePerson:
    person = Person(name=name, id_number=_unique_id_number(), mobile=mobile, real_name_collected=real_name)
    await person.save()
    username = ""
    if natural_password:
        username = f"np{next(_counter)}x{person.id}"
        await NaturalPersonAccount(
            person=person.id, username=username, password_hash=await _hash(natural_password)
        ).save()
    return MadePerson(
        id=int(person.id),
        name=name,
        id_number=str(person.id_number),
        mobile=mobile,
        staff_id=None,
        username=username,
    )


def make_person(
    name: str, *, real_name: bool = True, mobile: str = "auto", natural_password: str = ""
) -> MadePerson:
    """A fresh natural person (optionally with a natural-person account)."""
    return run(
        _make_person(name, real_name, unique_mobile() if mobile == "auto" else mobile, natural_password)
    )


async def _certify(
    client_id: int, agency_id: int, password: str, nodes: str, valid_until: dt.date, status: str
) -> int:
    cert = AgencyCertification(
        key=f"{client_id}:{agency_id}",
        client=client_id,
        agency=agency_id,
        agreement_password_hash=await _hash(password),
        nodes=nodes,
        valid_until=valid_until,
        status=status,
    )
    await cert.save()
    return int(cert.id)


def certify(
    client_id: int,
    agency_id: int,
    password: str = "Xieyi#2026",
    *,
    nodes: str = "我要办税",
    valid_until: dt.date | None = None,
    status: str = "active",
) -> int:
    """An AgencyCertification of ``agency_id`` by ``client_id``."""
    until = valid_until or dt.date.today() + dt.timedelta(days=365)
    return run(_certify(client_id, agency_id, password, nodes, until, status))


def staff_row(staff_id: int) -> dict[str, Any]:
    row: dict[str, Any] | None = run(StaffMember.select().where(StaffMember.id == staff_id).first())
    assert row is not None
    return row


def demo_person_id(name: str) -> int:
    row = run(Person.select(Person.id).where(Person.id_number == PERSONS[name]["id_number"]).first())
    assert row is not None
    return int(row["id"])


def demo_taxpayer_id(tin: str) -> int:
    row = run(Taxpayer.select(Taxpayer.id).where(Taxpayer.tin == tin).first())
    assert row is not None
    return int(row["id"])


def demo_staff_id(tin: str, name: str) -> int:
    key = f"{demo_taxpayer_id(tin)}:{demo_person_id(name)}"
    row = run(StaffMember.select(StaffMember.id).where(StaffMember.key == key).first())
    assert row is not None, f"no StaffMember for {name}"
    return int(row["id"])
