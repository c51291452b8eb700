"""Issue 10.9: 个性化办税 opens, listing 套餐及组合业务, 特色业务 and 定制业务; 定制业务 are composed in the
back office with a taxpayer list or a group rule as their audience and shown only to those taxpayers."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest
from litestar import Litestar

from etax.platform.audit.labels import action_label
from etax.platform.audit.tables import AuditLog
from etax.platform.auth.principal import SessionAuth
from etax.platform.coresys.tables import Taxpayer
from etax.platform.menus.tables import CustomService
from tests.conftest import new_client
from tests.factories import create_enterprise, log_in, log_in_staff
from tests.login_helpers import HEXIN_TIN, demo_staff_id, demo_taxpayer_id
from tests.test_admin_support import Client, csrf, log_in_as, run
from tests.test_walk_demo import demo_menus  # noqa: F401 (fixture)

CENTRE = "/menu/个性化办税"


@pytest.fixture()
def content(app: Litestar) -> Iterator[Client]:
    with new_client(app) as client:
        log_in_as(client, "content")
        yield client


def save(client: Client, data: dict[str, str | list[str]], url: str = "/admin/custom/new") -> httpx.Response:
    return client.post(url, data={**data, "_csrf_token": csrf(client)}, follow_redirects=False)


def custom_section(client: Client) -> str:
    page = client.get(f"{CENTRE}/定制业务")
    assert page.status_code == 200
    return page.text[page.text.index('data-testid="section-custom"') :]


def test_the_centre_opens_with_its_three_groups_and_the_more_links(app: Litestar) -> None:
    with new_client(app) as anonymous:
        page = anonymous.get(CENTRE)
        assert page.status_code == 200
        for section in ("section-packages", "section-featured", "section-custom"):
            assert f'data-testid="{section}"' in page.text
        home = anonymous.get("/").text
        assert 'data-testid="personalised-tile"' in home and 'href="/menu/个性化办税"' in home
        assert '<a data-testid="more-featured" href="/menu/个性化办税/特色业务">更多</a>' in home
        featured = anonymous.get(f"{CENTRE}/特色业务")
        assert featured.status_code == 200 and 'data-testid="section-packages"' not in featured.text
        assert anonymous.get(f"{CENTRE}/套餐及组合业务").status_code == 200
        assert "登录" in custom_section(anonymous)
        assert anonymous.get(f"{CENTRE}/不存在的分组").status_code == 404


def test_a_custom_service_for_listed_taxpayers_is_shown_to_them_only(app: Litestar, content: Client) -> None:
    chosen, other = create_enterprise(officers=0), create_enterprise(officers=0)
    name = f"重点税源企业服务{secrets.token_hex(3)}"
    done = save(
        content,
        {
            "name": name,
            "description": "为重点税源企业开通的专属服务",
            "rule": "taxpayers",
            "tins": f"{chosen.tin.lower()}\n",
            "items": ["history.operations", "public.taxpayer_status"],
            "publish": "1",
        },
    )
    assert done.status_code == 303, done.text
    assert name in content.get("/admin/custom").text
    with new_client(app) as mine, new_client(app) as theirs:
        log_in_staff(mine, chosen, "legal_rep")
        log_in_staff(theirs, other, "legal_rep")
        section = custom_section(mine)
        assert name in section and "历史办税操作查询" in section and "纳税人状态查询" in section
        assert name not in custom_section(theirs)
    saved = run(CustomService.select(CustomService.id).where(CustomService.name == name).first())
    assert saved is not None
    entry = run(AuditLog.select(AuditLog.actor).where(AuditLog.target == f"custom:{saved['id']}").first())
    assert entry is not None and str(entry["actor"]).startswith("admin:")
    assert action_label("admin.custom.create") == "新建定制业务"


def test_group_rules_reach_their_group(
    app: Litestar,
    content: Client,
    demo_menus: None,  # noqa: F811
) -> None:
    member, outsider = create_enterprise(officers=0), create_enterprise(officers=0)
    run(
        Taxpayer.update({Taxpayer.registered_taxes: "增值税,印花税"}).where(Taxpayer.id == member.taxpayer_id)
    )
    name = f"印花税申报辅导{secrets.token_hex(3)}"
    assert (
        save(
            content,
            {
                "name": name,
                "rule": "tax",
                "rule_value": "印花税",
                "items": "public.announcements",
                "publish": "1",
            },
        ).status_code
        == 303
    )
    with new_client(app) as yes, new_client(app) as no, new_client(app) as hexin:
        log_in_staff(yes, member, "legal_rep")
        log_in_staff(no, outsider, "legal_rep")
        assert name in custom_section(yes) and name not in custom_section(no)
        # The demo tailors a 定制业务 to the software industry: 沈阳和信科技 sees it, others do not.
        log_in(
            hexin,
            SessionAuth(
                kind="enterprise",
                taxpayer_id=demo_taxpayer_id(HEXIN_TIN),
                staff_id=demo_staff_id(HEXIN_TIN, "王建国"),
            ),
        )
        assert "软件和信息技术服务业专区" in custom_section(hexin)
        assert "软件和信息技术服务业专区" not in custom_section(no)


def test_bad_input_is_refused_in_chinese_and_changes_nothing(content: Client) -> None:
    before = run(CustomService.count())
    none = save(content, {"name": "空的", "rule": "taxpayers", "tins": "91210102MA0Y8K3P1T"})
    assert none.status_code == 400 and "请至少选择一项功能或套餐" in none.text
    unknown = save(
        content,
        {
            "name": "查无此户",
            "rule": "taxpayers",
            "tins": "91350100M000100Y43",
            "items": "public.announcements",
        },
    )
    assert unknown.status_code == 400 and "未在税务登记中找到" in unknown.text
    no_value = save(content, {"name": "无行业", "rule": "industry", "items": "public.announcements"})
    assert no_value.status_code == 400 and "请填写行业" in no_value.text
    forged = save(
        content, {"name": "伪造", "rule": "tax", "rule_value": "增值税", "items": "nosuch.function"}
    )
    assert forged.status_code == 400 and "已下线或未发布" in forged.text
    assert run(CustomService.count()) == before
