"""The public-service functions (menu paths from the provincial catalogue, 公众服务 centre)."""

from etax.platform.api import Audience, FunctionSpec

PUBLIC = frozenset({Audience.PUBLIC})

ANNOUNCEMENTS = FunctionSpec(
    code="public.announcements",
    name="通知公告",
    path=("公众服务", "通知公告"),
    url="/public/announcements",
    keywords=("公告", "通知", "涉税通知", "政策法规", "欠税公告"),
    audiences=PUBLIC,
    description="税务机关发布的涉税通知、政策法规和各类公告。",
)
KNOWLEDGE = FunctionSpec(
    code="public.knowledge",
    name="热点问题",
    short_name="咨询辅导",
    path=("公众服务", "咨询辅导", "热点问题"),
    url="/public/faq",
    keywords=("常见问题", "咨询", "辅导", "操作指引", "帮助", "FAQ"),
    audiences=PUBLIC,
    description="电子税务局登录、企业人员维护等常见问题解答和操作指引。",
)
TAXPAYER_STATUS = FunctionSpec(
    code="public.taxpayer_status",
    name="纳税人状态查询",
    path=("公众服务", "公众查询", "纳税人状态查询"),
    url="/public/taxpayer-status",
    keywords=("状态", "非正常户", "注销", "登记状态", "纳税人识别号"),
    initials=("nsrztcx",),
    audiences=PUBLIC,
    description="输入纳税人识别号，查询纳税人当前的登记状态。",
)
GENERAL_TAXPAYER = FunctionSpec(
    code="public.general_taxpayer",
    name="一般纳税人资格查询",
    path=("公众服务", "公众查询", "一般纳税人资格查询"),
    url="/public/general-taxpayer",
    keywords=("一般纳税人", "资格", "小规模", "增值税纳税人类型"),
    initials=("ybnsrzgcx",),
    audiences=PUBLIC,
    description="输入纳税人识别号，查询是否为增值税一般纳税人及资格生效日期。",
)

CERTIFICATE_CHECK = FunctionSpec(
    code="public.certificate_check",
    name="纳税情况证明查验",
    short_name="证明查验",
    path=("公众服务", "查验服务", "纳税情况证明查验"),
    url="/public/certificate-check",
    keywords=(
        "证明查验",
        "完税证明",
        "税收完税证明",
        "无欠税证明",
        "清税证明",
        "居民身份证明",
        "验证码",
        "真伪",
    ),
    initials=("nsqkzmcy", "zmcy"),
    audiences=PUBLIC,
    description="输入证明编号和验证码，核验税务机关开具的完税证明、无欠税证明等证明的真伪和内容，无需登录。",
)

TAX_MAP = FunctionSpec(
    code="public.tax_map",
    name="办税地图",
    path=("公众服务", "办税地图"),
    url="/public/tax-map",
    keywords=("办税服务厅", "办税大厅", "地址", "营业时间", "办公时间", "咨询电话", "大厅在哪", "税务局地址"),
    initials=("bsdt",),
    audiences=PUBLIC,
    description="按城市查找办税服务厅的地址、办公时间、咨询电话和可办理的业务。",
)
TAX_CALENDAR = FunctionSpec(
    code="public.tax_calendar",
    name="办税日历",
    path=("公众服务", "办税日历"),
    url="/public/tax-calendar",
    keywords=("申报期限", "征期", "申报截止日", "纳税期限", "节假日", "工作日", "几号截止", "报税日期"),
    initials=("bsrl",),
    audiences=PUBLIC,
    description="按月查看申报纳税期限和法定节假日、调休上班日。",
)

CREDIT_A = FunctionSpec(
    code="public.credit_a",
    name="信用等级A类纳税人查询",
    path=("公众服务", "信用等级A类纳税人查询"),
    url="/public/credit-a",
    keywords=("A级纳税人", "纳税信用", "信用等级", "A类纳税人名单", "纳税信用A级"),
    initials=("xydjalnsrcx",),
    audiences=PUBLIC,
    description="按评价年度和主管税务机关查询纳税信用等级为A级的纳税人名单。",
)
MAJOR_CASES = FunctionSpec(
    code="public.major_cases",
    name="重大税收违法案件查询",
    path=("公众服务", "重大税收违法案件查询"),
    url="/public/major-cases",
    keywords=("重大税收违法失信案件", "黑名单", "失信主体", "税收违法", "偷税", "虚开发票案件"),
    initials=("zdsswfajcx",),
    audiences=PUBLIC,
    description="按年度和主管税务机关查询公布中的重大税收违法失信案件。",
)

FUNCTIONS = (
    ANNOUNCEMENTS,
    KNOWLEDGE,
    TAXPAYER_STATUS,
    GENERAL_TAXPAYER,
    CERTIFICATE_CHECK,
    TAX_MAP,
    TAX_CALENDAR,
    CREDIT_A,
    MAJOR_CASES,
)
