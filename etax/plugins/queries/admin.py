"""Back-office pages of the query centre's records: the bureau enters violations and 失信 records and
records the carrier's tracking states of postal dispatches (业务审核员). Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from etax.platform.api import (
    NavItem,
    PageRequest,
    RecordId,
    SortKey,
    admin_page,
    clock,
    compliance,
    credit,
    current_admin,
    dispatch,
    read_form,
    record,
    registry,
)

ROLE = {"admin_role": "reviewer"}
RECENT = PageRequest(sort=(SortKey("id"),), limit=50)


def _today() -> dt.date:
    return clock.today()


def _admin_name(request: Request[Any, Any, Any]) -> str:
    admin = current_admin(request)
    return f"{admin.display_name}（{admin.username}）" if admin is not None else "后台"


class HandleForm(msgspec.Struct, kw_only=True):
    document: Annotated[str, msgspec.Meta(title="处理决定书文号", min_length=2, max_length=60)]
    handled_on: Annotated[dt.date, msgspec.Meta(title="处理日期")]


class RemoveForm(msgspec.Struct, kw_only=True):
    removed_on: Annotated[dt.date, msgspec.Meta(title="撤出日期")]


class DispatchForm(dispatch.DispatchDetails, kw_only=True):
    """The platform's dispatch details plus whose item it is."""

    tin: Annotated[str, msgspec.Meta(title="纳税人识别号", min_length=15, max_length=20)]


class AdvanceForm(msgspec.Struct, kw_only=True):
    state: Annotated[dispatch.DispatchState, msgspec.Meta(title="物流状态")]
    tracking_number: Annotated[str, msgspec.Meta(title="运单号", max_length=30)] = ""
    place: Annotated[str, msgspec.Meta(title="地点", max_length=60)] = ""
    note: Annotated[str, msgspec.Meta(title="说明", max_length=200)] = ""


async def _audit(request: Request[Any, Any, Any], action: str, target: str, taxpayer_id: int | None) -> None:
    await record(
        actor=_admin_name(request),
        action=action,
        target=target,
        taxpayer_id=taxpayer_id,
        outcome="success",
        connection=request,
    )


class ComplianceAdmin(Controller):
    """违法违章与失信登记."""

    path = "/compliance"
    opt = ROLE

    async def _page(
        self,
        request: Request[Any, Any, Any],
        *,
        errors: dict[str, str] | None = None,
        form: str = "",
        status: int = 200,
    ) -> Template:
        everyone = compliance.ComplianceFilter()
        return admin_page(
            request,
            "queries/admin_compliance.html",
            {
                "violations": await compliance.violations(None, everyone, RECENT),
                "dishonesty": await compliance.dishonesty_records(None, everyone, RECENT),
                "violation_kinds": list(compliance.ViolationKind),
                "dishonesty_kinds": list(compliance.DishonestyKind),
                "errors": errors or {},
                "form": form,
                "today": _today().isoformat(),
                "done": request.query_params.get("done", ""),
            },
            status=status,
        )

    @get("/")
    async def overview(self, request: Request[Any, Any, Any]) -> Template:
        return await self._page(request)

    @post("/violations")
    async def add_violation(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data, errors = await read_form(request, compliance.ViolationInput)
        if data is None:
            return await self._page(request, errors=errors, form="violation", status=400)
        try:
            record_id = await compliance.add_violation(data, by=_admin_name(request))
        except compliance.ComplianceError as error:
            return await self._page(request, errors={"tin": error.message}, form="violation", status=400)
        taxpayer = await registry.taxpayer_by_tin(data.tin.strip().upper())
        await _audit(
            request, "登记违法违章", f"{data.kind.value} #{record_id}", taxpayer.id if taxpayer else None
        )
        return Redirect("/admin/compliance?done=violation")

    @post("/violations/{record_id:int}/handle")
    async def handle(self, request: Request[Any, Any, Any], record_id: RecordId) -> Template | Redirect:
        data, errors = await read_form(request, HandleForm)
        if data is None:
            return await self._page(request, errors={"_top": next(iter(errors.values()))}, status=400)
        try:
            await compliance.handle_violation(
                record_id, handled_on=data.handled_on, document=data.document, by=_admin_name(request)
            )
        except compliance.ComplianceError as error:
            return await self._page(request, errors={"_top": error.message}, status=400)
        await _audit(request, "违法违章已处理", f"#{record_id} {data.document}", None)
        return Redirect("/admin/compliance?done=handled")

    @post("/dishonesty")
    async def add_dishonesty(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data, errors = await read_form(request, compliance.DishonestyInput)
        if data is None:
            return await self._page(request, errors=errors, form="dishonesty", status=400)
        try:
            record_id = await compliance.add_dishonesty(data, by=_admin_name(request))
        except compliance.ComplianceError as error:
            return await self._page(request, errors={"d_tin": error.message}, form="dishonesty", status=400)
        taxpayer = await registry.taxpayer_by_tin(data.tin.strip().upper())
        await _audit(
            request, "公布失信行为", f"{data.kind.value} #{record_id}", taxpayer.id if taxpayer else None
        )
        return Redirect("/admin/compliance?done=dishonesty")

    @post("/dishonesty/{record_id:int}/remove")
    async def remove(self, request: Request[Any, Any, Any], record_id: RecordId) -> Template | Redirect:
        data, errors = await read_form(request, RemoveForm)
        if data is None:
            return await self._page(request, errors={"_top": next(iter(errors.values()))}, status=400)
        try:
            await compliance.remove_dishonesty(record_id, removed_on=data.removed_on)
        except compliance.ComplianceError as error:
            return await self._page(request, errors={"_top": error.message}, status=400)
        await _audit(request, "失信记录撤出", f"#{record_id}", None)
        return Redirect("/admin/compliance?done=removed")


class DispatchAdmin(Controller):
    """邮寄与物流登记."""

    path = "/dispatch"
    opt = ROLE

    async def _page(
        self, request: Request[Any, Any, Any], *, errors: dict[str, str] | None = None, status: int = 200
    ) -> Template:
        return admin_page(
            request,
            "queries/admin_dispatch.html",
            {
                "rows": await dispatch.dispatches(None, dispatch.DispatchFilter(), RECENT),
                "kinds": list(dispatch.DispatchItem),
                "states": [s for s in dispatch.DispatchState if s is not dispatch.DispatchState.WAITING],
                "final": dispatch.FINAL,
                "errors": errors or {},
                "done": request.query_params.get("done", ""),
            },
            status=status,
        )

    @get("/")
    async def overview(self, request: Request[Any, Any, Any]) -> Template:
        return await self._page(request)

    @post("/")
    async def register(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data, errors = await read_form(request, DispatchForm)
        if data is None:
            return await self._page(request, errors=errors, status=400)
        taxpayer = await registry.taxpayer_by_tin(data.tin.strip().upper())
        if taxpayer is None:
            return await self._page(request, errors={"tin": "没有这个纳税人识别号对应的纳税人"}, status=400)
        dispatch_id = await dispatch.request_dispatch(
            dispatch.DispatchRequest(
                key=f"{data.item_kind.value}:{data.item_ref}",
                taxpayer_id=taxpayer.id,
                item_kind=data.item_kind,
                item_ref=data.item_ref,
                description=data.description,
                recipient=data.recipient,
                phone=data.phone,
                address=data.address,
                postage=data.postage,
                requested_by=_admin_name(request),
            )
        )
        await _audit(
            request, "登记邮寄", f"{data.item_kind.value} {data.item_ref} #{dispatch_id}", taxpayer.id
        )
        return Redirect("/admin/dispatch?done=registered")

    @post("/{dispatch_id:int}/advance")
    async def advance(self, request: Request[Any, Any, Any], dispatch_id: RecordId) -> Template | Redirect:
        data, errors = await read_form(request, AdvanceForm)
        if data is None:
            return await self._page(request, errors={"_top": next(iter(errors.values()))}, status=400)
        try:
            await dispatch.advance_dispatch(
                dispatch_id,
                data.state,
                place=data.place,
                note=data.note,
                tracking_number=data.tracking_number,
            )
        except dispatch.DispatchError as error:
            return await self._page(request, errors={"_top": error.message}, status=400)
        await _audit(request, "更新物流状态", f"#{dispatch_id} {data.state.value}", None)
        return Redirect("/admin/dispatch?done=advanced")


class YearForm(msgspec.Struct, kw_only=True):
    year: Annotated[int, msgspec.Meta(title="评价年度", ge=2000, le=2099)]


class CreditAdmin(Controller):
    """纳税信用评价: evaluate a year for every taxpayer from the ledger and compliance records."""

    path = "/credit"
    opt = ROLE

    async def _page(
        self, request: Request[Any, Any, Any], *, errors: dict[str, str] | None = None, status: int = 200
    ) -> Template:
        return admin_page(
            request,
            "queries/admin_credit.html",
            {
                "errors": errors or {},
                "year": clock.today().year - 1,
                "done": request.query_params.get("done", ""),
            },
            status=status,
        )

    @get("/")
    async def overview(self, request: Request[Any, Any, Any]) -> Template:
        return await self._page(request)

    @post("/")
    async def run(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data, errors = await read_form(request, YearForm)
        if data is None:
            return await self._page(request, errors=errors, status=400)
        if data.year >= clock.today().year + 1:
            return await self._page(request, errors={"year": "评价年度不能晚于本年度"}, status=400)
        count = await credit.evaluate_all(data.year, by=_admin_name(request))
        await _audit(request, "纳税信用评价", f"{data.year}年度（{count}户）", None)
        return Redirect(f"/admin/credit?done={count}")


ADMIN_HANDLERS = [ComplianceAdmin, DispatchAdmin, CreditAdmin]
ADMIN_NAV = [
    NavItem(
        label="违法违章与失信",
        url="/admin/compliance",
        requirement="reviewer",
        description="登记纳税人的违法违章记录和失信行为，登记处理结果和撤出公布",
    ),
    NavItem(
        label="纳税信用评价",
        url="/admin/credit",
        requirement="reviewer",
        description="按年度依据申报、缴款和违法违章记录评价纳税人的纳税信用级别",
    ),
    NavItem(
        label="邮寄与物流",
        url="/admin/dispatch",
        requirement="reviewer",
        description="登记寄给纳税人的发票、证明和文书，更新快递揽收、运输、派送和签收状态",
    ),
]
