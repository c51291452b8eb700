"""套餐业务: composed in the back office, published, shown on the home page and in search, walked."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from litestar import Litestar

from etax.platform.auth.principal import SessionAuth
from etax.platform.menus.tables import MenuPackage, MenuPackageStep
from tests.conftest import new_client
from tests.factories import create_enterprise, create_natural_person, log_in, log_in_staff
from tests.test_admin_support import Client, audit_actions, log_in_as, post, run
from tests.test_packages_support import (
    ENTERPRISE_STEP,
    MANAGERS_STEP,
    PUBLIC_STEPS,
    compose,
    home_packages,
    package_count,
    package_id,
    search_codes,
    unique_name,
)


@pytest.fixture()
def content(app: Litestar) -> Iterator[Client]:
    """A 内容管理员 logged in to the back office."""
    with new_client(app) as client:
        log_in_as(client, "content")
        yield client


def steps_of(package: int) -> list[str]:
    rows = run(
        MenuPackageStep.select(MenuPackageStep.code)
        .where(MenuPackageStep.package == package)
        .order_by(MenuPackageStep.position)
    )
    return [str(row["code"]) for row in rows]


def test_a_published_package_is_on_the_home_page_in_search_and_walked_step_by_step(
    app: Litestar, content: Client
) -> None:
    name = unique_name("新办纳税人业务")
    steps = [PUBLIC_STEPS[0], ENTERPRISE_STEP, PUBLIC_STEPS[1], PUBLIC_STEPS[2]]
    response = compose(content, name, steps, description="新办企业依次办理的业务")
    assert response.status_code == 303 and response.headers["location"] == "/admin/packages"
    listing = content.get("/admin/packages").text
    assert name in listing and "已发布" in listing and "纳税人现在即可在首页和搜索中看到" in listing
    pid = package_id(name)
    assert steps_of(pid) == steps
    with new_client(app) as visitor:
        assert name in home_packages(visitor)
        assert f"package:{pid}" in search_codes(visitor, name)
        suggest = visitor.get("/search/suggest", params={"q": name}).text
        assert f"code=package%3A{pid}" in suggest
        opened = visitor.get(
            "/search/go", params={"q": name, "code": f"package:{pid}"}, follow_redirects=False
        )
        assert opened.headers["location"] == f"/packages/{pid}"

        page = visitor.get(f"/packages/{pid}").text
        assert "第 1 步 / 共 4 步" in page and "新办企业依次办理的业务" in page
        assert 'href="/public/taxpayer-status"' in page and 'data-testid="package-next"' in page
        second = visitor.get(f"/packages/{pid}", params={"step": 2}).text
        assert "第 2 步 / 共 4 步" in second and "登录后办理" in second
        assert f'href="/login?next={quote(f"/packages/{pid}?step=2", safe="/")}"' in second
        fourth = visitor.get(f"/packages/{pid}", params={"step": 4}).text
        assert "第 4 步 / 共 4 步" in fourth and 'href="/public/announcements"' in fourth
        assert 'data-testid="package-finish"' in fourth and 'data-testid="package-next"' not in fourth
        done = visitor.get(f"/packages/{pid}", params={"step": 5}).text
        assert "已完成全部 4 步" in done and "历史办税操作查询</a>：登录后办理" in done


def test_a_step_the_visitor_may_not_open_is_shown_with_the_reason(app: Litestar, content: Client) -> None:
    name = unique_name("权限套餐")
    compose(content, name, [PUBLIC_STEPS[0], ENTERPRISE_STEP, MANAGERS_STEP])
    pid = package_id(name)
    enterprise = create_enterprise(officers=1)
    with new_client(app) as officer:
        log_in_staff(officer, enterprise, "tax_officer0")  # holds no identity: 历史办税操作查询 not granted
        page = officer.get(f"/packages/{pid}", params={"step": 2}).text
        assert 'data-testid="package-refused"' in page and "无权限" in page
        assert "您没有“历史办税操作查询”的办理权限，请联系法定代表人或财务负责人授权" in page
        third = officer.get(f"/packages/{pid}", params={"step": 3}).text
        assert "该功能仅限企业的法定代表人或财务负责人办理" in third
        assert "第 3 步 / 共 3 步" in third  # the refused steps are counted, never skipped
    with new_client(app) as rep:
        log_in_staff(rep, enterprise, "legal_rep")
        page = rep.get(f"/packages/{pid}", params={"step": 2}).text
        assert 'data-testid="package-open"' in page and 'href="/query/history"' in page
    account = create_natural_person()
    with new_client(app) as person:
        log_in(person, SessionAuth(kind="natural_person", account_id=account))
        page = person.get(f"/packages/{pid}", params={"step": 2}).text
        assert "该功能面向企业，您当前以自然人身份登录" in page


def test_a_draft_is_shown_to_nobody(app: Litestar, content: Client) -> None:
    name = unique_name("草稿套餐")
    assert compose(content, name, PUBLIC_STEPS, status="draft").status_code == 303
    pid = package_id(name)
    assert "为草稿，纳税人暂不可见" in content.get("/admin/packages").text
    with new_client(app) as visitor:
        assert name not in home_packages(visitor)
        assert f"package:{pid}" not in search_codes(visitor, name)
        assert visitor.get(f"/packages/{pid}").status_code == 404


def test_publishing_withdrawing_and_deleting_show_at_once_and_are_audited(app: Litestar) -> None:
    name = unique_name("即时套餐")
    with new_client(app) as content, new_client(app) as visitor:
        admin = log_in_as(content, "content")
        compose(content, name, PUBLIC_STEPS, status="draft")
        pid = package_id(name)
        assert post(content, f"/admin/packages/{pid}/status", {"status": "published"}).status_code == 303
        assert name in home_packages(visitor) and f"package:{pid}" in search_codes(visitor, name)
        assert post(content, f"/admin/packages/{pid}/status", {"status": "draft"}).status_code == 303
        assert name not in home_packages(visitor) and f"package:{pid}" not in search_codes(visitor, name)
        assert visitor.get(f"/packages/{pid}").status_code == 404
        post(content, f"/admin/packages/{pid}/status", {"status": "published"})
        assert post(content, f"/admin/packages/{pid}/delete").status_code == 303
        assert name not in home_packages(visitor) and f"package:{pid}" not in search_codes(visitor, name)
        assert run(MenuPackageStep.count().where(MenuPackageStep.package == pid)) == 0
    assert [action for action, _ in audit_actions(admin.actor) if action.startswith("admin.package")] == [
        "admin.package.create",
        "admin.package.publish",
        "admin.package.unpublish",
        "admin.package.publish",
        "admin.package.delete",
    ]


def test_editing_replaces_the_steps_in_order_and_renaming_shows_at_once(
    app: Litestar, content: Client
) -> None:
    name = unique_name("修改前")
    compose(content, name, PUBLIC_STEPS)
    pid = package_id(name)
    form = content.get(f"/admin/packages/{pid}/edit").text
    assert f'value="{",".join(PUBLIC_STEPS)}"' in form and "第3步" in form
    renamed = unique_name("修改后")
    response = post(
        content,
        f"/admin/packages/{pid}",
        {
            "name": renamed,
            "audience": "all",
            "status": "published",
            "steps": f"{PUBLIC_STEPS[2]},{PUBLIC_STEPS[0]}",
        },
    )
    assert response.status_code == 303
    assert steps_of(pid) == [PUBLIC_STEPS[2], PUBLIC_STEPS[0]]
    with new_client(app) as visitor:
        names = home_packages(visitor)
        assert renamed in names and name not in names
        assert f"package:{pid}" in search_codes(visitor, renamed)
        assert "第 1 步 / 共 2 步" in visitor.get(f"/packages/{pid}").text


def test_packages_keep_the_order_the_bureau_gives_them(app: Litestar, content: Client) -> None:
    first, second = unique_name("排序甲"), unique_name("排序乙")
    compose(content, first, PUBLIC_STEPS[:1])
    compose(content, second, PUBLIC_STEPS[1:2])
    with new_client(app) as visitor:
        names = home_packages(visitor)
        assert names.index(first) < names.index(second)
        assert (
            post(content, f"/admin/packages/{package_id(second)}/move", {"direction": "up"}).status_code
            == 303
        )
        names = home_packages(visitor)
        assert names.index(second) < names.index(first)


def test_packages_are_shown_to_their_audience_only(app: Litestar, content: Client) -> None:
    name = unique_name("企业专属")
    compose(content, name, [PUBLIC_STEPS[0], ENTERPRISE_STEP], audience="enterprise")
    pid = package_id(name)
    enterprise = create_enterprise(officers=0)
    with new_client(app) as anonymous, new_client(app) as rep, new_client(app) as person:
        log_in_staff(rep, enterprise, "legal_rep")
        log_in(person, SessionAuth(kind="natural_person", account_id=create_natural_person()))
        assert name in home_packages(rep) and f"package:{pid}" in search_codes(rep, name)
        for other in (anonymous, person):
            assert name not in home_packages(other)
            assert f"package:{pid}" not in search_codes(other, name)


def test_a_package_page_is_guarded_by_the_package_audience(app: Litestar, content: Client) -> None:
    """An enterprise-only 套餐业务 opened by URL: anonymous visitors log in first, natural persons are
    refused, enterprises and agencies acting for one open it (the platform's access decision)."""
    name = unique_name("企业专属直达")
    compose(content, name, [PUBLIC_STEPS[0], ENTERPRISE_STEP], audience="enterprise")
    url = f"/packages/{package_id(name)}"
    enterprise = create_enterprise(officers=0)
    with new_client(app) as anonymous, new_client(app) as rep, new_client(app) as person:
        log_in_staff(rep, enterprise, "legal_rep")
        log_in(person, SessionAuth(kind="natural_person", account_id=create_natural_person()))
        refused = anonymous.get(url, follow_redirects=False)
        assert refused.status_code == 302 and refused.headers["location"] == f"/login?next={url}"
        assert name not in refused.text
        forbidden = person.get(url)
        assert forbidden.status_code == 403 and name not in forbidden.text
        assert "不能办理该套餐业务" in forbidden.text
        opened = rep.get(url)
        assert opened.status_code == 200 and name in opened.text
    everyone = unique_name("全部访客直达")
    compose(content, everyone, PUBLIC_STEPS[:2], audience="all")
    with new_client(app) as anonymous:
        assert anonymous.get(f"/packages/{package_id(everyone)}").status_code == 200


def test_the_step_editor_adds_moves_and_removes_without_saving(content: Client) -> None:
    before = package_count()
    headers = {"HX-Request": "true"}

    def step(steps: list[str], op: str) -> tuple[int, str]:
        response = content.post(
            "/admin/packages/steps",
            data={"steps": ",".join(steps), "op": op, "_csrf_token": content.cookies["etax_csrf"]},
            headers=headers,
        )
        return response.status_code, response.text

    status, html = step([], f"add:{PUBLIC_STEPS[0]}")
    assert (
        status == 200
        and "<html" not in html
        and f'value="{PUBLIC_STEPS[0]}"' in html
        and "纳税人状态查询" in html
    )
    status, html = step(PUBLIC_STEPS, "up:2")
    assert f'value="{PUBLIC_STEPS[0]},{PUBLIC_STEPS[2]},{PUBLIC_STEPS[1]}"' in html
    status, html = step(PUBLIC_STEPS, "remove:0")
    assert f'value="{PUBLIC_STEPS[1]},{PUBLIC_STEPS[2]}"' in html
    status, html = step(PUBLIC_STEPS, f"add:{PUBLIC_STEPS[1]}")
    assert status == 400 and "该功能已在套餐步骤中" in html and f'value="{",".join(PUBLIC_STEPS)}"' in html
    status, html = step(PUBLIC_STEPS, "add:no.such_function")
    assert status == 400 and "该功能不存在或已下线" in html
    status, html = step(PUBLIC_STEPS, "remove:9")
    assert status == 400 and "该步骤不存在" in html
    status, html = step(PUBLIC_STEPS, "explode:1")
    assert status == 400 and "不支持的步骤操作" in html
    assert package_count() == before

    picker = content.get("/admin/packages/picker", params={"q": "纳税人状态", "steps": PUBLIC_STEPS[0]}).text
    assert "纳税人状态查询" in picker and "已在步骤中" in picker
    picker = content.get("/admin/packages/picker", params={"q": "ybnsr"}).text
    assert f'value="add:{PUBLIC_STEPS[1]}"' in picker
    assert "没有找到" in content.get("/admin/packages/picker", params={"q": "天气预报"}).text


def test_the_form_without_javascript_edits_steps_by_reloading(content: Client) -> None:
    before = package_count()
    response = post(content, "/admin/packages", {"name": "", "steps": PUBLIC_STEPS[0], "op": "remove:0"})
    assert response.status_code == 200 and "还没有办理步骤" in response.text
    assert package_count() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "steps": PUBLIC_STEPS[0]}, "请填写套餐名称"),
        ({"name": "名" * 61, "steps": PUBLIC_STEPS[0]}, "套餐名称不能超过60个字"),
        ({"name": "无步骤套餐", "steps": ""}, "请至少添加一个办理步骤"),
        (
            {"name": "重复步骤", "steps": f"{PUBLIC_STEPS[0]},{PUBLIC_STEPS[0]}"},
            "同一功能在套餐中只能出现一次",
        ),
        (
            {"name": "坏步骤", "steps": "no.such_function"},
            "以下步骤的功能已下线，请移除后再保存：no.such_function",
        ),
        ({"name": "坏格式", "steps": "DROP TABLE"}, "办理步骤格式不正确"),
        ({"name": "坏对象", "steps": PUBLIC_STEPS[0], "audience": "agency"}, "请选择适用对象"),
        ({"name": "坏状态", "steps": PUBLIC_STEPS[0], "status": "live"}, "请选择保存为草稿或发布"),
    ],
)
def test_bad_input_is_explained_in_chinese_and_changes_nothing(
    content: Client, data: dict[str, str], message: str
) -> None:
    before = package_count()
    response = post(content, "/admin/packages", {"audience": "all", "status": "draft", **data})
    assert response.status_code == 400 and message in response.text
    assert package_count() == before


def test_a_taken_name_is_refused_by_the_unique_constraint(content: Client) -> None:
    name = unique_name("重名套餐")
    compose(content, name, PUBLIC_STEPS[:1])
    before = package_count()
    response = compose(content, name, PUBLIC_STEPS[1:2])
    assert response.status_code == 400 and f"已有名为“{name}”的套餐" in response.text
    assert package_count() == before
    other = unique_name("另一套餐")
    compose(content, other, PUBLIC_STEPS[2:])
    response = post(
        content,
        f"/admin/packages/{package_id(other)}",
        {"name": name, "audience": "all", "status": "published", "steps": PUBLIC_STEPS[0]},
    )
    assert response.status_code == 400 and f"已有名为“{name}”的套餐" in response.text
    assert steps_of(package_id(other)) == PUBLIC_STEPS[2:]  # the transaction left the steps alone


def test_unknown_packages_are_404_in_chinese(content: Client) -> None:
    missing = int(run(MenuPackage.count())) + 100_000
    assert content.get(f"/admin/packages/{missing}/edit").status_code == 404
    response = post(content, f"/admin/packages/{missing}/delete")
    assert response.status_code == 404 and "该套餐不存在或已被删除" in response.text
    assert content.get(f"/packages/{missing}").status_code == 404


def test_a_refused_list_action_says_why(content: Client) -> None:
    name = unique_name("动作套餐")
    compose(content, name, PUBLIC_STEPS[:1], status="draft")
    response = post(content, f"/admin/packages/{package_id(name)}/status", {"status": "live"})
    assert response.status_code == 303
    assert "请选择发布或撤回" in content.get("/admin/packages").text
    assert "草稿" in content.get("/admin/packages").text
