"""权限身份's function tree in a real browser: a branch is granted only when the user ticks it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from etax.platform.auth.tables import PermissionIdentity
from tests.browser.walk_helpers import enterprise_password_login
from tests.login_helpers import PersonSpec, make_enterprise, run

pytestmark = pytest.mark.browser

LEAF = "invoices.type_approval"  # 我要办税 › 发票使用 › 发票票种核定
BRANCH = "我要办税/发票使用"
CENTRE = "我要办税"


def box(page: Page, code: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-function-tree] input[value="{code}"]')


def test_ticking_a_branch_does_not_tick_its_parent(page: Page, live_server: str) -> None:
    firm = make_enterprise(PersonSpec("树法人", role="legal_rep", personal_password="Geren#Shu2026"))
    enterprise_password_login(page, live_server, firm.tin, firm.password, "树*人", "Geren#Shu2026")
    page.goto(live_server + "/usercentre/staff/identities/new")
    page.fill("#f-name", "发票专员")
    page.evaluate(
        "document.querySelectorAll('[data-function-tree] details').forEach(d => { d.open = true; })"
    )
    box(page, BRANCH).check()
    expect(box(page, LEAF)).to_be_checked()  # a ticked branch shows everything below it ticked
    expect(box(page, CENTRE)).not_to_be_checked()
    assert box(page, CENTRE).evaluate("b => b.indeterminate") is True
    # Unticking a function below unticks the branch (and the centre stays only partly ticked while
    # other functions below it are still ticked): nothing is granted as a whole that was not ticked.
    box(page, LEAF).uncheck()
    expect(box(page, BRANCH)).not_to_be_checked()
    expect(box(page, CENTRE)).not_to_be_checked()
    others = page.locator(
        '[data-function-tree] li:has(> details > summary input[value="我要办税"]) input:checked'
    )
    assert box(page, CENTRE).evaluate("b => b.indeterminate") is (others.count() > 0)
    box(page, BRANCH).check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("发票专员")
    rows = run(PermissionIdentity.select().where(PermissionIdentity.taxpayer == firm.id))
    assert [str(r["nodes"]) for r in rows] == [BRANCH]
