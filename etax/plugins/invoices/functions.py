"""The invoice functions (catalogue names and paths): 发票票种核定, 购票信息查询, 数电发票 开具、红字、
勾选、全量发票查询 and the public 发票查验."""

from __future__ import annotations

from etax.platform.api import Audience, FunctionSpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})

TYPE_APPROVAL = FunctionSpec(
    code="invoices.type_approval",
    name="发票票种核定",
    path=("我要办税", "发票使用", "发票票种核定"),
    url="/invoices/type-approval",
    keywords=(
        "票种",
        "核定",
        "票种核定",
        "票种核定初次申请",
        "领票",
        "购票",
        "发票种类",
        "最高开票限额",
        "开票限额",
        "购票数量",
        "专票",
        "普票",
        "增值税专用发票",
        "增值税普通发票",
    ),
    initials=("fppzhd",),
    audiences=ENTERPRISE,
    description="申请核定可领用的发票种类、单份发票最高开票限额、每月和每次最高购票数量及持票最高数量，税务机关审核后生效。",
)
INVOICE_INFO = FunctionSpec(
    code="invoices.purchase_info",
    name="购票信息查询",
    path=("我要查询", "发票信息查询", "购票信息查询"),
    url="/query/invoice-purchases",
    keywords=(
        "票种核定信息",
        "发票核定信息",
        "核定信息",
        "纳税人核定信息",
        "最高开票限额",
        "购票数量",
        "持票最高数量",
        "可领用发票",
        "税控设备",
        "税务UKey",
    ),
    initials=("gpxxcx",),
    audiences=ENTERPRISE,
    description="查询本企业已核定的发票种类、单份发票最高开票限额、购票数量和购票方式，以及领取的税控设备。",
)

BLUE_ISSUE = FunctionSpec(
    code="invoices.issue",
    name="蓝字发票开具",
    path=("我要办税", "开票业务", "蓝字发票开具"),
    url="/invoices/issue",
    keywords=(
        "开票",
        "开发票",
        "发票开具",
        "数电发票",
        "数电票",
        "全电发票",
        "专票",
        "普票",
        "增值税专用发票",
        "增值税普通发票",
        "复制开票",
        "授信总额度",
        "可用总额度",
        "开票额度",
    ),
    audiences=ENTERPRISE,
    description="开具数电发票（增值税专用发票、普通发票），可复制已开发票再开，查看授信总额度和可用总额度。",
)
RED_ISSUE = FunctionSpec(
    code="invoices.red",
    name="红字发票开具",
    path=("我要办税", "开票业务", "红字发票开具"),
    url="/invoices/red",
    keywords=(
        "红字发票",
        "红冲",
        "冲红",
        "红字发票信息确认单",
        "确认单",
        "作废",
        "发票作废",
        "退货",
        "开票有误",
        "销售折让",
    ),
    audiences=ENTERPRISE,
    description="通过红字发票信息确认单全额或部分冲红数电发票；数电发票不能作废，开错或退货请开具红字发票。",
)
DEDUCT_SELECTION = FunctionSpec(
    code="invoices.select_deduct",
    name="抵扣类勾选",
    path=("我要办税", "税务数字账户", "发票勾选确认", "抵扣类勾选"),
    url="/invoices/selection/deduct",
    keywords=("勾选", "发票勾选", "勾选确认", "抵扣", "进项抵扣", "统计确认", "取得发票", "认证", "发票认证"),
    audiences=ENTERPRISE,
    description="勾选本期用于抵扣的取得发票，撤销勾选，按所属期统计确认；确认后的进项税额用于增值税申报预填。",
)
NON_DEDUCT_SELECTION = FunctionSpec(
    code="invoices.select_non_deduct",
    name="不抵扣类勾选",
    path=("我要办税", "税务数字账户", "发票勾选确认", "不抵扣类勾选"),
    url="/invoices/selection/non-deduct",
    keywords=("勾选", "不抵扣", "不予抵扣", "发票勾选"),
    audiences=ENTERPRISE,
    description="勾选本期不用于抵扣的取得发票（如用于免税项目、集体福利）。",
)
FULL_QUERY = FunctionSpec(
    code="invoices.query",
    name="全量发票查询",
    path=("我要办税", "税务数字账户", "发票业务", "发票查询统计", "全量发票查询"),
    url="/invoices/query",
    keywords=(
        "发票查询",
        "查发票",
        "开具发票",
        "取得发票",
        "收到的发票",
        "进项发票",
        "销项发票",
        "已红冲",
        "发票下载",
        "发票导出",
    ),
    audiences=ENTERPRISE,
    description="查询本单位开具和取得的数电发票，按期间、对方、票种、状态和金额筛选，查看、下载和导出。",
)
TRANSFER_OUT_QUERY = FunctionSpec(
    code="invoices.transfer_out",
    name="进项税额转出情况查询",
    path=("我要办税", "税务数字账户", "发票业务", "发票查询统计", "进项税额转出情况查询"),
    url="/invoices/transfer-out",
    keywords=("进项转出", "进项税额转出", "转出"),
    audiences=ENTERPRISE,
    description="查询已勾选抵扣的取得发票被红冲后需要转出的进项税额。",
)
VERIFICATION = FunctionSpec(
    code="invoices.verify",
    name="发票查验",
    path=("公众服务", "发票查验"),
    url="/public/invoice-verification",
    keywords=("查验", "发票真伪", "验真", "发票查询", "全国增值税发票查验", "查发票"),
    audiences=frozenset({Audience.PUBLIC}),
    description="输入发票号码、开票日期和价税合计，查验数电发票的真伪和状态，无需登录。",
)

PAPER_PURCHASE = FunctionSpec(
    code="invoices.purchase",
    name="发票领用",
    path=("我要办税", "发票使用", "发票领用"),
    url="/invoices/purchase",
    keywords=("领票", "领发票", "购票", "纸质发票", "验旧", "验旧购新", "发票验旧", "交旧"),
    initials=("fply",),
    audiences=ENTERPRISE,
    description="在票种核定的数量内领用纸质发票；购票方式为验旧购新的，先验旧再领用。",
)

FUNCTIONS: tuple[FunctionSpec, ...] = (
    TYPE_APPROVAL,
    INVOICE_INFO,
    BLUE_ISSUE,
    RED_ISSUE,
    DEDUCT_SELECTION,
    NON_DEDUCT_SELECTION,
    FULL_QUERY,
    TRANSFER_OUT_QUERY,
    VERIFICATION,
    PAPER_PURCHASE,
)
