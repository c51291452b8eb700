"""Issue 10.11: wording — one SMS-sent notice per page, no menu label repeated under itself."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.demo import PERSONS
from tests.login_helpers import CAPTCHA, location, post


def test_the_menu_never_repeats_a_group_label_as_its_entry(client: TestClient[Litestar]) -> None:
    page = client.get("/menu/公众服务").text
    group = page[page.index('href="/menu/公众服务/咨询辅导"') :]
    group = group[: group.index("</section>")]
    assert re.findall(r'<a class="tile"[^>]*>([^<]+)', group) == ["热点问题"]


def test_the_registration_code_is_announced_once(client: TestClient[Litestar]) -> None:
    gao = PERSONS["高远"]
    started = post(
        client,
        "/login/register",
        {"id_number": str(gao["id_number"]), "name": "高远", "captcha": CAPTCHA, "agree": "on"},
    )
    page = client.get(location(started)).text
    assert page.count("验证码已发送") == 1 and "接收手机" in page
