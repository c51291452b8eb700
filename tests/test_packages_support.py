"""Helpers shared by the 套餐业务 / 特色业务 / report tests (no tests here)."""

from __future__ import annotations

import re
import secrets

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.menus.tables import FeaturedService, MenuPackage
from tests.test_admin_support import Client, post, run

PUBLIC_STEPS = ["public.taxpayer_status", "public.general_taxpayer", "public.announcements"]
ENTERPRISE_STEP = "history.operations"  # 历史办税操作查询: enterprises, granted through identities
MANAGERS_STEP = "usercentre.staff"  # 企业人员维护: legal representative and financial head only


def unique_name(prefix: str = "测试套餐") -> str:
    """A package name no other test uses (searchable by its random tail)."""
    return f"{prefix}{secrets.token_hex(3)}"


def compose(
    client: Client,
    name: str,
    steps: list[str],
    *,
    status: str = "published",
    audience: str = "all",
    description: str = "",
) -> httpx.Response:
    """Create a package through the back-office form (the logged-in administrator on ``client``)."""
    return post(
        client,
        "/admin/packages",
        {
            "name": name,
            "description": description,
            "audience": audience,
            "status": status,
            "steps": ",".join(steps),
        },
    )


def package_id(name: str) -> int:
    row = run(MenuPackage.select(MenuPackage.id).where(MenuPackage.name == name).first())
    assert row is not None, f"no package named {name}"
    return int(row["id"])


def package_count() -> int:
    return int(run(MenuPackage.count()))


def home_packages(client: TestClient[Litestar]) -> list[str]:
    """The names in the home page's 套餐业务 area."""
    html = client.get("/").text
    if 'data-testid="packages"' not in html:
        return []
    block = html.split('data-testid="packages"')[1].split("</ul>")[0]
    return re.findall(r'<a href="/packages/\d+"[^>]*>([^<]+)</a>', block)


def home_featured(client: TestClient[Litestar]) -> list[tuple[str, str]]:
    """(label, description) of each entry of the home page's 特色业务 area, in order."""
    html = client.get("/").text
    if 'data-testid="featured"' not in html:
        return []
    block = html.split('data-testid="featured"')[1].split("</ul>")[0]
    found: list[tuple[str, str]] = []
    for item in block.split("<li>")[1:]:
        label = re.search(r"<a [^>]*>([^<]+)</a>", item)
        description = re.search(r'class="muted featured-description">([^<]*)<', item)
        assert label is not None
        found.append((label.group(1), description.group(1) if description else ""))
    return found


def search_codes(client: TestClient[Litestar], query: str) -> list[str]:
    return [r["code"] for r in client.get("/api/search", params={"q": query}).json()["results"]]


def clear_featured() -> None:
    """Featured lists are shared by the whole run: tests that check the order start from nothing."""
    run(FeaturedService.delete(force=True))
