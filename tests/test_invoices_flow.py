"""Invoices between taxpayers: 取得发票 at once, 勾选 and 统计确认, 红字发票信息确认单 (confirm in 我的待办),
the red invoice, 进项税额转出, the pre-fill figures, 全量发票查询 and the public 发票查验."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from litestar import Litestar

from etax.platform.api import InvoiceKind as FigureKind
from etax.platform.runtime import get_runtime
from etax.plugins.invoices.clock import beijing_today, period_of
from etax.plugins.invoices.tables import Invoice, InvoiceItem, RedLetterRequest, TransferOut
from tests.conftest import new_client
from tests.factories import Enterprise
from tests.invoice_helpers import (
    Client,
    available,
    buyer,
    issue,
    issue_form,
    issued_id,
    line,
    log_in,
    seller,
)
from tests.login_helpers import CAPTCHA, audit_rows, post, run

TODAY = beijing_today()


def invoice_row(invoice_id: int) -> dict[str, object]:
    row = run(Invoice.select().where(Invoice.id == invoice_id).first())
    assert row is not None
    return dict(row)


def items_of(invoice_id: int) -> list[dict[str, object]]:
    return list(run(InvoiceItem.select().where(InvoiceItem.invoice == invoice_id).order_by(InvoiceItem.line)))


def issue_one(app: Litestar, shop: Enterprise, customer: Enterprise, *lines: dict[str, str]) -> int:
    with new_client(app) as client:
        log_in(client, shop)
        return issued_id(issue(client, issue_form(customer.tin, list(lines) or [line()])))


def tick(client: Client, invoice_id: int, purpose: str = "deduct", action: str = "tick") -> str:
    response = post(client, f"/invoices/selection/{purpose}", {"invoice": str(invoice_id), "action": action})
    assert response.status_code == 303, response.text
    return client.get(f"/invoices/selection/{purpose}").text


def raise_red(client: Client, blue_id: int, amounts: dict[int, str], reason: str = "销售折让") -> int:
    data = {"reason": reason, **{f"amount_{item}": value for item, value in amounts.items()}}
    response = post(client, f"/invoices/red/new/{blue_id}", data)
    assert response.status_code == 303, response.text[:3000]
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_received_ticked_confirmed_and_prefilled(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    first = issue_one(app, shop, customer, line("服务", "1000.00", "6"), line("设备", "2000.00", "13"))
    second = issue_one(app, shop, customer, line("咨询", "500.00", "6"))
    with new_client(app) as client:
        log_in(client, customer)
        page = client.get("/invoices/selection/deduct").text
        numbers = [str(invoice_row(i)["number"]) for i in (first, second)]
        assert all(number in page for number in numbers)  # 取得发票 at once
        page = tick(client, first)
        assert "已勾选1份发票（抵扣类勾选）" in page
        page = tick(client, second, "non-deduct")
        # untick before 确认, tick again
        page = tick(client, second, "non-deduct", "untick")
        assert "已撤销勾选1份发票" in page
        tick(client, second, "non-deduct")
        # a ticked invoice cannot be ticked again for the other purpose
        again = post(client, "/invoices/selection/deduct", {"invoice": str(second), "action": "tick"})
        assert "已勾选，请勿重复勾选" in client.get(again.headers["location"]).text
        confirmed = post(client, "/invoices/selection/deduct", {"action": "confirm"})
        page = client.get(confirmed.headers["location"]).text
        assert "统计确认完成：抵扣类1份，税额合计320.00元" in page
        closed = post(client, "/invoices/selection/non-deduct", {"invoice": str(second), "action": "untick"})
        assert "已统计确认，不能再勾选或撤销勾选" in client.get(closed.headers["location"]).text
    assert [r["outcome"] for r in audit_rows("invoice.tick", customer.taxpayer_id)] == ["success"] * 3
    assert len(audit_rows("invoice.confirm", customer.taxpayer_id)) == 1
    host = get_runtime(app).host
    start = TODAY.replace(day=1)
    figures = asyncio.run(host.invoice_figures(customer.taxpayer_id, start, TODAY))
    assert figures is not None
    assert (figures.deductible_count, figures.deductible_amount, figures.deductible_tax) == (
        1,
        Decimal("3000.00"),
        Decimal("320.00"),
    )
    sales = asyncio.run(host.invoice_figures(shop.taxpayer_id, start, TODAY))
    assert sales is not None
    by_rate = {(s.rate, s.kind): (s.amount, s.tax, s.count) for s in sales.sales}
    assert by_rate == {
        (Decimal("0.13"), FigureKind.SPECIAL): (Decimal("2000.00"), Decimal("260.00"), 1),
        (Decimal("0.06"), FigureKind.SPECIAL): (Decimal("1500.00"), Decimal("90.00"), 2),
    }


def test_another_taxpayers_invoice_cannot_be_ticked_or_seen(app: Litestar) -> None:
    shop, customer, stranger = seller(), buyer(), buyer()
    invoice_id = issue_one(app, shop, customer)
    with new_client(app) as client:
        log_in(client, stranger)
        assert str(invoice_row(invoice_id)["number"]) not in client.get("/invoices/selection/deduct").text
        response = post(client, "/invoices/selection/deduct", {"invoice": str(invoice_id), "action": "tick"})
        assert "所选发票不是本单位取得的发票" in client.get(response.headers["location"]).text
        assert client.get(f"/invoices/query/{invoice_id}").status_code == 404
        assert client.get(f"/invoices/query/{invoice_id}/pdf").status_code == 404
        assert client.get(f"/invoices/red/new/{invoice_id}").status_code == 404
        assert post(client, f"/invoices/red/new/{invoice_id}", {"reason": "开票有误"}).status_code == 404
    assert audit_rows("invoice.tick", stranger.taxpayer_id) == []


def test_red_letter_for_half_confirmed_by_the_buyer_with_transfer_out(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    blue = issue_one(app, shop, customer, line("设备", "10000.00", "13"))
    [item] = items_of(blue)
    before = available(shop.taxpayer_id)
    with new_client(app) as buyer_client, new_client(app) as seller_client:
        log_in(buyer_client, customer)
        tick(buyer_client, blue)
        log_in(seller_client, shop)
        assert "数电发票没有“作废”功能" in seller_client.get("/invoices/red").text
        # beyond the remaining amount, negative amounts: refused, nothing written
        too_much = post(
            seller_client,
            f"/invoices/red/new/{blue}",
            {"reason": "销售折让", f"amount_{item['id']}": "10000.01"},
        )
        assert too_much.status_code == 400 and "超出剩余可红冲金额10,000.00元" in too_much.text
        negative = post(
            seller_client, f"/invoices/red/new/{blue}", {"reason": "销售折让", f"amount_{item['id']}": "-5"}
        )
        assert negative.status_code == 400 and "不能为负数" in negative.text
        assert run(RedLetterRequest.count().where(RedLetterRequest.blue == blue)) == 0
        slip = raise_red(seller_client, blue, {int(str(item["id"])): "5000.00"})
        assert "待对方确认" in seller_client.get(f"/invoices/red/requests/{slip}").text
        # the raiser cannot confirm its own slip
        own = post(seller_client, f"/invoices/red/requests/{slip}", {"action": "confirm"})
        assert "提出方不能自行确认" in seller_client.get(own.headers["location"]).text
        # the buyer sees it in 我的待办 and confirms
        home = buyer_client.get("/").text
        assert "红字发票信息确认单待确认" in home and f"/invoices/red/requests/{slip}" in home
        done = post(buyer_client, f"/invoices/red/requests/{slip}", {"action": "confirm"})
        page = buyer_client.get(done.headers["location"]).text
        assert "已开具红字发票" in page
        red_id = int(re.search(r'/invoices/query/(\d+)" data-testid="red-link"', page).group(1))  # type: ignore[union-attr]
        face = seller_client.get(f"/invoices/query/{red_id}").text
        assert "负伍仟陆佰伍拾圆整" in face and str(invoice_row(blue)["number"]) in face
        assert "部分红冲" in seller_client.get(f"/invoices/query/{blue}").text
        assert "红字发票信息确认单待确认" not in buyer_client.get("/").text
        transfers = buyer_client.get("/invoices/transfer-out").text
        assert "650.00" in transfers
    red = invoice_row(red_id)
    assert (red["amount"], red["tax"], red["total"], red["original"]) == (
        Decimal("-5000.00"),
        Decimal("-650.00"),
        Decimal("-5650.00"),
        blue,
    )
    assert int(str(red["number"])) == int(str(invoice_row(blue)["number"])) + 1  # the issuer's next number
    assert available(shop.taxpayer_id) == before + Decimal("5000.00")  # quota restored
    [transfer] = run(TransferOut.select().where(TransferOut.taxpayer == customer.taxpayer_id))
    assert transfer["tax"] == Decimal("650.00")
    figures = asyncio.run(
        get_runtime(app).host.invoice_figures(customer.taxpayer_id, TODAY.replace(day=1), TODAY)
    )
    assert figures is not None and figures.transfer_out_tax == Decimal("650.00")
    sales = asyncio.run(get_runtime(app).host.invoice_figures(shop.taxpayer_id, TODAY.replace(day=1), TODAY))
    assert sales is not None and [(s.amount, s.tax, s.count) for s in sales.sales] == [
        (Decimal("5000.00"), Decimal("650.00"), 2)
    ]
    assert {r["action"] for r in audit_rows("invoice.red", shop.taxpayer_id)} >= {
        "invoice.red_request",
        "invoice.red_issue",
    }
    assert len(audit_rows("invoice.red_confirm", customer.taxpayer_id)) == 1


def test_remaining_red_amount_never_goes_below_zero(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    blue = issue_one(app, shop, customer, line("货物", "100.00", "13"), line("运费", "33.33", "9"))
    goods, freight = (int(str(i["id"])) for i in items_of(blue))
    with new_client(app) as seller_client, new_client(app) as buyer_client:
        log_in(seller_client, shop)
        log_in(buyer_client, customer)
        first = raise_red(seller_client, blue, {goods: "60.00", freight: "0"})
        pending = post(
            seller_client,
            f"/invoices/red/new/{blue}",
            {"reason": "开票有误", f"amount_{goods}": "40.00", f"amount_{freight}": "0"},
        )
        assert pending.status_code == 400 and "已有待对方确认" in pending.text
        post(buyer_client, f"/invoices/red/requests/{first}", {"action": "confirm"})
        second = raise_red(seller_client, blue, {goods: "40.00", freight: "33.33"}, "销货退回")
        post(buyer_client, f"/invoices/red/requests/{second}", {"action": "confirm"})
        row = invoice_row(blue)
        assert row["status"] == "已红冲" and int(str(row["reversed_fen"])) == 13333
        # every line's tax sums back to zero exactly (the last red takes what remains)
        reds = run(InvoiceItem.select().where(InvoiceItem.original_item.is_in([goods, freight])))
        assert sum(Decimal(str(r["tax"])) for r in reds) == -(Decimal("13.00") + Decimal("3.00"))
        more = post(
            seller_client,
            f"/invoices/red/new/{blue}",
            {"reason": "开票有误", f"amount_{goods}": "0.01", f"amount_{freight}": "0"},
        )
        assert more.status_code == 400 and "超出剩余可红冲金额" in more.text


def test_a_buyer_not_on_the_platform_needs_no_confirmation_and_refusals_work(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    with new_client(app) as client:
        log_in(client, shop)
        person = issued_id(
            issue(client, issue_form("", [line()], kind="ordinary", person=True, buyer_name="李四"))
        )
        [item] = items_of(person)
        slip = raise_red(client, person, {int(str(item["id"])): "1000.00"}, "开票有误")
        assert "红字发票已开具" in client.get(f"/invoices/red/requests/{slip}").text
        assert invoice_row(person)["status"] == "已红冲"
    blue = issue_one(app, shop, customer)
    [item] = items_of(blue)
    with new_client(app) as seller_client, new_client(app) as buyer_client:
        log_in(seller_client, shop)
        log_in(buyer_client, customer)
        # the buyer may raise only for a ticked 专票
        refused = post(
            buyer_client,
            f"/invoices/red/new/{blue}",
            {"reason": "销货退回", f"amount_{item['id']}": "100.00"},
        )
        assert refused.status_code == 400 and "购买方仅可对已勾选的增值税专用发票" in refused.text
        tick(buyer_client, blue)
        slip = raise_red(buyer_client, blue, {int(str(item["id"])): "100.00"}, "销货退回")
        assert "红字发票信息确认单待确认" in seller_client.get("/").text
        post(seller_client, f"/invoices/red/requests/{slip}", {"action": "reject"})
        assert "对方已拒绝" in buyer_client.get(f"/invoices/red/requests/{slip}").text
        assert invoice_row(blue)["status"] == "正常"
    with new_client(app) as stranger:  # another taxpayer's slip: not found, nothing changes
        log_in(stranger, buyer())
        assert stranger.get(f"/invoices/red/requests/{slip}").status_code == 404
        assert post(stranger, f"/invoices/red/requests/{slip}", {"action": "confirm"}).status_code == 404
        assert str(invoice_row(blue)["number"]) not in stranger.get("/invoices/red").text


def detail_ids(html: str) -> list[str]:
    return re.findall(r'href="/invoices/query/(\d+)"', html)


def test_full_query_filters_pages_and_exports(app: Litestar) -> None:
    shop, customer, other = seller(), buyer(), buyer()
    for amount in ("100.00", "200.00", "300.00"):
        issue_one(app, shop, customer, line(amount=amount))
    issue_one(app, shop, other, line(amount="5000.00"))
    with new_client(app) as client:
        log_in(client, shop)
        page = client.get("/invoices/query", params={"direction": "issued"}).text
        assert len(detail_ids(page)) == 4
        small = client.get("/invoices/query", params={"total_max": "250", "counterparty": customer.tin}).text
        assert "106.00" in small and "212.00" in small and "318.00" not in small and "5,300.00" not in small
        bad = client.get("/invoices/query", params={"issue_date_from": "2026-13-01"})
        assert bad.status_code == 400 and "开票日期起不是有效的日期" in bad.text
        export = client.get("/invoices/query/export/csv", params={"direction": "issued"})
        assert export.content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
        assert rows[0][0] == "发票号码" and len(rows) == 5
        xlsx = client.get("/invoices/query/export/xlsx", params={"direction": "issued", "total_min": "1000"})
        assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
        printed = client.get("/invoices/query/print", params={"direction": "issued"}).text
        assert printed.count("5,300.00") == 1 and "全量发票查询（开具发票）" in printed
    assert [
        r["action"]
        for r in audit_rows("", shop.taxpayer_id)
        if "导出" in str(r["action"]) or "export" in str(r["action"])
    ]
    with new_client(app) as client:
        log_in(client, customer)
        received = client.get("/invoices/query", params={"direction": "received"}).text
        assert len(detail_ids(received)) == 3 and "5,300.00" not in received
        # a cursor made for 开具发票 is refused for 取得发票 (page 1 with a message, no foreign rows)
        assert len(detail_ids(client.get("/invoices/query", params={"direction": "issued"}).text)) == 0


def test_keyset_pages_do_not_repeat_or_skip(app: Litestar) -> None:
    shop, customer = seller(), buyer()
    with new_client(app) as client:
        log_in(client, shop)
        for _ in range(25):
            issued_id(issue(client, issue_form(customer.tin, [line(amount="10.00")])))
        first = client.get("/invoices/query").text
        next_url = re.search(r'href="(\?[^"]*cursor=[^"]*)" rel="next"', first)
        assert next_url
        second = client.get("/invoices/query" + next_url.group(1).replace("&amp;", "&")).text
        forged = client.get(
            "/invoices/query"
            + next_url.group(1).replace("&amp;", "&").replace("direction=issued", "direction=received")
        )
    ids_first, ids_second = detail_ids(first), detail_ids(second)
    assert len(ids_first) == 20 and len(ids_second) == 5 and not set(ids_first) & set(ids_second)
    assert forged.status_code == 400 and detail_ids(forged.text) == []


def verify(client: Client, number: str, day: dt.date, total: str, captcha: str = CAPTCHA) -> str:
    response = post(
        client,
        "/public/invoice-verification",
        {"number": number, "issue_date": day.isoformat(), "total": total, "captcha": captcha},
    )
    return response.text


def test_public_verification(app: Litestar, pin_clock: Callable[[dt.date], None]) -> None:
    shop, customer = seller(), buyer()
    blue = issue_one(app, shop, customer, line("软件", "1000.00", "13"))
    number = str(invoice_row(blue)["number"])
    issued_on = invoice_row(blue)["issue_date"]
    assert isinstance(issued_on, dt.date)
    with new_client(app) as client:  # anonymous
        assert client.get("/public/invoice-verification").status_code == 200
        assert "当日开具的发票当日不能查验" in verify(client, number, issued_on, "1130.00")
        pin_clock(issued_on + dt.timedelta(days=1))  # the next day
        yesterday = issued_on
        assert "验证码" in verify(client, number, yesterday, "1130.00", captcha="WRONG")
        page = verify(client, number, yesterday, "1130.00")
        assert (
            'data-testid="verify-status">正常<' in page
            and "壹仟壹佰叁拾圆整" in page
            and customer.tin in page
        )
        assert "发票信息不一致" in verify(client, number, yesterday, "1000.00")
        assert "查无此票" in verify(client, "26211" + "9" * 15, yesterday, "1130.00")
        assert "20位" in verify(client, "1234", yesterday, "1130.00")
        assert "只能查验5年内开具的发票" in verify(
            client, number, TODAY.replace(year=TODAY.year - 6), "1130.00"
        )
        for _ in range(3):
            assert 'data-testid="verify-status">正常<' in verify(client, number, yesterday, "1130.00")
        # five checks of this number today (the mismatch counted too): the sixth is refused
        assert "今日查验次数已达5次上限" in verify(client, number, yesterday, "1130.00")
    outcomes = [r["outcome"] for r in audit_rows("invoice.verify") if r["target"] == number]
    assert outcomes.count("success") == 4 and "failure" in outcomes


@pytest.mark.parametrize("period_shift", [0])
def test_period_label_is_the_current_month(app: Litestar, period_shift: int) -> None:
    customer = buyer()
    with new_client(app) as client:
        log_in(client, customer)
        assert period_of(TODAY) in client.get("/invoices/selection/deduct").text
