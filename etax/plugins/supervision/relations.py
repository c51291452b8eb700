"""解除相关人员关联关系 (自然人): a person removes themself from an enterprise they left.

The page lists the enterprises whose registration names the person; removing a 办税员 link deletes it
from the core registry and the enterprise's staff (they can no longer log in for it at once), tells the
enterprise (服务提醒) and is audited. A 法定代表人 or 财务负责人 link stays until the enterprise files
变更税务登记, unless the enterprise is 注销 (the registry service refuses with the reason)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from etax.platform.api import (
    CurrentPrincipal,
    Principal,
    clock,
    frontdesk,
    read_form,
    record,
    send_message,
    set_notice,
)
from etax.plugins.supervision.functions import UNLINK


class UnlinkForm(msgspec.Struct, kw_only=True):
    taxpayer: Annotated[int, msgspec.Meta(title="关联企业", ge=1, le=2**31 - 1)]
    reason: Annotated[
        Literal["已离职", "企业已注销", "非本人办理的关联", "其他原因"], msgspec.Meta(title="解除原因")
    ]
    confirm: Annotated[bool, msgspec.Meta(title="确认解除")] = False

    def problems(self) -> dict[str, str]:
        if not self.confirm:
            return {"confirm": "请勾选确认解除，解除后将不能再以该企业办税人员身份登录"}
        return {}


async def _page(principal: Principal, *, errors: dict[str, str] | None = None, status: int = 200) -> Template:
    assert principal.person_id is not None
    return Template(
        "supervision/unlink.html",
        context={
            "function": UNLINK,
            "links": await frontdesk.staff_links_of_person(principal.person_id),
            "errors": errors or {},
        },
        status_code=status,
    )


class UnlinkController(Controller):
    """我要办税 › 其他服务事项 › 解除相关人员关联关系."""

    path = UNLINK.url
    opt = {"function": UNLINK.code}

    @get("/")
    async def index(self, principal: CurrentPrincipal) -> Template:
        return await _page(principal)

    @post("/")
    async def unlink(
        self, request: Request[Any, Any, Any], principal: CurrentPrincipal
    ) -> Template | Redirect:
        data, errors = await read_form(request, UnlinkForm)
        if data is None:
            return await _page(principal, errors=errors, status=400)
        assert principal.person_id is not None
        try:
            link = await frontdesk.unlink_person(principal.person_id, data.taxpayer)
        except frontdesk.CounterError as error:
            await record(
                actor=principal.display_name,
                action="relation.unlink",
                outcome="failure",
                connection=request,
                target=f"taxpayer:{data.taxpayer}",
                detail=error.message,
            )
            return await _page(principal, errors={"taxpayer": error.message}, status=400)
        await record(
            actor=principal.display_name,
            action="relation.unlink",
            outcome="success",
            connection=request,
            taxpayer_id=link.taxpayer_id,
            target=f"{link.role_label} {principal.display_name}",
            detail=data.reason,
        )
        await send_message(
            title="办税人员已解除关联关系",
            body=f"{principal.display_name}（{link.role_label}）已于电子税务局解除与贵单位的关联关系，原因：{data.reason}。"
            "该人员已不能再以贵单位办税人员身份登录；如需变更税务登记中的办税人员信息，请办理变更税务登记。",
            submission=f"unlink:{principal.person_id}:{link.taxpayer_id}:{clock.now().isoformat()}",
            taxpayer_id=link.taxpayer_id,
            sender="电子税务局",
        )
        set_notice(request, f"已解除与{link.taxpayer_name}的关联关系。")
        return Redirect(UNLINK.url, status_code=303)
