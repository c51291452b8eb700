"""发票挂失、损毁报告: paper invoices the taxpayer holds (领用, not yet 验旧) reported lost, stolen or
destroyed. Checked in one write transaction: the batch is the taxpayer's and still held, the numbers lie
inside it and were not reported before, the date is neither in the future nor before the 领用. Reported
invoices are no longer held (持票数量 goes down). 数电发票 are never lost: nothing to report.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from etax.platform import api
from etax.platform.api import FunctionSpec
from etax.plugins.invoices.clock import beijing_today, now
from etax.plugins.invoices.functions import ENTERPRISE
from etax.plugins.invoices.model import InvoiceError, Who
from etax.plugins.invoices.tables import PaperBatch, PaperLoss

LOSS_REPORT = FunctionSpec(
    code="invoices.loss_report",
    name="发票挂失、损毁报告",
    path=("我要办税", "综合信息报告", "其他信息报告", "发票挂失、损毁报告"),
    url="/invoices/loss-report",
    keywords=("发票挂失", "发票丢失", "发票遗失", "发票损毁", "发票被盗", "丢了发票", "挂失", "损毁报告"),
    initials=("fpgs", "shbg", "fpgsshbg"),
    audiences=ENTERPRISE,
    description="领用的纸质发票丢失、被盗或损毁时，报告发票代码、号码和情况，报告后不再计入持票数量。",
)


class LossKind(enum.StrEnum):
    LOST = "丢失"
    STOLEN = "被盗"
    DAMAGED = "损毁"


class LossView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    batch: int
    code: str
    first_number: int
    last_number: int
    quantity: int
    kind: str
    happened_on: dt.date
    description: str
    reported_at: dt.datetime
    reported_by: str


class LossInput(msgspec.Struct, frozen=True, kw_only=True):
    batch_id: int
    first_number: int
    last_number: int
    kind: LossKind
    happened_on: dt.date
    description: str


def _number(text: str, label: str, field: str) -> int:
    text = text.strip()
    if not text.isdigit() or len(text) > 8:
        raise InvoiceError(f"{label}应为不超过8位的数字", field)
    return int(text)


def parse_loss(form: dict[str, str]) -> LossInput:
    """The report form as typed values, or the first problem in Chinese."""
    batch = form.get("batch", "").strip()
    if not batch.isdigit() or len(batch) > 9:
        raise InvoiceError("请选择持有中的领用批次", "batch")
    first = _number(form.get("first_number", ""), "起始号码", "first_number")
    last = _number(form.get("last_number", "") or form.get("first_number", ""), "终止号码", "last_number")
    if last < first:
        raise InvoiceError("终止号码不能小于起始号码", "last_number")
    try:
        kind = LossKind(form.get("kind", ""))
    except ValueError:
        raise InvoiceError("请选择丢失、被盗或损毁", "kind") from None
    try:
        happened = dt.date.fromisoformat(form.get("happened_on", "").strip())
    except ValueError:
        raise InvoiceError("发生日期格式应为YYYY-MM-DD", "happened_on") from None
    description = form.get("description", "").strip()
    if not 2 <= len(description) <= 200:
        raise InvoiceError("请填写情况说明（2至200字）", "description")
    return LossInput(
        batch_id=int(batch),
        first_number=first,
        last_number=last,
        kind=kind,
        happened_on=happened,
        description=description,
    )


async def report_loss(data: LossInput, who: Who) -> LossView:
    moment = now()
    today = beijing_today(moment)
    if data.happened_on > today:
        raise InvoiceError("发生日期不能晚于今天", "happened_on")
    async with api.write_transaction(PaperLoss):
        batch = (
            await PaperBatch.select()
            .where(
                (PaperBatch.id == data.batch_id)
                & (PaperBatch.taxpayer == who.taxpayer_id)
                & (PaperBatch.verified == False)  # noqa: E712 (a Piccolo condition)
            )
            .first()
        )
        if batch is None:
            raise InvoiceError("未找到本单位持有中的该批发票（已验旧的发票无需挂失）", "batch")
        first, last = int(batch["first_number"]), int(batch["last_number"])
        if not (first <= data.first_number and data.last_number <= last):
            raise InvoiceError(f"号码应在本批发票{first:08d}至{last:08d}之内", "first_number")
        if data.happened_on < beijing_today(batch["created_at"]):
            raise InvoiceError("发生日期不能早于该批发票的领用日期", "happened_on")
        for earlier in await PaperLoss.select().where(PaperLoss.batch == data.batch_id):
            if (
                data.first_number <= int(earlier["last_number"])
                and int(earlier["first_number"]) <= data.last_number
            ):
                raise InvoiceError(
                    f"号码{int(earlier['first_number']):08d}至{int(earlier['last_number']):08d}"
                    f"已于报告{earlier['number']}中报告过",
                    "first_number",
                )
        quantity = data.last_number - data.first_number + 1
        rows = await PaperLoss.insert(
            PaperLoss(
                number=f"GS{data.batch_id:08d}{data.first_number:08d}",
                taxpayer=who.taxpayer_id,
                batch=data.batch_id,
                code=str(batch["code"]),
                first_number=data.first_number,
                last_number=data.last_number,
                quantity=quantity,
                kind=data.kind.value,
                happened_on=data.happened_on,
                description=data.description,
                reported_at=moment,
                reported_by=who.actor[:120],
            )
        ).returning(PaperLoss.id)
        await api.record(
            actor=who.actor,
            acting_for=who.acting_for,
            taxpayer_id=who.taxpayer_id,
            action="invoice.loss_report",
            target=f"{batch['invoice_type']} {batch['code']} {data.first_number:08d}-{data.last_number:08d}",
            ip=who.ip,
            outcome="success",
            detail=f"{data.kind.value}{quantity}份",
        )
    row = await PaperLoss.select().where(PaperLoss.id == int(rows[0]["id"])).first()
    return msgspec.convert(row, LossView)


async def losses(taxpayer_id: int) -> list[LossView]:
    rows = (
        await PaperLoss.select()
        .where(PaperLoss.taxpayer == taxpayer_id)
        .order_by(PaperLoss.id, ascending=False)
    )
    return [msgspec.convert(row, LossView) for row in rows]


async def lost_by_batch(taxpayer_id: int) -> dict[int, int]:
    """How many invoices of each of the taxpayer's batches were reported lost or destroyed."""
    found: dict[int, int] = {}
    for row in await PaperLoss.select(PaperLoss.batch, PaperLoss.quantity).where(
        PaperLoss.taxpayer == taxpayer_id
    ):
        found[int(row["batch"])] = found.get(int(row["batch"]), 0) + int(row["quantity"])
    return found
