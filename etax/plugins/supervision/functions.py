"""The functions of 纳税信用, 涉税专业服务机构管理, 其他服务事项 (解除相关人员关联关系) and 风险管理, with the
catalogue's names and paths."""

from __future__ import annotations

from etax.platform.api import ActionKind, Audience, FunctionSpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})

CREDIT_REVIEW = FunctionSpec(
    code="supervision.credit_review",
    name="纳税信用复评申请",
    path=("我要办税", "纳税信用", "纳税信用复评申请"),
    url="/supervision/credit-review",
    keywords=("信用复评", "复评", "纳税信用", "信用等级", "信用评价有异议", "信用修复", "纳税信用级别"),
    initials=("nsxyfpsq",),
    audiences=ENTERPRISE,
    action=ActionKind.APPLY,
    description="对已公布的年度纳税信用评价结果有异议的，可申请复评；税务机关依据申报、缴款和违法违章记录重新评价。",
)
CREDIT_SUPPLEMENT = FunctionSpec(
    code="supervision.credit_supplement",
    name="纳税信用补评申请",
    path=("我要办税", "纳税信用", "纳税信用补评申请"),
    url="/supervision/credit-supplement",
    keywords=("信用补评", "补评", "纳税信用", "未评价", "没有信用等级", "新办企业信用"),
    initials=("nsxybpsq",),
    audiences=ENTERPRISE,
    action=ActionKind.APPLY,
    description="未参加某一年度纳税信用评价的，可申请补评；税务机关依据该年度的申报、缴款和违法违章记录评价。",
)
AGENCY_AGREEMENT = FunctionSpec(
    code="supervision.agency_agreement",
    name="涉税专业服务协议要素信息报告",
    path=("我要办税", "涉税专业服务机构管理", "涉税专业服务协议要素信息报告"),
    url="/supervision/agency-agreements",
    keywords=(
        "协议要素",
        "涉税专业服务协议",
        "税务师事务所",
        "代理机构",
        "代账公司",
        "委托协议",
        "服务协议报告",
    ),
    audiences=ENTERPRISE,
    action=ActionKind.RECORD,
    description="涉税专业服务机构报告与委托人签订的服务协议要素：委托人、协议编号、服务项目和服务期限（委托人须已在代理机构认定中认定本机构）。",
)
UNLINK = FunctionSpec(
    code="supervision.unlink",
    name="解除相关人员关联关系",
    path=("我要办税", "其他服务事项", "解除相关人员关联关系"),
    url="/supervision/unlink",
    keywords=("解除关联", "解除绑定", "离职", "已离职", "非正常关联", "人企关系", "企业已注销", "解除办税员"),
    audiences=frozenset({Audience.NATURAL_PERSON}),
    action=ActionKind.REMOVE,
    description="已离职或企业已注销的，自然人可解除本人与该企业的办税人员关联关系。",
)
RISK = FunctionSpec(
    code="supervision.risk",
    name="风险提示",
    path=("我要办税", "风险管理", "风险提示"),
    url="/supervision/risks",
    keywords=("风险疑点", "风险提示", "待核实", "填说明", "疑点核实", "风险应对", "纳税评估"),
    audiences=ENTERPRISE,
    action=ActionKind.QUERY,
    description="查看税务机关推送的风险提示（风险疑点），逐条核实并填写说明。",
)
RISK_ANSWER = FunctionSpec(
    code="supervision.risk_answer",
    name="风险疑点说明",
    path=("我要办税", "风险管理", "风险疑点说明"),
    url="/supervision/risk-answers",
    keywords=("风险疑点", "填说明", "疑点说明", "风险应对", "情况说明", "待核实"),
    audiences=ENTERPRISE,
    action=ActionKind.APPLY,
    description="对税务机关推送的风险疑点填写说明、上传证明资料，税务机关审核后办结。",
)

FUNCTIONS = (CREDIT_REVIEW, CREDIT_SUPPLEMENT, AGENCY_AGREEMENT, UNLINK, RISK, RISK_ANSWER)
