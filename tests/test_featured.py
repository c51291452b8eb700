"""特色业务: picked, described and ordered per audience by the bureau; shown on the home page at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar

from etax.platform.auth.principal import SessionAuth
from etax.platform.menus.tables import FeaturedService
from tests.conftest import new_client
from tests.factories import create_enterprise, create_natural_person, log_in, log_in_staff
from tests.test_admin_support import Client, audit_actions, log_in_as, post, run
from tests.test_packages_support import clear_featured, home_featured

HX = {"HX-Request": "true"}


@pytest.fixture()
def content(app: Litestar) -> Iterator[Client]:
    clear_featured()
    with new_client(app) as client:
        log_in_as(client, "content")
        yield client
    clear_featured()


def add(
    client: Client, audience: str, code: str, description: str = "", *, htmx: bool = False
) -> tuple[int, str]:
    response = client.post(
        "/admin/featured",
        data={
            "audience": audience,
            "code": code,
            "description": description,
            "_csrf_token": client.cookies["etax_csrf"],
        },
        headers=HX if htmx else {},
        follow_redirects=False,
    )
    return response.status_code, response.text


def featured_id(audience: str, code: str) -> int:
    row = run(
        FeaturedService.select(FeaturedService.id).where(FeaturedService.key == f"{audience}|{code}").first()
    )
    assert row is not None
    return int(row["id"])


def labels(client: Client) -> list[str]:
    return [label for label, _ in home_featured(client)]


def test_featured_services_are_ordered_per_audience(app: Litestar, content: Client) -> None:
    assert add(content, "all", "public.taxpayer_status", "查询纳税人的登记状态")[0] == 303
    add(content, "all", "public.general_taxpayer")
    add(content, "enterprise", "history.operations", "本企业的登录和办税记录")
    add(content, "natural_person", "public.announcements", "税务机关的通知公告")
    enterprise = create_enterprise(officers=1)
    with (
        new_client(app) as anonymous,
        new_client(app) as rep,
        new_client(app) as person,
        new_client(app) as officer,
    ):
        log_in_staff(rep, enterprise, "legal_rep")
        log_in_staff(officer, enterprise, "tax_officer0")
        log_in(person, SessionAuth(kind="natural_person", account_id=create_natural_person()))
        assert home_featured(anonymous) == [
            ("纳税人状态查询", "查询纳税人的登记状态"),
            ("一般纳税人资格查询", "输入纳税人识别号，查询是否为增值税一般纳税人及资格生效日期。"),  # its own
        ]
        assert labels(rep) == ["历史办税操作查询", "纳税人状态查询", "一般纳税人资格查询"]
        assert home_featured(rep)[0][1] == "本企业的登录和办税记录"
        assert labels(person) == ["通知公告", "纳税人状态查询", "一般纳税人资格查询"]
        assert labels(officer) == ["纳税人状态查询", "一般纳税人资格查询"]  # not granted: not featured to him

        moved = post(
            content,
            f"/admin/featured/{featured_id('all', 'public.general_taxpayer')}/move",
            {"direction": "up"},
        )
        assert moved.status_code == 303
        assert labels(anonymous) == ["一般纳税人资格查询", "纳税人状态查询"]
        assert labels(rep) == ["历史办税操作查询", "一般纳税人资格查询", "纳税人状态查询"]

        described = post(
            content,
            f"/admin/featured/{featured_id('all', 'public.taxpayer_status')}",
            {"description": "新的说明"},
        )
        assert described.status_code == 303
        assert ("纳税人状态查询", "新的说明") in home_featured(anonymous)

        removed = post(content, f"/admin/featured/{featured_id('all', 'public.taxpayer_status')}/delete")
        assert removed.status_code == 303
        assert labels(anonymous) == ["一般纳税人资格查询"]


def test_the_admin_page_works_without_reloading_and_explains_refusals(content: Client) -> None:
    page = content.get("/admin/featured", params={"audience": "enterprise"})
    assert page.status_code == 200 and "本页所需角色：<strong>内容管理员</strong>" in page.text
    status, html = add(content, "enterprise", "history.operations", "说明", htmx=True)
    assert (
        status == 200
        and "<html" not in html
        and "历史办税操作查询" in html
        and "已将“历史办税操作查询”加入企业" in html
    )
    before = int(run(FeaturedService.count()))
    status, html = add(content, "enterprise", "history.operations", htmx=True)
    assert status == 400 and "“历史办税操作查询”已在“企业”的特色业务中，无需重复添加" in html
    status, html = add(content, "enterprise", "no.such_function", htmx=True)
    assert status == 400 and "该功能不存在或已下线" in html
    status, html = add(content, "agency", "public.announcements", htmx=True)
    assert status == 400 and "请选择适用对象" in html
    status, html = add(content, "all", "", htmx=True)
    assert status == 400 and "请先搜索并选择要添加的功能" in html
    status, html = add(content, "all", "public.announcements", "长" * 101, htmx=True)
    assert status == 400 and "不能超过100个字" in html
    assert int(run(FeaturedService.count())) == before

    entry = featured_id("enterprise", "history.operations")
    response = content.post(
        f"/admin/featured/{entry}/move",
        data={"direction": "sideways", "_csrf_token": content.cookies["etax_csrf"]},
        headers=HX,
    )
    assert response.status_code == 400 and "请选择上移或下移" in response.text
    picker = content.get("/admin/featured/picker", params={"q": "历史办税", "audience": "enterprise"}).text
    assert "历史办税操作查询" in picker and "已在列表中" in picker
    picker = content.get("/admin/featured/picker", params={"q": "通知公告", "audience": "enterprise"}).text
    assert 'name="code" value="public.announcements"' in picker
    missing = entry + 100_000
    assert post(content, f"/admin/featured/{missing}/delete").status_code == 404


def test_featured_edits_are_audited(app: Litestar) -> None:
    clear_featured()
    with new_client(app) as client:
        admin = log_in_as(client, "content")
        add(client, "all", "public.announcements", "公告")
        entry = featured_id("all", "public.announcements")
        post(client, f"/admin/featured/{entry}", {"description": "新公告说明"})
        post(client, f"/admin/featured/{entry}/move", {"direction": "down"})
        post(client, f"/admin/featured/{entry}/delete")
    assert audit_actions(admin.actor)[1:] == [
        ("admin.featured.add", "success"),
        ("admin.featured.update", "success"),
        ("admin.featured.move_down", "success"),
        ("admin.featured.remove", "success"),
    ]
