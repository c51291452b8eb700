"""Every function of 我要办税, opened by the identity it is meant for: an enterprise's legal
representative, or a natural person for a natural person's function. Each answers 200 with a real
page (its name as the heading; a form, a table, a list or its empty state; no 建设中), and every group tile of 我要办税 lists
functions — none leads to an empty page. The seed's fourteen groups are all there."""

from __future__ import annotations

import re

from litestar import Litestar

from etax.platform.api import Audience, FunctionSpec
from etax.platform.auth.principal import SessionAuth
from etax.platform.runtime import get_runtime
from tests.conftest import new_client
from tests.factories import create_enterprise, create_natural_person, log_in, log_in_staff

CENTRE = "我要办税"
SEED_GROUPS = (  # 六(二): the groups of 我要办税 named by the seed (服务事项 is the catalogue's 其他服务事项)
    "综合信息报告",
    "发票使用",
    "税收减免",
    "证明开具",
    "税务行政许可",
    "核定管理",
    "一般退（抵）税管理",
    "出口退税管理",
    "增值税抵扣凭证管理",
    "纳税信用",
    "涉税专业服务机构管理",
    "其他服务事项",
    "风险管理",
)
REAL_PAGE = re.compile(r"<form\b|<table\b|<ul class=\"|<dl\b|data-testid=\"|<p class=\"(muted|hint)")
STUB = re.compile(r"建设中|敬请期待|TODO|placeholder", re.IGNORECASE)


def functions_of_the_centre(app: Litestar) -> list[FunctionSpec]:
    registry = get_runtime(app).registry
    return [f for f in registry if f.path[0] == CENTRE and not f.social_security]


def test_every_function_of_the_centre_opens_for_its_identity(app: Litestar) -> None:
    functions = functions_of_the_centre(app)
    groups = {f.path[1] for f in functions}
    enterprise = create_enterprise("办税中心巡检有限公司")
    person = create_natural_person()
    failures: list[str] = []
    with new_client(app) as firm, new_client(app) as natural:
        log_in_staff(firm, enterprise, "legal_rep")
        log_in(natural, SessionAuth(kind="natural_person", account_id=person))
        for function in functions:
            client = natural if Audience.ENTERPRISE not in function.audiences else firm
            page = client.get(function.url)
            main = page.text[page.text.find("<main") :]
            if page.status_code != 200:
                failures.append(f"{function.name} {function.url}: {page.status_code}")
            elif function.name not in main and (function.short_name or "\0") not in main:
                failures.append(f"{function.name} {function.url}: the page does not name the function")
            elif not REAL_PAGE.search(main) or STUB.search(main.replace('placeholder="', "")):
                failures.append(f"{function.name} {function.url}: not a real page (no form, table or list)")
        menu = firm.get(f"/menu/{CENTRE}").text
        assert 'data-testid="menu-empty"' not in menu
        for group in sorted(groups):
            tile = firm.get(f"/menu/{CENTRE}/{group}")
            if tile.status_code != 200 or 'class="tile"' not in tile.text:
                failures.append(f"tile {group}: {tile.status_code}, no functions listed")
    assert failures == [], "\n".join(failures)
    assert set(SEED_GROUPS) <= groups, f"groups of the seed without functions: {set(SEED_GROUPS) - groups}"
