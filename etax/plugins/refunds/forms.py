"""The refund applications: their forms (checked on the server, Chinese messages) and 事项代码."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from etax.platform.api import (
    Applicant,
    ApplicationSpec,
    AttachmentRule,
    clock,
    credit,
    ledger,
    ledger_claims,
)
from etax.plugins.refunds.functions import EXPORT_FILING, EXPORT_RETURN, OVERPAID, RETAINED
from etax.plugins.refunds.tables import ExportFiling, ExportReturn

CENT = Decimal("0.01")
RATES: dict[str, Decimal] = {
    "13%": Decimal("0.13"),
    "10%": Decimal("0.10"),
    "9%": Decimal("0.09"),
    "6%": Decimal("0.06"),
}


def _amount_field(message: str) -> str:
    return "amount" if ("额" in message and "申报序号" not in message and "缴款" not in message) else ""


class OverpaidForm(msgspec.Struct, kw_only=True):
    """误收多缴退抵税: the paid return, the amount overpaid and why."""

    declaration_number: Annotated[
        str,
        msgspec.Meta(
            title="申报序号",
            description="多缴税款所属申报的申报序号，可在“我要查询 › 退税金额审核情况查询”的可申请列表中查看",
            min_length=6,
            max_length=20,
            pattern=r"^[0-9A-Za-z]+$",
        ),
    ]
    amount: Annotated[Decimal, msgspec.Meta(title="申请退抵税额（元）")]
    reason: Annotated[
        Literal["计算错误多缴", "重复缴纳", "适用税率错误", "享受优惠未申报", "其他原因多缴"],
        msgspec.Meta(title="多缴原因"),
    ]
    explanation: Annotated[str, msgspec.Meta(title="情况说明", max_length=200)] = ""

    def problems(self) -> dict[str, str]:
        if self.amount <= 0:
            return {"amount": "申请退抵税额应大于零"}
        return {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        try:
            await ledger_claims.check_overpayment(applicant.taxpayer_id, self.declaration_number, self.amount)
        except ledger.LedgerError as error:
            return {_amount_field(error.message) or "declaration_number": error.message}
        return {}


async def credit_level(taxpayer_id: int) -> str | None:
    """The taxpayer's latest 纳税信用级别 (None when never evaluated)."""
    found = await credit.evaluations(taxpayer_id)
    return found[0].level.value if found else None


class RetainedForm(msgspec.Struct, kw_only=True):
    """增值税留抵退税申请 (《退（抵）税申请表》, simplified)."""

    amount: Annotated[Decimal, msgspec.Meta(title="申请退还的留抵税额（元）")]
    ratio: Annotated[
        Decimal,
        msgspec.Meta(
            title="进项构成比例（%）",
            description="已抵扣的增值税专用发票、海关进口增值税专用缴款书等注明的增值税额占同期全部已抵扣进项税额的比重",
        ),
    ]
    pledge: Annotated[
        bool,
        msgspec.Meta(title="本企业申请退税前36个月未发生骗取留抵退税、出口退税或虚开增值税专用发票情形"),
    ] = False

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.amount <= 0:
            found["amount"] = "申请退还的留抵税额应大于零"
        if not Decimal(0) < self.ratio <= Decimal(100):
            found["ratio"] = "进项构成比例应大于0且不超过100"
        if not self.pledge:
            found["pledge"] = "请确认本企业符合留抵退税条件（声明）"
        return found

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        try:
            await ledger_claims.check_retained(
                applicant.taxpayer_id, self.amount, self.ratio, await credit_level(applicant.taxpayer_id)
            )
        except ledger.LedgerError as error:
            field = "ratio" if "比例" in error.message and "超过允许" not in error.message else "amount"
            return {field: error.message}
        return {}


class ExportFilingForm(msgspec.Struct, kw_only=True):
    """出口退（免）税备案."""

    customs_code: Annotated[
        str,
        msgspec.Meta(title="海关企业代码", description="10位，数字或大写字母", pattern=r"^[0-9A-Z]{10}$"),
    ]
    trade_registration: Annotated[
        str, msgspec.Meta(title="对外贸易经营者备案登记编号", pattern=r"^\d{8,20}$", max_length=20)
    ]
    method: Annotated[Literal["免抵退税", "免退税"], msgspec.Meta(title="退（免）税计算方法")]
    bank_account: Annotated[str, msgspec.Meta(title="退税开户银行账号", pattern=r"^\d{8,30}$", max_length=30)]
    contact: Annotated[str, msgspec.Meta(title="办理退（免）税人员", min_length=2, max_length=30)]

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        if await ExportFiling.exists().where(ExportFiling.taxpayer == applicant.taxpayer_id):
            return {"customs_code": "本企业已办理出口退（免）税备案，如需变更请办理备案变更"}
        return {}


class ExportReturnForm(msgspec.Struct, kw_only=True):
    """出口退（免）税申报 (one month's exports, simplified: 计税依据 × 退税率)."""

    period: Annotated[
        str,
        msgspec.Meta(title="所属期（年-月）", description="例如 2026-10", pattern=r"^\d{4}-(0[1-9]|1[0-2])$"),
    ]
    customs_declaration: Annotated[
        str, msgspec.Meta(title="出口货物报关单号", description="18位数字", pattern=r"^\d{18}$")
    ]
    basis: Annotated[Decimal, msgspec.Meta(title="计税依据：出口货物购进金额（元）")]
    rate: Annotated[Literal["13%", "10%", "9%", "6%"], msgspec.Meta(title="退税率")]
    refund: Annotated[Decimal, msgspec.Meta(title="申报退税额（元）", description="计税依据 × 退税率")]

    def problems(self) -> dict[str, str]:
        if self.basis <= 0:
            return {"basis": "计税依据应大于零"}
        expected = (self.basis * RATES[self.rate]).quantize(CENT)
        if self.refund != expected:
            return {"refund": f"申报退税额应等于计税依据×退税率，即{expected}元"}
        year, month = (int(part) for part in self.period.split("-"))
        today = clock.today()
        if dt.date(year, month, 1) > today.replace(day=1):
            return {"period": "所属期不能晚于本月"}
        return {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        if not await ExportFiling.exists().where(ExportFiling.taxpayer == applicant.taxpayer_id):
            return {"period": "本企业尚未办理出口退（免）税备案，请先办理备案"}
        if await ExportReturn.exists().where(ExportReturn.key == f"{applicant.taxpayer_id}:{self.period}"):
            return {"period": f"{self.period}所属期已申报出口退（免）税并已审核，不能重复申报"}
        return {}


OVERPAID_APPLICATION = ApplicationSpec(
    function=OVERPAID.code,
    matter_code="110801",
    form=OverpaidForm,
    attachments=AttachmentRule(max_count=3, label="多缴税款证明材料", hint="如完税凭证、更正后的申报表。"),
    description="自结算缴纳税款之日起三年内可申请；税务机关核实后，先抵缴欠税，余额退还至存款账户。",
)
RETAINED_APPLICATION = ApplicationSpec(
    function=RETAINED.code,
    matter_code="110802",
    form=RetainedForm,
    attachments=AttachmentRule(max_count=3, label="退（抵）税申请表"),
    description="须已申报当期增值税；可退还额 = 最近一期申报表第20栏期末留抵税额 × 进项构成比例。",
)
EXPORT_FILING_APPLICATION = ApplicationSpec(
    function=EXPORT_FILING.code,
    matter_code="110901",
    form=ExportFilingForm,
    attachments=AttachmentRule(max_count=3, label="对外贸易经营者备案登记表等资料"),
    description="税务机关审核后备案生效，之后可按月办理出口退（免）税申报。",
)
EXPORT_RETURN_APPLICATION = ApplicationSpec(
    function=EXPORT_RETURN.code,
    matter_code="110902",
    form=ExportReturnForm,
    attachments=AttachmentRule(max_count=5, label="出口货物报关单、购进发票等资料"),
    description="每个所属期申报一次；审核通过后退税额先抵缴欠税，余额退至退税账户。",
)

APPLICATIONS = (
    OVERPAID_APPLICATION,
    RETAINED_APPLICATION,
    EXPORT_FILING_APPLICATION,
    EXPORT_RETURN_APPLICATION,
)
