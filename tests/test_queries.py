"""查询中心: every query is one declaration behind one controller — filters in the URL, keyset pages,
htmx partial updates, audited CSV/XLSX export, print view, detail scoped to the taxpayer — over records
real flows write (back-office entries, postal dispatch, applications, agency certifications)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import zipfile
from html import unescape
from io import BytesIO

from litestar import Litestar

from etax.platform.audit.tables import AuditLog
from etax.platform.auth.principal import SessionAuth
from tests.conftest import new_client
from tests.factories import Enterprise, create_enterprise, grant, log_in, log_in_staff
from tests.login_helpers import certify, post, run
from tests.test_admin_support import log_in_as

SEED_QUERIES_BUILT = (
    "办税进度及结果信息查询",
    "发票信息查询",
    "申报信息查询",
    "缴款信息查询",
    "欠税信息查询",
    "优惠信息查询",
    "个体工商户核定定额信息查询",
    "证明信息查询",
    "应申报清册查询",
    "涉税中介机构信息查询",
    "纳税信用状态信息查询",
    "违法违章信息查询",
    "历史办税操作查询",
    "邮寄信息统计查询",
    "物流信息查询",
    "财务会计制度备案查询",
    "失信行为查询",
)


def add_entries(taxpayer_id: int, count: int, action: str = "测试操作") -> None:
    async def insert() -> None:
        for index in range(count):
            await AuditLog(
                actor="测试人员",
                taxpayer_id=taxpayer_id,
                action=action,
                target=f"对象{index:02d}",
                ip="127.0.0.1",
                outcome="success" if index % 3 else "failure",
                at=dt.datetime(2026, 11, 1, 1, index, tzinfo=dt.UTC),
            ).save()

    asyncio.run(insert())


def link(html: str, rel: str) -> str:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}"', html)
    assert match, f"no {rel} link"
    return unescape(match.group(1))


def rows_of(html: str) -> list[str]:
    body = html.split('data-testid="query-results"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"对象\d\d", body)


def test_the_query_centre_lists_the_seed_queries_under_their_names(app: Litestar) -> None:
    mine = create_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        for name in SEED_QUERIES_BUILT:
            first = client.get("/api/search", params={"q": name}).json()["results"][0]
            assert first["name"] == name and first["path"][0] == "我要查询", first
            assert client.get(first["url"]).status_code == 200, name


def test_history_pages_forward_and_back_with_filters_kept_in_the_url(app: Litestar) -> None:
    mine = create_enterprise(officers=0)
    add_entries(mine.taxpayer_id, 25)
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        first = client.get("/query/history", params={"size": "10", "action": "测试操作"})
        assert "共 25 条" in first.text
        page1 = rows_of(first.text)
        assert page1 == [f"对象{i:02d}" for i in range(24, 14, -1)]  # newest first
        second = client.get("/query/history" + link(first.text, "next"))
        assert "action=" in link(first.text, "next") and "size=10" in link(first.text, "next")
        assert rows_of(second.text) == [f"对象{i:02d}" for i in range(14, 4, -1)]
        third = client.get("/query/history" + link(second.text, "next"))
        assert rows_of(third.text) == [f"对象{i:02d}" for i in range(4, -1, -1)]
        assert 'rel="next"' not in third.text
        back = client.get("/query/history" + link(third.text, "prev"))
        assert rows_of(back.text) == rows_of(second.text)
        back = client.get("/query/history" + link(back.text, "prev"))
        assert rows_of(back.text) == page1 and 'rel="prev"' not in back.text


def test_htmx_requests_get_only_the_result_table(app: Litestar) -> None:
    mine = create_enterprise(officers=0)
    add_entries(mine.taxpayer_id, 3)
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        partial = client.get("/query/history", headers={"HX-Request": "true", "HX-Target": "results"})
        assert partial.text.lstrip().startswith('<div id="results"') and "<html" not in partial.text
        assert 'hx-target="#results"' in client.get("/query/history", params={"size": "10"}).text


def test_bad_input_gets_chinese_messages_or_404_never_a_500(app: Litestar) -> None:
    mine, other = create_enterprise(officers=0), create_enterprise(officers=0)
    add_entries(mine.taxpayer_id, 12)
    add_entries(other.taxpayer_id, 12)
    with new_client(app) as client:
        log_in_staff(client, other, "legal_rep")
        foreign_cursor = link(client.get("/query/history", params={"size": "10"}).text, "next")
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        cases = {
            "date_from=2026-02-30": "操作日期起不是有效的日期",
            "date_from=2026-11-05&date_to=2026-11-01": "操作日期的结束时间不能早于开始时间",
            "date_from=%E6%98%A8%E5%A4%A9": "格式不正确",
            "outcome=deleted": "结果没有这一选项",
            "size=1000000": "每页条数只能选择10、20、50、100条",
            "cursor=abc.def": "翻页链接无效或已被修改",
            foreign_cursor.lstrip("?"): "该翻页链接属于其他纳税人",
        }
        for params, message in cases.items():
            response = client.get(f"/query/history?{params}")
            assert response.status_code == 200, params
            assert message in response.text, (params, message)
        assert client.get("/query/history?date_from=%00%01&action=%00").status_code == 200
        mine_ids = set(rows_of(client.get("/query/history").text))
        assert (
            rows_of(client.get("/query/history?" + foreign_cursor.lstrip("?")).text)[:10]
            == sorted(mine_ids, reverse=True)[:10]
        )
        for url in (
            "/query/violations/99999999999",
            "/query/violations/0",
            "/query/history/1",
            "/query/history/export/pdf",
        ):
            assert client.get(url).status_code == 404, url


def test_exports_stream_every_filtered_row_and_are_audited(app: Litestar) -> None:
    mine = create_enterprise(officers=0)
    add_entries(mine.taxpayer_id, 30)
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        csv = client.get("/query/history/export/csv", params={"outcome": "failure", "size": "10"})
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        assert "filename*=UTF-8''%E5%8E%86%E5%8F%B2" in csv.headers["content-disposition"]
        text = csv.content.decode("utf-8")
        assert text.startswith("\ufeff时间,操作人,代理/代办,操作,对象,IP地址,结果\r\n")
        assert len(text.strip().splitlines()) == 1 + 10 and text.count(",失败") == 10
        xlsx = client.get("/query/history/export/xlsx")
        assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
        with zipfile.ZipFile(BytesIO(xlsx.content)) as book:
            sheet = book.read("xl/worksheets/sheet1.xml").decode()
        # header + 30 entries + the audit entries of the two exports themselves
        assert sheet.count("<row ") == 1 + 30 + 2 and "对象29" in sheet
        printed = client.get("/query/history/print", params={"outcome": "failure"})
        assert "历史办税操作查询" in printed.text and "结果：失败" in printed.text
        assert len(re.findall(r"对象\d\d", printed.text)) == 10 and "data-print" in printed.text
        history = client.get("/query/history", params={"action": "导出查询结果"}).text
        assert "历史办税操作查询（CSV）" in history and "历史办税操作查询（XLSX）" in history


def test_an_officer_needs_the_query_granted(app: Litestar) -> None:
    mine = create_enterprise(officers=1)
    with new_client(app) as client:
        log_in_staff(client, mine, "tax_officer0")
        for url in ("/query/violations", "/query/violations/export/csv", "/query/postal/print"):
            assert client.get(url).status_code == 403
        grant(mine, "tax_officer0", ["queries.violations"])
        assert client.get("/query/violations").status_code == 200
        assert client.get("/query/postal").status_code == 403


def agency_for(client_enterprise: Enterprise, nodes: str = "我要查询") -> tuple[Enterprise, SessionAuth]:
    agency = create_enterprise(officers=0)
    certification = certify(client_enterprise.taxpayer_id, agency.taxpayer_id, nodes=nodes)
    auth = SessionAuth(
        kind="agency",
        taxpayer_id=agency.taxpayer_id,
        staff_id=agency.staff["legal_rep"],
        client_taxpayer_id=client_enterprise.taxpayer_id,
        certification_id=certification,
    )
    return agency, auth


def test_an_agency_sees_only_the_client_it_acts_for(app: Litestar) -> None:
    client_a, client_b = create_enterprise(officers=0), create_enterprise(officers=0)
    add_entries(client_a.taxpayer_id, 2, action="甲企业的操作")
    add_entries(client_b.taxpayer_id, 2, action="乙企业的操作")
    agency, auth = agency_for(client_a)
    certify(client_b.taxpayer_id, agency.taxpayer_id)
    with new_client(app) as client:
        log_in(client, auth)
        page = client.get("/query/history").text
        assert "甲企业的操作" in page and "乙企业的操作" not in page
        agencies = client.get("/query/agencies").text
        assert agencies.count("<tr><td>") == 1


def test_violations_and_dishonesty_entered_in_the_back_office_reach_the_taxpayer(app: Litestar) -> None:
    mine, other = create_enterprise(officers=0), create_enterprise(officers=0)
    with new_client(app) as admin:
        log_in_as(admin, "reviewer")
        refused = post(
            admin,
            "/admin/compliance/violations",
            {"tin": "91210000000000000X", "kind": "发票违法", "facts": "丢失发票", "found_on": "2026-11-02"},
        )
        assert refused.status_code == 400 and "没有这个纳税人识别号" in unescape(refused.text)
        for tin, facts in ((mine.tin, "丢失发票2份"), (other.tin, "他人的违章")):
            response = post(
                admin,
                "/admin/compliance/violations",
                {
                    "tin": tin,
                    "kind": "发票违法",
                    "facts": facts,
                    "basis": "发票管理办法",
                    "penalty": "1234.5",
                    "found_on": "2026-11-02",
                },
            )
            assert response.status_code in (302, 303), response.text[:500]
        published = post(
            admin,
            "/admin/compliance/dishonesty",
            {
                "tin": mine.tin,
                "kind": "重大税收违法失信主体",
                "case_nature": "偷税",
                "facts": "少缴税款50万元",
                "published_on": "2026-11-03",
            },
        )
        assert published.status_code in (302, 303)
        page = admin.get("/admin/compliance").text
        ids = re.findall(r"/admin/compliance/violations/(\d+)/handle", page)
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        listing = client.get("/query/violations").text
        assert "丢失发票2份" in listing and "1,234.50" in listing and "他人的违章" not in listing
        assert "未处理" in listing
        my_id = re.search(r'href="/query/violations/(\d+)"', listing)
        assert my_id
        assert "发票管理办法" in client.get(f"/query/violations/{my_id.group(1)}").text
        others = [i for i in ids if i != my_id.group(1)]
        assert all(client.get(f"/query/violations/{i}").status_code == 404 for i in others)
        assert "少缴税款50万元" in client.get("/query/dishonesty").text
    with new_client(app) as admin:
        log_in_as(admin, "reviewer")
        done = post(
            admin,
            f"/admin/compliance/violations/{my_id.group(1)}/handle",
            {"document": "沈税罚〔2026〕1号", "handled_on": "2026-11-10"},
        )
        assert done.status_code in (302, 303)
        again = post(
            admin,
            f"/admin/compliance/violations/{my_id.group(1)}/handle",
            {"document": "沈税罚〔2026〕2号", "handled_on": "2026-11-11"},
        )
        assert again.status_code == 400 and "已经处理" in unescape(again.text)
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        handled = client.get("/query/violations", params={"status": "已处理"}).text
        assert "丢失发票2份" in handled and "2026-11-10" in handled
        assert "丢失发票2份" not in client.get("/query/violations", params={"penalty_min": "2000"}).text


def test_postal_dispatch_tracking_reaches_the_taxpayer(app: Litestar) -> None:
    mine = create_enterprise(officers=0)
    with new_client(app) as admin:
        log_in_as(admin, "reviewer")
        form = {
            "tin": mine.tin,
            "item_kind": "税收证明",
            "item_ref": f"WS{mine.taxpayer_id:010d}",
            "recipient": "张会计",
            "phone": "13900000000",
            "address": "辽宁省沈阳市和平区南京北街1号",
            "postage": "15",
        }
        assert post(admin, "/admin/dispatch", form).status_code in (302, 303)
        assert post(admin, "/admin/dispatch", form).status_code in (302, 303)  # same item: one dispatch
        page = admin.get("/admin/dispatch").text
        dispatch_id = re.findall(r"/admin/dispatch/(\d+)/advance", page)[0]
        no_number = post(admin, f"/admin/dispatch/{dispatch_id}/advance", {"state": "已揽收"})
        assert no_number.status_code == 400 and "揽收时请填写运单号" in no_number.text
        for data in (
            {"state": "已揽收", "tracking_number": f"EA{mine.taxpayer_id:09d}CN", "place": "和平区税务局"},
            {"state": "运输中", "place": "沈阳邮件处理中心"},
        ):
            assert post(admin, f"/admin/dispatch/{dispatch_id}/advance", data).status_code in (302, 303)
        backwards = post(admin, f"/admin/dispatch/{dispatch_id}/advance", {"state": "已揽收"})
        assert backwards.status_code == 400 and "物流状态只能向后更新" in backwards.text
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        postal = client.get("/query/postal").text
        assert postal.count(f"WS{mine.taxpayer_id:010d}") == 1
        assert re.search(r"<dt>邮寄件数</dt><dd>1</dd>", postal) and "<dt>在途</dt><dd>1</dd>" in postal
        assert "<dt>邮费合计（元）</dt><dd>15.00</dd>" in postal
        detail = client.get(f"/query/logistics/{dispatch_id}").text
        assert "沈阳邮件处理中心" in detail and "和平区税务局" in detail
        assert detail.index("运输中") < detail.index("已揽收", detail.index("物流轨迹"))  # newest first
        found = client.get("/query/logistics", params={"q": f"EA{mine.taxpayer_id:09d}CN"}).text
        assert "运输中" in found
    other = create_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, other, "legal_rep")
        assert client.get(f"/query/logistics/{dispatch_id}").status_code == 404


def test_agency_certifications_are_listed_for_the_enterprise(app: Litestar) -> None:
    mine = create_enterprise(officers=0)
    agency = create_enterprise(officers=0)
    certification = certify(mine.taxpayer_id, agency.taxpayer_id, nodes="我要查询\n我要办税/发票使用")
    with new_client(app) as client:
        log_in_staff(client, mine, "legal_rep")
        listing = client.get("/query/agencies").text
        assert agency.tin in listing and "有效" in listing
        detail = client.get(f"/query/agencies/{certification}").text
        assert "我要查询、发票使用" in detail
        assert run(AuditLog.count().where(AuditLog.taxpayer_id == mine.taxpayer_id)) >= 0
