"""The 发票票种核定 application: its form (fields of 金三 ``fp_pzhdxx``) and rules.

Rules: every quantity is a positive whole number; 每次最高购票数量 may not exceed 每月最高购票数量; the
增值税专用发票 (paper or electronic) is only for 增值税一般纳税人, read from the core registry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from etax.platform.api import Applicant, ApplicationSpec, AttachmentRule, registry
from etax.plugins.invoices.functions import TYPE_APPROVAL

InvoiceType = Literal[
    "增值税专用发票",
    "增值税电子专用发票",
    "增值税普通发票（折叠票）",
    "增值税普通发票（卷票）",
    "增值税电子普通发票",
    "机动车销售统一发票",
    "二手车销售统一发票",
    "通用定额发票",
]
SPECIAL_INVOICES = frozenset({"增值税专用发票", "增值税电子专用发票"})
GENERAL_TAXPAYER = "一般纳税人"

AmountLimit = Literal["一万元", "十万元", "一百万元", "一千万元"]
LIMIT_AMOUNTS: dict[str, Decimal] = {
    "一万元": Decimal("10000.00"),
    "十万元": Decimal("100000.00"),
    "一百万元": Decimal("1000000.00"),
    "一千万元": Decimal("10000000.00"),
}


class TypeApprovalForm(msgspec.Struct, kw_only=True):
    """票种核定初次申请 / 调整: one invoice type per application."""

    invoice_type: Annotated[InvoiceType, msgspec.Meta(title="发票种类")]
    max_amount: Annotated[
        AmountLimit,
        msgspec.Meta(title="单份发票最高开票限额", description="请按实际经营情况申请"),
    ]
    monthly_quantity: Annotated[int, msgspec.Meta(title="每月最高购票数量", ge=1, le=99999)]
    per_purchase_quantity: Annotated[int, msgspec.Meta(title="每次最高购票数量", ge=1, le=99999)]
    holding_quantity: Annotated[int, msgspec.Meta(title="持票最高数量", ge=1, le=99999)]
    purchase_method: Annotated[
        Literal["验旧购新", "交旧购新", "批量供应"], msgspec.Meta(title="购票方式")
    ] = "验旧购新"
    unit: Annotated[Literal["份", "本", "卷"], msgspec.Meta(title="计量单位")] = "份"
    reason: Annotated[
        str, msgspec.Meta(title="申请说明", max_length=200, description="选填，如经营情况、用票需求")
    ] = ""

    @property
    def amount(self) -> Decimal:
        """单份发票最高开票限额 in yuan (two places)."""
        return LIMIT_AMOUNTS[self.max_amount]

    def problems(self) -> dict[str, str]:
        if self.per_purchase_quantity > self.monthly_quantity:
            return {"per_purchase_quantity": "每次最高购票数量不能大于每月最高购票数量"}
        return {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        """专票 only for 增值税一般纳税人 (the taxpayer type held by the core registry)."""
        if self.invoice_type not in SPECIAL_INVOICES:
            return {}
        record = await registry.taxpayer_by_id(applicant.taxpayer_id)
        if record is None or record.taxpayer_type != GENERAL_TAXPAYER:
            kind = record.taxpayer_type if record else "未登记"
            return {
                "invoice_type": f"{self.invoice_type}仅限增值税一般纳税人申请核定，您单位为{kind}，"
                "可申请增值税普通发票"
            }
        return {}


TYPE_APPROVAL_APPLICATION = ApplicationSpec(
    function=TYPE_APPROVAL.code,
    matter_code="110207",
    form=TypeApprovalForm,
    attachments=AttachmentRule(
        kinds=("pdf", "png", "jpeg"),
        max_count=3,
        required=False,
        label="附报资料",
        hint="如有需要，可附发票专用章印模、经营场所证明等资料。",
    ),
    description="票种核定为人工受理事项：税务机关审核通过（办结）后，核定结果在“购票信息查询”中可查。",
)
