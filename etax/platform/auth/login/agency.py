"""代理机构登录: step 1 (the agency's code + password) and step 3 (a client and its 协议密码).

Step 2 — choosing an agent and logging in by SMS or personal password — is shared with the
enterprise login (:mod:`etax.platform.auth.login.person`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template

from etax.platform import audit, clock
from etax.platform.auth import credentials
from etax.platform.auth.login import messages as msg
from etax.platform.auth.login.common import (
    NEXT_KEY,
    new_flow,
    safe_next,
    spend_captcha,
    start_flow,
)
from etax.platform.auth.login.forms import ClientChoiceForm, TaxpayerLoginForm
from etax.platform.auth.login.page import login_page
from etax.platform.auth.login.taxpayer import check_taxpayer_password
from etax.platform.auth.principal import SessionAuth, session_auth, store_login
from etax.platform.auth.tables import AgencyCertification
from etax.platform.forms import read_form, submitted_values
from etax.platform.identity import Principal
from etax.platform.runtime import get_runtime

CLIENT_FORM = "agency_client"


@post("/login/agency", name="login_agency")
async def agency_login(request: Request[Any, Any, Any]) -> Template | Redirect:
    """Step 1: 社会信用代码/纳税人识别号 + 代理机构登录密码 + 验证码 + 同意协议."""
    values = await submitted_values(request, ("tin", "next"), 60)
    form, errors = await read_form(request, TaxpayerLoginForm)

    async def again(problems: dict[str, str], status: int = 400) -> Template:
        return await login_page(
            request, tab="agency", next_url=values["next"], errors=problems, values=values, status=status
        )

    if form is None:
        spend_captcha(request, "login_agency")
        return await again(errors)
    agency, verdict = await check_taxpayer_password(
        request,
        form.tin,
        form.password,
        action="login.agency.password",
        captcha=("login_agency", form.captcha),
    )
    if agency is None:
        return await again({verdict.field: verdict.message}, verdict.status)
    if not agency.is_agency:
        return await again({"tin": msg.NOT_AN_AGENCY})
    await start_flow(request, new_flow("agency", taxpayer_id=agency.id, next=safe_next(form.next)))
    return Redirect("/login/agency/staff", status_code=303)


class ClientChoice(msgspec.Struct, frozen=True, kw_only=True):
    """A client the agency may act for: its certification, name, code and the certification's end."""

    id: int
    client: int
    valid_until: dt.date
    client_name: str
    client_tin: str


async def _clients(agency_id: int) -> list[ClientChoice]:
    """Active, unexpired certifications of this agency, with the client's name and code."""
    rows = (
        await AgencyCertification.select(
            AgencyCertification.id,
            AgencyCertification.client,
            AgencyCertification.valid_until,
            AgencyCertification.client.name.as_alias("client_name"),
            AgencyCertification.client.tin.as_alias("client_tin"),
        )
        .where(
            (AgencyCertification.agency == agency_id)
            & (AgencyCertification.status == "active")
            & (AgencyCertification.valid_until >= clock.today())
        )
        .order_by(AgencyCertification.id)
    )
    return [msgspec.convert(row, ClientChoice) for row in rows]


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
    chosen: list[ClientChoice] = []

    async def lookup() -> credentials.Agreement | None:
        assert agent is not None and agent.taxpayer_id is not None
        certs = [c for c in await _clients(agent.taxpayer_id) if c.id == form.certification_id]
        if not certs:
            return None
        chosen.append(certs[0])
        row = (
            await AgencyCertification.select(AgencyCertification.agreement_password_hash)
            .where(AgencyCertification.id == certs[0].id)
            .first()
        )
        return credentials.Agreement(
            certification_id=certs[0].id,
            password_hash="" if row is None else str(row["agreement_password_hash"]),
            client_name=certs[0].client_name,
        )

    verdict = await credentials.check_agreement_password(
        request,
        password=form.agreement_password,
        lookup=lookup,
        captcha=(CLIENT_FORM, form.captcha),
        actor=agent.display_name,
        taxpayer_id=agent.taxpayer_id,
    )
    if not verdict.ok:
        return await _page(request, agent, {verdict.field: verdict.message}, verdict.status)
    cert = chosen[0]
    next_url = safe_next(str(request.session.get(NEXT_KEY, "/") or "/"))
    await store_login(
        request,
        SessionAuth(
            kind="agency",
            taxpayer_id=agent.taxpayer_id,
            staff_id=agent.staff_id,
            client_taxpayer_id=cert.client,
            certification_id=cert.id,
        ),
    )
    await audit.record(
        actor=agent.display_name,
        acting_for=cert.client_name,
        taxpayer_id=cert.client,
        action="login.agency.client",
        outcome="success",
        connection=request,
        target=f"certification:{cert.id}",
        detail=f"{agent.taxpayer_name} 代理 {cert.client_name}",
    )
    return Redirect(next_url, status_code=303)


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
