"""Two applications reviewed by the bureau, each with its effect once completed (办结):

- 增值税专用发票最高开票限额审批 (税务行政许可, XM bszx_0605): the 单份发票最高开票限额 of the approved 专票
  type changes. For 数电发票 (增值税电子专用发票) the 授信总额度 follows at once (限额 × 每月最高购票数量); for
  paper 增值税专用发票 it is the limit of each paper invoice.
- 税控设备申领（税务UKey）: after 票种核定, the bureau issues 税务UKey with device numbers, collected at the
  tax office; shown by 购票信息查询.

A decision is applied once per application number (unique columns), so a repeated hook changes nothing.
"""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from etax.platform.api import (
    Applicant,
    ApplicationSpec,
    AttachmentRule,
    FunctionSpec,
    registry,
    write_transaction,
)
from etax.plugins.invoices.forms import GENERAL_TAXPAYER, LIMIT_AMOUNTS, AmountLimit
from etax.plugins.invoices.functions import ENTERPRISE
from etax.plugins.invoices.issuing.service import sync_account
from etax.plugins.invoices.store import money
from etax.plugins.invoices.tables import InvoiceQuota, LimitApproval, TaxDevice

LIMIT_APPROVAL = FunctionSpec(
    code="invoices.limit_approval",
    name="增值税专用发票最高开票限额审批",
    path=("我要办税", "税务行政许可", "增值税专用发票最高开票限额审批"),
    url="/invoices/limit-approval",
    keywords=(
        "最高开票限额",
        "开票限额",
        "专票限额",
        "限额审批",
        "提高限额",
        "单份发票最高开票限额",
        "行政许可",
        "十万元版",
        "百万元版",
    ),
    audiences=ENTERPRISE,
    description="申请调整增值税专用发票单份最高开票限额（数电专票随之调整授信总额度），税务机关审批后生效。",
)
DEVICE = FunctionSpec(
    code="invoices.device",
    name="税控设备申领",
    path=("我要办税", "发票使用", "税控设备申领"),
    url="/invoices/device",
    keywords=("税务UKey", "UKey", "税控盘", "金税盘", "税控设备", "申领UKey", "领UKey", "开票设备"),
    initials=("skbsly",),
    audiences=ENTERPRISE,
    description="票种核定后申领税务UKey，税务机关审核通过后到主管税务机关领取，设备编号可在“购票信息查询”中查看。",
)

SPECIAL_TYPES = {"数电发票": "增值税电子专用发票", "纸质发票": "增值税专用发票"}


class LimitApprovalForm(msgspec.Struct, kw_only=True):
    carrier: Annotated[
        Literal["数电发票", "纸质发票"],
        msgspec.Meta(title="发票形式", description="数电发票调整授信总额度；纸质发票调整单份限额"),
    ]
    max_amount: Annotated[AmountLimit, msgspec.Meta(title="申请最高开票限额")]
    reason: Annotated[
        str,
        msgspec.Meta(title="申请理由", min_length=4, max_length=200, description="如单笔合同金额、经营规模"),
    ]

    @property
    def invoice_type(self) -> str:
        return SPECIAL_TYPES[self.carrier]

    @property
    def amount(self) -> Decimal:
        return LIMIT_AMOUNTS[self.max_amount]

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        record = await registry.taxpayer_by_id(applicant.taxpayer_id)
        if record is None or record.taxpayer_type != GENERAL_TAXPAYER:
            return {"carrier": "增值税专用发票最高开票限额审批仅限增值税一般纳税人申请"}
        quota = await _quota(applicant.taxpayer_id, self.invoice_type)
        if quota is None:
            return {"carrier": f"本单位尚未核定{self.invoice_type}，请先办理“发票票种核定”"}
        if money(quota["max_amount"]) == self.amount:
            return {"max_amount": f"现有最高开票限额已是{self.max_amount}，无需申请"}
        return {}


async def _quota(taxpayer_id: int, invoice_type: str) -> dict[str, object] | None:
    row: dict[str, object] | None = (
        await InvoiceQuota.select(InvoiceQuota.max_amount)
        .where(InvoiceQuota.key == f"{taxpayer_id}:{invoice_type}")
        .first()
    )
    return row


LIMIT_APPROVAL_APPLICATION = ApplicationSpec(
    function=LIMIT_APPROVAL.code,
    matter_code="110605",
    form=LimitApprovalForm,
    attachments=AttachmentRule(
        kinds=("pdf", "png", "jpeg"), max_count=3, required=False, label="证明材料", hint="如购销合同。"
    ),
    description="税务行政许可事项：审批通过（办结）后，新的最高开票限额即时生效，可在“购票信息查询”中查看。",
)


async def apply_limit(taxpayer_id: int, number: str, form: LimitApprovalForm, at: dt.datetime) -> bool:
    """Set the approved limit once per application; ``False`` when it was applied before."""
    async with write_transaction(LimitApproval):
        if await LimitApproval.exists().where(LimitApproval.application_number == number):
            return False
        quota = await _quota(taxpayer_id, form.invoice_type)
        if quota is None:  # the 票种核定 was withdrawn meanwhile: nothing to raise
            return False
        await LimitApproval(
            application_number=number,
            taxpayer=taxpayer_id,
            invoice_type=form.invoice_type,
            limit_before=money(quota["max_amount"]),
            limit_after=form.amount,
            approved_at=at,
        ).save()
        await InvoiceQuota.update(
            {InvoiceQuota.max_amount: form.amount, InvoiceQuota.max_amount_label: form.max_amount}
        ).where(InvoiceQuota.key == f"{taxpayer_id}:{form.invoice_type}")
    await sync_account(taxpayer_id)  # 授信总额度 = Σ 限额 × 每月最高购票数量
    return True


class DeviceForm(msgspec.Struct, kw_only=True):
    device_kind: Annotated[Literal["税务UKey"], msgspec.Meta(title="设备类型")] = "税务UKey"
    quantity: Annotated[int, msgspec.Meta(title="申领数量", ge=1, le=3, description="最多3个")]
    contact: Annotated[str, msgspec.Meta(title="领取人", min_length=2, max_length=30)]
    phone: Annotated[
        str,
        msgspec.Meta(title="联系电话", pattern=r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$", description="手机或座机"),
    ]

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        if not await InvoiceQuota.exists().where(InvoiceQuota.taxpayer == applicant.taxpayer_id):
            return {"quantity": "请先办理“发票票种核定”，核定后方可申领税控设备"}
        held = await TaxDevice.select(TaxDevice.quantity).where(TaxDevice.taxpayer == applicant.taxpayer_id)
        if sum(int(row["quantity"]) for row in held) + self.quantity > 3:
            return {"quantity": "每户最多持有3个税务UKey，已领取的设备数量加本次申领超过上限"}
        return {}


DEVICE_APPLICATION = ApplicationSpec(
    function=DEVICE.code,
    matter_code="110212",
    form=DeviceForm,
    attachments=AttachmentRule(kinds=("pdf", "png", "jpeg"), max_count=2, required=False),
    description="审核通过（办结）后，凭设备编号到主管税务机关领取税务UKey。",
)


def device_numbers(number: str, quantity: int) -> list[str]:
    """Stable 12-digit 设备编号 per application: 5121 (税务UKey) + 6 digits of the number + index."""
    base = zlib.crc32(number.encode()) % 1_000_000
    return [f"5121{base:06d}{index + 1:02d}" for index in range(quantity)]


async def issue_devices(taxpayer_id: int, number: str, form: DeviceForm, at: dt.datetime) -> None:
    record = await registry.taxpayer_by_id(taxpayer_id)
    office = record.tax_office if record is not None else "主管税务机关"
    await TaxDevice.insert(
        TaxDevice(
            application_number=number,
            taxpayer=taxpayer_id,
            device_kind=form.device_kind,
            quantity=form.quantity,
            device_numbers=",".join(device_numbers(number, form.quantity)),
            office=office[:100],
            issued_at=at,
        )
    ).on_conflict(target=TaxDevice.application_number, action="DO NOTHING")


class DeviceView(msgspec.Struct, frozen=True, kw_only=True):
    device_kind: str
    numbers: list[str]
    office: str
    application_number: str
    issued_at: dt.datetime


async def devices(taxpayer_id: int) -> list[DeviceView]:
    rows = await TaxDevice.select().where(TaxDevice.taxpayer == taxpayer_id).order_by(TaxDevice.id)
    return [
        DeviceView(
            device_kind=str(row["device_kind"]),
            numbers=str(row["device_numbers"]).split(","),
            office=str(row["office"]),
            application_number=str(row["application_number"]),
            issued_at=row["issued_at"],
        )
        for row in rows
    ]
