"""Sessions after the penetration test: no planted session id is adopted,
the id rotates at every login step that raises privilege, a password change ends the account's other
sessions, and a renewed agency certification needs the new 协议密码."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.stores.base import Store

from etax.platform.auth.credentials import reset_counters
from etax.platform.auth.passwords import hash_password
from etax.platform.auth.sessions import SESSION_COOKIE
from etax.platform.auth.tables import AgencyCertification
from etax.platform.settings import load_settings
from tests.conftest import new_client
from tests.login_helpers import (
    CAPTCHA,
    Client,
    PersonSpec,
    certify,
    enterprise_step,
    identity_text,
    is_logged_in,
    location,
    make_enterprise,
    make_person,
    natural_login,
    password_login,
    post,
    run,
    token,
)


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    run(reset_counters(load_settings()))
    yield


def stored(app: Litestar, session_id: str) -> bool:
    store: Store = app.stores.get("sessions")
    return run(store.exists(session_id))


# ---- item 8: the server chooses the session id ----------------------------------------------------


def test_a_planted_session_id_is_never_adopted(app: Litestar) -> None:
    planted = secrets.token_hex(32)
    firm = make_enterprise(PersonSpec("被钓鱼法人", role="legal_rep", personal_password="Geren@2026"))
    with new_client(app) as victim:
        victim.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
        token(victim)
        assert location(enterprise_step(victim, firm.tin, firm.password)) == "/login/enterprise/staff"
        assert victim.cookies[SESSION_COOKIE] != planted  # the half-finished login lives under a new id
        assert not stored(app, planted)
    with new_client(app) as attacker:
        attacker.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
        page = attacker.get("/login/enterprise/staff", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_the_session_id_rotates_when_a_login_flow_starts(app: Litestar) -> None:
    """Even an id the server issued (the attacker's own, planted in the victim's browser) is left behind
    once the enterprise password is right."""
    firm = make_enterprise(PersonSpec("轮换法人", role="legal_rep", personal_password="Geren@2026"))
    with new_client(app) as attacker:
        attacker.get("/captcha.png?form=login_enterprise")  # the server issues a session id
        issued = attacker.cookies[SESSION_COOKIE]
        assert stored(app, issued)
        with new_client(app) as victim:
            victim.cookies.set(SESSION_COOKIE, issued, domain="testserver.local")
            token(victim)
            assert location(enterprise_step(victim, firm.tin, firm.password)) == "/login/enterprise/staff"
            assert victim.cookies[SESSION_COOKIE] != issued
        page = attacker.get("/login/enterprise/staff", follow_redirects=False)
        assert page.status_code == 303  # the attacker's id carries nothing of the victim's login


# ---- item 9: a password change ends the account's other sessions ---------------------------------


def change(client: Client, url: str, old: str, new: str) -> None:
    data = {"old_password": old, "password": new, "password_confirm": new, "captcha": CAPTCHA}
    response = post(client, url, data)
    assert response.status_code == 200 and "修改成功" in response.text, response.text[:3000]


def test_changing_a_natural_persons_password_ends_the_other_sessions(app: Litestar) -> None:
    person = make_person("多端自然人", natural_password="Ziran@2026")
    with new_client(app) as phone, new_client(app) as laptop:
        for client in (phone, laptop):
            assert location(natural_login(client, person.username, "Ziran@2026")) == "/"
        change(laptop, "/usercentre/password", "Ziran@2026", "Xinmima#2026")
        assert is_logged_in(laptop)  # the session that changed it goes on
        assert not is_logged_in(phone)
        assert location(natural_login(phone, person.username, "Xinmima#2026")) == "/"


def test_changing_the_personal_or_enterprise_password_ends_the_other_sessions(app: Litestar) -> None:
    firm = make_enterprise(
        PersonSpec("改密法人", role="legal_rep", personal_password="Faren@2026"),
        PersonSpec("改密办税员", personal_password="Banshui@2026"),
    )
    rep, officer = firm.staff_id("改密法人"), firm.staff_id("改密办税员")
    with new_client(app) as rep_a, new_client(app) as rep_b, new_client(app) as clerk:
        for client in (rep_a, rep_b):
            assert location(password_login(client, firm.tin, firm.password, rep, "Faren@2026")) == "/"
        assert location(password_login(clerk, firm.tin, firm.password, officer, "Banshui@2026")) == "/"
        change(rep_a, "/usercentre/password", "Faren@2026", "Faren#2027")
        assert is_logged_in(rep_a) and not is_logged_in(rep_b) and is_logged_in(clerk)
        # The enterprise password is every staff member's first step: its change ends their sessions.
        change(rep_a, "/usercentre/enterprise-password", firm.password, "Qiyexin#2027")
        assert is_logged_in(rep_a) and not is_logged_in(clerk)


def test_a_reset_by_the_legal_representative_ends_the_officers_sessions(app: Litestar) -> None:
    firm = make_enterprise(
        PersonSpec("重置法人", role="legal_rep", personal_password="Faren@2026"),
        PersonSpec("被重置办税员", personal_password="Banshui@2026"),
    )
    rep, officer = firm.staff_id("重置法人"), firm.staff_id("被重置办税员")
    with new_client(app) as manager, new_client(app) as clerk:
        assert location(password_login(manager, firm.tin, firm.password, rep, "Faren@2026")) == "/"
        assert location(password_login(clerk, firm.tin, firm.password, officer, "Banshui@2026")) == "/"
        assert location(post(manager, f"/usercentre/staff/{officer}/reset")).startswith("/usercentre/staff")
        assert not is_logged_in(clerk)
        assert is_logged_in(manager)


# ---- item 6: acting for a client needs the current 协议密码 ----------------------------------------


def test_a_renewed_certification_needs_the_new_agreement_password(app: Litestar) -> None:
    agency = make_enterprise(PersonSpec("代理人", personal_password="Daili#2026"), is_agency=True)
    client_firm = make_enterprise(PersonSpec("委托法人", role="legal_rep"))
    cert_id = certify(client_firm.id, agency.id, "Xieyi#2026")
    with new_client(app) as agent:
        staff = agency.staff_id("代理人")
        assert location(
            password_login(agent, agency.tin, agency.password, staff, "Daili#2026", kind="agency")
        ) == ("/login/agency/client")
        chosen = post(
            agent,
            "/login/agency/client",
            {"client": str(cert_id), "agreement_password": "Xieyi#2026", "captcha": CAPTCHA},
        )
        assert location(chosen) == "/"
        assert client_firm.name in identity_text(agent)
        # The client cancels the certification, then renews it with a new 协议密码.
        run(
            AgencyCertification.update({AgencyCertification.status: "cancelled"}).where(
                AgencyCertification.id == cert_id
            )
        )
        assert client_firm.name not in identity_text(agent)
        renewed: dict[Any, Any] = {
            AgencyCertification.status: "active",
            AgencyCertification.agreement_password_hash: run(hash_password("Xinxieyi#2027")),
            AgencyCertification.valid_until: dt.date.today() + dt.timedelta(days=365),
        }
        run(AgencyCertification.update(renewed).where(AgencyCertification.id == cert_id))
        # The old session does not act for the client again: it must give the new 协议密码.
        assert client_firm.name not in identity_text(agent)
        assert is_logged_in(agent)
        again = post(
            agent,
            "/login/agency/client",
            {"client": str(cert_id), "agreement_password": "Xinxieyi#2027", "captcha": CAPTCHA},
        )
        assert location(again) == "/" and client_firm.name in identity_text(agent)


# ---- item 3: ids outside 1 … 2³¹−1 answer 404, never 500 -------------------------------------------


def id_routes(app: Litestar) -> list[tuple[str, str]]:
    """Every (method, path) of the app with an integer path parameter."""
    found: list[tuple[str, str]] = []
    for route in app.routes:
        parameters = route.path_parameters.values()
        if not any(parameter.type is int for parameter in parameters):
            continue
        url = route.path_format
        for parameter in parameters:
            url = url.replace("{" + parameter.name + "}", "{int}" if parameter.type is int else "edit")
        for method in sorted(getattr(route, "methods", ())):
            if method in ("GET", "POST"):
                found.append((method, url))
    return found


@pytest.mark.parametrize("value", ["2147483648", "9223372036854775808", "99999999999999999999999", "0", "-1"])
def test_every_id_route_answers_404_for_an_id_no_record_can_have(app: Litestar, value: str) -> None:
    routes = id_routes(app)
    assert len(routes) >= 27  # the routes the penetration test found, and more
    with new_client(app) as visitor:
        csrf = token(visitor)
        for method, path in routes:
            url = path.replace("{int}", value)
            response = visitor.request(
                method, url, data={"_csrf_token": csrf} if method == "POST" else None, follow_redirects=False
            )
            assert response.status_code == 404, (method, url, response.status_code)


# ---- item 10: a pure social-security login opens its area, 通知公告 and its enterprise password ---------


def test_a_pure_social_security_login_opens_only_its_area_and_its_enterprise_password(app: Litestar) -> None:
    firm = make_enterprise(
        PersonSpec("纯社保法人", role="legal_rep", staff=False),
        pure_social_security=True,
        registered_taxes="基本养老保险费,失业保险费",
    )
    with new_client(app) as unit:
        assert location(enterprise_step(unit, firm.tin, firm.password)) == "/login/social-insurance"
        assert unit.get("/login/social-insurance").status_code == 200
        assert unit.get("/public/announcements").status_code == 200
        for closed in (
            "/usercentre/password",
            "/inbox",
            "/favourites",
            "/usercentre/staff",
            "/usercentre/agencies",
        ):
            assert unit.get(closed, follow_redirects=False).status_code == 403, closed
        assert unit.get("/usercentre/enterprise-password").status_code == 200
        data = {"old_password": firm.password, "password": "Shebao#2027", "password_confirm": "Shebao#2027"}
        changed = post(unit, "/usercentre/enterprise-password", {**data, "captcha": CAPTCHA})
        assert changed.status_code == 200 and "修改成功" in changed.text
        assert unit.get("/login/social-insurance").status_code == 200  # this session goes on


def test_an_agency_sees_only_the_clients_tax_operations_without_addresses(app: Litestar) -> None:
    agency = make_enterprise(PersonSpec("查历史代理人", personal_password="Daili#2026"), is_agency=True)
    client_firm = make_enterprise(PersonSpec("查历史法人", role="legal_rep", personal_password="Faren@2026"))
    cert_id = certify(client_firm.id, agency.id, "Xieyi#2026", nodes="我要查询")
    with new_client(app) as staff:  # the client's own staff log in: their logins are the client's trail
        rep = client_firm.staff_id("查历史法人")
        assert (
            location(password_login(staff, client_firm.tin, client_firm.password, rep, "Faren@2026")) == "/"
        )
        own = staff.get("/query/history").text
        assert "login.enterprise" in own and "testclient" in own  # the enterprise sees its whole trail
    with new_client(app) as agent:
        staff_id = agency.staff_id("查历史代理人")
        password_login(agent, agency.tin, agency.password, staff_id, "Daili#2026", kind="agency")
        chosen = post(
            agent,
            "/login/agency/client",
            {"client": str(cert_id), "agreement_password": "Xieyi#2026", "captcha": CAPTCHA},
        )
        assert location(chosen) == "/"
        page = agent.get("/query/history")
        assert page.status_code == 200
        assert "login.enterprise" not in page.text and "testclient" not in page.text


# ---- item 10: the CSRF token belongs to the session ------------------------------------------------


def test_a_csrf_token_from_another_browser_is_refused(app: Litestar) -> None:
    person = make_person("防伪自然人", natural_password="Ziran@2026")
    with new_client(app) as attacker, new_client(app) as victim:
        foreign = token(attacker)  # a valid, signed token — of the attacker's own browser
        assert location(natural_login(victim, person.username, "Ziran@2026")) == "/"
        victim.cookies.set(
            "etax_csrf", foreign, domain="testserver.local"
        )  # tossed into the victim's browser
        forged = victim.post("/logout", data={"_csrf_token": foreign}, follow_redirects=False)
        assert forged.status_code == 403 and "页面已过期" in forged.text
        assert is_logged_in(victim)
