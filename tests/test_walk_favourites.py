"""Issue 10.8: 收藏夹维护 (常用功能 设置) disables 上移 on the first entry and 下移 on the last only,
and the page has one name, the seed's."""

from __future__ import annotations

import re

from litestar import Litestar

from tests.conftest import new_client
from tests.factories import create_enterprise, log_in_staff


def buttons(html: str) -> list[tuple[str, bool]]:
    """``(label, disabled)`` of each 上移 / 下移 button, in order."""
    return [
        (label, bool(disabled))
        for disabled, label in re.findall(
            r'<button type="submit" class="button-link"( disabled)?>(上移|下移)</button>', html
        )
    ]


def test_move_buttons_follow_the_position(app: Litestar) -> None:
    enterprise = create_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        client.get("/")  # the defaults become the list
        page = client.get("/favourites").text
    found = buttons(page)
    count = len(found) // 2
    assert count >= 3
    expected = []
    for index in range(count):
        expected += [("上移", index == 0), ("下移", index == count - 1)]
    assert found == expected
    assert "<h1>收藏夹维护</h1>" in page and "常用功能设置" not in page
