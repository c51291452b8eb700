"""沈阳办税服务厅排队情况: the display, online 取号 once per person, hall staff calling the next number."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from litestar import Litestar
from litestar.testing import TestClient

Client = TestClient[Litestar]


def csrf(client: Client) -> str:
    client.get("/search")
    return str(client.cookies.get("etax_csrf", ""))


def post(client: Client, url: str, data: dict[str, str]) -> httpx.Response:
    return client.post(url, data={**data, "_csrf_token": csrf(client)}, follow_redirects=False)


def hall_row(page: str, code: str) -> str:
    return page.split(f'data-hall="{code}"')[1].split("</tr>")[0]


def hall_id(page: str, name_part: str) -> str:
    found = re.search(r'<option value="(\d+)">([^<]*' + name_part + ")", page)
    assert found, f"no hall {name_part} offered"
    return found.group(1)


def test_take_a_number_see_the_queue_and_get_called(
    etax_client: Client, etax_login: Callable[..., Client]
) -> None:
    display = etax_client.get("/liaoning/hall-queue/")
    assert display.status_code == 200 and "登录后在线取号" in display.text
    before = int(re.findall(r'data-testid="waiting">(\d+)<', hall_row(display.text, "SY-TX-01"))[0])

    person = etax_login("natural_person")
    form = person.get("/liaoning/hall-ticket/").text
    tiexi = hall_id(form, "铁西")
    taken = post(person, "/liaoning/hall-ticket/", {"hall": tiexi, "business": "general"})
    assert taken.status_code == 303
    mine = person.get("/liaoning/hall-ticket/").text
    first = re.search(r"取号成功：[^ ]+ (A\d{3})", mine)
    assert first, mine[:2000]
    again = post(person, "/liaoning/hall-ticket/", {"hall": tiexi, "business": "invoice"})
    assert again.status_code == 303
    assert first.group(1) in person.get("/liaoning/hall-ticket/").text  # the same ticket, not a new one

    unit = etax_login("legal_representative")
    assert post(unit, "/liaoning/hall-ticket/", {"hall": tiexi, "business": "filing"}).status_code == 303
    row = hall_row(etax_client.get("/liaoning/hall-queue/").text, "SY-TX-01")
    assert f'data-testid="waiting">{before + 2}<' in row

    staff = etax_login("admin:hall")
    assert "排队叫号" in staff.get("/admin/liaoning/queue/").text
    called = post(staff, f"/admin/liaoning/queue/{tiexi}/call", {})
    assert called.status_code == 303
    row = hall_row(etax_client.get("/liaoning/hall-queue/").text, "SY-TX-01")
    assert f'data-testid="waiting">{before + 1}<' in row and "A00" in row


def test_bad_choices_are_refused_with_a_message(etax_login: Callable[..., Client]) -> None:
    person = etax_login("natural_person")
    form = person.get("/liaoning/hall-ticket/").text
    for data in (
        {"hall": "abc", "business": "general"},
        {"hall": "999999", "business": "general"},
        {"hall": hall_id(form, "铁西"), "business": "lottery"},
    ):
        answer = post(person, "/liaoning/hall-ticket/", data)
        assert answer.status_code == 400 and "请选择办税服务厅和办理业务" in answer.text
    social = post(person, "/liaoning/hall-ticket/", {"hall": hall_id(form, "铁西"), "business": "social"})
    assert social.status_code == 400 and "不办理社保费业务" in social.text
    assert 'data-testid="tickets"' not in person.get("/liaoning/hall-ticket/").text  # nothing was taken


def test_the_proposed_package_reaches_the_content_administrator(etax_login: Callable[..., Client]) -> None:
    office = etax_login("admin:content")
    listing = office.get("/admin/packages/").text
    row = listing.split('data-proposal="社保费申报缴纳套餐"')[1].split("</tr>")[0]
    assert "社保费申报 → 社保费缴纳 → 社保费缴费记录查询" in row
    index = re.search(r"/admin/packages/new\?proposal=(\d+)", row)
    assert index, row
    form = office.get(f"/admin/packages/new?proposal={index.group(1)}").text
    assert 'value="社保费申报缴纳套餐"' in form
    assert "liaoning.fee_declaration,liaoning.fee_payment,liaoning.fee_records" in form
