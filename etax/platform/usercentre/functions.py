"""The user centre's functions (用户中心): staff maintenance, passwords, agencies, taxpayer information.

Every route of the user centre is bound to one of these; the platform guard alone decides access.
``grant="managers"`` keeps a function to the enterprise's legal representative and financial head,
``grant="everyone"`` opens it to every logged-in visitor of a matching audience.
"""

from __future__ import annotations

from etax.platform.functions import Audience, FunctionSpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})

STAFF = FunctionSpec(
    code="usercentre.staff",
    name="企业人员维护",
    path=("用户中心", "用户管理", "企业人员维护"),
    url="/usercentre/staff",
    keywords=(
        "人员维护",
        "办税人员",
        "办税员",
        "添加办税人员",
        "身份维护",
        "权限身份",
        "授权",
        "用户授权",
        "功能权限",
        "删除办税人",
        "冻结",
        "解冻",
        "绑定",
        "解绑",
        "重置密码",
        "管理权限",
        "人员权限管理",
    ),
    initials=("qyrywh",),
    audiences=ENTERPRISE,
    grant="managers",
    description="法定代表人、财务负责人维护权限身份，添加、删除、冻结、解冻、绑定、解绑办税人员并重置其个人登录密码。",
)
PASSWORD = FunctionSpec(
    code="usercentre.password",
    name="修改密码",
    path=("用户中心", "用户管理", "修改密码"),
    url="/usercentre/password",
    keywords=("密码修改", "个人登录密码", "个人密码", "修改个人密码", "更改密码", "111111"),
    initials=("xgmm", "mmxg"),
    audiences=frozenset({Audience.ENTERPRISE, Audience.AGENCY, Audience.NATURAL_PERSON}),
    grant="everyone",
    description="修改个人登录密码：输入旧密码、新密码、确认新密码和验证码。密码被重置后旧密码为111111。",
)
ENTERPRISE_PASSWORD = FunctionSpec(
    code="usercentre.enterprise_password",
    name="修改企业密码",
    path=("用户中心", "用户管理", "修改企业密码"),
    url="/usercentre/enterprise-password",
    keywords=("企业密码", "企业登录密码", "密码修改", "办税用户注册凭证"),
    initials=("xgqymm",),
    audiences=ENTERPRISE,
    grant="managers",
    description="法定代表人、财务负责人修改企业登录密码（登录页面“请输入密码”处输入的密码）。",
)
AGENCY = FunctionSpec(
    code="usercentre.agency",
    name="代理机构认定管理",
    path=("用户中心", "用户管理", "代理机构认定管理"),
    url="/usercentre/agencies",
    keywords=(
        "代理机构",
        "认定",
        "取消认定",
        "同步代理机构",
        "税务师事务所",
        "涉税专业服务机构",
        "协议密码",
        "委托代理",
        "授权",
    ),
    initials=("dljgrdgl",),
    audiences=ENTERPRISE,
    grant="managers",
    description="同步代理机构信息，认定代理机构（协议密码、委托功能、有效期止）或取消认定。",
)
TAXPAYER_INFO = FunctionSpec(
    code="usercentre.taxpayer_info",
    name="纳税人基本信息",
    path=("用户中心", "纳税人信息", "纳税人基本信息"),
    url="/usercentre/taxpayer-info",
    keywords=(
        "纳税人信息",
        "基本信息",
        "登记信息",
        "税务登记信息",
        "主管税务机关",
        "纳税人状态",
        "城市维护建设税税率",
        "税种登记",
        "办税人员信息",
    ),
    initials=("nsrjbxx",),
    audiences=ENTERPRISE,
    description="查看本企业在核心征管系统中的登记信息：名称、识别号、类型、状态、主管税务机关、登记税种和办税人员。",
)

FUNCTIONS: tuple[FunctionSpec, ...] = (STAFF, PASSWORD, ENTERPRISE_PASSWORD, AGENCY, TAXPAYER_INFO)
