"""Postal dispatch (platform service): invoices, certificates and documents sent by post, with tracking.

A flow that offers postal delivery (发票领用 by post, a certificate mailed, a 文书 served by post) calls
:func:`request_dispatch` once per item (its ``key`` is unique, so a replay is the same dispatch); the
bureau's mail room records the carrier's states in the back office (:func:`advance_dispatch`: 已揽收 with
the waybill number, 运输中, 派送中, 已签收 or 已退回, forward only). Taxpayers read their own through
邮寄信息统计查询 and 物流信息查询; another taxpayer's dispatch id is "not found".
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Annotated, Any

import msgspec

from etax.platform import clock
from etax.platform.db.integrity import is_unique_violation, write_transaction
from etax.platform.dispatch.tables import Dispatch, DispatchEvent
from etax.platform.listing import PageRequest, Span, moments


class DispatchItem(enum.StrEnum):
    INVOICE = "发票"
    CERTIFICATE = "税收证明"
    DOCUMENT = "税务文书"


class DispatchState(enum.StrEnum):
    WAITING = "待寄出"
    COLLECTED = "已揽收"
    IN_TRANSIT = "运输中"
    DELIVERING = "派送中"
    SIGNED = "已签收"
    RETURNED = "已退回"


ORDER = list(DispatchState)
FINAL = (DispatchState.SIGNED, DispatchState.RETURNED)


class DispatchError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DispatchDetails(msgspec.Struct, kw_only=True):
    """What is posted to whom: the part of a postal delivery a form asks for (titles are the labels
    and messages of the platform form layer)."""

    item_kind: Annotated[DispatchItem, msgspec.Meta(title="邮寄内容")]
    item_ref: Annotated[str, msgspec.Meta(title="单据编号", min_length=1, max_length=60)]
    description: Annotated[str, msgspec.Meta(title="说明", max_length=200)] = ""
    recipient: Annotated[str, msgspec.Meta(title="收件人", min_length=1, max_length=60)]
    phone: Annotated[str, msgspec.Meta(title="联系电话", pattern=r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")]
    address: Annotated[str, msgspec.Meta(title="收件地址", min_length=5, max_length=200)]
    postage: Annotated[Decimal, msgspec.Meta(title="邮费（元）")] = Decimal(0)

    def problems(self) -> dict[str, str]:
        if not Decimal(0) <= self.postage <= Decimal(10000) or self.postage != self.postage.quantize(
            Decimal("0.01")
        ):
            return {"postage": "邮费应为0至10000元之间的金额，最多两位小数"}
        return {}


class DispatchRequest(DispatchDetails, kw_only=True):
    """Postal delivery chosen for one item."""

    key: Annotated[str, msgspec.Meta(min_length=3, max_length=80)]
    taxpayer_id: int
    requested_by: str = ""


class DispatchRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    taxpayer_id: int
    taxpayer_name: str
    item_kind: DispatchItem
    item_ref: str
    description: str
    recipient: str
    phone: str
    address: str
    carrier: str
    tracking_number: str | None
    postage: Decimal
    state: DispatchState
    created_at: dt.datetime
    updated_at: dt.datetime


class TrackingEvent(msgspec.Struct, frozen=True, kw_only=True):
    state: DispatchState
    place: str
    note: str
    at: dt.datetime


class DispatchFilter(msgspec.Struct, frozen=True, kw_only=True):
    days: Span[dt.date] = Span()
    item_kind: str = ""
    state: str = ""
    text: str = ""
    """A waybill number, item number or recipient."""


class DispatchSummary(msgspec.Struct, frozen=True, kw_only=True):
    """邮寄信息统计: how many items, in which state, and the postage."""

    total: int
    by_state: dict[str, int]
    postage: Decimal


def _select() -> Any:
    return Dispatch.select(
        Dispatch.id,
        Dispatch.taxpayer.as_alias("taxpayer_id"),
        Dispatch.taxpayer.name.as_alias("taxpayer_name"),
        Dispatch.item_kind,
        Dispatch.item_ref,
        Dispatch.description,
        Dispatch.recipient,
        Dispatch.phone,
        Dispatch.address,
        Dispatch.carrier,
        Dispatch.tracking_number,
        Dispatch.postage,
        Dispatch.state,
        Dispatch.created_at,
        Dispatch.updated_at,
    )


def _where(taxpayer_id: int | None, flt: DispatchFilter) -> Any:
    where: Any = Dispatch.id > 0
    if taxpayer_id is not None:
        where &= Dispatch.taxpayer == taxpayer_id
    start, end = moments(flt.days)
    if start is not None:
        where &= Dispatch.created_at >= start
    if end is not None:
        where &= Dispatch.created_at < end
    if flt.item_kind:
        where &= Dispatch.item_kind == flt.item_kind
    if flt.state:
        where &= Dispatch.state == flt.state
    if flt.text:
        text = flt.text.strip()
        where &= (
            (Dispatch.tracking_number == text) | (Dispatch.item_ref == text) | (Dispatch.recipient == text)
        )
    return where


async def dispatches(taxpayer_id: int | None, flt: DispatchFilter, page: PageRequest) -> list[DispatchRow]:
    """One keyset page of dispatches (one taxpayer's, or all for the back office)."""
    rows = await page.apply(_select().where(_where(taxpayer_id, flt)))
    return [msgspec.convert(row, DispatchRow) for row in rows]


async def count_dispatches(taxpayer_id: int | None, flt: DispatchFilter) -> int:
    return int(await Dispatch.count().where(_where(taxpayer_id, flt)))


async def dispatch_summary(taxpayer_id: int, flt: DispatchFilter) -> DispatchSummary:
    rows = await Dispatch.select(Dispatch.state, Dispatch.postage).where(_where(taxpayer_id, flt))
    by_state = {state.value: 0 for state in DispatchState}
    postage = Decimal(0)
    for row in rows:
        by_state[str(row["state"])] = by_state.get(str(row["state"]), 0) + 1
        postage += Decimal(str(row["postage"]))
    return DispatchSummary(total=len(rows), by_state=by_state, postage=postage.quantize(Decimal("0.01")))


async def dispatch(taxpayer_id: int | None, dispatch_id: int) -> DispatchRow | None:
    where: Any = Dispatch.id == dispatch_id
    if taxpayer_id is not None:
        where &= Dispatch.taxpayer == taxpayer_id
    row = await _select().where(where).first()
    return None if row is None else msgspec.convert(row, DispatchRow)


async def tracking(dispatch_id: int) -> list[TrackingEvent]:
    """Every state the dispatch reached, oldest first."""
    rows = (
        await DispatchEvent.select(
            DispatchEvent.state, DispatchEvent.place, DispatchEvent.note, DispatchEvent.at
        )
        .where(DispatchEvent.dispatch == dispatch_id)
        .order_by(DispatchEvent.id)
    )
    return [msgspec.convert(row, TrackingEvent) for row in rows]


async def request_dispatch(request: DispatchRequest) -> int:
    """Record postal delivery of one item (待寄出); the same ``key`` again returns the same dispatch."""
    request = msgspec.convert(msgspec.to_builtins(request), DispatchRequest)  # checks the declared limits
    problems = request.problems()
    if problems:
        raise DispatchError(next(iter(problems.values())))
    existing = await Dispatch.select(Dispatch.id).where(Dispatch.key == request.key).first()
    if existing is not None:
        return int(existing["id"])
    try:
        async with write_transaction(Dispatch):
            rows = await Dispatch.insert(
                Dispatch(
                    key=request.key,
                    taxpayer=request.taxpayer_id,
                    item_kind=request.item_kind.value,
                    item_ref=request.item_ref,
                    description=request.description,
                    recipient=request.recipient,
                    phone=request.phone,
                    address=request.address,
                    postage=request.postage,
                    state=DispatchState.WAITING.value,
                    requested_by=request.requested_by,
                )
            ).returning(Dispatch.id)
            dispatch_id = int(rows[0]["id"])
            await DispatchEvent(
                dispatch=dispatch_id, state=DispatchState.WAITING.value, note="已登记邮寄"
            ).save()
    except Exception as error:
        if not is_unique_violation(error):
            raise
        again = await Dispatch.select(Dispatch.id).where(Dispatch.key == request.key).first()
        assert again is not None
        return int(again["id"])
    return dispatch_id


async def advance_dispatch(
    dispatch_id: int,
    state: DispatchState,
    *,
    place: str = "",
    note: str = "",
    tracking_number: str = "",
    at: dt.datetime | None = None,
) -> None:
    """Record the next tracking state (forward only; 已揽收 needs the waybill number)."""
    current = await dispatch(None, dispatch_id)
    if current is None:
        raise DispatchError("该邮寄记录不存在")
    if current.state in FINAL:
        raise DispatchError(f"该邮件已{current.state.value}，不能再更新物流状态")
    if ORDER.index(state) <= ORDER.index(current.state) and state is not DispatchState.RETURNED:
        raise DispatchError(f"物流状态只能向后更新：当前为“{current.state.value}”")
    number = tracking_number.strip()
    if state is DispatchState.COLLECTED and not number:
        raise DispatchError("揽收时请填写运单号")
    if state is not DispatchState.COLLECTED and current.tracking_number is None:
        raise DispatchError("请先登记揽收（填写运单号）")
    values: dict[Any, Any] = {Dispatch.state: state.value, Dispatch.updated_at: at or clock.utcnow()}
    if number:
        values[Dispatch.tracking_number] = number[:30]
    try:
        async with write_transaction(Dispatch):
            rows = (
                await Dispatch.update(values)
                .where((Dispatch.id == dispatch_id) & (Dispatch.state == current.state.value))
                .returning(Dispatch.id)
            )
            if not rows:
                raise DispatchError("物流状态已被他人更新，请刷新后重试")
            event = DispatchEvent(dispatch=dispatch_id, state=state.value, place=place[:60], note=note[:200])
            if at is not None:
                event.at = at
            await event.save()
    except Exception as error:
        if is_unique_violation(error):
            raise DispatchError("该运单号已用于其他邮件") from error
        raise
