"""Two portal instances on one PostgreSQL and one Redis, as behind a load balancer (issue 18).

Each instance is a real ``uvicorn`` process (``tests/instances.py``) with ``ETAX_SESSION_STORE`` on
Redis (sessions and the address counters shared there) and the database shared: a visitor logs in on
one and carries on on the other; an account locked on one stays locked on the other; an SMS code sent
by one is accepted by the other; a 套餐 the bureau publishes through one shows in the other's search
within the configured check interval; an officer frozen through one is refused at their very next request on the
other, although the other had the officer's principal cached. PostgreSQL pass only (the instances need a server database).
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections.abc import Iterator

import httpx
import msgspec
import pytest

from etax.platform.auth.credentials import reset_counters
from etax.platform.auth.tables import PermissionIdentity, StaffIdentity
from etax.platform.settings import Settings
from tests.conftest import BACKEND
from tests.instances import portal_instances
from tests.login_helpers import CAPTCHA, PersonSpec, allow_resend, make_enterprise, make_person, run
from tests.test_admin_support import ADMIN_PASSWORD, make_admin
from tests.test_packages_support import PUBLIC_STEPS, package_id, unique_name

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="several instances need PostgreSQL")

REDIS_URL = "redis://127.0.0.1:6379/14"
CHECK_SECONDS = 0.3  # how often an instance looks at the menus' version key (ETAX_CACHE_CHECK_SECONDS)
IDENTITY = 'data-testid="identity"'


@pytest.fixture(scope="module")
def instances(settings: Settings, database: str) -> Iterator[list[str]]:
    shared = msgspec.structs.replace(settings, session_store=REDIS_URL)
    asyncio.run(reset_counters(shared))  # the address counters live in Redis, beyond this run
    env = {"ETAX_SESSION_STORE": REDIS_URL, "ETAX_CACHE_CHECK_SECONDS": str(CHECK_SECONDS)}
    with portal_instances(2, env) as bases:
        yield bases
    asyncio.run(reset_counters(shared))


class Visitor:
    """One browser (one cookie jar) whose requests go to instance A or B."""

    def __init__(self, bases: list[str]) -> None:
        self.a, self.b = bases
        self.client = httpx.Client(timeout=60)
        self.client.get(f"{self.a}/login")

    def get(self, base: str, path: str) -> httpx.Response:
        return self.client.get(f"{base}{path}")

    def post(self, base: str, path: str, data: dict[str, str]) -> httpx.Response:
        token = self.client.cookies.get("etax_csrf") or ""
        return self.client.post(f"{base}{path}", data={**data, "_csrf_token": token})


def test_a_login_on_one_instance_continues_on_the_other(instances: list[str]) -> None:
    person = make_person("双实例自然人", natural_password="Ziran@2026")
    visitor = Visitor(instances)
    form = {"account": person.username, "password": "Ziran@2026", "captcha": CAPTCHA, "agree": "on"}
    assert visitor.post(visitor.a, "/login/natural", form).status_code == 303
    on_b = visitor.get(visitor.b, "/").text
    assert IDENTITY in on_b and "双实例自然人" in on_b
    # Logging out on B ends the session on A as well.
    assert visitor.post(visitor.b, "/logout", {}).status_code in (302, 303)
    assert IDENTITY not in visitor.get(visitor.a, "/").text


def test_a_lockout_reached_on_one_instance_holds_on_the_other(instances: list[str]) -> None:
    person = make_person("双实例锁定", natural_password="Ziran@2026")
    visitor = Visitor(instances)
    form = {"account": person.username, "captcha": CAPTCHA, "agree": "on"}
    for _ in range(5):
        assert (
            visitor.post(visitor.a, "/login/natural", {**form, "password": "Wrong#2026"}).status_code == 400
        )
    right = visitor.post(visitor.b, "/login/natural", {**form, "password": "Ziran@2026"})
    assert right.status_code == 400 and "锁定" in right.text
    assert IDENTITY not in visitor.get(visitor.b, "/").text


def test_an_sms_code_sent_by_one_instance_is_accepted_by_the_other(instances: list[str]) -> None:
    firm = make_enterprise(PersonSpec("双实例办税员"))
    officer = firm.people["双实例办税员"]
    visitor = Visitor(instances)
    step = {"tin": firm.tin, "password": firm.password, "captcha": CAPTCHA, "agree": "on", "next": "/"}
    assert visitor.post(visitor.a, "/login/enterprise", step).status_code == 303
    chosen = {"staff": str(officer.staff_id), "method": "sms"}
    assert visitor.post(visitor.a, "/login/enterprise/staff", chosen).status_code == 303
    allow_resend(officer.mobile)
    assert visitor.post(visitor.a, "/login/enterprise/sms/send", {}).status_code == 200
    outbox = visitor.get(visitor.b, "/dev/sms.json").json()
    code = next(str(m["code"]) for m in outbox if m["mobile"] == officer.mobile)
    assert visitor.post(visitor.b, "/login/enterprise/sms", {"sms_code": code}).status_code == 303
    # Logged in (on either instance): the officer is first asked for a personal password.
    home = visitor.get(visitor.a, "/")
    assert home.headers.get("location") == "/login/set-password" or IDENTITY in home.text
    assert "设置" in visitor.get(visitor.a, "/login/set-password").text


def test_a_package_published_through_one_instance_is_found_by_the_others_search(instances: list[str]) -> None:
    admin = make_admin("content")
    bureau, taxpayer = Visitor(instances), Visitor(instances)
    login = {"username": admin.username, "password": ADMIN_PASSWORD, "captcha": CAPTCHA, "next": "/admin"}
    bureau.client.get(f"{bureau.a}/admin/login")
    assert bureau.post(bureau.a, "/admin/login", login).status_code == 303
    name = unique_name("双实例套餐")
    form = {
        "name": name,
        "description": "",
        "audience": "all",
        "status": "published",
        "steps": ",".join(PUBLIC_STEPS),
    }
    assert bureau.post(bureau.a, "/admin/packages", form).status_code == 303
    wanted = f"package:{package_id(name)}"
    # B reads the menus' version key at most every CHECK_SECONDS: the package shows within that interval.
    deadline = time.monotonic() + CHECK_SECONDS + 10  # generous for a loaded machine; usually one retry
    found = False
    while not found and time.monotonic() < deadline:
        results = taxpayer.get(taxpayer.b, f"/api/search?q={name}").json()["results"]
        found = wanted in [result["code"] for result in results]
        if not found:
            time.sleep(CHECK_SECONDS / 3)
    assert found, f"{wanted} not in instance B's search"
    assert re.search(re.escape(name), taxpayer.get(taxpayer.b, "/").text)


async def _grant_queries(taxpayer_id: int, staff_id: int) -> None:
    identity = PermissionIdentity(
        key=f"{taxpayer_id}:查询", taxpayer=taxpayer_id, name="查询", nodes="我要查询"
    )
    await identity.save()
    await StaffIdentity(key=f"{staff_id}:{identity.id}", staff=staff_id, identity=identity.id).save()


def log_in_with_password(
    visitor: Visitor, base: str, tin: str, password: str, staff_id: int, personal: str
) -> None:
    step = {"tin": tin, "password": password, "captcha": CAPTCHA, "agree": "on", "next": "/"}
    assert visitor.post(base, "/login/enterprise", step).status_code == 303
    chosen = {"staff": str(staff_id), "method": "password"}
    assert visitor.post(base, "/login/enterprise/staff", chosen).status_code == 303
    assert visitor.post(base, "/login/enterprise/password", {"password": personal}).status_code == 303


def test_an_officer_frozen_through_one_instance_is_refused_at_once_by_the_other(instances: list[str]) -> None:
    firm = make_enterprise(
        PersonSpec("双实例法人", role="legal_rep", personal_password="Faren#2026"),
        PersonSpec("双实例冻结员", personal_password="Banshui#2026"),
    )
    officer_id = firm.staff_id("双实例冻结员")
    run(_grant_queries(firm.id, officer_id))
    officer, manager = Visitor(instances), Visitor(instances)
    log_in_with_password(officer, officer.a, firm.tin, firm.password, officer_id, "Banshui#2026")
    log_in_with_password(
        manager, manager.a, firm.tin, firm.password, firm.staff_id("双实例法人"), "Faren#2026"
    )
    for _ in range(2):  # B resolves the officer's principal, then serves it from its cache
        assert officer.get(officer.b, "/query/declarations").status_code == 200
        assert IDENTITY in officer.get(officer.b, "/").text
    assert manager.post(manager.a, f"/usercentre/staff/{officer_id}/freeze", {}).status_code == 303
    refused = officer.get(officer.b, "/query/declarations")
    assert refused.status_code in (302, 303) and "notice=frozen" in refused.headers["location"]
    assert IDENTITY not in officer.get(officer.b, "/").text


def test_stored_pages_on_one_instance_follow_a_message_and_a_logout_made_through_the_other(
    instances: list[str],
) -> None:
    firm = make_enterprise(PersonSpec("双实例存储页法人", role="legal_rep", personal_password="Faren#2026"))
    visitor = Visitor(instances)
    staff = firm.staff_id("双实例存储页法人")
    log_in_with_password(visitor, visitor.a, firm.tin, firm.password, staff, "Faren#2026")
    for _ in range(3):  # B renders the pages, then answers them from its stored pages
        assert visitor.get(visitor.b, "/query/declarations").status_code == 200
        assert IDENTITY in visitor.get(visitor.b, "/").text
    # The bureau sends the enterprise a message through A: B's home shows it at the next request.
    admin = make_admin("reviewer")
    bureau = Visitor(instances)
    bureau.client.get(f"{bureau.a}/admin/login")
    login = {"username": admin.username, "password": ADMIN_PASSWORD, "captcha": CAPTCHA, "next": "/admin"}
    assert bureau.post(bureau.a, "/admin/login", login).status_code == 303
    title = unique_name("双实例消息")
    message = {"target": "taxpayer", "tin": firm.tin, "title": title, "body": "请及时处理。"}
    sent = bureau.post(bureau.a, "/admin/messages", {**message, "submission": secrets.token_urlsafe(24)})
    assert sent.status_code == 303
    home = visitor.get(visitor.b, "/").text
    assert title in home[home.index('id="tab-reminder"') : home.index('id="tab-notice"')]
    # A logout through A ends the session: B answers no stored page for it.
    assert visitor.post(visitor.a, "/logout", {}).status_code in (302, 303)
    assert IDENTITY not in visitor.get(visitor.b, "/").text
    assert visitor.get(visitor.b, "/query/declarations").status_code in (302, 303)
