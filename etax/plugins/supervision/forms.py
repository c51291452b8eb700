"""The supervision applications: 纳税信用复评/补评, 涉税专业服务协议要素信息报告, 风险疑点说明."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from etax.platform.api import (
    Applicant,
    ApplicationSpec,
    AttachmentRule,
    PageRequest,
    SortKey,
    agency_certifications,
    clock,
    credit,
    normalise_code,
    registry,
    tin_problem,
)
from etax.plugins.supervision.functions import AGENCY_AGREEMENT, CREDIT_REVIEW, CREDIT_SUPPLEMENT, RISK_ANSWER
from etax.plugins.supervision.tables import AgencyAgreement, RiskNotice

SERVICES = (
    "纳税申报代理",
    "一般税务咨询",
    "专业税务顾问",
    "税收策划",
    "涉税鉴证",
    "纳税情况审查",
    "其他税务事项代理",
)
Service = Literal[
    "纳税申报代理",
    "一般税务咨询",
    "专业税务顾问",
    "税收策划",
    "涉税鉴证",
    "纳税情况审查",
    "其他税务事项代理",
]
FIRST_YEAR = 2014  # 纳税信用管理办法（试行）, 公告2014年第40号


def _year_problem(year: int) -> str | None:
    if year >= clock.today().year:
        return "只能申请已结束年度的纳税信用评价"
    if year < FIRST_YEAR:
        return f"评价年度不能早于{FIRST_YEAR}年"
    return None


class CreditReviewForm(msgspec.Struct, kw_only=True):
    """纳税信用复评申请."""

    year: Annotated[int, msgspec.Meta(title="评价年度", ge=FIRST_YEAR, le=2100)]
    reason: Annotated[
        str,
        msgspec.Meta(
            title="复评理由",
            description="说明对评价结果（扣分项）有异议的理由",
            min_length=10,
            max_length=300,
        ),
    ]

    def problems(self) -> dict[str, str]:
        problem = _year_problem(self.year)
        return {"year": problem} if problem else {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        if await credit.evaluation_for_year(applicant.taxpayer_id, self.year) is None:
            return {"year": f"{self.year}年度尚未评价纳税信用，请使用“纳税信用补评申请”"}
        return {}


class CreditSupplementForm(msgspec.Struct, kw_only=True):
    """纳税信用补评申请."""

    year: Annotated[int, msgspec.Meta(title="评价年度", ge=FIRST_YEAR, le=2100)]
    reason: Annotated[
        Literal[
            "新设立企业未参加评价",
            "评价年度内无经营收入",
            "因涉嫌税收违法被立案查处尚未结案，现已结案",
            "其他原因未予评价",
        ],
        msgspec.Meta(title="未评价原因"),
    ]

    def problems(self) -> dict[str, str]:
        problem = _year_problem(self.year)
        return {"year": problem} if problem else {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        if await credit.evaluation_for_year(applicant.taxpayer_id, self.year) is not None:
            return {"year": f"{self.year}年度已有纳税信用评价结果，如有异议请使用“纳税信用复评申请”"}
        taxpayer = await registry.taxpayer_by_id(applicant.taxpayer_id)
        if taxpayer is not None and self.year < taxpayer.registered_on.year:
            return {"year": f"本企业于{taxpayer.registered_on.year}年登记，不能补评此前年度"}
        return {}


class AgencyAgreementForm(msgspec.Struct, kw_only=True):
    """涉税专业服务协议要素信息报告."""

    client_tin: Annotated[str, msgspec.Meta(title="委托人纳税人识别号", min_length=15, max_length=20)]
    client_name: Annotated[str, msgspec.Meta(title="委托人名称", min_length=2, max_length=100)]
    agreement_number: Annotated[
        str,
        msgspec.Meta(title="协议编号", pattern=r"^[0-9A-Za-z-]{4,30}$", description="4至30位字母、数字或-"),
    ]
    service: Annotated[Service, msgspec.Meta(title="服务项目")]
    starts_on: Annotated[dt.date, msgspec.Meta(title="协议起始日期")]
    ends_on: Annotated[dt.date, msgspec.Meta(title="协议终止日期")]

    def problems(self) -> dict[str, str]:
        problem = tin_problem(normalise_code(self.client_tin))
        if problem:
            return {"client_tin": problem}
        if self.ends_on < self.starts_on:
            return {"ends_on": "协议终止日期不能早于起始日期"}
        return {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        agency = await registry.taxpayer_by_id(applicant.taxpayer_id)
        if agency is None or not agency.is_agency:
            return {"client_tin": "仅涉税专业服务机构可以报告涉税专业服务协议要素信息"}
        client = await registry.taxpayer_by_tin(normalise_code(self.client_tin))
        if client is None:
            return {"client_tin": "没有这个纳税人识别号对应的纳税人"}
        if client.id == agency.id:
            return {"client_tin": "委托人不能是本机构"}
        if client.name != self.client_name.strip():
            return {"client_name": "委托人名称与纳税人识别号登记的名称不一致"}
        page = PageRequest(sort=(SortKey("id"),), limit=100)
        today = clock.today()
        certified = [
            row
            for row in await agency_certifications(client.id, page, status="active")
            if row.agency_tin == agency.tin and row.valid_until >= today
        ]
        if not certified:
            return {
                "client_tin": "该委托人尚未在“代理机构认定管理”中认定本机构（或认定已失效），请委托人先办理代理机构认定"
            }
        if await AgencyAgreement.exists().where(
            AgencyAgreement.key == f"{agency.id}:{self.agreement_number}"
        ):
            return {"agreement_number": "该协议编号已报告，不能重复报告"}
        return {}


class RiskAnswerForm(msgspec.Struct, kw_only=True):
    """风险疑点说明: the notice answered and the explanation (attachments required)."""

    notice_number: Annotated[
        str,
        msgspec.Meta(
            title="风险提示编号", description="见“风险提示”列表，例如 FX2026000001", pattern=r"^FX\d{10}$"
        ),
    ]
    explanation: Annotated[str, msgspec.Meta(title="核实说明", min_length=10, max_length=1000)]

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        notice = (
            await RiskNotice.select(RiskNotice.status)
            .where((RiskNotice.number == self.notice_number) & (RiskNotice.taxpayer == applicant.taxpayer_id))
            .first()
        )
        if notice is None:
            return {"notice_number": "没有这个风险提示编号，请核对"}
        if notice["status"] == "closed":
            return {"notice_number": "该风险提示已核实办结，无需再次说明"}
        return {}


CREDIT_REVIEW_APPLICATION = ApplicationSpec(
    function=CREDIT_REVIEW.code,
    matter_code="111301",
    form=CreditReviewForm,
    attachments=AttachmentRule(max_count=3, label="复评证明资料"),
    description="税务机关受理后依据该年度的申报、缴款和违法违章记录重新评价，结果在“纳税信用状态信息查询”中查看。",
)
CREDIT_SUPPLEMENT_APPLICATION = ApplicationSpec(
    function=CREDIT_SUPPLEMENT.code,
    matter_code="111302",
    form=CreditSupplementForm,
    attachments=AttachmentRule(max_count=3, label="补评证明资料"),
    description="税务机关办结后评价该年度纳税信用，结果在“纳税信用状态信息查询”中查看。",
)
AGENCY_AGREEMENT_APPLICATION = ApplicationSpec(
    function=AGENCY_AGREEMENT.code,
    matter_code="111501",
    form=AgencyAgreementForm,
    attachments=AttachmentRule(max_count=2, label="涉税专业服务协议"),
    description="委托人须已在“代理机构认定管理”中认定本机构；税务机关办结后协议要素生效，委托人会收到提醒。",
)
RISK_ANSWER_APPLICATION = ApplicationSpec(
    function=RISK_ANSWER.code,
    matter_code="111601",
    form=RiskAnswerForm,
    attachments=AttachmentRule(max_count=5, required=True, label="核实证明资料"),
    description="按风险提示逐条核实并说明，上传证明资料；税务机关审核通过后该风险提示办结。",
)

APPLICATIONS = (
    CREDIT_REVIEW_APPLICATION,
    CREDIT_SUPPLEMENT_APPLICATION,
    AGENCY_AGREEMENT_APPLICATION,
    RISK_ANSWER_APPLICATION,
)
