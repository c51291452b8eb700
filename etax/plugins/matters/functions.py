"""The functions of 涉税事项 (catalogue names and paths): 综合信息报告, 税收减免, 证明开具, 税务行政许可
(延期申报, 延期缴纳) and 核定管理 (定期定额)."""

from __future__ import annotations

from etax.platform.api import ActionKind, Audience, FunctionSpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})
REPORT = ("我要办税", "综合信息报告")

BANK_ACCOUNT = FunctionSpec(
    code="matters.bank_account",
    name="存款账户账号报告",
    path=(*REPORT, "制度信息报告", "存款账户账号报告"),
    url="/matters/bank-account",
    keywords=(
        "存款账户",
        "银行账户",
        "账户报告",
        "存款账户报告",
        "银行账号",
        "开户银行",
        "基本存款账户",
        "账号报告",
    ),
    initials=("ckzhzhbg", "ckzhbg"),
    audiences=ENTERPRISE,
    action=ActionKind.RECORD,
    description="向税务机关报告本企业在银行开立的存款账户账号；报告后的账户可用于签订三方协议和办理退税。",
)
ACCOUNTING = FunctionSpec(
    code="matters.accounting",
    name="财务会计制度及核算软件备案报告",
    short_name="财务会计制度备案",
    path=(*REPORT, "制度信息报告", "财务会计制度及核算软件备案报告"),
    url="/matters/accounting-filing",
    keywords=("财务会计制度", "会计制度备案", "核算软件", "财务制度备案", "会计核算软件", "财务会计制度备案"),
    initials=("cwkjzdjhsrjbabg", "cwkjzdba"),
    audiences=ENTERPRISE,
    description="报送本企业执行的财务会计制度、会计核算软件和低值易耗品摊销、折旧方法，税务机关备案后可在“财务会计制度备案查询”中查询。",
)
REGISTRATION_CHANGE = FunctionSpec(
    code="matters.registration_change",
    name="变更税务登记",
    path=(*REPORT, "身份信息报告", "变更税务登记"),
    url="/matters/registration-change",
    keywords=(
        "变更登记",
        "税务登记变更",
        "一照一码户信息变更",
        "办税人员信息",
        "变更办税人员",
        "办税人",
        "办税员",
        "联系电话",
        "手机号码",
        "移动电话",
        "固定电话",
        "信息不符",
        "财务负责人变更",
        "法定代表人变更",
    ),
    initials=("bgswdj",),
    action=ActionKind.CHANGE,
    audiences=ENTERPRISE,
    description="变更税务登记中的办税人员信息（法定代表人、财务负责人、办税员）及其联系电话；税务机关办结后，请重新同步办税人。",
)
GENERAL_TAXPAYER = FunctionSpec(
    code="matters.general_taxpayer",
    name="增值税一般纳税人登记",
    path=(*REPORT, "资格信息报告", "增值税一般纳税人登记"),
    url="/matters/general-taxpayer",
    keywords=(
        "一般纳税人登记",
        "一般纳税人资格登记",
        "增值税纳税人类型报告",
        "小规模转一般纳税人",
        "一般纳税人",
        "纳税人类型",
        "一般人认定",
    ),
    initials=("zzsybnsrdj", "zzsnsrlxbg"),
    action=ActionKind.REGISTER,
    audiences=ENTERPRISE,
    description="小规模纳税人登记为增值税一般纳税人，自生效之月起按月申报增值税（增值税及附加税费申报表（一般纳税人适用））。",
)
TAX_KINDS = FunctionSpec(
    code="matters.tax_kinds",
    name="税（费）种认定",
    path=(*REPORT, "税（费）种认定"),
    url="/matters/tax-kinds",
    keywords=(
        "税种认定",
        "费种认定",
        "税费种认定",
        "税种登记",
        "增加税种",
        "终止税种",
        "纳税期限",
        "税种核定",
    ),
    initials=("s（f）zrd", "sfzrd", "szrd"),
    audiences=ENTERPRISE,
    description="申请新增或终止税（费）种认定及其纳税期限；认定办结后，应申报清册随之变化。",
)
SUSPEND = FunctionSpec(
    code="matters.suspend",
    name="停业登记",
    path=(*REPORT, "状态信息报告", "停业登记"),
    url="/matters/suspend",
    keywords=("停业", "停业登记", "停业报告", "暂停经营", "歇业"),
    initials=("tydj",),
    audiences=ENTERPRISE,
    description="定期定额征收的个体工商户等需要停业的，报告停业期间（不超过一年）；停业期间纳税人状态为“停业”。",
)
RESUME = FunctionSpec(
    code="matters.resume",
    name="复业登记",
    path=(*REPORT, "状态信息报告", "复业登记"),
    url="/matters/resume",
    keywords=("复业", "复业登记", "恢复经营", "提前复业"),
    initials=("fydj",),
    audiences=ENTERPRISE,
    description="停业期满或提前恢复生产经营的，办理复业登记，纳税人状态恢复为“正常”。",
)
DEREGISTER = FunctionSpec(
    code="matters.deregister",
    name="注销税务登记",
    path=(*REPORT, "状态信息报告", "注销税务登记"),
    url="/matters/deregister",
    keywords=(
        "注销",
        "税务注销",
        "清税申报",
        "清税证明",
        "一照一码户清税申报",
        "清税申报（税务注销办理）",
        "注销登记",
        "清税",
    ),
    initials=("zxswdj", "yzymhqssb", "qssb"),
    action=ActionKind.CANCEL,
    audiences=ENTERPRISE,
    description="清税申报并注销税务登记：所有应申报的税费已申报、税款已缴清后，税务机关办结并出具清税证明。",
)
RELIEF_FILING = FunctionSpec(
    code="matters.relief_filing",
    name="税收减免备案",
    path=("我要办税", "税收减免", "税收减免备案"),
    url="/matters/relief-filing",
    keywords=("减免税备案", "减免备案", "税收优惠备案", "优惠备案", "减免性质", "享受优惠", "税收优惠"),
    initials=("ssjmba",),
    action=ActionKind.RECORD,
    audiences=ENTERPRISE,
    description="备案类减免：报送减免性质和起止时间，备案后申报时按减免性质享受，可在“优惠信息查询”中查询。",
)
RELIEF_APPROVAL = FunctionSpec(
    code="matters.relief_approval",
    name="税收减免核准",
    path=("我要办税", "税收减免", "税收减免核准"),
    url="/matters/relief-approval",
    keywords=("减免税核准", "减免核准", "减免审批", "核准类减免", "减免税申请", "税收优惠申请"),
    initials=("ssjmhz",),
    action=ActionKind.APPLY,
    audiences=ENTERPRISE,
    description="核准类减免：附报证明材料，经税务机关核准后生效，可在“优惠信息查询”中查询。",
)
RESIDENCY = FunctionSpec(
    code="matters.residency",
    name="中国税收居民身份证明",
    path=("我要办税", "证明开具", "中国税收居民身份证明"),
    url="/matters/residency",
    keywords=("税收居民", "居民身份证明", "税收居民身份证明", "税收协定", "享受协定待遇", "居民证明"),
    initials=("zgssjmsfzm",),
    action=ActionKind.ISSUE,
    audiences=ENTERPRISE,
    description="为享受税收协定待遇，申请开具中国税收居民身份证明；税务机关办结后出具带验证码的电子证明。",
)
NO_ARREARS = FunctionSpec(
    code="matters.no_arrears",
    name="开具无欠税证明",
    path=("我要办税", "证明开具", "开具无欠税证明"),
    url="/matters/no-arrears",
    keywords=("无欠税证明", "无欠税", "欠税证明", "没有欠税", "完税情况", "招投标证明"),
    initials=("kjwqszm", "wqszm"),
    action=ActionKind.ISSUE,
    audiences=ENTERPRISE,
    description="征管系统中没有欠税、没有应申报未申报记录的，即时开具无欠税证明。",
)
REISSUE = FunctionSpec(
    code="matters.reissue",
    name="转开税收完税证明",
    path=("我要办税", "证明开具", "转开税收完税证明"),
    url="/matters/reissue",
    keywords=("转开", "转开完税证明", "完税证明", "换开完税证明", "缴款凭证换开", "税收完税证明"),
    initials=("zksswszm",),
    action=ActionKind.ISSUE,
    audiences=ENTERPRISE,
    description="凭已缴款的电子缴税付款凭证号申请转开税收完税证明，税务机关办结后出具。",
)
FILING_EXTENSION = FunctionSpec(
    code="matters.filing_extension",
    name="对纳税人延期申报的核准",
    short_name="延期申报",
    path=("我要办税", "税务行政许可", "延期申报核准", "对纳税人延期申报的核准"),
    url="/matters/filing-extension",
    keywords=("延期申报", "延期申报核准", "延期申报申请", "推迟申报", "申报期限延长", "不可抗力"),
    initials=("dnsryqsbdhz", "yqsb"),
    action=ActionKind.APPLY,
    audiences=ENTERPRISE,
    description="因不可抗力或账务未处理完毕不能按期申报的，在申报期限内申请延期申报；核准后申报期限顺延（不超过3个月）。",
)
PAYMENT_EXTENSION = FunctionSpec(
    code="matters.payment_extension",
    name="延期缴纳税款申请",
    path=("我要办税", "税务行政许可", "延期缴纳税款核准", "延期缴纳税款申请"),
    url="/matters/payment-extension",
    keywords=("延期缴纳", "延期缴纳税款", "延期缴纳税款核准", "延期缴税", "缓缴", "缓缴税款", "暂缓缴纳"),
    initials=("yqjnsksq", "yqjnskhz"),
    action=ActionKind.APPLY,
    audiences=ENTERPRISE,
    description="有特殊困难不能按期缴纳税款的，在缴款期限前申请延期缴纳（最长3个月）；核准期间不加收滞纳金。",
)
FIXED_AMOUNT = FunctionSpec(
    code="matters.fixed_amount",
    name="定期定额户申请核定及调整定额",
    short_name="定期定额核定",
    path=("我要办税", "核定管理", "定期定额户申请核定及调整定额"),
    url="/matters/fixed-amount",
    keywords=("定期定额", "个体工商户定期定额核定", "核定定额", "调整定额", "双定户", "定额", "个体户"),
    initials=("dqdehsqhdjtzde",),
    audiences=ENTERPRISE,
    description="个体工商户自行申报经营情况，税务机关核定月销售额和月应纳税额（定额执行期不超过一年）。",
)

FUNCTIONS: tuple[FunctionSpec, ...] = (
    BANK_ACCOUNT,
    ACCOUNTING,
    REGISTRATION_CHANGE,
    GENERAL_TAXPAYER,
    TAX_KINDS,
    SUSPEND,
    RESUME,
    DEREGISTER,
    RELIEF_FILING,
    RELIEF_APPROVAL,
    RESIDENCY,
    NO_ARREARS,
    REISSUE,
    FILING_EXTENSION,
    PAYMENT_EXTENSION,
    FIXED_AMOUNT,
)
