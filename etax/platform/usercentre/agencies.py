"""代理机构认定管理: sync an agency from the core registry, certify it or cancel the certification.

A certification (one per client and agency) holds the agreement password (协议密码) the agency enters
when it chooses this client, the delegated branches of the function tree and the validity end date.
The agency loses the client at its very next request once the certification is cancelled or past
its end date (:func:`etax.platform.auth.principal.resolve_principal` checks both).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform import clock
from etax.platform.auth.passwords import hash_password
from etax.platform.auth.tables import AgencyCertification
from etax.platform.coresys import registry
from etax.platform.coresys.registry import TaxpayerRecord
from etax.platform.coresys.validators import normalise_code
from etax.platform.db.integrity import is_unique_violation
from etax.platform.forms import read_form, submitted, submitted_list, submitted_text
from etax.platform.ids import RecordId
from etax.platform.runtime import get_runtime
from etax.platform.usercentre import grants
from etax.platform.usercentre.common import manager, pop_notice, set_notice, write_audit
from etax.platform.usercentre.forms import AgencyCertifyForm, AgencySyncForm, as_list
from etax.platform.usercentre.functions import AGENCY

BASE = AGENCY.url
NOT_FOUND = "未在核心征管系统中查询到该纳税人识别号的登记信息，请核对后重新输入"
NOT_AGENCY = "该纳税人不是涉税专业服务机构（代理机构），不能认定为代理机构"
SELF = "不能认定本企业为自己的代理机构"


@dataclass
class CertificationRow:
    """A certification as the list shows it."""

    id: int
    agency_id: int
    agency_name: str
    agency_tin: str
    valid_until: dt.date
    status: str
    nodes: list[str]
    labels: list[str]

    @property
    def state(self) -> str:
        if self.status != "active":
            return "已取消"
        return "有效" if self.valid_until >= clock.today() else "已过期"

    @property
    def active(self) -> bool:
        return self.state == "有效"


async def certifications(
    request: Request[Any, Any, Any], client_id: int, cert_id: int | None = None
) -> list[CertificationRow]:
    """The certifications this client made (or the one with ``cert_id``, if it is this client's)."""
    tree = get_runtime(request.app).registry.tree
    where: Any = AgencyCertification.client == client_id
    if cert_id is not None:
        where = where & (AgencyCertification.id == cert_id)
    rows = (
        await AgencyCertification.select(
            AgencyCertification.id,
            AgencyCertification.agency,
            AgencyCertification.agency.name,
            AgencyCertification.agency.tin,
            AgencyCertification.valid_until,
            AgencyCertification.status,
            AgencyCertification.nodes,
        )
        .where(where)
        .order_by(AgencyCertification.id)
    )
    found: list[CertificationRow] = []
    for row in rows:
        nodes = grants.split_nodes(str(row["nodes"] or ""))
        found.append(
            CertificationRow(
                id=int(row["id"]),
                agency_id=int(row["agency"]),
                agency_name=str(row["agency.name"]),
                agency_tin=str(row["agency.tin"]),
                valid_until=row["valid_until"],
                status=str(row["status"]),
                nodes=nodes,
                labels=grants.labels(tree, nodes),
            )
        )
    return found


async def find_agency(client_id: int, tin: str) -> tuple[TaxpayerRecord | None, str]:
    """The agency with ``tin`` in the core registry, or why it cannot be certified."""
    record = await registry.taxpayer_by_tin(normalise_code(tin))
    if record is None:
        return None, NOT_FOUND
    if record.id == client_id:
        return None, SELF
    if not record.is_agency:
        return None, NOT_AGENCY
    return record, ""


def _default_end() -> str:
    today = clock.today()
    return today.replace(year=today.year + 1, day=min(today.day, 28)).isoformat()


class AgencyController(Controller):
    """代理机构认定管理 (legal representative and financial head only)."""

    path = BASE
    opt = {"function": AGENCY.code}

    async def _list(
        self, request: Request[Any, Any, Any], client_id: int, errors: dict[str, str], tin: str = ""
    ) -> Template:
        return Template(
            "usercentre/agencies.html",
            context={
                "rows": await certifications(request, client_id),
                "errors": errors,
                "tin": tin,
                "notice": pop_notice(request),
            },
            status_code=400 if errors else 200,
        )

    def _form(
        self,
        request: Request[Any, Any, Any],
        agency: TaxpayerRecord,
        *,
        existing: CertificationRow | None,
        ticked: list[str],
        valid_until: str,
        errors: dict[str, str],
    ) -> Template:
        tree = grants.grant_tree(get_runtime(request.app).registry.tree)
        shown = grants.checked(tree, ticked)
        return Template(
            "usercentre/agency_form.html",
            context={
                "agency": agency,
                "existing": existing,
                "roots": tree.roots,
                "checked": shown,
                "expanded": grants.expanded(tree, shown),
                "valid_until": valid_until,
                "errors": errors,
                "today": clock.today().isoformat(),
            },
            status_code=400 if errors else 200,
        )

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        _, client_id = await manager(request)
        return await self._list(request, client_id, {})

    @post("/sync")
    async def sync(self, request: Request[Any, Any, Any]) -> Template:
        """同步代理机构: look the agency up in the core registry and show the certification form."""
        _, client_id = await manager(request)
        form, errors = await read_form(request, AgencySyncForm)
        raw_tin = submitted_text(await submitted(request), "tin", 40)
        if form is None or errors:
            return await self._list(request, client_id, errors, raw_tin)
        agency, problem = await find_agency(client_id, form.tin)
        if agency is None:
            return await self._list(request, client_id, {"tin": problem}, raw_tin)
        existing = next(
            (r for r in await certifications(request, client_id) if r.agency_id == agency.id), None
        )
        return self._form(
            request,
            agency,
            existing=existing,
            ticked=existing.nodes if existing else [],
            valid_until=existing.valid_until.isoformat() if existing and existing.active else _default_end(),
            errors={},
        )

    @get("/{cert_id:int}/edit")
    async def edit(self, request: Request[Any, Any, Any], cert_id: RecordId) -> Template:
        _, client_id = await manager(request)
        rows = await certifications(request, client_id, cert_id)
        if not rows:
            raise NotFoundException()
        agency = await registry.taxpayer_by_id(rows[0].agency_id)
        if agency is None:
            raise NotFoundException()
        return self._form(
            request,
            agency,
            existing=rows[0],
            ticked=rows[0].nodes,
            valid_until=rows[0].valid_until.isoformat() if rows[0].active else _default_end(),
            errors={},
        )

    @post("/certify")
    async def certify(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        """认定: store the agreement password, delegated branches and end date (one row per agency)."""
        principal, client_id = await manager(request)
        raw = await submitted(request)
        agency, problem = await find_agency(client_id, submitted_text(raw, "tin", 40))
        if agency is None:
            return await self._list(request, client_id, {"tin": problem})
        form, errors = await read_form(request, AgencyCertifyForm)
        nodes: list[str] = []
        if form is not None and not errors:
            nodes, node_problem = grants.normalise(
                grants.grant_tree(get_runtime(request.app).registry.tree), as_list(form.nodes)
            )
            if node_problem:
                errors = {"nodes": node_problem}
        existing = next(
            (r for r in await certifications(request, client_id) if r.agency_id == agency.id), None
        )
        if form is None or errors:
            ticked = submitted_list(raw, "nodes")
            return self._form(
                request,
                agency,
                existing=existing,
                ticked=ticked,
                valid_until=str(raw.get("valid_until", ""))[:10],
                errors=errors,
            )
        password_hash = await hash_password(form.password)
        text = "\n".join(nodes)
        try:
            if existing is None:
                await AgencyCertification(
                    key=f"{client_id}:{agency.id}",
                    client=client_id,
                    agency=agency.id,
                    agreement_password_hash=password_hash,
                    nodes=text,
                    valid_until=form.end_date,
                    status="active",
                ).save()
            else:
                await AgencyCertification.update(
                    {
                        AgencyCertification.agreement_password_hash: password_hash,
                        AgencyCertification.nodes: text,
                        AgencyCertification.valid_until: form.end_date,
                        AgencyCertification.status: "active",
                    }
                ).where((AgencyCertification.id == existing.id) & (AgencyCertification.client == client_id))
        except Exception as error:
            if not is_unique_violation(error):
                raise
            return await self._list(
                request, client_id, {"tin": f"{agency.name}已被认定，请刷新页面后在列表中修改"}
            )
        await write_audit(
            request,
            principal,
            "usercentre.agency.certify",
            "success",
            target=f"代理机构 {agency.name}（{agency.tin}）",
            detail=f"有效期止 {form.end_date.isoformat()}\n{text}",
        )
        set_notice(request, f"已认定代理机构“{agency.name}”，有效期至{form.end_date.isoformat()}")
        return Redirect(BASE, status_code=303)

    @get("/{cert_id:int}/cancel")
    async def cancel_confirm(self, request: Request[Any, Any, Any], cert_id: RecordId) -> Template:
        _, client_id = await manager(request)
        rows = await certifications(request, client_id, cert_id)
        if not rows:
            raise NotFoundException()
        row = rows[0]
        refused = row.status != "active"
        message = (
            f"对代理机构“{row.agency_name}”的认定已取消"
            if refused
            else f"确认取消对代理机构“{row.agency_name}”的认定吗？取消后该代理机构将立即不能再为本企业办理涉税业务。"
        )
        return Template(
            "usercentre/confirm.html",
            context={
                "title": "取消认定",
                "message": message,
                "refused": refused,
                "action": f"{BASE}/{row.id}/cancel",
                "button": "确认取消认定",
                "cancel": BASE,
            },
            status_code=400 if refused else 200,
        )

    @post("/{cert_id:int}/cancel")
    async def cancel(self, request: Request[Any, Any, Any], cert_id: RecordId) -> Redirect:
        principal, client_id = await manager(request)
        rows = await certifications(request, client_id, cert_id)
        if not rows:
            raise NotFoundException()
        row = rows[0]
        await AgencyCertification.update({AgencyCertification.status: "cancelled"}).where(
            (AgencyCertification.id == row.id) & (AgencyCertification.client == client_id)
        )
        await write_audit(
            request,
            principal,
            "usercentre.agency.cancel",
            "success",
            target=f"代理机构 {row.agency_name}（{row.agency_tin}）",
        )
        set_notice(request, f"已取消对代理机构“{row.agency_name}”的认定")
        return Redirect(BASE, status_code=303)
