"""插件状态 in the back office: versions, ranges, open counts, failures; switching a plugin's functions off.

Two applications over the same database stand for two workers: a switch made through one is followed
by the other at its next request (ETAX_PLUGIN_REFRESH_SECONDS is 0 in tests).
"""

from __future__ import annotations

import msgspec
from litestar import Controller, Litestar, get
from litestar.testing import TestClient

from etax.platform.admin.guard import SESSION_ADMIN
from etax.platform.app import create_app
from etax.platform.audit.tables import AuditLog
from etax.platform.functions import Audience, FunctionSpec
from etax.platform.hookapi import HOOK_API_VERSION
from etax.platform.runtime import get_runtime
from etax.platform.settings import Settings
from tests.conftest import new_client
from tests.plugin_factories import make_plugin
from tests.test_admin_support import log_in_as, make_admin, run

GREETING = FunctionSpec(
    code="switchable.greeting",
    name="暂停测试问候",
    path=("公众服务", "暂停测试", "暂停测试问候"),
    url="/switchable/greeting",
    audiences=frozenset({Audience.PUBLIC}),
)


class GreetingController(Controller):
    path = GREETING.url
    opt = {"function": GREETING.code}

    @get("/")
    async def greet(self) -> str:
        return "你好"


def _admin(client: TestClient, role: str) -> None:  # type: ignore[type-arg]
    client.set_session_data({SESSION_ADMIN: {"admin_id": make_admin(role).id}})


def _switch(client: TestClient, plugin: str, off: str) -> int:  # type: ignore[type-arg]
    client.get("/admin/plugins")
    token = str(client.cookies.get("etax_csrf", ""))
    answer = client.post(
        "/admin/plugins/switch",
        data={"plugin": plugin, "off": off, "_csrf_token": token},
        follow_redirects=False,
    )
    return answer.status_code


def test_a_system_administrator_switches_a_plugin_off_and_every_worker_follows(settings: Settings) -> None:
    plugin = make_plugin(
        "switchable", etax_functions=lambda: [GREETING], etax_route_handlers=lambda: [GreetingController]
    )
    plugin.ETAX_HOOK_API = ">=1.1,<2"  # type: ignore[attr-defined]
    now = msgspec.structs.replace(settings, plugin_refresh_seconds=0)
    first, second = create_app(now, extra_plugins=[plugin]), create_app(now, extra_plugins=[plugin])
    runtimes = get_runtime(first), get_runtime(second)
    with (
        TestClient(first, session_config=runtimes[0].session_config) as office,
        TestClient(second, session_config=runtimes[1].session_config) as visitor,
    ):
        assert visitor.get("/switchable/greeting").text == "你好"
        _admin(office, "system")
        page = office.get("/admin/plugins").text
        row = page.split('data-plugin="switchable"')[1].split("</tr>")[0]
        assert "&gt;=1.1,&lt;2" in row and "暂停测试问候" in row and "registered in code" in row
        assert (
            'data-plugin="filing"' in page and HOOK_API_VERSION in page
        )  # every plugin; this etax's hook API

        assert _switch(office, "switchable", "1") == 303
        assert (
            "已暂停"
            in office.get("/admin/plugins").text.split('data-plugin="switchable"')[1].split("</tr>")[0]
        )
        refused = visitor.get("/switchable/greeting")  # the other worker, at its next request
        assert refused.status_code == 404 and "暂停办理" in refused.text
        assert not [
            r
            for r in visitor.get("/api/search", params={"q": "暂停测试问候"}).json()["results"]
            if r["code"] == GREETING.code
        ]
        assert "暂停测试问候" not in visitor.get("/menu/公众服务").text
        # the visitor's index is rebuilt while the plugin is off (another kind of document changed)
        run(runtimes[1].search.replace_documents("answer", [], audiences={}))
        entries = run(AuditLog.select(AuditLog.action).where(AuditLog.target == "plugin:switchable"))
        assert [e["action"] for e in entries][-1:] == ["admin.plugin.switch_off"]

        _admin(office, "reviewer")
        assert _switch(office, "switchable", "0") == 403  # only a system administrator
        _admin(office, "system")
        assert _switch(office, "etax.platform.menus", "1") == 303  # the platform's own: refused
        assert "平台自带功能不能暂停" in office.get("/admin/plugins").text
        assert get_runtime(first).registry.hidden_plugins == frozenset({"switchable"})

        assert _switch(office, "switchable", "0") == 303
        assert visitor.get("/switchable/greeting").text == "你好"
        found = visitor.get("/api/search", params={"q": "暂停测试问候"}).json()["results"]
        assert found[0]["code"] == GREETING.code
        opened = office.get("/admin/plugins").text.split('data-plugin="switchable"')[1].split("</tr>")[0]
        assert 'data-testid="opened">2<' in opened  # opened twice while on


def test_a_switch_of_an_unknown_or_core_plugin_is_refused_in_chinese(app: Litestar) -> None:
    with new_client(app) as client:
        log_in_as(client, "system")
        for plugin, off in (("no-such-plugin", "1"), ("filing", "maybe")):
            assert _switch(client, plugin, off) == 303
            assert "该插件不存在或不能暂停" in client.get("/admin/plugins").text
