"""The filing functions, with the catalogue's names, paths and pinyin initials."""

from __future__ import annotations

from etax.platform.api import Audience, FunctionSpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})
FILING = ("我要办税", "税费申报及缴纳")

VAT_GENERAL = FunctionSpec(
    code="filing.vat_general",
    name="增值税一般纳税人申报",
    path=(*FILING, "增值税及附加税费申报", "增值税一般纳税人申报"),
    url="/filing/vat-general",
    keywords=(
        "增值税",
        "增值税申报",
        "一般纳税人",
        "增值税及附加税费申报",
        "附加税费",
        "城建税",
        "城市维护建设税",
        "教育费附加",
        "地方教育附加",
        "主附税联合申报",
        "进项税额",
        "销项税额",
        "BDA0610606",
    ),
    initials=("zzsybnsrsb",),
    audiences=ENTERPRISE,
    description="填写增值税及附加税费申报表（一般纳税人适用）主表及附列资料，销项、进项数据由发票预填，申报后可立即缴款。",
)
VAT_SMALL = FunctionSpec(
    code="filing.vat_small",
    name="增值税小规模纳税人申报",
    path=(*FILING, "增值税及附加税费申报", "增值税小规模纳税人申报"),
    url="/filing/vat-small",
    keywords=(
        "增值税",
        "增值税申报",
        "小规模",
        "小规模纳税人",
        "按季申报",
        "免征增值税",
        "1%征收率",
        "附加税费",
        "六税两费",
        "BDA0610610",
    ),
    initials=("zzsxgmnsrsb",),
    audiences=ENTERPRISE,
    description="小规模纳税人按季度申报增值税及附加税费：季度销售额30万元以下免征，3%征收率减按1%，附加税费减半。",
)
CIT = FunctionSpec(
    code="filing.cit",
    name="企业所得税申报",
    path=(*FILING, "企业所得税申报"),
    url="/filing/cit",
    keywords=(
        "企业所得税",
        "所得税",
        "预缴申报",
        "季度预缴",
        "月（季）度预缴",
        "A类",
        "查账征收",
        "小型微利企业",
        "A200000",
    ),
    initials=("qysdssb",),
    audiences=ENTERPRISE,
    description="居民企业（查账征收）企业所得税月（季）度预缴纳税申报表（A类），按本年累计数填报，小型微利企业减免自动计算。",
)
PROPERTY_BEHAVIOUR = FunctionSpec(
    code="filing.property_behaviour",
    name="财产和行为税税源采集及合并申报",
    path=(*FILING, "财产和行为税税源采集及合并申报"),
    url="/filing/property-behaviour",
    keywords=(
        "财产和行为税",
        "财行税",
        "合并申报",
        "税源采集",
        "印花税",
        "印花税申报",
        "房产税",
        "房产税申报",
        "城镇土地使用税",
        "土地使用税",
        "土地使用税申报",
        "BDA0661110",
    ),
    initials=("cchxwssycjjhbsb",),
    audiences=ENTERPRISE,
    description="一张报表、一次申报：印花税、房产税、城镇土地使用税的税源明细和财产和行为税纳税申报表。",
)
RECORDS = FunctionSpec(
    code="filing.records",
    name="申报记录查询或作废",
    path=(*FILING, "其他申报", "申报记录查询或作废"),
    url="/filing/records",
    keywords=("申报记录", "申报查询", "作废申报", "申报作废", "申报表打印", "申报回执", "已申报"),
    initials=("sbjlcxhzf",),
    audiences=ENTERPRISE,
    description="查看、打印和下载已申报的申报表与回执；申报期内尚未缴款的申报可以作废。",
)
CORRECTION = FunctionSpec(
    code="filing.correction",
    name="更正申报",
    path=(*FILING, "更正申报"),
    url="/filing/correction",
    keywords=("申报更正", "更正", "申报错误", "修改申报", "申报更正与作废"),
    initials=("gzsb",),
    audiences=ENTERPRISE,
    description="已申报的申报表有误时更正：已缴款或已过申报期限的申报只能更正，不能作废。",
)
LATE = FunctionSpec(
    code="filing.late",
    name="逾期申报",
    path=(*FILING, "逾期申报"),
    url="/filing/late",
    keywords=("逾期", "补申报", "逾期未申报", "未申报", "滞纳金"),
    initials=("yqsb",),
    audiences=ENTERPRISE,
    description="列出已过申报期限尚未申报的所属期，补办申报；逾期申报的税款自申报期限次日起加收滞纳金。",
)

FUNCTIONS: tuple[FunctionSpec, ...] = (
    VAT_GENERAL,
    VAT_SMALL,
    CIT,
    PROPERTY_BEHAVIOUR,
    RECORDS,
    CORRECTION,
    LATE,
)
