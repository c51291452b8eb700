"""Demo postal dispatches with tracking states for the first demo enterprise; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from etax.platform.dispatch import (
    DispatchItem,
    DispatchRequest,
    DispatchState,
    advance_dispatch,
    request_dispatch,
)
from etax.platform.dispatch.tables import Dispatch


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=dt.UTC)


async def load_dispatch_demo(taxpayer_id: int) -> int:
    items = [
        (
            DispatchItem.INVOICE,
            "FPLY2026001102",
            "增值税专用发票25份",
            [
                (DispatchState.COLLECTED, "沈阳和平区税务局", "EA102938475CN", 3),
                (DispatchState.IN_TRANSIT, "沈阳邮件处理中心", "", 4),
                (DispatchState.DELIVERING, "沈阳南京北街投递部", "", 5),
                (DispatchState.SIGNED, "沈阳市和平区南京北街100号", "", 5),
            ],
        ),
        (
            DispatchItem.CERTIFICATE,
            "WS2026000087",
            "税收完税证明1份",
            [
                (DispatchState.COLLECTED, "沈阳和平区税务局", "EA102938476CN", 18),
                (DispatchState.IN_TRANSIT, "沈阳邮件处理中心", "", 19),
            ],
        ),
    ]
    added = 0
    for kind, ref, description, steps in items:
        key = f"{kind.value}:{ref}"
        if await Dispatch.exists().where(Dispatch.key == key):
            continue
        dispatch_id = await request_dispatch(
            DispatchRequest(
                key=key,
                taxpayer_id=taxpayer_id,
                item_kind=kind,
                item_ref=ref,
                description=description,
                recipient="王建国",
                phone="13800000001",
                address="辽宁省沈阳市和平区南京北街100号",
                postage=Decimal("12.00"),
                requested_by="演示数据",
            )
        )
        for hour, (state, place, number, day) in enumerate(steps):
            await advance_dispatch(
                dispatch_id, state, place=place, tracking_number=number, at=_at(day, 1 + hour)
            )
        added += 1
    return added
