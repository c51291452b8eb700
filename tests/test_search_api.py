"""Search as visitors use it: the JSON API, the live box partial, the results page."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import pytest
from litestar import Controller, Litestar, get
from litestar.testing import TestClient

from etax.platform import Audience, FunctionSpec
from etax.platform.app import create_app
from etax.platform.settings import Settings
from tests.plugin_factories import make_plugin

VAT = FunctionSpec(
    code="demo.vat_general",
    name="增值税一般纳税人申报",
    short_name="增值税一般申报",
    path=("我要办税", "税费申报及缴纳", "增值税及附加税费申报", "增值税一般纳税人申报"),
    url="/demo/vat-general",
    audiences=frozenset({Audience.ENTERPRISE}),
    initials=("zzsybnsrsb",),
)


class VatController(Controller):
    path = VAT.url
    opt = {"function": VAT.code}

    @get("/")
    async def form(self) -> str:
        return "申报表"


@pytest.fixture(scope="module")
def vat_client(settings: Settings, database: str) -> Iterator[TestClient[Litestar]]:
    plugin = make_plugin(
        "demo_vat", etax_functions=lambda: [VAT], etax_route_handlers=lambda: [VatController]
    )
    # The filing plugin declares the real 增值税一般纳税人申报; load only this plugin (and the public one)
    # so its own copy is the one a search must reach (as on a portal where a regional plugin provides the
    # return). Other plugins' functions named 增值税… (一般纳税人登记, 留抵退税申请, 最高开票限额审批) would
    # tie ahead on the initials zzs by their shorter names.
    without_filing = msgspec.structs.replace(settings, allow_plugins=("demo_vat", "public"))
    with TestClient(create_app(without_filing, extra_plugins=[plugin])) as client:
        yield client


def test_initials_find_the_function_first(client: TestClient[Litestar]) -> None:
    body = client.get("/api/search", params={"q": "nsrztcx"}).json()
    assert body["query"] == "nsrztcx"
    first = body["results"][0]
    assert first["code"] == "public.taxpayer_status"
    assert first["name"] == "纳税人状态查询"
    assert first["path"] == ["公众服务", "公众查询", "纳税人状态查询"]
    assert first["url"] == "/public/taxpayer-status"
    assert set(first) >= {"code", "name", "short_name", "path", "url", "score"}


def test_partial_chinese_words_match(client: TestClient[Litestar]) -> None:
    for query in ("纳税人状态", "状态", "识别号"):
        names = [r["name"] for r in client.get("/api/search", params={"q": query}).json()["results"]]
        assert "纳税人状态查询" in names, query


def test_limit_is_respected_and_validated(client: TestClient[Litestar]) -> None:
    assert len(client.get("/api/search", params={"q": "查询", "limit": 1}).json()["results"]) == 1
    assert client.get("/api/search", params={"q": "查询", "limit": 0}).status_code == 400


def test_zero_results_come_with_suggestions_never_an_empty_page(client: TestClient[Litestar]) -> None:
    body = client.get("/api/search", params={"q": "纳税人壮态"}).json()
    if not body["results"]:
        assert body["suggestions"], "no results and no suggestions"
    page = client.get("/search", params={"q": "蛋糕奶茶冰淇淋"})
    assert page.status_code == 200
    assert "没有找到" in page.text and "12366" in page.text


def test_hostile_input_is_plain_text(client: TestClient[Litestar]) -> None:
    for query in ('"', "a:b", "*?", "AND OR NOT", "税" * 500, "<script>alert(1)</script>"):
        response = client.get("/api/search", params={"q": query[:200]})
        assert response.status_code == 200
    partial = client.get("/search/suggest", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in partial.text


def test_enter_on_the_results_page_opens_the_first_result(client: TestClient[Litestar]) -> None:
    response = client.get("/search", params={"q": "nsrztcx", "go": "1"}, follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/public/taxpayer-status"


def test_live_box_partial_shows_short_name_with_full_name_and_path_on_hover(
    client: TestClient[Litestar],
) -> None:
    html = client.get("/search/suggest", params={"q": "咨询"}, headers={"HX-Request": "true"}).text
    assert 'title="热点问题（公众服务 › 咨询辅导 › 热点问题）"' in html
    assert '<span class="result-name">咨询辅导</span>' in html
    assert "<html" not in html


def test_anonymous_visitor_is_offered_login_only_functions_as_login_entries(
    vat_client: TestClient[Litestar],
) -> None:
    result = vat_client.get("/api/search", params={"q": "zzs"}).json()["results"][0]
    assert result["code"] == "demo.vat_general"
    assert result["url"] == "/login?next=/demo/vat-general"
    html = vat_client.get("/search/suggest", params={"q": "增值税"}).text
    assert "登录后办理" in html


def test_pinyin_full_and_initials_and_chinese_reach_vat(vat_client: TestClient[Litestar]) -> None:
    for query in ("zzsybnsrsb", "增值税一般申报"):
        results = vat_client.get("/api/search", params={"q": query}).json()["results"]
        assert results and results[0]["code"] == "demo.vat_general", query
    # The portal has other VAT returns (小规模): a query naming VAT alone finds this one among the first.
    for query in ("zzs", "zengzhishui", "增值税", "增值"):
        results = vat_client.get("/api/search", params={"q": query}).json()["results"]
        assert "demo.vat_general" in [result["code"] for result in results[:3]], query


def test_anonymous_opening_a_login_function_goes_to_login_and_back(vat_client: TestClient[Litestar]) -> None:
    response = vat_client.get("/demo/vat-general", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/login?next=/demo/vat-general"
    api = vat_client.get("/api/search", headers={"accept": "application/json"})
    assert api.status_code == 200


def test_opening_a_function_counts_for_popularity(vat_client: TestClient[Litestar], app: Litestar) -> None:
    from etax.platform.runtime import get_runtime

    runtime = get_runtime(app)
    before = runtime.search.popularity.get("public.knowledge", 0)
    with TestClient(app) as client:
        client.get("/public/faq")
        client.get("/public/faq/faq-1")  # a sub-page is not an opening of the function
    assert runtime.search.popularity.get("public.knowledge", 0) == before + 1


def test_committed_searches_and_clicks_are_recorded_for_analytics(client: TestClient[Litestar]) -> None:
    import asyncio

    from etax.platform import search_analytics

    client.get("/search", params={"q": "咖啡奶茶蛋糕"})
    opened = client.get(
        "/search/go", params={"q": "状态分析", "code": "public.taxpayer_status"}, follow_redirects=False
    )
    assert opened.headers["location"] == "/public/taxpayer-status"
    assert client.get("/search/go", params={"code": "no.such"}).status_code == 404
    zero = asyncio.run(search_analytics.zero_result_queries())
    assert any(stat.query == "咖啡奶茶蛋糕" for stat in zero)
    clicks = {stat.code: stat.clicks for stat in asyncio.run(search_analytics.clicks_per_function())}
    assert clicks.get("public.taxpayer_status", 0) >= 1
    top = asyncio.run(search_analytics.top_queries())
    assert any(stat.query == "咖啡奶茶蛋糕" and stat.zero_results == 1 for stat in top)


def test_typed_pinyin_of_a_tax_alone_leads_to_its_return_among_all_plugins(
    client: TestClient[Litestar],
) -> None:
    """zzs / zengzhishui are read like 增值税 alone: a VAT return comes first, not 增值税留抵退税申请 or
    增值税专用发票最高开票限额审批, which share the prefix."""
    for query in ("zzs", "zengzhishui"):
        first = client.get("/api/search", params={"q": query}).json()["results"][0]
        assert first["code"] in ("filing.vat_general", "filing.vat_small"), (query, first["name"])
