"""The one credential check under attack: simultaneous requests, several instances, old-password
guesses, account enumeration.

The parallel tests fire real simultaneous HTTP requests at real uvicorn processes sharing the test
database (``tests/instances.py``), alternating between two instances.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from etax.platform.admin.login import UNIFORM
from etax.platform.admin.tables import AdminUser
from etax.platform.audit.tables import AuditLog
from etax.platform.auth.credentials import BACK_OFFICE_IP_LIMIT, IP_LIMIT, reset_counters
from etax.platform.auth.login.natural import NATURAL_WRONG
from etax.platform.auth.tables import EnterpriseAccount, NaturalPersonAccount, SmsCode, StaffMember
from etax.platform.settings import load_settings
from tests.instances import portal_instances
from tests.login_helpers import (
    CAPTCHA,
    Client,
    PersonSpec,
    enterprise_step,
    is_logged_in,
    location,
    make_enterprise,
    make_person,
    natural_login,
    password_login,
    post,
    run,
)
from tests.test_admin_support import ADMIN_PASSWORD, make_admin

SIMULTANEOUS = 50


def reset() -> None:
    run(reset_counters(load_settings()))


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    reset()
    yield
    reset()


@pytest.fixture(scope="module")
def instances(database: str) -> Iterator[list[str]]:
    """Two portal instances on the one test database."""
    with portal_instances(2) as bases:
        yield bases


# ---- driving the instances ------------------------------------------------------------------------


class Browser:
    """One visitor (one cookie jar) talking to several instances of the portal."""

    def __init__(self, client: httpx.AsyncClient, bases: list[str]) -> None:
        self.client = client
        self.bases = bases

    async def prime(self) -> None:
        await self.client.get(f"{self.bases[0]}/login")

    async def post(self, path: str, data: dict[str, str], instance: int = 0) -> httpx.Response:
        token = self.client.cookies.get("etax_csrf") or ""
        return await self.client.post(
            f"{self.bases[instance % len(self.bases)]}{path}", data={**data, "_csrf_token": token}
        )

    async def at_once(self, path: str, forms: list[dict[str, str]]) -> list[httpx.Response]:
        """All ``forms`` posted simultaneously, alternating between the instances."""
        return list(await asyncio.gather(*(self.post(path, form, i) for i, form in enumerate(forms))))


def browse(bases: list[str], scenario: Any) -> Any:
    async def main() -> Any:
        async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=200)) as client:
            browser = Browser(client, bases)
            await browser.prime()
            return await scenario(browser)

    return asyncio.run(main())


def checks_made(target: str, actions: tuple[str, ...]) -> int:
    """Password checks the audit log shows for ``target``: wrong ones and the one that locked."""
    rows = run(AuditLog.select(AuditLog.action, AuditLog.outcome).where(AuditLog.target == target))
    return sum(
        1
        for row in rows
        if row["action"] in actions and (row["outcome"] == "failure" or row["action"] == actions[-1])
    )


# ---- item 1: simultaneous wrong passwords --------------------------------------------------------


@dataclass
class Target:
    """An account to attack: where its login form posts, and how to read its lock."""

    path: str
    wrong: dict[str, str]
    right: dict[str, str]
    table: Any
    row_id: int
    audit_target: str
    actions: tuple[str, str]  # (the login's audit action, the lock's audit action)
    refusal: str


def natural_target() -> Target:
    person = make_person("并发自然人", natural_password="Ziran@2026")
    row = run(NaturalPersonAccount.select().where(NaturalPersonAccount.username == person.username).first())
    assert row is not None
    form = {"account": person.username, "captcha": CAPTCHA, "agree": "on"}
    return Target(
        path="/login/natural",
        wrong={**form, "password": "Wrong#2026"},
        right={**form, "password": "Ziran@2026"},
        table=NaturalPersonAccount,
        row_id=int(row["id"]),
        audit_target=f"account:{row['id']}",
        actions=("login.natural_person", "account.locked"),
        refusal=NATURAL_WRONG,
    )


def enterprise_target() -> Target:
    firm = make_enterprise(PersonSpec("并发法人", role="legal_rep", personal_password="Geren@2026"))
    row = run(EnterpriseAccount.select().where(EnterpriseAccount.taxpayer == firm.id).first())
    assert row is not None
    form = {"tin": firm.tin, "captcha": CAPTCHA, "agree": "on"}
    return Target(
        path="/login/enterprise",
        wrong={**form, "password": "Wrong#2026"},
        right={**form, "password": firm.password},
        table=EnterpriseAccount,
        row_id=int(row["id"]),
        audit_target=f"enterprise_account:{row['id']}",
        actions=("login.enterprise.password", "account.locked"),
        refusal="已被锁定30分钟",
    )


def admin_target() -> Target:
    admin = make_admin("system")
    form = {"username": admin.username, "captcha": CAPTCHA, "next": "/admin"}
    return Target(
        path="/admin/login",
        wrong={**form, "password": "Wrong#2026"},
        right={**form, "password": ADMIN_PASSWORD},
        table=AdminUser,
        row_id=admin.id,
        audit_target=f"admin:{admin.id}",
        actions=("admin.login", "admin.login.lockout"),
        refusal=UNIFORM,
    )


@pytest.mark.parametrize("make_target", [natural_target, enterprise_target, admin_target])
def test_fifty_simultaneous_wrong_passwords_get_at_most_five_checks(
    instances: list[str], make_target: Any
) -> None:
    target: Target = make_target()

    async def attack(browser: Browser) -> tuple[list[httpx.Response], httpx.Response]:
        wrong = await browser.at_once(target.path, [target.wrong] * SIMULTANEOUS)
        await reset_counters(load_settings())  # the address limit aside: the account's lock must hold
        right = await browser.post(target.path, target.right, 1)
        return wrong, right

    wrong, right = browse(instances, attack)
    assert all(response.status_code in (400, 429) for response in wrong)
    assert checks_made(target.audit_target, target.actions) <= 5
    row = run(target.table.select().where(target.table.id == target.row_id).first())
    assert row["failed_attempts"] == 5 and row["locked_until"] is not None
    assert row["locked_until"] > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=29)
    # The right password, sent after them, is refused: the account stays locked for its 30 minutes.
    assert right.status_code == 400 and target.refusal in right.text


# ---- items 1 and 2: the address limit, across instances and for the back office ------------------


def test_the_address_limit_holds_across_two_instances(instances: list[str]) -> None:
    """20 failures per address and 15 minutes, counted once for every instance; the back office
    is closed to an address blocked for taxpayer logins."""
    admin = make_admin("system")
    unknown = {"account": "nobody_at_all", "password": "Wrong#2026", "captcha": CAPTCHA, "agree": "on"}

    async def scenario(browser: Browser) -> list[int]:
        statuses = [
            (await browser.post("/login/natural", unknown, i)).status_code for i in range(IP_LIMIT.limit)
        ]
        statuses.append((await browser.post("/login/natural", unknown, 0)).status_code)
        statuses.append((await browser.post("/login/natural", unknown, 1)).status_code)
        right_admin = {"username": admin.username, "password": ADMIN_PASSWORD, "captcha": CAPTCHA}
        statuses.append((await browser.post("/admin/login", right_admin, 1)).status_code)
        return statuses

    statuses = browse(instances, scenario)
    assert statuses[: IP_LIMIT.limit] == [400] * IP_LIMIT.limit
    assert statuses[IP_LIMIT.limit :] == [429, 429, 429]


def test_simultaneous_failures_from_one_address_stop_at_the_limit(instances: list[str]) -> None:
    unknown = {"account": "nobody_at_all", "password": "Wrong#2026", "captcha": CAPTCHA, "agree": "on"}
    responses = browse(instances, lambda browser: browser.at_once("/login/natural", [unknown] * 40))
    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(400) == IP_LIMIT.limit and statuses.count(429) == 40 - IP_LIMIT.limit
    refused = next(response for response in responses if response.status_code == 429)
    assert "登录失败次数过多" in refused.text


def test_the_back_office_has_its_own_stricter_address_limit(instances: list[str]) -> None:
    admin = make_admin("system")
    person = make_person("后台限流旁观者", natural_password="Ziran@2026")
    wrong = {"username": admin.username, "password": "Wrong#2026", "captcha": CAPTCHA}
    other = make_admin("content")

    async def scenario(browser: Browser) -> tuple[list[int], int, int]:
        statuses = [
            (await browser.post("/admin/login", {**wrong, "username": f"ghost{i}"}, i)).status_code
            for i in range(BACK_OFFICE_IP_LIMIT.limit)
        ]
        right = {"username": other.username, "password": ADMIN_PASSWORD, "captcha": CAPTCHA}
        admin_status = (await browser.post("/admin/login", right, 1)).status_code
        taxpayer = {"account": person.username, "password": "Ziran@2026", "captcha": CAPTCHA, "agree": "on"}
        taxpayer_status = (await browser.post("/login/natural", taxpayer, 0)).status_code
        return statuses, admin_status, taxpayer_status

    statuses, admin_status, taxpayer_status = browse(instances, scenario)
    assert statuses == [400] * BACK_OFFICE_IP_LIMIT.limit
    assert admin_status == 429  # 10 back-office failures close the back office to the address …
    assert taxpayer_status == 303  # … while taxpayer logins keep the wider limit of 20


# ---- item 7: simultaneous SMS codes --------------------------------------------------------------


def test_forty_simultaneous_sms_codes_get_five_tries(instances: list[str]) -> None:
    firm = make_enterprise(PersonSpec("短信并发员", personal_password="Geren@2026"))
    staff_id = firm.staff_id("短信并发员")
    mobile = firm.people["短信并发员"].mobile

    async def scenario(browser: Browser) -> tuple[list[httpx.Response], httpx.Response]:
        step = {"tin": firm.tin, "password": firm.password, "captcha": CAPTCHA, "agree": "on"}
        assert (await browser.post("/login/enterprise", step)).status_code == 303
        chosen = await browser.post("/login/enterprise/staff", {"staff": str(staff_id), "method": "sms"})
        assert chosen.status_code == 303
        assert (await browser.post("/login/enterprise/sms/send", {})).status_code == 200
        outbox = (await browser.client.get(f"{browser.bases[0]}/dev/sms.json")).json()
        code = next(str(message["code"]) for message in outbox if message["mobile"] == mobile)
        wrong = "000000" if code != "000000" else "111111"
        responses = await browser.at_once("/login/enterprise/sms", [{"sms_code": wrong}] * 40)
        await reset_counters(load_settings())
        right = await browser.post("/login/enterprise/sms", {"sms_code": code}, 1)
        return responses, right

    responses, right = browse(instances, scenario)
    rows = run(SmsCode.select(SmsCode.attempts, SmsCode.used).where(SmsCode.mobile == mobile))
    assert [row["attempts"] for row in rows] == [5] and not rows[0]["used"]
    compared = [r for r in responses if "短信验证码错误，还可尝试" in r.text]
    assert len(compared) == 4  # the fifth wrong code answers "错误次数过多"; no sixth is compared
    assert right.status_code == 400 and "错误次数过多" in right.text


# ---- item 4: old-password guesses share the login's lockout ---------------------------------------


def change_password(client: Client, old: str) -> Any:
    data = {
        "old_password": old,
        "password": "Xinmima#2026",
        "password_confirm": "Xinmima#2026",
        "captcha": CAPTCHA,
    }
    return post(client, "/usercentre/password", data)


def test_wrong_old_passwords_lock_the_account_like_a_login(client: Client) -> None:
    firm = make_enterprise(PersonSpec("改密员", personal_password="Geren@2026"))
    staff_id = firm.staff_id("改密员")
    assert location(password_login(client, firm.tin, firm.password, staff_id, "Geren@2026")) == "/"
    answers = [change_password(client, "Guess#2026") for _ in range(5)]
    assert "您还可以尝试4次" in answers[0].text and "已被锁定30分钟" in answers[4].text
    # Locked: the right old password changes nothing, and the login is locked too.
    still = change_password(client, "Geren@2026")
    assert still.status_code == 400 and "已被锁定30分钟" in still.text
    row = run(StaffMember.select().where(StaffMember.id == staff_id).first())
    assert row is not None and row["locked_until"] is not None
    post(client, "/logout")
    enterprise_step(client, firm.tin, firm.password)
    refused = post(client, "/login/enterprise/staff", {"staff": str(staff_id), "method": "password"})
    assert refused.status_code == 400 and "已被锁定30分钟" in refused.text


def test_wrong_old_enterprise_passwords_lock_the_enterprise_account(client: Client) -> None:
    firm = make_enterprise(PersonSpec("改企业密码法人", role="legal_rep", personal_password="Geren@2026"))
    staff_id = firm.staff_id("改企业密码法人")
    assert location(password_login(client, firm.tin, firm.password, staff_id, "Geren@2026")) == "/"
    data = {"password": "Qiyexin#2026", "password_confirm": "Qiyexin#2026", "captcha": CAPTCHA}
    for _ in range(5):
        post(client, "/usercentre/enterprise-password", {**data, "old_password": "Guess#2026"})
    right = post(client, "/usercentre/enterprise-password", {**data, "old_password": firm.password})
    assert right.status_code == 400 and "已被锁定30分钟" in right.text
    row = run(EnterpriseAccount.select().where(EnterpriseAccount.taxpayer == firm.id).first())
    assert row is not None and row["locked_until"] is not None
    assert "已被锁定30分钟" in enterprise_step(client, firm.tin, firm.password).text


# ---- item 5: one answer and equal work for unknown, wrong and locked -------------------------------


def answer_time(client: Client, account: str, password: str) -> tuple[float, str]:
    start = time.perf_counter()
    response = natural_login(client, account, password)
    return time.perf_counter() - start, response.text


def test_unknown_wrong_and_locked_accounts_answer_alike(client: Client) -> None:
    person = make_person("枚举自然人", natural_password="Ziran@2026")
    _, wrong = answer_time(client, person.username, "Wrong#2026")
    for _ in range(4):
        natural_login(client, person.username, "Wrong#2026")
    reset()
    locked = [answer_time(client, person.username, "Ziran@2026") for _ in range(3)]
    unknown = [answer_time(client, "no_such_user_here", "Ziran@2026") for _ in range(3)]
    assert not is_logged_in(client)
    for _, text in [*locked, *unknown, (0.0, wrong)]:
        assert NATURAL_WRONG in text and "还可以尝试" not in text and "北京时间" not in text
    # Equal work: a locked account costs one (dummy) password check like an unknown one.
    fastest_locked = min(seconds for seconds, _ in locked)
    fastest_unknown = min(seconds for seconds, _ in unknown)
    assert fastest_locked > 0.5 * fastest_unknown, (fastest_locked, fastest_unknown)


def test_an_unknown_administrator_reads_like_a_locked_one(client: Client) -> None:
    admin = make_admin("reviewer")
    form = {"captcha": CAPTCHA, "next": "/admin"}
    client.get("/admin/login")
    for _ in range(5):
        post(client, "/admin/login", {**form, "username": admin.username, "password": "Wrong#2026"})
    reset()
    locked = post(client, "/admin/login", {**form, "username": admin.username, "password": ADMIN_PASSWORD})
    unknown = post(client, "/admin/login", {**form, "username": "ghost_admin", "password": ADMIN_PASSWORD})
    assert locked.status_code == unknown.status_code == 400
    assert UNIFORM in locked.text and UNIFORM in unknown.text and "北京时间" not in locked.text
