"""Issue 10.6: 历史办税操作查询 shows Chinese action names and readable objects, never internal codes,
and 税务机关 for the bureau's staff."""

from __future__ import annotations

import asyncio
import datetime as dt

from litestar import Litestar

from etax.platform.audit.labels import ACTION_LABELS, action_label
from etax.platform.audit.tables import AuditLog
from etax.platform.auth.tables import StaffMember
from tests.conftest import new_client
from tests.factories import create_enterprise, log_in_staff


def test_history_reads_in_chinese(app: Litestar) -> None:
    enterprise = create_enterprise(officers=1)
    staff_id = enterprise.staff["legal_rep"]

    async def prepare() -> str:
        row = await StaffMember.select(StaffMember.person.name).where(StaffMember.id == staff_id).first()
        assert row is not None
        at = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
        entries = [
            ("admin:shenhe", "审核员甲", "application.complete", "发票票种核定 2026000001"),
            ("企业 " + enterprise.tin, "", "login.enterprise.password", "enterprise_account:7"),
            ("测试（法定代表人）", "", "login.enterprise", f"staff:{staff_id}"),
            ("测试（法定代表人）", "", "usercentre.officer.freeze", "办税员 张伟（210102********0054）"),
        ]
        for actor, acting_for, action, target in entries:
            await AuditLog(
                actor=actor,
                acting_for=acting_for,
                taxpayer_id=enterprise.taxpayer_id,
                action=action,
                target=target,
                ip="127.0.0.1",
                outcome="success",
                at=at,
            ).save()
        return str(row["person.name"])

    name = asyncio.run(prepare())
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        page = client.get("/query/history").text
    table = page[page.index('data-testid="query-results"') :]
    for shown in (
        "税务机关办结申请",
        "申请 2026000001（发票票种核定）",
        "企业登录（企业密码）",
        "企业账户",
        f"法定代表人 {name[0]}*",
        "冻结办税人员",
        "办税员 张*（210102********0054）",
        "<td>税务机关</td>",
    ):
        assert shown in table, shown
    for hidden in (
        "application.complete",
        "login.enterprise",
        "staff:",
        "enterprise_account:",
        "admin:",
        "审核员甲",
        "张伟",
    ):
        assert hidden not in table, hidden
    # The action filter offers the Chinese names too.
    assert '<option value="application.complete">税务机关办结申请</option>' in page


def test_every_catalogued_action_has_a_chinese_label_and_unknown_codes_never_show() -> None:
    assert all(label and not label.isascii() for label in ACTION_LABELS.values())
    assert action_label("invoice.void") == "发票业务"
    assert action_label("something.new") == "其他操作"
    assert action_label("登录") == "登录"
