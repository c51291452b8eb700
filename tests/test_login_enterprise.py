"""企业登录: the login page, 普通登录 (person choice, SMS, personal password, first login), 快捷登录,
纯社保户, 同步办税人 and the seed's FAQ answers, and 企业密码 忘记密码."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from etax.platform.auth.credentials import reset_counters
from etax.platform.auth.demo import load_auth_demo
from etax.platform.auth.login import messages as msg
from etax.platform.auth.login.staff import login_mobile
from etax.platform.auth.passwords import RESET_PASSWORD
from etax.platform.auth.tables import SmsCode, StaffMember
from etax.platform.coresys.registry import PersonRecord, StaffRecord
from etax.platform.settings import load_settings
from tests.login_helpers import (
    CAPTCHA,
    CHENGUANG_TIN,
    HEXIN_PASSWORD,
    HEXIN_TIN,
    XINGNONG_PASSWORD,
    XINGNONG_TIN,
    Client,
    PersonSpec,
    allow_resend,
    audit_rows,
    choose,
    demo_staff_id,
    demo_taxpayer_id,
    enterprise_step,
    identity_text,
    is_logged_in,
    location,
    make_enterprise,
    password_login,
    post,
    run,
    set_password,
    sms_code,
    sms_login,
    staff_row,
)


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    run(reset_counters(load_settings()))
    yield
    run(reset_counters(load_settings()))


def people(text: str) -> list[str]:
    return re.findall(r'class="person-name">([^<]+)<', text)


# ---- the login page ------------------------------------------------------------------------------


def test_login_page_offers_three_kinds_and_two_enterprise_modes(client: Client) -> None:
    page = client.get("/login").text
    for label in ("企业登录", "自然人登录", "代理机构登录", "普通登录", "快捷登录"):
        assert label in page
    assert 'action="/login/enterprise"' in page
    assert "/captcha.png?form=login_enterprise" in page
    assert 'name="agree"' in page and 'href="/login/agreement"' in page
    assert 'name="_csrf_token"' in page
    assert "/login/enterprise/forgot" in page
    quick = client.get("/login?tab=enterprise&mode=quick").text
    assert 'action="/login/quick"' in quick and "/captcha.png?form=login_quick" in quick
    natural = client.get("/login?tab=natural").text
    assert 'action="/login/natural"' in natural and "/captcha.png?form=login_natural" in natural
    agency = client.get("/login?tab=agency").text
    assert 'action="/login/agency"' in agency and "/captcha.png?form=login_agency" in agency


def test_agreement_has_a_page_of_its_own(client: Client) -> None:
    response = client.get("/login/agreement")
    assert response.status_code == 200
    assert "电子税务局用户服务协议" in response.text and "账户与身份验证" in response.text


def test_next_is_kept_and_only_local_targets_are_followed(client: Client) -> None:
    assert 'name="next" value="/public/faq"' in client.get("/login?next=/public/faq").text
    assert 'name="next" value="/"' in client.get("/login?next=//evil.example/x").text
    assert 'name="next" value="/"' in client.get("/login?next=https://evil.example/").text
    staff_id = demo_staff_id(HEXIN_TIN, "王建国")
    step = enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD, next_url="/public/faq")
    assert location(step) == "/login/enterprise/staff"
    assert location(choose(client, staff_id, "password")) == "/login/enterprise/password"
    assert location(post(client, "/login/enterprise/password", {"password": "Wangjg@2026"})) == "/public/faq"


def test_agreement_tick_is_required(client: Client) -> None:
    data = {"tin": HEXIN_TIN, "password": HEXIN_PASSWORD, "captcha": CAPTCHA}
    response = post(client, "/login/enterprise", data)
    assert response.status_code == 400
    assert msg.AGREE_REQUIRED in response.text
    assert client.get("/login/enterprise/staff", follow_redirects=False).status_code == 303


def test_captcha_is_required_and_checked(client: Client) -> None:
    data = {"tin": HEXIN_TIN, "password": HEXIN_PASSWORD, "agree": "on"}
    assert "请输入验证码" in post(client, "/login/enterprise", data).text
    wrong = post(client, "/login/enterprise", {**data, "captcha": "ZZZZ"})
    assert wrong.status_code == 400 and "验证码" in wrong.text
    assert client.get("/login/enterprise/staff", follow_redirects=False).status_code == 303


def test_bad_and_unknown_tin_are_refused_in_chinese(client: Client) -> None:
    bad = enterprise_step(client, "12345", HEXIN_PASSWORD)
    assert bad.status_code == 400 and "纳税人识别号应为15位、18位或20位" in bad.text
    unknown = enterprise_step(client, make_enterprise(account=False).tin, "Whatever@2026")
    assert unknown.status_code == 400 and msg.UNKNOWN_TAXPAYER in unknown.text


def test_wrong_enterprise_password_says_how_many_tries_are_left(client: Client) -> None:
    firm = make_enterprise(PersonSpec("甄法人", role="legal_rep", personal_password="Geren@2026"))
    response = enterprise_step(client, firm.tin, "Wrong@2026")
    assert response.status_code == 400
    assert "纳税人识别号或企业密码错误" in response.text and "还可以尝试4次" in response.text


# ---- 普通登录: choosing a person -------------------------------------------------------------------


def test_people_are_listed_with_masked_names(client: Client) -> None:
    assert location(enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD)) == "/login/enterprise/staff"
    page = client.get("/login/enterprise/staff").text
    names = people(page)
    assert names[:3] == ["王*国", "李*梅", "张*"]
    assert "王建国" not in page and "李秀梅" not in page
    assert "法定代表人" in page and "财务负责人" in page and "办税员" in page


def test_faq1_no_legal_rep_boxes_until_synced(client: Client) -> None:
    """FAQ 1: 需要先点击【同步办税人】才可带出人员勾选框."""
    firm = make_enterprise(
        PersonSpec("钱国栋", role="legal_rep", staff=False),
        PersonSpec("孙晓燕", role="finance_head", staff=False),
        PersonSpec("李办税", role="tax_officer", staff=False),
    )
    enterprise_step(client, firm.tin, firm.password)
    before = client.get("/login/enterprise/staff").text
    assert msg.SYNC_FIRST in before and people(before) == []
    synced = post(client, "/login/enterprise/staff/sync")
    assert synced.status_code == 200
    assert people(synced.text) == ["钱*栋", "孙*燕"]
    assert msg.SYNC_FIRST not in synced.text
    assert "已同步" in synced.text
    roles = run(StaffMember.select(StaffMember.role).where(StaffMember.taxpayer == firm.id))
    assert sorted(row["role"] for row in roles) == ["finance_head", "legal_rep"]
    again = post(client, "/login/enterprise/staff/sync")
    assert people(again.text) == ["钱*栋", "孙*燕"] and "无需更新" in again.text
    assert [row["outcome"] for row in audit_rows("staff.sync", firm.id)] == ["success", "success"]


def test_faq1_demo_county_taxpayer_shows_the_sync_hint(client: Client) -> None:
    assert location(enterprise_step(client, XINGNONG_TIN, XINGNONG_PASSWORD)) == "/login/enterprise/staff"
    page = client.get("/login/enterprise/staff").text
    assert msg.SYNC_FIRST in page and "康平县兴农农资经营部" in page


def test_sync_skips_people_without_real_name_collection(client: Client) -> None:
    firm = make_enterprise(
        PersonSpec("冷法人", role="legal_rep", staff=False, real_name=False),
        PersonSpec("温财务", role="finance_head", staff=False),
    )
    enterprise_step(client, firm.tin, firm.password)
    synced = post(client, "/login/enterprise/staff/sync")
    assert people(synced.text) == ["温*务"]
    assert "冷*人 尚未完成实名采集，未能同步" in synced.text


def test_sync_follows_role_changes_on_the_registration(client: Client) -> None:
    firm = make_enterprise(
        PersonSpec("升职者", role="finance_head", staff_role="tax_officer", personal_password="Geren@2026"),
        PersonSpec("降职者", role="tax_officer", staff_role="legal_rep", personal_password="Geren@2026"),
    )
    enterprise_step(client, firm.tin, firm.password)
    post(client, "/login/enterprise/staff/sync")
    assert staff_row(firm.staff_id("升职者"))["role"] == "finance_head"
    assert staff_row(firm.staff_id("降职者"))["role"] == "tax_officer"


def test_choosing_another_enterprises_person_is_refused(client: Client) -> None:
    other = make_enterprise(PersonSpec("外企人", role="legal_rep", personal_password="Geren@2026"))
    enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD)
    response = choose(client, other.staff_id("外企人"), "password")
    assert response.status_code == 400 and msg.CHOOSE_STAFF in response.text
    assert post(client, "/login/enterprise/staff", {"staff": "abc", "method": "sms"}).status_code == 400


def test_frozen_officer_is_refused_with_the_seed_message(client: Client) -> None:
    enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD)
    response = choose(client, demo_staff_id(HEXIN_TIN, "周强"), "password")
    assert response.status_code == 400
    assert "您选择的办税人已经被锁定,请选择其他办税人" in response.text


def test_faq11_person_no_longer_on_the_registration(client: Client) -> None:
    enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD)
    response = choose(client, demo_staff_id(HEXIN_TIN, "吴敏"), "sms")
    assert response.status_code == 400
    assert (
        "当前办税人与税务登记办税人信息不符,请通过变更税务登记维护办税人,并重新同步办税人信息。"
        in response.text
    )


def test_faq11_legal_rep_whose_role_left_the_registration(client: Client) -> None:
    firm = make_enterprise(
        PersonSpec("前法人", role="tax_officer", staff_role="legal_rep", personal_password="Geren@2026")
    )
    enterprise_step(client, firm.tin, firm.password)
    response = choose(client, firm.staff_id("前法人"), "password")
    assert msg.NOT_ON_REGISTRATION in response.text


def test_person_without_real_name_collection_cannot_log_in(client: Client) -> None:
    enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD)
    response = choose(client, demo_staff_id(HEXIN_TIN, "赵磊"), "password")
    assert response.status_code == 400
    assert "尚未完成实名信息采集" in response.text and "实名采集" in response.text


# ---- 普通登录: SMS and personal password --------------------------------------------------------------


def test_first_normal_login_by_sms_then_personal_password_is_forced(client: Client) -> None:
    firm = make_enterprise(
        PersonSpec("初登法人", role="legal_rep", staff=False),
        PersonSpec("初登财务", role="finance_head", staff=False),
        password="Chudeng@2026",
    )
    enterprise_step(client, firm.tin, firm.password)
    post(client, "/login/enterprise/staff/sync")
    legal = run(
        StaffMember.select(StaffMember.id)
        .where((StaffMember.taxpayer == firm.id) & (StaffMember.role == "legal_rep"))
        .first()
    )
    assert legal is not None
    mobile = firm.people["初登法人"].mobile
    assert location(choose(client, legal["id"], "sms")) == "/login/enterprise/sms"
    page = client.get("/login/enterprise/sms").text
    assert mobile[:3] + "****" + mobile[-4:] in page and mobile not in page
    sent = post(client, "/login/enterprise/sms/send")
    assert "验证码已发送至" in sent.text
    assert location(post(client, "/login/enterprise/sms", {"sms_code": sms_code(client, mobile)})) == (
        "/login/set-password"
    )
    # Nothing else before the personal password is set.
    assert location(client.get("/public/faq", follow_redirects=False)) == "/login/set-password"
    form = client.get("/login/set-password").text
    assert "初次普通登录须设置个人登录密码" in form and "该密码与企业密码不同" in form
    weak = set_password(client, "abcdefgh")
    assert weak.status_code == 400 and "至少包含字母、数字、符号中的两种" in weak.text
    mismatch = post(
        client, "/login/set-password", {"password": "Geren@2026", "confirm": "Geren@2027", "captcha": CAPTCHA}
    )
    assert "两次输入的新密码不一致" in mismatch.text
    same = set_password(client, firm.password)
    assert same.status_code == 400 and "个人登录密码不能与企业密码相同" in same.text
    assert location(set_password(client, "Geren@2026")) == "/"
    assert client.get("/public/faq").status_code == 200
    assert identity_text(client) == f"{firm.name} · 初登法人"
    assert staff_row(int(legal["id"]))["personal_password_hash"].startswith("$argon2id$")
    # From now on 密码登录 works.
    post(client, "/logout")
    assert location(password_login(client, firm.tin, firm.password, int(legal["id"]), "Geren@2026")) == "/"


def test_faq2_password_login_before_a_password_was_set(client: Client) -> None:
    enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD)
    assert (
        location(choose(client, demo_staff_id(HEXIN_TIN, "李秀梅"), "password"))
        == "/login/enterprise/password"
    )
    response = post(client, "/login/enterprise/password", {"password": "Anything@2026"})
    assert response.status_code == 400 and "尚未设置密码" in response.text
    assert "应采取短信登录" in response.text
    assert not is_logged_in(client)


def test_faq3_no_sms_to_a_fixed_line_number(client: Client) -> None:
    firm = make_enterprise(PersonSpec("固话员", mobile="", fixed_phone="024-23456789"))
    enterprise_step(client, firm.tin, firm.password)
    assert location(choose(client, firm.staff_id("固话员"), "sms")) == "/login/enterprise/sms"
    page = client.get("/login/enterprise/sms").text
    assert msg.FIXED_LINE_ONLY in page
    assert "若手机号码录入在【固定电话号码】项目内，必须修改到【移动电话】项目内才可以发送验证码" in page
    before = run(SmsCode.count())
    refused = post(client, "/login/enterprise/sms/send")
    assert refused.status_code == 400 and msg.FIXED_LINE_ONLY in refused.text
    assert run(SmsCode.count()) == before


def test_faq3_demo_officer_with_only_a_fixed_line_phone(client: Client) -> None:
    enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD)
    choose(client, demo_staff_id(HEXIN_TIN, "孙丽"), "sms")
    assert msg.FIXED_LINE_ONLY in client.get("/login/enterprise/sms").text


def test_sms_goes_to_the_registration_mobile_before_the_real_name_one() -> None:
    person = PersonRecord(
        id=7,
        name="某",
        id_type="居民身份证",
        id_number="x",
        mobile="13900000002",
        fixed_phone="",
        real_name_collected=True,
    )
    registered = StaffRecord(
        person=person, role="tax_officer", registered_mobile="13900000001", registered_fixed_phone=""
    )
    assert login_mobile(7, "13900000002", "", [registered]) == ("13900000001", None)
    typed_in_wrong_field = StaffRecord(
        person=person, role="tax_officer", registered_mobile="024-22223333", registered_fixed_phone=""
    )
    assert login_mobile(7, "13900000002", "", [typed_in_wrong_field]) == ("13900000002", None)
    assert login_mobile(7, "", "", [typed_in_wrong_field]) == ("", msg.FIXED_LINE_ONLY)
    assert login_mobile(7, "", "", []) == ("", msg.NO_MOBILE)


def test_sms_login_of_an_officer_uses_the_registration_number(client: Client) -> None:
    firm = make_enterprise(
        PersonSpec("登记号员", registered_mobile="13711112222", personal_password="Geren@2026"),
    )
    allow_resend("13711112222")
    response = sms_login(
        client, "13711112222", firm.staff_id("登记号员"), tin=firm.tin, password=firm.password
    )
    assert location(response) == "/"
    assert identity_text(client) == f"{firm.name} · 登记号员"


def test_faq6_enterprise_password_typed_as_the_personal_one(client: Client) -> None:
    firm = make_enterprise(PersonSpec("六号员", personal_password="Geren@2026"), password="Faq6Qiye@2026")
    response = password_login(client, firm.tin, firm.password, firm.staff_id("六号员"), firm.password)
    assert response.status_code == 400
    assert "请输入个人登录密码，不是企业登录密码" in response.text
    assert "还可以尝试4次" in response.text
    plain_wrong = post(client, "/login/enterprise/password", {"password": "Nope@2026"})
    assert "个人登录密码错误" in plain_wrong.text and msg.ENTERPRISE_PASSWORD_GIVEN not in plain_wrong.text


def test_bound_officer_logs_in_with_the_natural_person_password(client: Client) -> None:
    firm = make_enterprise(
        PersonSpec("绑定员", personal_password="Own#Geren2026", bound=True, natural_password="Ziran@2026")
    )
    staff_id = firm.staff_id("绑定员")
    own = password_login(client, firm.tin, firm.password, staff_id, "Own#Geren2026")
    assert own.status_code == 400
    assert location(post(client, "/login/enterprise/password", {"password": "Ziran@2026"})) == "/"
    assert identity_text(client) == f"{firm.name} · 绑定员"


def test_demo_bound_officer_zhang_wei(client: Client) -> None:
    staff_id = demo_staff_id(HEXIN_TIN, "张伟")
    assert location(password_login(client, HEXIN_TIN, HEXIN_PASSWORD, staff_id, "Zhangwei@2026")) == "/"
    assert identity_text(client) == "沈阳和信科技有限公司 · 张伟"


def test_reset_password_111111_must_be_changed_before_anything_else(client: Client) -> None:
    firm = make_enterprise(PersonSpec("重置员", personal_password=RESET_PASSWORD, must_change=True))
    response = password_login(client, firm.tin, firm.password, firm.staff_id("重置员"), RESET_PASSWORD)
    assert location(response) == "/login/set-password"
    assert "已被重置为111111" in client.get("/login/set-password").text
    assert location(client.get("/public/faq", follow_redirects=False)) == "/login/set-password"
    assert "密码长度应为8至20位" in set_password(client, RESET_PASSWORD).text
    assert location(set_password(client, "Newer#2026")) == "/"
    row = staff_row(firm.staff_id("重置员"))
    assert row["must_change_password"] is False


def test_cancel_on_the_password_page_returns_to_the_choice(client: Client) -> None:
    enterprise_step(client, HEXIN_TIN, HEXIN_PASSWORD)
    choose(client, demo_staff_id(HEXIN_TIN, "王建国"), "password")
    page = client.get("/login/enterprise/password").text
    assert 'href="/login/enterprise/staff"' in page and "取消" in page


def test_steps_need_the_first_step(client: Client) -> None:
    for url in ("/login/enterprise/staff", "/login/enterprise/sms", "/login/enterprise/password"):
        assert location(client.get(url, follow_redirects=False)) == "/login?tab=enterprise"
    assert (
        location(post(client, "/login/enterprise/staff", {"staff": "1", "method": "sms"}))
        == "/login?tab=enterprise"
    )


# ---- 快捷登录 -------------------------------------------------------------------------------------------


def test_quick_login_for_a_maintained_person(client: Client) -> None:
    firm = make_enterprise(PersonSpec("快捷财务", role="finance_head", personal_password="Geren@2026"))
    mobile = firm.people["快捷财务"].mobile
    form = {"tin": firm.tin, "password": firm.password, "role": "finance_head", "mobile": mobile}
    sent = post(client, "/login/quick", {**form, "action": "send", "captcha": CAPTCHA, "next": "/public/faq"})
    assert sent.status_code == 200, sent.text
    assert "验证码已发送至" in sent.text and f'value="{mobile}"' in sent.text
    no_agree = post(client, "/login/quick", {**form, "action": "login", "sms_code": sms_code(client, mobile)})
    assert no_agree.status_code == 400 and msg.AGREE_REQUIRED in no_agree.text
    done = post(
        client,
        "/login/quick",
        {**form, "action": "login", "sms_code": sms_code(client, mobile), "agree": "on"},
    )
    assert location(done) == "/public/faq"
    assert identity_text(client) == f"{firm.name} · 快捷财务"
    assert audit_rows("login.enterprise", firm.id)[-1]["detail"].startswith("快捷登录")


def test_faq10_quick_login_needs_a_normal_login_first(client: Client) -> None:
    fresh = make_enterprise(PersonSpec("新法人", role="legal_rep", staff=False))
    form = {
        "tin": fresh.tin,
        "password": fresh.password,
        "role": "legal_rep",
        "mobile": fresh.people["新法人"].mobile,
    }
    response = post(client, "/login/quick", {**form, "action": "send", "captcha": CAPTCHA})
    assert response.status_code == 400 and msg.QUICK_NOT_MAINTAINED in response.text
    assert "首次登录请使用【普通登录】" in response.text
    half = make_enterprise(
        PersonSpec("无密码员", personal_password=""), PersonSpec("另一人", role="legal_rep")
    )
    form = {
        "tin": half.tin,
        "password": half.password,
        "role": "tax_officer",
        "mobile": half.people["无密码员"].mobile,
    }
    assert (
        msg.QUICK_NOT_MAINTAINED
        in post(client, "/login/quick", {**form, "action": "send", "captcha": CAPTCHA}).text
    )


def test_quick_login_mobile_must_be_the_real_name_one(client: Client) -> None:
    firm = make_enterprise(PersonSpec("快捷员", personal_password="Geren@2026"))
    form = {"tin": firm.tin, "password": firm.password, "role": "tax_officer", "mobile": "13000000000"}
    response = post(client, "/login/quick", {**form, "action": "send", "captcha": CAPTCHA})
    assert response.status_code == 400 and msg.QUICK_MOBILE_MISMATCH in response.text
    wrong_role = {**form, "role": "legal_rep", "mobile": firm.people["快捷员"].mobile}
    assert (
        msg.QUICK_MOBILE_MISMATCH
        in post(client, "/login/quick", {**wrong_role, "action": "send", "captcha": CAPTCHA}).text
    )


def test_quick_login_refuses_frozen_and_pure_social_security(client: Client) -> None:
    firm = make_enterprise(PersonSpec("冻结员", personal_password="Geren@2026", frozen=True))
    form = {
        "tin": firm.tin,
        "password": firm.password,
        "role": "tax_officer",
        "mobile": firm.people["冻结员"].mobile,
    }
    assert (
        msg.STAFF_FROZEN in post(client, "/login/quick", {**form, "action": "send", "captcha": CAPTCHA}).text
    )
    pure = {"tin": CHENGUANG_TIN, "password": "Chenguang@2026", "role": "legal_rep", "mobile": "13800000021"}
    response = post(client, "/login/quick", {**pure, "action": "send", "captcha": CAPTCHA})
    assert msg.QUICK_PURE_SOCIAL_SECURITY in response.text


def test_quick_login_without_a_sent_code_or_with_a_changed_number(client: Client) -> None:
    firm = make_enterprise(PersonSpec("换号员", personal_password="Geren@2026"))
    mobile = firm.people["换号员"].mobile
    form = {"tin": firm.tin, "role": "tax_officer", "mobile": mobile, "sms_code": "123456", "agree": "on"}
    assert "请先点击【发送验证码】" in post(client, "/login/quick", {**form, "action": "login"}).text
    post(client, "/login/quick", {**form, "password": firm.password, "action": "send", "captcha": CAPTCHA})
    changed = post(client, "/login/quick", {**form, "mobile": "13000000001", "action": "login"})
    assert "请重新发送验证码" in changed.text
    assert not is_logged_in(client)


# ---- 纯社保户 -------------------------------------------------------------------------------------------


def test_pure_social_security_goes_straight_to_the_fee_area(client: Client) -> None:
    outbox_before = len(client.get("/dev/sms.json").json())
    response = enterprise_step(client, CHENGUANG_TIN, "Chenguang@2026")
    assert location(response) == "/login/social-insurance"
    page = client.get("/login/social-insurance")
    assert page.status_code == 200
    for fee in ("基本养老保险费", "基本医疗保险费", "失业保险费", "工伤保险费"):
        assert fee in page.text
    assert "无需手机验证码验证" in page.text
    assert "尚未安装社会保险费申报缴纳功能" in page.text
    assert len(client.get("/dev/sms.json").json()) == outbox_before
    assert "沈阳市沈河区晨光社区服务中心 · 陈静" == identity_text(client)
    assert client.get("/login/set-password", follow_redirects=False).status_code == 303
    success = audit_rows("login.social_security", demo_taxpayer_id(CHENGUANG_TIN))
    assert success and success[-1]["outcome"] == "success"


def test_pure_social_security_lists_only_functions_it_may_open(client: Client) -> None:
    firm = make_enterprise(
        PersonSpec("社保法人", role="legal_rep", staff=False),
        pure_social_security=True,
        registered_taxes="基本养老保险费,失业保险费",
    )
    assert location(enterprise_step(client, firm.tin, firm.password)) == "/login/social-insurance"
    page = client.get("/login/social-insurance").text
    fees = page[page.index('data-testid="fees"') : page.index("</table>", page.index('data-testid="fees"'))]
    assert "基本养老保险费" in fees and "失业保险费" in fees and "企业所得税" not in page
    tiles = page[page.index('data-testid="functions"') :]
    tiles = tiles[: tiles.index("</ul>")]
    assert "/public/" not in tiles  # public functions are open to everyone and are not listed


def test_social_insurance_page_needs_a_pure_social_security_login(client: Client) -> None:
    assert location(client.get("/login/social-insurance", follow_redirects=False)) == "/login"
    password_login(client, HEXIN_TIN, HEXIN_PASSWORD, demo_staff_id(HEXIN_TIN, "王建国"), "Wangjg@2026")
    assert location(client.get("/login/social-insurance", follow_redirects=False)) == "/login"


# ---- 企业密码 忘记密码 -----------------------------------------------------------------------------------


def test_enterprise_password_recovery_through_the_legal_representative(client: Client) -> None:
    firm = make_enterprise(
        PersonSpec("找回法人", role="legal_rep", personal_password="Geren@2026"), password="Old#Qiye2026"
    )
    legal = firm.people["找回法人"]
    assert "找回企业密码" in client.get("/login/enterprise/forgot").text
    base = {"tin": firm.tin, "name": legal.name, "id_number": legal.id_number, "captcha": CAPTCHA}
    wrong = post(client, "/login/enterprise/forgot", {**base, "name": "别人"})
    assert wrong.status_code == 400 and "不匹配" in wrong.text
    allow_resend(legal.mobile)
    assert location(post(client, "/login/enterprise/forgot", base)) == "/login/enterprise/forgot/confirm"
    assert legal.mobile[-4:] in client.get("/login/enterprise/forgot/confirm").text
    code = sms_code(client, legal.mobile)
    weak = post(
        client,
        "/login/enterprise/forgot/confirm",
        {"sms_code": code, "password": "short", "confirm": "short"},
    )
    assert weak.status_code == 400 and "密码长度应为8至20位" in weak.text
    done = post(
        client,
        "/login/enterprise/forgot/confirm",
        {"sms_code": code, "password": "New#Qiye2026", "confirm": "New#Qiye2026"},
    )
    assert location(done) == "/login?tab=enterprise&notice=ent_reset"
    assert "企业密码已重置" in client.get("/login?tab=enterprise&notice=ent_reset").text
    assert enterprise_step(client, firm.tin, "Old#Qiye2026").status_code == 400
    assert location(enterprise_step(client, firm.tin, "New#Qiye2026")) == "/login/enterprise/staff"
    assert audit_rows("password.enterprise.recover", firm.id)[-1]["outcome"] == "success"


def test_enterprise_recovery_refuses_the_current_password(client: Client) -> None:
    firm = make_enterprise(
        PersonSpec("同密法人", role="legal_rep", personal_password="Geren@2026"), password="Same#Qiye2026"
    )
    legal = firm.people["同密法人"]
    base = {"tin": firm.tin, "name": legal.name, "id_number": legal.id_number, "captcha": CAPTCHA}
    allow_resend(legal.mobile)
    assert location(post(client, "/login/enterprise/forgot", base)) == "/login/enterprise/forgot/confirm"
    code = sms_code(client, legal.mobile)
    same = post(
        client,
        "/login/enterprise/forgot/confirm",
        {"sms_code": code, "password": "Same#Qiye2026", "confirm": "Same#Qiye2026"},
    )
    assert same.status_code == 400 and "不能与当前企业密码相同" in same.text
    assert audit_rows("password.enterprise.recover", firm.id) == []  # nothing was changed


def test_enterprise_password_recovery_with_a_fixed_line_legal_rep(client: Client) -> None:
    firm = make_enterprise(PersonSpec("固话法人", role="legal_rep", mobile="", fixed_phone="024-88886666"))
    legal = firm.people["固话法人"]
    response = post(
        client,
        "/login/enterprise/forgot",
        {"tin": firm.tin, "name": legal.name, "id_number": legal.id_number, "captcha": CAPTCHA},
    )
    assert response.status_code == 400 and msg.FIXED_LINE_ONLY in response.text


# ---- audit ---------------------------------------------------------------------------------------------


def test_logins_and_failures_are_audited_with_the_address(client: Client) -> None:
    firm = make_enterprise(PersonSpec("审计员", role="legal_rep", personal_password="Geren@2026"))
    enterprise_step(client, firm.tin, "Bad#Pass2026")
    password_login(client, firm.tin, firm.password, firm.staff_id("审计员"), "Geren@2026")
    rows = audit_rows("login.enterprise", firm.id)
    outcomes = [(row["action"], row["outcome"]) for row in rows]
    assert ("login.enterprise.password", "failure") in outcomes
    assert ("login.enterprise.password", "success") in outcomes
    assert ("login.enterprise", "success") in outcomes
    final = [row for row in rows if row["action"] == "login.enterprise"][-1]
    assert (
        final["actor"] == "审计员（法定代表人）"
        and final["ip"] == "testclient"
        and final["detail"] == "密码登录"
    )


def test_the_login_demo_world_loads_once() -> None:
    """``etax demo load`` twice changes nothing: every login account is already there."""
    assert set(run(load_auth_demo()).values()) == {0}
