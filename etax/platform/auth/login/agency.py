"""代理机构登录: step 1 (the agency's code + password) and step 3 (a client and its 协议密码).

Step 2 — choosing an agent and logging in by SMS or personal password — is shared with the
enterprise login (:mod:`etax.platform.auth.login.person`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from etax.platform import audit
from etax.platform.auth import throttle
from etax.platform.auth.login import messages as msg
from etax.platform.auth.login.common import (
    NEXT_KEY,
    check_captcha,
    new_flow,
    raw_values,
    safe_next,
    spend_captcha,
    start_flow,
)
from etax.platform.auth.login.forms import ClientChoiceForm, TaxpayerLoginForm
from etax.platform.auth.login.guard import ip_failure, ip_refusal
from etax.platform.auth.login.page import login_page
from etax.platform.auth.login.taxpayer import check_taxpayer_password
from etax.platform.auth.passwords import verify_password
from etax.platform.auth.principal import SessionAuth, session_auth, store_login
from etax.platform.auth.tables import AgencyCertification
from etax.platform.forms import read_form
from etax.platform.identity import Principal
from etax.platform.runtime import get_runtime

CLIENT_FORM = "agency_client"


@post("/login/agency", name="login_agency")
async def agency_login(request: Request[Any, Any, Any]) -> Template | Redirect:
    """Step 1: 社会信用代码/纳税人识别号 + 代理机构登录密码 + 验证码 + 同意协议."""
    values = await raw_values(request, "tin", "next")
    form, errors = await read_form(request, TaxpayerLoginForm)

    async def again(problems: dict[str, str], status: int = 400) -> Template:
        return await login_page(
            request, tab="agency", next_url=values["next"], errors=problems, values=values, status=status
        )

    if form is None:
        spend_captcha(request, "login_agency")
        return await again(errors)
    refusal = ip_refusal(request)
    if refusal:
        return await again({"_form": refusal}, 429)
    problem = check_captcha(request, "login_agency", form.captcha)
    if problem:
        return await again({"captcha": problem})
    agency, problem = await check_taxpayer_password(
        request, form.tin, form.password, action="login.agency.password"
    )
    if agency is None:
        return await again({"_form": problem})
    if not agency.is_agency:
        return await again({"tin": msg.NOT_AN_AGENCY})
    start_flow(request, new_flow("agency", taxpayer_id=agency.id, next=safe_next(form.next)))
    return Redirect("/login/agency/staff", status_code=303)


async def _clients(agency_id: int) -> list[dict[str, Any]]:
    """Active, unexpired certifications of this agency, with the client's name and code."""
    rows: list[dict[str, Any]] = (
        await AgencyCertification.select(
            AgencyCertification.id,
            AgencyCertification.client,
            AgencyCertification.valid_until,
            AgencyCertification.client.name,
            AgencyCertification.client.tin,
        )
        .where(
            (AgencyCertification.agency == agency_id)
            & (AgencyCertification.status == "active")
            & (AgencyCertification.valid_until >= dt.date.today())
        )
        .order_by(AgencyCertification.id)
    )
    return rows


async def _agent(request: Request[Any, Any, Any]) -> Principal | None:
    principal = await get_runtime(request.app).principal_of(request)
    if principal is None or principal.kind != "agency" or principal.staff_id is None:
        return None
    return principal


async def _page(
    request: Request[Any, Any, Any], agent: Principal, errors: dict[str, str] | None = None, status: int = 200
) -> Template:
    assert agent.taxpayer_id is not None
    return Template(
        "auth/agency_client.html",
        context={
            "agent": agent,
            "clients": await _clients(agent.taxpayer_id),
            "errors": errors or {},
            "steps": ("验证代理机构", "选择办税人员", "身份验证", "选择代理企业"),
            "step": 4,
        },
        status_code=status,
    )


@get(["/login/agency/client", "/login/agency/clients"], name="login_agency_client", cache=False)
async def client_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    """Step 3: the enterprises that certified this agency (also the page to switch client)."""
    agent = await _agent(request)
    if agent is None:
        return Redirect("/login?tab=agency", status_code=303)
    if agent.must_change_password:
        return Redirect("/login/set-password", status_code=303)
    return await _page(request, agent)


@post("/login/agency/client", name="login_agency_client_choose")
async def choose_client(request: Request[Any, Any, Any]) -> Template | Redirect:
    """协议密码: on success the agent acts for the client, with only the delegated functions."""
    agent = await _agent(request)
    auth = session_auth(request)
    if agent is None or auth is None or agent.taxpayer_id is None:
        return Redirect("/login?tab=agency", status_code=303)
    if agent.must_change_password:
        return Redirect("/login/set-password", status_code=303)
    form, errors = await read_form(request, ClientChoiceForm)
    if form is None:
        spend_captcha(request, CLIENT_FORM)
        return await _page(request, agent, errors, 400)
    refusal = ip_refusal(request)
    if refusal:
        return await _page(request, agent, {"_form": refusal}, 429)
    problem = check_captcha(request, CLIENT_FORM, form.captcha)
    if problem:
        return await _page(request, agent, {"captcha": problem}, 400)
    chosen = [c for c in await _clients(agent.taxpayer_id) if int(c["id"]) == form.certification_id]
    if not chosen:
        return await _page(request, agent, {"client": "请选择已认定本代理机构的企业"}, 400)
    cert = chosen[0]
    key = f"cert:{cert['id']}"
    wait = throttle.AGREEMENT_FAILURES.blocked_for(key)
    if wait:
        message = f"协议密码连续输错5次，已锁定，请于{throttle.wait_text(wait)}后再试"
        return await _page(request, agent, {"agreement_password": message}, 400)
    row = (
        await AgencyCertification.select(AgencyCertification.agreement_password_hash)
        .where(AgencyCertification.id == cert["id"])
        .first()
    )
    if row is None or not await verify_password(str(row["agreement_password_hash"]), form.agreement_password):
        throttle.AGREEMENT_FAILURES.failure(key)
        ip_failure(request)
        left = _left(key)
        await audit.record(
            actor=agent.display_name,
            acting_for=str(cert["client.name"]),
            taxpayer_id=agent.taxpayer_id,
            action="login.agency.client",
            outcome="refused" if left == 0 else "failure",
            connection=request,
            target=f"certification:{cert['id']}",
            detail="协议密码错误",
        )
        message = (
            "协议密码错误，请输入委托企业认定代理机构时设置的协议密码（连续输错5次将锁定30分钟，您还可以尝试"
            + f"{left}次）"
        )
        if left == 0:
            message = "协议密码连续输错5次，已锁定30分钟，请稍后再试"
        return await _page(request, agent, {"agreement_password": message}, 400)
    throttle.AGREEMENT_FAILURES.clear(key)
    next_url = safe_next(str(request.session.get(NEXT_KEY, "/") or "/"))
    await store_login(
        request,
        SessionAuth(
            kind="agency",
            taxpayer_id=agent.taxpayer_id,
            staff_id=agent.staff_id,
            client_taxpayer_id=int(cert["client"]),
            certification_id=int(cert["id"]),
        ),
    )
    await audit.record(
        actor=agent.display_name,
        acting_for=str(cert["client.name"]),
        taxpayer_id=int(cert["client"]),
        action="login.agency.client",
        outcome="success",
        connection=request,
        target=f"certification:{cert['id']}",
        detail=f"{agent.taxpayer_name} 代理 {cert['client.name']}",
    )
    return Redirect(next_url, status_code=303)


def _left(key: str) -> int:
    """Wrong 协议密码 left for a certification before it is locked."""
    return max(0, throttle.AGREEMENT_FAILURE_LIMIT - throttle.AGREEMENT_FAILURES.count(key))


@post("/login/agency/client/leave", name="login_agency_client_leave")
async def leave_client(request: Request[Any, Any, Any]) -> Redirect:
    """结束代理: stop acting for the client and choose again."""
    agent = await _agent(request)
    if agent is None or agent.taxpayer_id is None:
        return Redirect("/login?tab=agency", status_code=303)
    if agent.acting_for:
        await store_login(
            request, SessionAuth(kind="agency", taxpayer_id=agent.taxpayer_id, staff_id=agent.staff_id)
        )
        await audit.record(
            actor=agent.display_name,
            acting_for=agent.acting_for_name,
            taxpayer_id=agent.acting_for,
            action="login.agency.client_leave",
            outcome="success",
            connection=request,
        )
    return Redirect("/login/agency/client", status_code=303)
