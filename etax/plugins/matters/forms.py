"""The forms of 涉税事项 as msgspec Structs, with their rules (checked on the server, messages in Chinese).

``problems()`` holds rules across fields; ``check_applicant()`` the rules that depend on the applying
taxpayer (read from the core registry and the ledger): a declaration, payment or registration of another
taxpayer is simply "not found".
"""

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
    ledger,
    ledger_records,
    registry,
    resident_id_problem,
)
from etax.plugins.matters import functions as F
from etax.plugins.matters.rules import (
    MOBILE,
    TAX_BY_LABEL,
    TAX_LABELS,
    add_months,
    is_individual_business,
    looks_like_mobile,
)

TaxLabel = Literal[
    "增值税",
    "企业所得税",
    "城市维护建设税",
    "房产税",
    "印花税",
    "城镇土地使用税",
    "教育费附加",
    "地方教育附加",
]
assert set(TaxLabel.__args__) == set(TAX_LABELS)  # type: ignore[attr-defined]

Reason = Annotated[str, msgspec.Meta(title="申请理由", max_length=300, description="选填")]


# --- 综合信息报告 ------------------------------------------------------------------------------------


class BankAccountForm(msgspec.Struct, kw_only=True):
    """存款账户账号报告."""

    bank: Annotated[
        Literal[
            "中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "招商银行", "盛京银行"
        ],
        msgspec.Meta(title="开户银行"),
    ]
    account_number: Annotated[
        str, msgspec.Meta(title="银行账号", pattern=r"^\d{8,30}$", description="8至30位数字")
    ]
    account_name: Annotated[
        str, msgspec.Meta(title="账户名称", min_length=2, max_length=120, description="应与纳税人名称一致")
    ]
    account_type: Annotated[
        Literal["基本存款账户", "一般存款账户", "专用存款账户", "临时存款账户"],
        msgspec.Meta(title="账户性质"),
    ] = "基本存款账户"
    opened_on: Annotated[dt.date, msgspec.Meta(title="开户日期")]

    def problems(self) -> dict[str, str]:
        if self.opened_on > clock.today():
            return {"opened_on": "开户日期不能晚于今天"}
        return {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        if self.account_name.strip() != applicant.taxpayer_name:
            return {"account_name": f"账户名称应与纳税人名称“{applicant.taxpayer_name}”一致"}
        for account in await ledger_records.bank_accounts(applicant.taxpayer_id, open_only=True):
            if account.account_number == self.account_number:
                return {"account_number": f"账号{self.account_number}已报告，无需重复报告"}
        return {}


class AccountingForm(msgspec.Struct, kw_only=True):
    """财务会计制度及核算软件备案报告."""

    system: Annotated[
        Literal["企业会计准则", "小企业会计准则", "企业会计制度", "民间非营利组织会计制度", "其他"],
        msgspec.Meta(title="财务会计制度"),
    ]
    software: Annotated[
        str,
        msgspec.Meta(
            title="会计核算软件名称", min_length=2, max_length=60, description="如：用友U8、金蝶KIS"
        ),
    ]
    depreciation: Annotated[
        Literal["年限平均法", "工作量法", "双倍余额递减法", "年数总和法"], msgspec.Meta(title="折旧方法")
    ] = "年限平均法"
    low_value: Annotated[
        Literal["一次摊销法", "五五摊销法", "分次摊销法"], msgspec.Meta(title="低值易耗品摊销方法")
    ] = "一次摊销法"
    valid_from: Annotated[dt.date, msgspec.Meta(title="执行起始日期")]


StaffRoleLabel = Literal["办税员", "财务负责人", "法定代表人"]


class RegistrationChangeForm(msgspec.Struct, kw_only=True):
    """变更税务登记 — 办税人员信息 and their contact numbers."""

    role: Annotated[StaffRoleLabel, msgspec.Meta(title="人员身份")] = "办税员"
    change: Annotated[Literal["新增或修改", "删除"], msgspec.Meta(title="变更类型")] = "新增或修改"
    name: Annotated[str, msgspec.Meta(title="姓名", min_length=2, max_length=30)]
    id_number: Annotated[str, msgspec.Meta(title="居民身份证号码", min_length=18, max_length=18)]
    mobile: Annotated[
        str,
        msgspec.Meta(
            title="移动电话", max_length=20, description="11位手机号码，用于短信验证码登录；删除时可不填"
        ),
    ] = ""
    fixed_phone: Annotated[
        str, msgspec.Meta(title="固定电话", max_length=20, description="选填，如 024-22223333")
    ] = ""

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        problem = resident_id_problem(self.id_number.strip().upper())
        if problem:
            found["id_number"] = problem
        mobile = self.mobile.strip()
        fixed = self.fixed_phone.strip()
        if self.change == "新增或修改":
            if looks_like_mobile(fixed):
                found["fixed_phone"] = "手机号码请填写在“移动电话”项目内，否则无法接收短信验证码"
            elif not mobile:
                found["mobile"] = "请填写移动电话，办税人员须凭手机短信验证码登录"
            elif not MOBILE.match(mobile):
                found["mobile"] = "移动电话应为11位手机号码"
        elif self.role == "法定代表人":
            found["change"] = "法定代表人不能删除，请以新增方式登记新的法定代表人"
        return found

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        number = self.id_number.strip().upper()
        person = await registry.person_by_id_number(number)
        if person is not None and person.name != self.name.strip():
            return {"name": "姓名与证件号码不符，请核对后重新填写"}
        if self.change == "删除":
            on_it = [
                s
                for s in await registry.registration_staff(applicant.taxpayer_id)
                if s.person.id_number == number and s.role_label == self.role
            ]
            if not on_it:
                return {"id_number": f"税务登记中没有该{self.role}，无需删除"}
        return {}


class GeneralTaxpayerForm(msgspec.Struct, kw_only=True):
    """增值税一般纳税人登记."""

    effective_from: Annotated[
        dt.date, msgspec.Meta(title="一般纳税人生效之日", description="当月1日或次月1日")
    ]
    annual_sales: Annotated[
        Decimal, msgspec.Meta(title="年应税销售额（元）", description="连续不超过12个月的应税销售额")
    ]
    sound_accounting: Annotated[bool, msgspec.Meta(title="会计核算健全，能够提供准确税务资料")] = False
    reason: Reason = ""

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        first = clock.today().replace(day=1)
        following = add_months(first, 1)
        if self.effective_from not in (first, following):
            found["effective_from"] = (
                f"生效之日只能选择当月1日（{first.isoformat()}）或次月1日（{following.isoformat()}）"
            )
        if not self.sound_accounting:
            found["sound_accounting"] = "登记为一般纳税人须会计核算健全，请确认后勾选"
        return found

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        kind = await ledger.taxpayer_kind(applicant.taxpayer_id)
        if kind is ledger.TaxpayerKind.GENERAL:
            return {"effective_from": "您已是增值税一般纳税人，无需重复登记"}
        return {}


class TaxKindsForm(msgspec.Struct, kw_only=True):
    """税（费）种认定: add or end one registration."""

    change: Annotated[Literal["新增认定", "终止认定"], msgspec.Meta(title="认定类型")] = "新增认定"
    tax: Annotated[TaxLabel, msgspec.Meta(title="征收项目")]
    period: Annotated[Literal["按月", "按季", "按年", "按次"], msgspec.Meta(title="纳税期限")] = "按月"
    item: Annotated[str, msgspec.Meta(title="征收品目", max_length=60, description="选填")] = ""
    day: Annotated[dt.date, msgspec.Meta(title="认定有效期起（终止认定时为有效期止）")]

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        tax = TAX_BY_LABEL[self.tax]
        live = [
            r
            for r in await ledger.registrations(applicant.taxpayer_id)
            if r.tax_type is tax and (r.valid_to is None or r.valid_to >= self.day)
        ]
        if self.change == "新增认定" and live:
            return {"tax": f"{self.tax}已认定（纳税期限：{live[0].period_kind.label}），如需调整请先终止认定"}
        if self.change == "终止认定" and not live:
            return {"tax": f"没有有效的{self.tax}认定，无需终止"}
        return {}


class SuspendForm(msgspec.Struct, kw_only=True):
    """停业登记."""

    start: Annotated[dt.date, msgspec.Meta(title="停业期起")]
    end: Annotated[dt.date, msgspec.Meta(title="停业期止", description="停业期不超过一年")]
    reason: Annotated[str, msgspec.Meta(title="停业原因", min_length=2, max_length=200)]

    def problems(self) -> dict[str, str]:
        if self.end < self.start:
            return {"end": "停业期止不能早于停业期起"}
        if self.end > add_months(self.start, 12):
            return {"end": "停业期不得超过一年"}
        if self.start < clock.today():
            return {"start": "停业期起不能早于今天"}
        return {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        record = await registry.taxpayer_by_id(applicant.taxpayer_id)
        if record is None or record.status != "正常":
            return {"start": f"纳税人状态为“{record.status if record else '未登记'}”，不能办理停业登记"}
        return {}


class ResumeForm(msgspec.Struct, kw_only=True):
    """复业登记."""

    resume_on: Annotated[dt.date, msgspec.Meta(title="复业日期")]
    note: Annotated[str, msgspec.Meta(title="情况说明", max_length=200, description="选填")] = ""

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        record = await registry.taxpayer_by_id(applicant.taxpayer_id)
        if record is None or record.status != "停业":
            return {"resume_on": "纳税人不在停业状态，无需办理复业登记"}
        return {}


class DeregisterForm(msgspec.Struct, kw_only=True):
    """注销税务登记（清税申报）."""

    reason: Annotated[
        Literal["解散", "破产", "被吊销营业执照", "被撤销登记", "迁出管辖区", "其他"],
        msgspec.Meta(title="注销原因"),
    ]
    note: Annotated[str, msgspec.Meta(title="情况说明", max_length=200, description="选填")] = ""
    confirmed: Annotated[bool, msgspec.Meta(title="已结清应纳税款、滞纳金、罚款，已缴销发票")] = False

    def problems(self) -> dict[str, str]:
        if not self.confirmed:
            return {"confirmed": "请确认已结清税款、滞纳金、罚款并缴销发票"}
        return {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        record = await registry.taxpayer_by_id(applicant.taxpayer_id)
        if record is not None and record.status == "注销":
            return {"reason": "纳税人已注销"}
        left = await ledger_records.outstanding(applicant.taxpayer_id)
        if not left.clear:
            items = [*left.unfiled, *left.unpaid]
            more = f"等{len(items)}项" if len(items) > 3 else ""
            return {
                "reason": "存在未办结事项，不能清税："
                + "；".join(items[:3])
                + more
                + "。请先申报、缴清税款后再申请。"
            }
        return {}


# --- 税收减免 --------------------------------------------------------------------------------------


class ReliefForm(msgspec.Struct, kw_only=True):
    """税收减免备案 / 核准: one 减免性质 for one 征收项目 and a period."""

    tax: Annotated[TaxLabel, msgspec.Meta(title="征收项目")]
    code: Annotated[
        str,
        msgspec.Meta(title="减免性质代码", pattern=r"^\d{10}$", description="10位数字，见减免性质及分类表"),
    ]
    name: Annotated[str, msgspec.Meta(title="减免项目名称", min_length=2, max_length=120)]
    valid_from: Annotated[dt.date, msgspec.Meta(title="减免起始日期")]
    valid_to: Annotated[dt.date, msgspec.Meta(title="减免终止日期")]
    basis: Annotated[str, msgspec.Meta(title="减免政策依据（文件名称及文号）", min_length=2, max_length=200)]

    def problems(self) -> dict[str, str]:
        if self.valid_to < self.valid_from:
            return {"valid_to": "减免终止日期不能早于起始日期"}
        return {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        tax = TAX_BY_LABEL[self.tax]
        for relief in await ledger.reliefs(applicant.taxpayer_id, tax):
            overlaps = relief.valid_from <= self.valid_to and (
                relief.valid_to is None or relief.valid_to >= self.valid_from
            )
            if relief.code == self.code and overlaps:
                return {"code": f"减免性质{self.code}在该期间已有有效的减免记录"}
        return {}


# --- 证明开具 --------------------------------------------------------------------------------------


class ResidencyForm(msgspec.Struct, kw_only=True):
    """中国税收居民身份证明."""

    year: Annotated[int, msgspec.Meta(title="证明所属年度", ge=2000, le=2100)]
    counterpart: Annotated[
        Literal["中国香港", "中国澳门", "新加坡", "日本", "韩国", "美国", "英国", "德国", "法国", "其他"],
        msgspec.Meta(title="对方国家（地区）"),
    ]
    income: Annotated[
        Literal["营业利润", "股息", "利息", "特许权使用费", "财产收益", "其他"],
        msgspec.Meta(title="收入类型"),
    ]
    purpose: Annotated[str, msgspec.Meta(title="开具用途", min_length=2, max_length=200)]

    def problems(self) -> dict[str, str]:
        if self.year > clock.today().year:
            return {"year": "证明所属年度不能晚于本年度"}
        return {}


class ReissueForm(msgspec.Struct, kw_only=True):
    """转开税收完税证明: one payment by its 电子缴税付款凭证号."""

    voucher_number: Annotated[
        str, msgspec.Meta(title="电子缴税付款凭证号", pattern=r"^\d{6,24}$", description="见缴款信息查询")
    ]
    purpose: Annotated[str, msgspec.Meta(title="转开原因", min_length=2, max_length=200)]

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        if await paid_voucher(applicant.taxpayer_id, self.voucher_number) is None:
            return {"voucher_number": "未找到本企业该凭证号的缴款成功记录"}
        return {}


async def paid_voucher(taxpayer_id: int, voucher_number: str) -> ledger.Payment | None:
    """The taxpayer's succeeded payment with this voucher number (None for another taxpayer's)."""
    for payment in await ledger.payments(taxpayer_id, statuses=(ledger.PaymentStatus.SUCCEEDED,)):
        if payment.voucher_number == voucher_number:
            return payment
    return None


# --- 税务行政许可 ----------------------------------------------------------------------------------


class FilingExtensionForm(msgspec.Struct, kw_only=True):
    """对纳税人延期申报的核准: one tax type for the current period."""

    tax: Annotated[TaxLabel, msgspec.Meta(title="征收项目")]
    period_start: Annotated[dt.date, msgspec.Meta(title="税款所属期起")]
    new_deadline: Annotated[dt.date, msgspec.Meta(title="申请延期至", description="不超过原申报期限后3个月")]
    ground: Annotated[
        Literal["因不可抗力不能按期申报", "账务未处理完毕，不能计算应纳税额"], msgspec.Meta(title="延期理由")
    ]
    explanation: Annotated[str, msgspec.Meta(title="情况说明", min_length=4, max_length=300)]

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        tax = TAX_BY_LABEL[self.tax]
        today = clock.today()
        due = [
            o
            for o in await ledger.obligations(applicant.taxpayer_id, self.period_start, today)
            if o.tax_type is tax and o.period_start == self.period_start
        ]
        if not due:
            return {"period_start": f"没有所属期起为{self.period_start.isoformat()}的{self.tax}应申报记录"}
        item = due[0]
        if item.status is ledger.ObligationStatus.FILED:
            return {"period_start": "该所属期已申报，无需延期"}
        if today > item.deadline:
            return {"period_start": f"申报期限{item.deadline.isoformat()}已过，只能在申报期限内申请延期申报"}
        if self.new_deadline <= item.deadline:
            return {"new_deadline": f"申请延期至的日期应晚于原申报期限{item.deadline.isoformat()}"}
        if self.new_deadline > add_months(item.deadline, 3):
            return {"new_deadline": f"延期不得超过3个月，最迟为{add_months(item.deadline, 3).isoformat()}"}
        return {}


class PaymentExtensionForm(msgspec.Struct, kw_only=True):
    """延期缴纳税款申请: one filed, unpaid declaration."""

    declaration_number: Annotated[
        str, msgspec.Meta(title="申报序号", pattern=r"^\d{8,20}$", description="见申报信息查询")
    ]
    new_deadline: Annotated[
        dt.date, msgspec.Meta(title="申请延期缴纳至", description="不超过缴款期限后3个月")
    ]
    cash: Annotated[Decimal, msgspec.Meta(title="当期货币资金余额（元）")]
    wages: Annotated[Decimal, msgspec.Meta(title="应付职工工资预算（元）")]
    social_insurance: Annotated[Decimal, msgspec.Meta(title="社会保险费预算（元）")]
    ground: Annotated[
        Literal[
            "因不可抗力导致较大损失，正常生产经营活动受到较大影响",
            "当期货币资金在扣除应付职工工资、社会保险费后，不足以缴纳税款",
        ],
        msgspec.Meta(title="申请理由"),
    ]

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        found = await ledger.declaration_by_number(applicant.taxpayer_id, self.declaration_number)
        if found is None or found.status is not ledger.DeclarationStatus.FILED:
            return {"declaration_number": "未找到本企业该申报序号的有效申报记录"}
        owed = found.outstanding
        if owed <= 0:
            return {"declaration_number": "该申报记录没有未缴税款"}
        today = clock.today()
        if today > found.payment_deadline:
            return {
                "declaration_number": f"缴款期限{found.payment_deadline.isoformat()}已过，应在缴款期限前申请"
            }
        if self.new_deadline <= found.payment_deadline:
            return {"new_deadline": f"申请延期缴纳至的日期应晚于缴款期限{found.payment_deadline.isoformat()}"}
        latest = add_months(found.payment_deadline, 3)
        if self.new_deadline > latest:
            return {"new_deadline": f"延期缴纳税款最长不得超过3个月，最迟为{latest.isoformat()}"}
        if self.cash - self.wages - self.social_insurance >= owed:
            return {
                "cash": f"货币资金扣除工资、社保费预算后（{self.cash - self.wages - self.social_insurance:,.2f}元）"
                f"足以缴纳税款{owed:,.2f}元，不符合延期缴纳条件"
            }
        return {}


# --- 核定管理 --------------------------------------------------------------------------------------


class FixedAmountForm(msgspec.Struct, kw_only=True):
    """定期定额户申请核定及调整定额 (个体工商户)."""

    business: Annotated[str, msgspec.Meta(title="经营项目", min_length=2, max_length=60)]
    area: Annotated[int, msgspec.Meta(title="经营面积（平方米）", ge=1, le=100000)]
    staff: Annotated[int, msgspec.Meta(title="从业人数", ge=1, le=1000)]
    monthly_sales: Annotated[Decimal, msgspec.Meta(title="自报月销售额（元）")]
    valid_from: Annotated[dt.date, msgspec.Meta(title="定额执行期起")]
    valid_to: Annotated[dt.date, msgspec.Meta(title="定额执行期止", description="执行期不超过一年")]

    def problems(self) -> dict[str, str]:
        if self.valid_from.day != 1:
            return {"valid_from": "定额执行期起应为某月1日"}
        if self.valid_to < self.valid_from:
            return {"valid_to": "定额执行期止不能早于执行期起"}
        if self.valid_to >= add_months(self.valid_from, 12):
            return {"valid_to": "定额执行期不得超过一年"}
        if self.monthly_sales <= 0:
            return {"monthly_sales": "自报月销售额应大于0"}
        return {}

    async def check_applicant(self, applicant: Applicant) -> dict[str, str]:
        record = await registry.taxpayer_by_id(applicant.taxpayer_id)
        if record is None or not is_individual_business(record.tin):
            return {"business": "定期定额核定仅适用于个体工商户"}
        return {}


def _rule(label: str, *, required: bool = False, max_count: int = 3, hint: str = "") -> AttachmentRule:
    return AttachmentRule(
        kinds=("pdf", "png", "jpeg"), max_count=max_count, required=required, label=label, hint=hint
    )


APPLICATIONS: dict[str, ApplicationSpec] = {
    spec.function: spec
    for spec in (
        ApplicationSpec(
            function=F.BANK_ACCOUNT.code,
            matter_code="110111",
            form=BankAccountForm,
            attachments=_rule("开户许可证或开户证明", hint="选填"),
            description="税务机关办结后，账户列入本企业已报告的存款账户，可用于签订三方协议和办理退税。",
        ),
        ApplicationSpec(
            function=F.ACCOUNTING.code,
            matter_code="110112",
            form=AccountingForm,
            attachments=_rule("财务会计制度或核算软件说明", hint="选填"),
            description="办结后可在“我要查询 › 财务会计制度备案查询”中查询。",
        ),
        ApplicationSpec(
            function=F.REGISTRATION_CHANGE.code,
            matter_code="110103",
            form=RegistrationChangeForm,
            attachments=_rule("身份证件", hint="选填：新增办税人员的身份证件照片"),
            description="办结后税务登记中的办税人员信息即更新；新增的办税人员须完成实名采集，并由法定代表人或财务负责人"
            "在“企业人员维护”中授权。登录时请点击【同步办税人】。",
        ),
        ApplicationSpec(
            function=F.GENERAL_TAXPAYER.code,
            matter_code="110113",
            form=GeneralTaxpayerForm,
            attachments=_rule("增值税一般纳税人登记表", hint="选填"),
            description="办结后自生效之月起按月申报增值税及附加税费（一般纳税人适用），应申报清册随之变化。",
        ),
        ApplicationSpec(
            function=F.TAX_KINDS.code,
            matter_code="110115",
            form=TaxKindsForm,
            description="办结后税（费）种认定即生效，可在“应申报清册查询”中查看应申报项目。",
        ),
        ApplicationSpec(
            function=F.SUSPEND.code,
            matter_code="110401",
            form=SuspendForm,
            description="办结后纳税人状态为“停业”；停业期间不能办理申报，复业请办理复业登记。",
        ),
        ApplicationSpec(
            function=F.RESUME.code,
            matter_code="110402",
            form=ResumeForm,
            description="办结后纳税人状态恢复为“正常”。",
        ),
        ApplicationSpec(
            function=F.DEREGISTER.code,
            matter_code="110502",
            form=DeregisterForm,
            attachments=_rule("清算报告或注销决议", hint="选填"),
            description="有未申报的税费或未缴清的税款时不能清税；办结后税（费）种认定终止，纳税人状态为“注销”，并出具清税证明。",
        ),
        ApplicationSpec(
            function=F.RELIEF_FILING.code,
            matter_code="130101",
            form=ReliefForm,
            attachments=_rule("享受优惠的资料", hint="选填"),
            description="备案后申报时享受该减免，可在“我要查询 › 优惠信息查询”中查询。",
        ),
        ApplicationSpec(
            function=F.RELIEF_APPROVAL.code,
            matter_code="130102",
            form=ReliefForm,
            attachments=_rule("减免税证明材料", required=True),
            description="核准类减免须附证明材料，税务机关核准后生效，可在“优惠信息查询”中查询。",
        ),
        ApplicationSpec(
            function=F.RESIDENCY.code,
            matter_code="140103",
            form=ResidencyForm,
            attachments=_rule("合同或收入证明", hint="选填"),
            description="税务机关办结后出具中国税收居民身份证明（含验证码），可在“证明信息查询”中下载。",
        ),
        ApplicationSpec(
            function=F.REISSUE.code,
            matter_code="140102",
            form=ReissueForm,
            description="税务机关办结后出具税收完税证明，可在“证明信息查询”中下载。",
        ),
        ApplicationSpec(
            function=F.FILING_EXTENSION.code,
            matter_code="150301",
            form=FilingExtensionForm,
            attachments=_rule("延期申报申请核准表及书面说明", required=True),
            description="核准后该所属期的申报期限顺延至核准日期，期间申报不算逾期。",
        ),
        ApplicationSpec(
            function=F.PAYMENT_EXTENSION.code,
            matter_code="150201",
            form=PaymentExtensionForm,
            attachments=_rule("银行对账单、资产负债表", required=True, max_count=5),
            description="核准后缴款期限顺延至核准日期，期间不加收滞纳金；不予核准的，自原缴款期限届满次日起加收滞纳金。",
        ),
        ApplicationSpec(
            function=F.FIXED_AMOUNT.code,
            matter_code="160101",
            form=FixedAmountForm,
            description="税务机关核定定额后，可在“个体工商户核定定额信息查询”中查询；月销售额超过定额的应按实申报。",
        ),
    )
}
