"""The security rules of docs/security.md, one test (or a few) each."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.app import create_app
from etax.platform.auth import sms
from etax.platform.auth.counters import DatabaseCounters
from etax.platform.auth.credentials import IP_LIMIT, reset_counters
from etax.platform.auth.login.common import BEIJING
from etax.platform.auth.login.natural import NATURAL_WRONG
from etax.platform.auth.passwords import hash_password, password_problem
from etax.platform.auth.sessions import SESSION_COOKIE
from etax.platform.auth.tables import AttemptCounter, EnterpriseAccount, NaturalPersonAccount, StaffMember
from etax.platform.settings import Settings, SettingsError, load_settings
from tests.login_helpers import (
    CAPTCHA,
    HEXIN_PASSWORD,
    HEXIN_TIN,
    Client,
    PersonSpec,
    allow_resend,
    audit_rows,
    choose,
    demo_staff_id,
    enterprise_step,
    expire_codes,
    is_logged_in,
    location,
    make_enterprise,
    make_person,
    natural_login,
    password_login,
    post,
    run,
    sms_code,
    staff_row,
    token,
)


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    run(reset_counters(load_settings()))
    yield
    run(reset_counters(load_settings()))


LOCK_PATTERN = re.compile(r"请于(\d{4}-\d{2}-\d{2} \d{2}:\d{2})（北京时间）后再试")


def assert_locked_for_30_minutes(text: str) -> None:
    match = LOCK_PATTERN.search(text)
    assert match is not None, text[:3000]
    until = dt.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)
    expected = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    assert abs((until - expected).total_seconds()) < 120
    assert "已被锁定30分钟" in text


# ---- passwords ------------------------------------------------------------------------------------------


def test_password_strength_rules() -> None:
    assert password_problem("Ab1!") == "密码长度应为8至20位"
    assert password_problem("A" * 21 + "1") == "密码长度应为8至20位"
    assert password_problem("abcd efg1") == "密码不能包含空格"
    assert password_problem("abcdefgh") == "密码须至少包含字母、数字、符号中的两种"
    assert password_problem("12345678") == "密码须至少包含字母、数字、符号中的两种"
    assert password_problem("Geren@2026", old="Geren@2026") == "新密码不能与旧密码相同"
    assert password_problem("Geren@2026") is None
    assert password_problem("abcd1234") is None


async def test_hashes_are_argon2id_and_computed_off_the_event_loop() -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        digest = await hash_password("Geren@2026")
    finally:
        task.cancel()
    assert digest.startswith("$argon2id$")
    assert ticks >= 3, "the event loop was blocked while hashing"


def test_stored_hashes_are_argon2id() -> None:
    for table in (EnterpriseAccount, NaturalPersonAccount):
        rows = run(table.select(table.password_hash).limit(5))
        assert rows and all(row["password_hash"].startswith("$argon2id$") for row in rows)


# ---- lockout --------------------------------------------------------------------------------------------


def test_five_wrong_enterprise_passwords_lock_the_account_for_30_minutes(client: Client) -> None:
    firm = make_enterprise(PersonSpec("锁定法人", role="legal_rep", personal_password="Geren@2026"))
    for left in (4, 3, 2, 1):
        assert f"还可以尝试{left}次" in enterprise_step(client, firm.tin, "Wrong#2026").text
    assert_locked_for_30_minutes(enterprise_step(client, firm.tin, "Wrong#2026").text)
    still = enterprise_step(client, firm.tin, firm.password)
    assert still.status_code == 400
    assert_locked_for_30_minutes(still.text)
    locked = audit_rows("account.locked", firm.id)
    assert len(locked) == 1 and locked[0]["outcome"] == "refused" and locked[0]["ip"] == "testclient"
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    run(
        EnterpriseAccount.update({EnterpriseAccount.locked_until: past}).where(
            EnterpriseAccount.taxpayer == firm.id
        )
    )
    assert location(enterprise_step(client, firm.tin, firm.password)) == "/login/enterprise/staff"
    row = run(EnterpriseAccount.select().where(EnterpriseAccount.taxpayer == firm.id).first())
    assert row is not None and row["failed_attempts"] == 0


def test_five_wrong_personal_passwords_lock_the_staff_member(client: Client) -> None:
    firm = make_enterprise(PersonSpec("锁定员", personal_password="Geren@2026"))
    staff_id = firm.staff_id("锁定员")
    password_login(client, firm.tin, firm.password, staff_id, "Wrong#2026")
    for _ in range(3):
        post(client, "/login/enterprise/password", {"password": "Wrong#2026"})
    assert_locked_for_30_minutes(post(client, "/login/enterprise/password", {"password": "Wrong#2026"}).text)
    # Locked means locked: neither the right password nor an SMS login gets in.
    enterprise_step(client, firm.tin, firm.password)
    refused = choose(client, staff_id, "sms")
    assert refused.status_code == 400
    assert_locked_for_30_minutes(refused.text)
    assert not is_logged_in(client)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    run(StaffMember.update({StaffMember.locked_until: past}).where(StaffMember.id == staff_id))
    assert location(password_login(client, firm.tin, firm.password, staff_id, "Geren@2026")) == "/"
    assert staff_row(staff_id)["failed_attempts"] == 0


def test_five_wrong_natural_person_passwords_lock_the_account(client: Client) -> None:
    person = make_person("锁定自然人", natural_password="Ziran@2026")
    for _ in range(5):
        assert NATURAL_WRONG in natural_login(client, person.username, "Wrong#2026").text
    row = run(NaturalPersonAccount.select().where(NaturalPersonAccount.username == person.username).first())
    assert row is not None and row["locked_until"] is not None and row["failed_attempts"] == 5
    # Locked means locked: the right password gets the same answer as a wrong one and is not checked.
    refused = natural_login(client, person.username, "Ziran@2026")
    assert refused.status_code == 400 and NATURAL_WRONG in refused.text
    assert not is_logged_in(client)
    assert audit_rows("account.locked")[-1]["target"] == f"account:{row['id']}"


# ---- per-IP limit ---------------------------------------------------------------------------------------


def test_attempt_counters_reserve_release_and_start_again() -> None:
    store = DatabaseCounters()
    key = f"test:{secrets.token_hex(4)}"
    assert [run(store.reserve(key, 3, 600)).count for _ in range(3)] == [1, 2, 3]
    refused = run(store.reserve(key, 3, 600))
    assert not refused.ok and 590 <= refused.wait <= 600
    run(store.release(key))  # a check that succeeded gives its attempt back
    assert run(store.reserve(key, 3, 600)).ok
    assert not run(store.reserve(key, 3, 600)).ok
    run(
        AttemptCounter.update({AttemptCounter.window_ends: dt.datetime.now(dt.UTC)}).where(
            AttemptCounter.key == key
        )
    )
    assert run(store.reserve(key, 3, 600)).count == 1  # the window ended: counting starts again


def test_an_address_that_fails_too_often_is_slowed_down(client: Client) -> None:
    firm = make_enterprise(PersonSpec("限流法人", role="legal_rep", personal_password="Geren@2026"))
    for _ in range(IP_LIMIT.limit - 1):
        assert run(DatabaseCounters().reserve("ip:testclient", IP_LIMIT.limit, IP_LIMIT.window)).ok
    assert enterprise_step(client, HEXIN_TIN, "Wrong#Guess1").status_code == 400  # the 20th failure
    refused = enterprise_step(client, firm.tin, firm.password)
    assert refused.status_code == 429 and "登录失败次数过多" in refused.text and "分钟后再试" in refused.text
    assert natural_login(client, "linxiao", "Linxiao@2026").status_code == 429
    row = run(EnterpriseAccount.select().where(EnterpriseAccount.taxpayer == firm.id).first())
    assert row is not None and row["failed_attempts"] == 0  # refused before any password was checked
    run(reset_counters(load_settings()))
    assert location(enterprise_step(client, firm.tin, firm.password)) == "/login/enterprise/staff"
    run(
        EnterpriseAccount.update({EnterpriseAccount.failed_attempts: 0}).where(
            EnterpriseAccount.taxpayer.tin == HEXIN_TIN
        )
    )


# ---- SMS codes ------------------------------------------------------------------------------------------


def sms_ready(client: Client) -> tuple[str, int]:
    firm = make_enterprise(PersonSpec("短信员", personal_password="Geren@2026"))
    enterprise_step(client, firm.tin, firm.password)
    choose(client, firm.staff_id("短信员"), "sms")
    mobile = firm.people["短信员"].mobile
    assert post(client, "/login/enterprise/sms/send").status_code == 200
    return mobile, firm.id


def test_sms_codes_are_six_digits_and_resend_waits_60_seconds(client: Client) -> None:
    mobile, _ = sms_ready(client)
    assert re.fullmatch(r"\d{6}", sms_code(client, mobile))
    again = post(client, "/login/enterprise/sms/send")
    assert again.status_code == 400 and "秒后再重新获取" in again.text
    allow_resend(mobile)
    assert post(client, "/login/enterprise/sms/send").status_code == 200
    assert "请输入6位数字短信验证码" in post(client, "/login/enterprise/sms", {"sms_code": "12ab"}).text


def test_sms_code_expires_after_five_minutes(client: Client) -> None:
    mobile, _ = sms_ready(client)
    code = sms_code(client, mobile)
    expire_codes(mobile)
    response = post(client, "/login/enterprise/sms", {"sms_code": code})
    assert response.status_code == 400 and "短信验证码已过期，请重新获取" in response.text
    assert not is_logged_in(client)


def test_sms_code_allows_five_wrong_tries(client: Client) -> None:
    mobile, firm_id = sms_ready(client)
    code = sms_code(client, mobile)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        assert f"还可尝试{left}次" in post(client, "/login/enterprise/sms", {"sms_code": wrong}).text
    assert "错误次数过多" in post(client, "/login/enterprise/sms", {"sms_code": wrong}).text
    assert "错误次数过多" in post(client, "/login/enterprise/sms", {"sms_code": code}).text
    assert not is_logged_in(client)
    assert [
        row["outcome"]
        for row in audit_rows("login.enterprise", firm_id)
        if row["action"] == "login.enterprise"
    ] == ["failure"] * 6


def test_sms_code_is_one_use() -> None:
    mobile = "13612345678"
    run(sms.send_code(mobile, "one-use-test", production=False))
    code = run(sms.outbox(1))[0].text
    found = re.search(r"(\d{6})", str(code))
    assert found is not None
    assert run(sms.check_code(mobile, "one-use-test", found.group(1))) is None
    assert run(sms.check_code(mobile, "one-use-test", found.group(1))) == "请先获取短信验证码"


# ---- sessions, logout, CSRF -----------------------------------------------------------------------------


def test_session_id_is_rotated_at_login_and_the_old_one_is_dead(client: Client, app: Litestar) -> None:
    staff_id = demo_staff_id(HEXIN_TIN, "王建国")
    enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD)
    before = client.cookies[SESSION_COOKIE]
    choose(client, staff_id, "password")
    assert client.cookies[SESSION_COOKIE] == before
    response = post(client, "/login/enterprise/password", {"password": "Wangjg@2026"})
    assert location(response) == "/"
    after = client.cookies[SESSION_COOKIE]
    assert after != before
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=1800" in cookie
    with TestClient(app=app) as thief:
        thief.cookies.set(SESSION_COOKIE, before)
        assert not is_logged_in(thief)


def test_logout_clears_the_session(client: Client, app: Litestar) -> None:
    password_login(client, HEXIN_TIN, HEXIN_PASSWORD, demo_staff_id(HEXIN_TIN, "王建国"), "Wangjg@2026")
    session = client.cookies[SESSION_COOKIE]
    response = post(client, "/logout")
    assert location(response) == "/login?notice=logout"
    assert "您已安全退出" in client.get("/login?notice=logout").text
    assert not is_logged_in(client)
    with TestClient(app=app) as other:
        other.cookies.set(SESSION_COOKIE, session)
        assert not is_logged_in(other)
    rows = audit_rows("logout.enterprise")
    assert rows and rows[-1]["actor"] == "王建国" and rows[-1]["outcome"] == "success"


def test_every_post_needs_the_csrf_token(client: Client) -> None:
    token(client)
    data = {"tin": HEXIN_TIN, "password": HEXIN_PASSWORD, "captcha": CAPTCHA, "agree": "on"}
    for url in ("/login/enterprise", "/login/quick", "/login/agency", "/login/natural", "/login/register"):
        refused = client.post(url, data=data, follow_redirects=False)
        assert refused.status_code == 403, url
        assert "页面已过期" in refused.text
    forged = client.post("/login/enterprise", data={**data, "_csrf_token": "forged"}, follow_redirects=False)
    assert forged.status_code == 403
    password_login(client, HEXIN_TIN, HEXIN_PASSWORD, demo_staff_id(HEXIN_TIN, "王建国"), "Wangjg@2026")
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert is_logged_in(client)


# ---- development aids refused in production -------------------------------------------------------------


def test_dev_outbox_as_html_and_json(client: Client) -> None:
    mobile = "13698765432"
    allow_resend(mobile)
    run(sms.send_code(mobile, "outbox-test", production=False))
    page = client.get("/dev/sms")
    assert page.status_code == 200 and "短信发件箱" in page.text and mobile in page.text
    as_json = client.get("/dev/sms", headers={"accept": "application/json"}).json()
    assert as_json[0]["mobile"] == mobile and re.fullmatch(r"\d{6}", as_json[0]["code"])
    assert client.get("/dev/sms.json").json()[0] == as_json[0]


def test_captcha_test_answer_is_refused_in_production_settings(tmp_path: Path) -> None:
    env = {
        "ETAX_MODE": "production",
        "ETAX_SECRET_KEY": "k" * 40,
        "ETAX_VAR_DIR": str(tmp_path),
        "ETAX_CAPTCHA_TEST_ANSWER": "TEST",
    }
    with pytest.raises(SettingsError, match="ETAX_CAPTCHA_TEST_ANSWER"):
        load_settings(env)


def test_production_mode_refuses_the_outbox_the_test_captcha_and_the_dev_gateway(settings: Settings) -> None:
    production = Settings(
        mode="production",
        var_dir=settings.var_dir,
        database_url=settings.database_url,
        secret_key="p" * 48,
        captcha_test_answer="TEST",  # even if it slipped past the settings check, it is ignored
    )
    with TestClient(app=create_app(production), base_url="https://testserver.local") as client:
        assert client.get("/dev/sms").status_code == 404
        assert client.get("/dev/sms.json").status_code == 404
        assert client.get("/dev/sms", headers={"accept": "application/json"}).status_code == 404
        response = enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD)
        assert response.status_code == 400 and "验证码" in response.text
        assert client.get("/login/enterprise/staff", follow_redirects=False).status_code == 303
        client.get("/captcha.png?form=login_enterprise")
        assert any(cookie.secure for cookie in client.cookies.jar if cookie.name == SESSION_COOKIE)
    with pytest.raises(sms.SmsError, match="短信服务未配置"):
        run(sms.send_code("13611112222", "production-test", production=True))
