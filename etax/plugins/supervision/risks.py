"""风险提示: the bureau sends a notice from the back office; the taxpayer sees it in 我的待办 (风险疑点,
待核实 → 去处理/填说明), answers it with 风险疑点说明 (an application with attachments), and the reviewer's
decision closes it or sends it back."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform.api import (
    ApplicationFilter,
    CurrentActor,
    HomeMessage,
    NavItem,
    PageRequest,
    Principal,
    RecordId,
    SortKey,
    admin_page,
    application_data,
    application_rows,
    beijing,
    clock,
    current_admin,
    normalise_code,
    read_form,
    record,
    registry,
    send_message,
    submitted,
    submitted_text,
)
from etax.plugins.supervision.functions import RISK, RISK_ANSWER
from etax.plugins.supervision.tables import RiskNotice

OPEN = ("已提交", "受理中", "需补正")
STATUS_LABELS = {
    "pending": "待核实",
    "answered": "已说明（审核中）",
    "correction": "补正中",
    "closed": "已核实",
}


class NoticeView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    title: str
    description: str
    deadline: dt.date
    status: str  # pending | answered | correction | closed
    comment: str
    answer_number: str
    sent_at: dt.datetime

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


async def _open_answers(taxpayer_id: int) -> dict[str, tuple[str, str]]:
    """notice number → (answer application number, its status) for the taxpayer's open 说明."""
    page = PageRequest(sort=(SortKey("id", descending=True),), limit=100)
    found: dict[str, tuple[str, str]] = {}
    for row in await application_rows(ApplicationFilter(function=RISK_ANSWER.code), taxpayer_id, page):
        if row.status not in OPEN:
            continue
        data = await application_data(row.id, taxpayer_id)
        if data is None:
            continue
        number = str(data.data.get("notice_number", ""))
        found.setdefault(number, (row.number, row.status))
    return found


async def notices(taxpayer_id: int) -> list[NoticeView]:
    """The taxpayer's 风险提示, newest first, with the state of their answer."""
    rows = (
        await RiskNotice.select()
        .where(RiskNotice.taxpayer == taxpayer_id)
        .order_by(RiskNotice.id, ascending=False)
    )
    answers = await _open_answers(taxpayer_id) if any(r["status"] != "closed" for r in rows) else {}
    views: list[NoticeView] = []
    for row in rows:
        status = str(row["status"])
        answer = str(row["answer_number"])
        if status != "closed" and row["number"] in answers:
            answer, state = answers[row["number"]]
            status = "correction" if state == "需补正" else "answered"
        views.append(
            NoticeView(
                id=int(row["id"]),
                number=str(row["number"]),
                title=str(row["title"]),
                description=str(row["description"]),
                deadline=row["deadline"],
                status=status,
                comment=str(row["comment"]),
                answer_number=answer,
                sent_at=row["sent_at"],
            )
        )
    return views


class RiskController(Controller):
    """我要办税 › 风险管理 › 风险提示."""

    path = RISK.url
    opt = {"function": RISK.code}

    @get("/")
    async def index(self, actor: CurrentActor) -> Template:
        return Template(
            "supervision/risks.html",
            context={
                "function": RISK,
                "answer": RISK_ANSWER,
                "notices": await notices(actor.taxpayer_id),
                "taxpayer_name": actor.taxpayer_name,
                "beijing": beijing,
            },
        )

    @get("/{notice_id:int}")
    async def detail(self, actor: CurrentActor, notice_id: RecordId) -> Template:
        found = [n for n in await notices(actor.taxpayer_id) if n.id == notice_id]
        if not found:
            raise NotFoundException()
        return Template(
            "supervision/risk.html",
            context={"function": RISK, "answer": RISK_ANSWER, "notice": found[0], "beijing": beijing},
        )


class RiskTodos:
    """我的待办 › 风险疑点: notices 待核实 (or sent back) with 去处理/填说明."""

    async def messages(self, principal: Principal | None) -> list[HomeMessage]:
        if principal is None or principal.kind == "natural_person":
            return []
        taxpayer_id = principal.acting_for or principal.taxpayer_id
        if taxpayer_id is None or not principal.functions.holds(RISK.code):
            return []
        if not await RiskNotice.exists().where(
            (RiskNotice.taxpayer == taxpayer_id) & (RiskNotice.status == "pending")
        ):
            return []
        return [
            HomeMessage(
                tab="todo",
                title=f"风险疑点：{notice.title}",
                url=f"{RISK.url}/{notice.id}",
                date=notice.deadline,
                tag="补正中" if notice.status == "correction" else "待核实",
            )
            for notice in await notices(taxpayer_id)
            if notice.status in ("pending", "correction")
        ]


# --- back office: 风险提示推送 (业务审核员) ---------------------------------------------------------------


class RiskSendForm(msgspec.Struct, kw_only=True):
    tin: Annotated[str, msgspec.Meta(title="纳税人识别号", min_length=15, max_length=20)]
    title: Annotated[str, msgspec.Meta(title="风险疑点名称", min_length=4, max_length=100)]
    description: Annotated[str, msgspec.Meta(title="疑点描述", min_length=10, max_length=2000)]
    deadline: Annotated[dt.date, msgspec.Meta(title="核实期限")]


def _admin_name(request: Request[Any, Any, Any]) -> str:
    admin = current_admin(request)
    return f"{admin.display_name}（{admin.username}）" if admin is not None else "后台"


async def _next_number() -> str:
    year = clock.today().year
    prefix = f"FX{year}"
    rows = await RiskNotice.select(RiskNotice.number).where(RiskNotice.number.like(f"{prefix}%"))
    used = [int(str(r["number"])[len(prefix) :]) for r in rows]
    return f"{prefix}{max(used, default=0) + 1:06d}"


class RiskAdmin(Controller):
    """后台 › 风险提示推送: send a 风险疑点 to a taxpayer and follow its state."""

    path = "/risks"
    opt = {"admin_role": "reviewer"}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        rows = (
            await RiskNotice.select(
                RiskNotice.id,
                RiskNotice.number,
                RiskNotice.title,
                RiskNotice.deadline,
                RiskNotice.status,
                RiskNotice.answer_number,
                RiskNotice.sent_at,
                RiskNotice.taxpayer.name,
                RiskNotice.taxpayer.tin,
            )
            .order_by(RiskNotice.id, ascending=False)
            .limit(50)
        )
        return admin_page(
            request,
            "supervision/admin_risks.html",
            {
                "errors": errors or {},
                "values": values or {},
                "rows": rows,
                "labels": STATUS_LABELS,
                "beijing": beijing,
                "done": request.query_params.get("done", ""),
            },
            status=status,
        )

    @get("/")
    async def overview(self, request: Request[Any, Any, Any]) -> Template:
        return await self._page(request)

    @post("/")
    async def send(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await submitted(request)
        raw = {k: submitted_text(form, k, 20_000) for k in form}
        data, errors = await read_form(request, RiskSendForm)
        if data is None:
            return await self._page(request, errors=errors, values=raw, status=400)
        taxpayer = await registry.taxpayer_by_tin(normalise_code(data.tin))
        if taxpayer is None:
            return await self._page(
                request, errors={"tin": "没有这个纳税人识别号对应的纳税人"}, values=raw, status=400
            )
        if data.deadline < clock.today():
            return await self._page(
                request, errors={"deadline": "核实期限不能早于今天"}, values=raw, status=400
            )
        number = await _next_number()
        await RiskNotice.insert(
            RiskNotice(
                number=number,
                taxpayer=taxpayer.id,
                title=data.title,
                description=data.description,
                deadline=data.deadline,
                status="pending",
                sent_by=_admin_name(request),
            )
        )
        await send_message(
            title=f"风险提示：{data.title}",
            body=f"税务机关向贵单位推送风险提示（编号{number}）：{data.description}\n"
            f"请于{data.deadline:%Y年%m月%d日}前在“我要办税 › 风险管理 › 风险提示”中核实并填写说明。",
            submission=f"risk:{number}",
            taxpayer_id=taxpayer.id,
            sender="税务机关",
        )
        await record(
            actor=_admin_name(request),
            action="admin.risk.send",
            outcome="success",
            taxpayer_id=taxpayer.id,
            target=f"风险提示 {number}",
            detail=data.title,
            connection=request,
        )
        return Redirect(f"/admin/risks?done={number}")


RISK_NAV = NavItem(
    label="风险提示推送",
    url="/admin/risks",
    requirement="reviewer",
    description="向纳税人推送风险疑点，跟踪核实说明的审核。",
)
