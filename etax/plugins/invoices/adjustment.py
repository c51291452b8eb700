"""发票额度调整申请: a tax-matter application reviewed by the bureau; 办结 changes the 授信总额度."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from etax.platform.api import Applicant, ApplicationSpec, AttachmentRule, FunctionSpec, write_transaction
from etax.plugins.invoices.functions import ENTERPRISE
from etax.plugins.invoices.issuing.service import sync_account
from etax.plugins.invoices.store import approved_kinds, to_fen
from etax.plugins.invoices.tables import InvoiceAccount, QuotaAdjustment

MAX_ADJUSTMENT = Decimal("100000000.00")

QUOTA_ADJUSTMENT = FunctionSpec(
    code="invoices.quota_adjustment",
    name="发票额度调整申请",
    path=("我要办税", "发票使用", "发票额度调整申请"),
    url="/invoices/quota-adjustment",
    keywords=("额度调整", "开票额度", "授信额度", "调增额度", "提额", "可用总额度", "额度不够"),
    audiences=ENTERPRISE,
    description="数电发票可用总额度不足时申请调增（或调减）授信总额度，税务机关审核后生效。",
)


class QuotaAdjustmentForm(msgspec.Struct, kw_only=True):
    direction: Annotated[Literal["调增", "调减"], msgspec.Meta(title="调整方向")]
    amount: Annotated[
        Decimal,
        msgspec.Meta(title="调整金额（元）", description="两位小数，不超过1亿元"),
    ]
    reason: Annotated[
        str,
        msgspec.Meta(title="申请理由", min_length=2, max_length=200, description="如经营规模扩大、大额合同"),
    ]

    def problems(self) -> dict[str, str]:
        if self.amount <= 0:
            return {"amount": "调整金额必须大于0"}
        if self.amount > MAX_ADJUSTMENT:
            return {"amount": "单次调整金额不能超过1亿元"}
        return {}

    @property
    def amount_fen(self) -> int:
        return to_fen(self.amount) * (1 if self.direction == "调增" else -1)

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        if not await approved_kinds(applicant.taxpayer_id):
            return {"direction": "本单位尚未核定数电发票票种，请先办理“发票票种核定”"}
        return {}


QUOTA_ADJUSTMENT_APPLICATION = ApplicationSpec(
    function=QUOTA_ADJUSTMENT.code,
    matter_code="110208",
    form=QuotaAdjustmentForm,
    attachments=AttachmentRule(
        kinds=("pdf", "png", "jpeg"), max_count=3, required=False, label="证明材料", hint="如购销合同等。"
    ),
    description="税务机关审核通过（办结）后，授信总额度和可用总额度随即调整，可在“蓝字发票开具”页查看。",
)


async def apply_adjustment(taxpayer_id: int, number: str, form: QuotaAdjustmentForm, at: dt.datetime) -> None:
    """Record the approved adjustment once (the application number is unique) and re-total the account."""
    await sync_account(taxpayer_id)
    async with write_transaction(QuotaAdjustment):
        await QuotaAdjustment.insert(
            QuotaAdjustment(
                application_number=number, taxpayer=taxpayer_id, amount_fen=form.amount_fen, approved_at=at
            )
        ).on_conflict(target=QuotaAdjustment.application_number, action="DO NOTHING")
        rows = await QuotaAdjustment.select(QuotaAdjustment.amount_fen).where(
            QuotaAdjustment.taxpayer == taxpayer_id
        )
        total = sum(int(row["amount_fen"]) for row in rows)
        await InvoiceAccount.update({InvoiceAccount.adjustment_fen: total}).where(
            InvoiceAccount.taxpayer == taxpayer_id
        )
