"""The payment functions: 网签三方协议, 税款缴纳 and 开具税收完税证明（表格式）."""

from __future__ import annotations

from etax.platform.api import Audience, FunctionSpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})

AGREEMENT = FunctionSpec(
    code="filing.agreement",
    name="网签三方协议",
    path=("我要办税", "其他服务事项", "网签三方协议"),
    url="/filing/agreements",
    keywords=("三方协议", "税库银", "扣款协议", "银行账户", "签订三方协议", "终止三方协议", "三方协议查询"),
    initials=("wqsfxy",),
    audiences=ENTERPRISE,
    description="与开户银行、税务机关在线签订税库银三方协议，验证成功后即可通过三方协议扣缴税款。",
)
PAYMENT = FunctionSpec(
    code="filing.payment",
    name="税款缴纳",
    path=("我要办税", "税费申报及缴纳", "税款缴纳"),
    url="/filing/payment",
    keywords=("缴款", "缴税", "我要缴税", "三方协议扣款", "扣款", "滞纳金", "欠税", "补缴", "税费缴纳"),
    initials=("skjn", "wyjs"),
    audiences=ENTERPRISE,
    description="选择已申报未缴款的税费（含应征滞纳金），通过三方协议从银行账户扣缴，扣款成功后可开具完税证明。",
)
TAX_CERTIFICATE = FunctionSpec(
    code="filing.tax_certificate",
    name="开具税收完税证明（表格式）",
    short_name="开具税收完税证明",
    path=("我要办税", "证明开具", "开具税收完税证明（表格式）"),
    url="/filing/tax-certificate",
    keywords=("完税证明", "税收完税证明", "纳税证明", "完税凭证", "开具证明"),
    initials=("kjsswszm", "kjsswszmbgs"),
    audiences=ENTERPRISE,
    description="按入（退）库日期选择已缴税款，开具带证明编号和验证码的税收完税证明（PDF），任何人可在证明查验页面核验。",
)

FUNCTIONS: tuple[FunctionSpec, ...] = (AGREEMENT, PAYMENT, TAX_CERTIFICATE)
