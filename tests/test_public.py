"""公众服务 without login: announcements, the knowledge base and the two public queries."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.demo import PERSONS, TAXPAYERS

GENERAL = str(TAXPAYERS[0]["tin"])
SMALL = str(TAXPAYERS[1]["tin"])
ABNORMAL = str(TAXPAYERS[5]["tin"])


def query(client: TestClient[Litestar], path: str, tin: str, captcha: str = "TEST") -> tuple[int, str]:
    client.get(path)  # sets the CSRF cookie
    response = client.post(
        path,
        data={"tin": tin, "captcha": captcha},
        headers={"x-csrftoken": client.cookies.get("etax_csrf") or ""},
    )
    return response.status_code, response.text


def test_taxpayer_status_query_shows_the_registry_status(client: TestClient[Litestar]) -> None:
    status, text = query(client, "/public/taxpayer-status", ABNORMAL)
    assert status == 200
    assert "鞍山旧城建材有限公司" in text and "<strong>非正常</strong>" in text


def test_a_person_found_by_id_number_is_shown_masked(client: TestClient[Litestar]) -> None:
    id_number = str(PERSONS["王建国"]["id_number"])
    status, text = query(client, "/public/taxpayer-status", id_number)
    assert status == 200
    assert "王*国" in text and id_number[:6] + "********" + id_number[-4:] in text
    assert "王建国" not in text


def test_taxpayer_status_accepts_lower_case_and_spaces(client: TestClient[Litestar]) -> None:
    status, text = query(client, "/public/taxpayer-status", "  " + GENERAL.lower() + " ")
    assert status == 200 and "沈阳和信科技有限公司" in text


def test_malformed_tin_is_explained(client: TestClient[Litestar]) -> None:
    status, text = query(
        client, "/public/taxpayer-status", GENERAL[:-1] + ("A" if GENERAL[-1] != "A" else "B")
    )
    assert status == 400
    assert "统一社会信用代码校验位不正确" in text
    status, text = query(client, "/public/taxpayer-status", "123")
    assert status == 400 and "纳税人识别号应为15位、18位或20位" in text


def test_unknown_tin_is_explained(client: TestClient[Litestar]) -> None:
    status, text = query(client, "/public/taxpayer-status", "91350100M000100Y43")
    assert status == 400 and "未查询到该纳税人识别号的登记信息" in text


def test_wrong_or_missing_captcha_is_refused(client: TestClient[Litestar]) -> None:
    client.get("/captcha.png?form=taxpayer_status")
    status, text = query(client, "/public/taxpayer-status", GENERAL, captcha="ZZZZ")
    assert status == 400 and "验证码错误" in text and "沈阳和信科技有限公司" not in text
    status, text = query(client, "/public/taxpayer-status", GENERAL, captcha="")
    assert status == 400 and "请输入验证码" in text


def test_captcha_image_is_a_png_and_each_answer_is_used_once(client: TestClient[Litestar]) -> None:
    image = client.get("/captcha.png?form=taxpayer_status")
    assert image.headers["content-type"] == "image/png" and image.content.startswith(b"\x89PNG")
    assert client.get("/captcha.png?form=Bad!").status_code == 400


def test_post_without_csrf_token_is_refused(client: TestClient[Litestar]) -> None:
    client.get("/public/taxpayer-status")
    response = client.post("/public/taxpayer-status", data={"tin": GENERAL, "captcha": "TEST"})
    assert response.status_code == 403
    assert "页面已过期" in response.text


def test_general_taxpayer_qualification(client: TestClient[Litestar]) -> None:
    status, text = query(client, "/public/general-taxpayer", GENERAL)
    assert status == 200 and "增值税一般纳税人" in text and "2019-07-01" in text
    status, text = query(client, "/public/general-taxpayer", SMALL)
    assert status == 200 and "非一般纳税人（小规模纳税人）" in text


def test_announcements_list_and_detail(client: TestClient[Litestar]) -> None:
    listing = client.get("/public/announcements")
    assert listing.status_code == 200 and "关于2026年12月征期延长的通知" in listing.text
    assert "置顶" in listing.text
    detail_url = (
        listing.text.split("关于2026年12月征期延长的通知")[0]
        .rsplit('href="/public/announcements/', 1)[1]
        .split('"')[0]
    )
    detail = client.get(f"/public/announcements/{detail_url}")
    assert detail.status_code == 200 and "申报纳税期限" in detail.text
    assert client.get("/public/announcements/999999").status_code == 404


def test_home_notice_tab_lists_announcements(client: TestClient[Litestar]) -> None:
    home = client.get("/")
    assert "通知公告" in home.text and "电子税务局登录方式优化升级的公告" in home.text


def test_knowledge_base_answers_the_seed_faq(client: TestClient[Litestar]) -> None:
    faq = client.get("/public/faq")
    assert faq.status_code == 200
    assert faq.text.count('href="/public/faq/faq-') == 11
    answer = client.get("/public/faq/faq-9")
    assert "重置后的密码为111111" in answer.text
    assert client.get("/public/faq/nope").status_code == 404


def test_search_finds_faq_answers_by_their_words(client: TestClient[Litestar]) -> None:
    frozen = client.get("/api/search", params={"q": "冻结"}).json()["results"]
    assert any(r["url"] == "/public/faq/faq-8" for r in frozen)
    forgot = client.get("/api/search", params={"q": "密码忘记"}).json()["results"]
    assert any(r["url"] == "/public/faq/faq-9" for r in forgot[:3])


def test_enterprise_only_announcement_is_hidden_from_anonymous_visitors(app: Litestar) -> None:
    import asyncio
    import datetime as dt

    from etax.platform.announcements import Announcement
    from tests.conftest import new_client
    from tests.factories import create_enterprise, log_in_staff

    async def publish() -> int:
        row = Announcement(
            title="仅企业可见的申报提醒",
            category="涉税通知",
            body="请按期申报。",
            audience="enterprise",
            published_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )
        await row.save()
        return int(row.id)

    announcement_id = asyncio.run(publish())
    enterprise = create_enterprise(officers=0)
    try:
        with new_client(app) as anonymous, new_client(app) as member:
            assert "仅企业可见的申报提醒" not in anonymous.get("/public/announcements").text
            assert anonymous.get(f"/public/announcements/{announcement_id}").status_code == 404
            log_in_staff(member, enterprise, "legal_rep")
            assert "仅企业可见的申报提醒" in member.get("/public/announcements").text
            assert member.get(f"/public/announcements/{announcement_id}").status_code == 200
    finally:
        asyncio.run(Announcement.delete().where(Announcement.id == announcement_id).run())
