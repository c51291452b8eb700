"""The functions of the Liaoning distribution, with the words taxpayers type for them."""

from __future__ import annotations

from etax.platform.api import ActionKind, Audience, FunctionSpec

AREA = ("我要办税", "社保费业务（单位）")
FEES = ("基本养老保险费", "失业保险费", "基本医疗保险费", "工伤保险费", "生育保险费")

FEE_DECLARATION = FunctionSpec(
    code="liaoning.fee_declaration",
    name="社保费申报",
    path=(*AREA, "社保费申报"),
    url="/liaoning/social-insurance/declaration",
    keywords=("社保申报", "社会保险费申报", "单位社保费", "缴费工资", "缴费人数", "五险申报", *FEES),
    initials=("sbfsb",),
    audiences=frozenset({Audience.ENTERPRISE}),
    description="按月申报本单位已登记险种的社会保险费：填写缴费人数和缴费工资总额，按费率计算应缴费额。",
    social_security=True,
    action=ActionKind.DECLARE,
    taxes=("社会保险费",),
)

FEE_PAYMENT = FunctionSpec(
    code="liaoning.fee_payment",
    name="社保费缴纳",
    path=(*AREA, "社保费缴纳"),
    url="/liaoning/social-insurance/payment",
    keywords=("社保缴费", "缴纳社保", "交社保", "社保扣款", "三方协议缴费", "税费缴纳"),
    initials=("sbfjn",),
    audiences=frozenset({Audience.ENTERPRISE}),
    description="通过三方协议缴纳已申报未缴纳的社会保险费，逾期缴纳按日加收万分之五滞纳金。",
    social_security=True,
    action=ActionKind.PAY,
    taxes=("社会保险费",),
)

FEE_RECORDS = FunctionSpec(
    code="liaoning.fee_records",
    name="社保费缴费记录查询",
    path=(*AREA, "社保费缴费记录查询"),
    url="/liaoning/social-insurance/records",
    keywords=("社保缴费记录", "缴费明细", "社保费对账单", "社保缴费查询", "已缴社保"),
    initials=("sbfjfjlcx",),
    audiences=frozenset({Audience.ENTERPRISE}),
    description="查询本单位已登记险种的社会保险费缴费记录：所属期、险种、缴费金额、滞纳金和缴款凭证号。",
    social_security=True,
    action=ActionKind.QUERY,
    taxes=("社会保险费",),
)

HALL_QUEUE = FunctionSpec(
    code="liaoning.hall_queue",
    name="沈阳办税服务厅排队情况",
    path=("公众服务", "沈阳办税服务厅排队情况"),
    url="/liaoning/hall-queue",
    short_name="排队情况",
    keywords=("排队", "叫号", "取号", "等候人数", "办税大厅人多吗", "沈阳", "办税服务厅"),
    initials=("pdqk",),
    audiences=frozenset({Audience.PUBLIC}),
    description="沈阳市各办税服务厅当前的等候人数和预计等候时间；登录后可在线取号。",
    action=ActionKind.QUERY,
)

PORT_GUIDE = FunctionSpec(
    code="liaoning.port_guide",
    name="大连港口涉税指引",
    path=("公众服务", "咨询辅导", "大连港口涉税指引"),
    url="/liaoning/port-guide",
    short_name="港口涉税指引",
    keywords=("大连港", "港口", "进出口", "船舶吨税", "出口退税", "保税", "自贸区", "跨境", "国际运输"),
    initials=("dlgksszy",),
    audiences=frozenset({Audience.PUBLIC}),
    description="大连港口企业和进出口企业常见涉税事项：船舶吨税、出口退（免）税、国际运输免税、保税区等。",
    action=ActionKind.QUERY,
)

FUNCTIONS = (FEE_DECLARATION, FEE_PAYMENT, FEE_RECORDS, HALL_QUEUE, PORT_GUIDE)
