"""办税服务厅前台 end to end: 实名采集 → 新办纳税人登记 (registry and 税费种认定) → 开户 with the printed
注册凭证 → the enterprise logs in with the handed-over password and must set a personal password (the
seed's 初次普通登录) → 柜台密码重置 replaces the password. Only 前台办税员 (and 系统管理员) open the pages."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator

import pytest
from litestar import Litestar

from etax.platform import ledger as L
from etax.platform.admin.guard import SESSION_ADMIN
from etax.platform.auth.credentials import reset_counters
from etax.platform.auth.tables import StaffMember
from etax.platform.coresys.tables import Person, Taxpayer
from etax.platform.settings import load_settings
from tests.conftest import new_client
from tests.factories import new_id_number, new_tin
from tests.login_helpers import enterprise_step, location, post, set_password, sms_login
from tests.matters_support import audited
from tests.test_applications_review import make_admin
from tests.test_applications_support import csrf, run


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    run(reset_counters(load_settings()))
    yield
    run(reset_counters(load_settings()))


def _mobile() -> str:
    return "138" + "".join(secrets.choice("0123456789") for _ in range(8))


def _voucher_password(html: str) -> str:
    match = re.search(r'data-testid="voucher-password">([^<]+)<', html)
    assert match, html[:3000]
    return match.group(1)


def test_new_taxpayer_registered_opened_and_logged_in_with_the_voucher_password(app: Litestar) -> None:
    legal = {"name": "新办法人", "id_number": new_id_number(), "mobile": _mobile()}
    finance = {"name": "新办财务", "id_number": new_id_number(), "mobile": _mobile()}
    tin = new_tin()
    with new_client(app) as desk:
        desk.set_session_data({SESSION_ADMIN: {"admin_id": make_admin("frontdesk").id}})
        token = csrf(desk)
        home = desk.get("/admin/frontdesk")
        assert home.status_code == 200 and "办税服务厅前台" in home.text and "前台办税员" in home.text
        fixed = desk.post(
            "/admin/frontdesk/person", data={**legal, "mobile": "02412345678", "_csrf_token": token}
        )
        assert fixed.status_code == 400 and "手机号码应为11位移动电话号码" in fixed.text
        bad_id = desk.post(
            "/admin/frontdesk/person", data={**legal, "id_number": "210102199001011234", "_csrf_token": token}
        )
        assert bad_id.status_code == 400 and not run(
            Person.exists().where(Person.id_number == "210102199001011234")
        )
        for person in (legal, finance):
            done = desk.post("/admin/frontdesk/person", data={**person, "_csrf_token": token})
            assert done.status_code == 200 and "已完成实名采集" in done.text

        form = {
            "tin": tin,
            "name": "沈阳新办商贸有限公司",
            "taxpayer_type": "小规模纳税人",
            "location_class": "市区",
            "tax_office": "国家税务总局沈阳市和平区税务局",
            "address": "沈阳市和平区南京北街1号",
            "industry": "批发业",
            "registered_on": "2026-11-02",
            "legal_rep_id_number": legal["id_number"],
            "finance_head_id_number": finance["id_number"],
            "_csrf_token": token,
        }
        uncollected = desk.post(
            "/admin/frontdesk/register", data={**form, "officer_id_number": new_id_number()}
        )
        assert uncollected.status_code == 400 and "办税员尚未实名采集" in uncollected.text
        assert not run(Taxpayer.exists().where(Taxpayer.tin == tin))
        registered = desk.post(
            "/admin/frontdesk/register",
            data={**form, "taxes": ["vat", "surcharges", "cit"]},
            follow_redirects=False,
        )
        assert registered.status_code in (302, 303), registered.text
        row = run(Taxpayer.select(Taxpayer.id).where(Taxpayer.tin == tin).first())
        taxpayer_id = int(row["id"])
        kinds = {(r.tax_type, r.period_kind) for r in run(L.registrations(taxpayer_id))}
        assert (L.TaxType.VAT, L.PeriodKind.QUARTER) in kinds and (
            L.TaxType.CIT,
            L.PeriodKind.QUARTER,
        ) in kinds
        assert len(kinds) == 5
        twice = desk.post("/admin/frontdesk/register", data=form)
        assert twice.status_code == 400 and "该纳税人识别号已登记" in twice.text

        page = desk.get(f"/admin/frontdesk/taxpayers/{taxpayer_id}").text
        assert "未开户" in page and "新办法人" in page
        opened = desk.post(f"/admin/frontdesk/taxpayers/{taxpayer_id}/open", data={"_csrf_token": token})
        assert (
            opened.status_code == 200
            and "电子税务局办税用户注册凭证" in opened.text
            and "data-print" in opened.text
        )
        password = _voucher_password(opened.text)
        reopened = desk.post(
            f"/admin/frontdesk/taxpayers/{taxpayer_id}/open",
            data={"_csrf_token": token},
            follow_redirects=True,
        )
        assert "该纳税人已开户" in reopened.text
    assert [r["action"] for r in audited("admin.frontdesk.open", taxpayer_id)] == ["admin.frontdesk.open"]
    assert all(password not in (r["detail"] or "") for r in audited("admin.frontdesk.open", taxpayer_id))
    assert len(audited("admin.frontdesk.register", taxpayer_id)) == 1

    # The enterprise logs in with the voucher's password; the first ordinary login forces a personal password.
    with new_client(app) as enterprise:
        assert location(enterprise_step(enterprise, tin, password)) == "/login/enterprise/staff"
        post(enterprise, "/login/enterprise/staff/sync")
        staff = run(
            StaffMember.select(StaffMember.id)
            .where((StaffMember.taxpayer == taxpayer_id) & (StaffMember.role == "legal_rep"))
            .first()
        )
        assert staff is not None
        assert location(sms_login(enterprise, legal["mobile"], int(staff["id"]))) == "/login/set-password"
        assert location(set_password(enterprise, "Xinban@2026")) == "/"
        assert "沈阳新办商贸有限公司" in enterprise.get("/").text

    # 柜台密码重置: a new password on a new voucher; the old one no longer opens the account.
    with new_client(app) as desk:
        desk.set_session_data({SESSION_ADMIN: {"admin_id": make_admin("frontdesk").id}})
        reset = desk.post(f"/admin/frontdesk/taxpayers/{taxpayer_id}/reset", data={"_csrf_token": csrf(desk)})
        assert reset.status_code == 200 and "柜台密码重置" in reset.text
        fresh = _voucher_password(reset.text)
    assert fresh != password
    with new_client(app) as enterprise:
        refused = enterprise_step(enterprise, tin, password)
        assert refused.status_code == 400 and "密码" in refused.text
    with new_client(app) as enterprise:
        assert location(enterprise_step(enterprise, tin, fresh)) == "/login/enterprise/staff"


def test_only_the_front_desk_and_the_system_administrator_open_it(app: Litestar) -> None:
    for role, expected in (("reviewer", 403), ("content", 403), ("system", 200), ("frontdesk", 200)):
        with new_client(app) as browser:
            browser.set_session_data({SESSION_ADMIN: {"admin_id": make_admin(role).id}})
            assert browser.get("/admin/frontdesk/register").status_code == expected, role
