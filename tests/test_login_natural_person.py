"""自然人登录 (user name, ID number or mobile), registration against a real-name record, and recovery."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from etax.platform.auth.credentials import reset_counters
from etax.platform.auth.login import messages as msg
from etax.platform.auth.tables import NaturalPersonAccount
from etax.platform.settings import load_settings
from tests.login_helpers import (
    CAPTCHA,
    Client,
    allow_resend,
    audit_rows,
    identity_text,
    is_logged_in,
    location,
    make_person,
    natural_login,
    post,
    run,
    sms_code,
    unique_mobile,
)


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    run(reset_counters(load_settings()))
    yield
    run(reset_counters(load_settings()))


def test_demo_natural_person_logs_in_by_user_name(client: Client) -> None:
    response = natural_login(client, "linxiao", "Linxiao@2026")
    assert location(response) == "/"
    assert identity_text(client) == "林晓"
    assert audit_rows("login.natural_person")[-1]["outcome"] == "success"


def test_login_by_id_number_or_mobile(client: Client) -> None:
    person = make_person("证号登录", natural_password="Ziran@2026")
    assert location(natural_login(client, person.id_number, "Ziran@2026")) == "/"
    assert identity_text(client) == "证号登录"
    post(client, "/logout")
    assert location(natural_login(client, person.id_number.lower(), "Ziran@2026")) == "/"
    post(client, "/logout")
    assert location(natural_login(client, person.mobile, "Ziran@2026")) == "/"


def test_login_keeps_next(client: Client) -> None:
    person = make_person("回跳者", natural_password="Ziran@2026")
    data = {
        "account": person.username,
        "password": "Ziran@2026",
        "captcha": CAPTCHA,
        "agree": "on",
        "next": "/public/faq",
    }
    assert location(post(client, "/login/natural", data)) == "/public/faq"


def test_shared_mobile_asks_for_user_name(client: Client) -> None:
    mobile = unique_mobile()
    make_person("共用甲", mobile=mobile, natural_password="Ziran@2026")
    make_person("共用乙", mobile=mobile, natural_password="Ziran@2026")
    response = natural_login(client, mobile, "Ziran@2026")
    assert response.status_code == 400 and "请使用用户名或身份证件号码登录" in response.text


def test_wrong_password_and_unknown_account(client: Client) -> None:
    person = make_person("输错者", natural_password="Ziran@2026")
    wrong = natural_login(client, person.username, "Wrong@2026")
    assert wrong.status_code == 400 and "用户名或密码错误" in wrong.text and "还可以尝试" not in wrong.text
    unknown = natural_login(client, "nobody_here", "Wrong@2026")
    assert unknown.status_code == 400 and "用户名或密码错误" in unknown.text
    # One answer for both: the page does not tell which user names exist.
    assert error_text(wrong.text) == error_text(unknown.text)
    assert not is_logged_in(client)


def error_text(page: str) -> str:
    match = re.search(r'data-field="_form">([^<]*)<', page)
    assert match is not None, page[:3000]
    return match.group(1)


def test_agreement_and_captcha_are_required(client: Client) -> None:
    data = {"account": "linxiao", "password": "Linxiao@2026", "captcha": CAPTCHA}
    assert msg.AGREE_REQUIRED in post(client, "/login/natural", data).text
    assert "请输入验证码" in post(client, "/login/natural", {**data, "captcha": "", "agree": "on"}).text
    assert not is_logged_in(client)


def test_person_without_real_name_collection_cannot_log_in(client: Client) -> None:
    response = natural_login(client, "zhaolei", "Zhaolei@2026")
    assert response.status_code == 400
    assert "尚未完成实名信息采集" in response.text and "移动办税APP" in response.text
    assert not is_logged_in(client)


def test_demo_bound_officer_also_logs_in_as_a_natural_person(client: Client) -> None:
    assert location(natural_login(client, "zhangwei", "Zhangwei@2026")) == "/"
    assert identity_text(client) == "张伟"


# ---- registration -------------------------------------------------------------------------------------


def test_registration_against_the_real_name_record(client: Client) -> None:
    person = make_person("新注册人")
    assert "自然人注册" in client.get("/login/register").text
    mismatch = post(
        client,
        "/login/register",
        {"id_number": person.id_number, "name": "别的名字", "captcha": CAPTCHA, "agree": "on"},
    )
    assert mismatch.status_code == 400 and "未查询到与该身份证件号码和姓名一致的实名信息" in mismatch.text
    bad_id = post(
        client, "/login/register", {"id_number": "123", "name": "x", "captcha": CAPTCHA, "agree": "on"}
    )
    assert "居民身份证号码应为18位" in bad_id.text
    no_agree = post(
        client, "/login/register", {"id_number": person.id_number, "name": person.name, "captcha": CAPTCHA}
    )
    assert msg.AGREE_REQUIRED in no_agree.text
    started = post(
        client,
        "/login/register",
        {"id_number": person.id_number, "name": person.name, "captcha": CAPTCHA, "agree": "on"},
    )
    assert location(started) == "/login/register/confirm"
    assert person.mobile[-4:] in client.get("/login/register/confirm").text
    code = sms_code(client, person.mobile)
    form = {"sms_code": code, "username": "linxiao", "password": "Mima#2026", "confirm": "Mima#2026"}
    taken = post(client, "/login/register/confirm", form)
    assert taken.status_code == 400 and "该用户名已被使用" in taken.text
    bad_name = post(client, "/login/register/confirm", {**form, "username": "1abc"})
    assert "用户名须以字母开头" in bad_name.text
    weak = post(
        client,
        "/login/register/confirm",
        {**form, "username": "new_user_a", "password": "12345678", "confirm": "12345678"},
    )
    assert "至少包含字母、数字、符号中的两种" in weak.text
    username = f"reg{person.id}"
    done = post(client, "/login/register/confirm", {**form, "username": username})
    assert location(done) == "/login?tab=natural&notice=registered"
    assert "注册成功" in client.get("/login?tab=natural&notice=registered").text
    assert location(natural_login(client, username, "Mima#2026")) == "/"
    assert identity_text(client) == "新注册人"
    assert audit_rows("register.natural_person")[-1]["outcome"] == "success"


def test_registration_refuses_people_without_real_name_or_already_registered(client: Client) -> None:
    unregistered = make_person("未采集者", real_name=False)
    response = post(
        client,
        "/login/register",
        {"id_number": unregistered.id_number, "name": unregistered.name, "captcha": CAPTCHA, "agree": "on"},
    )
    assert response.status_code == 400 and "尚未完成实名信息采集" in response.text
    registered = make_person("已注册者", natural_password="Ziran@2026")
    again = post(
        client,
        "/login/register",
        {"id_number": registered.id_number, "name": registered.name, "captcha": CAPTCHA, "agree": "on"},
    )
    assert again.status_code == 400 and "已注册自然人账户" in again.text


def test_registration_wrong_code_changes_nothing(client: Client) -> None:
    person = make_person("错码注册")
    post(
        client,
        "/login/register",
        {"id_number": person.id_number, "name": person.name, "captcha": CAPTCHA, "agree": "on"},
    )
    wrong = post(
        client,
        "/login/register/confirm",
        {
            "sms_code": "000000" if sms_code(client, person.mobile) != "000000" else "111111",
            "username": f"wrong{person.id}",
            "password": "Mima#2026",
            "confirm": "Mima#2026",
        },
    )
    assert wrong.status_code == 400 and "短信验证码错误" in wrong.text
    assert not run(NaturalPersonAccount.exists().where(NaturalPersonAccount.person == person.id))


def test_registration_resend_waits_60_seconds(client: Client) -> None:
    person = make_person("重发注册")
    post(
        client,
        "/login/register",
        {"id_number": person.id_number, "name": person.name, "captcha": CAPTCHA, "agree": "on"},
    )
    too_soon = post(client, "/login/register/resend")
    assert too_soon.status_code == 400 and "秒后再重新获取" in too_soon.text
    allow_resend(person.mobile)
    assert "验证码已重新发送" in post(client, "/login/register/resend").text


# ---- password recovery --------------------------------------------------------------------------------


def test_password_recovery_by_sms(client: Client) -> None:
    person = make_person("忘密者", natural_password="Old#Ziran2026")
    for _ in range(5):
        natural_login(client, person.username, "Wrong@2026")
    assert "已被锁定" in natural_login(client, person.username, "Old#Ziran2026").text
    assert "自然人忘记密码" in client.get("/login/natural/forgot").text
    started = post(
        client,
        "/login/natural/forgot",
        {"id_number": person.id_number, "name": person.name, "captcha": CAPTCHA},
    )
    assert location(started) == "/login/natural/forgot/confirm"
    code = sms_code(client, person.mobile)
    done = post(
        client,
        "/login/natural/forgot/confirm",
        {"sms_code": code, "password": "New#Ziran2026", "confirm": "New#Ziran2026"},
    )
    assert location(done) == "/login?tab=natural&notice=np_reset"
    assert natural_login(client, person.username, "Old#Ziran2026").status_code == 400
    assert location(natural_login(client, person.username, "New#Ziran2026")) == "/"


def test_password_recovery_needs_an_account_and_a_matching_name(client: Client) -> None:
    no_account = make_person("无账户者")
    response = post(
        client,
        "/login/natural/forgot",
        {"id_number": no_account.id_number, "name": no_account.name, "captcha": CAPTCHA},
    )
    assert response.status_code == 400 and "尚未注册自然人账户，请先注册" in response.text
    other = make_person("有账户者", natural_password="Ziran@2026")
    wrong = post(
        client, "/login/natural/forgot", {"id_number": other.id_number, "name": "冒名者", "captcha": CAPTCHA}
    )
    assert wrong.status_code == 400 and "未查询到" in wrong.text
    assert (
        location(client.get("/login/natural/forgot/confirm", follow_redirects=False))
        == "/login/natural/forgot"
    )
