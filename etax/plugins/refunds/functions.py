"""The refund functions (catalogue names and paths): 一般退（抵）税管理 and 出口退税管理, and the query that
shows what the bureau's decisions granted."""

from __future__ import annotations

from etax.platform.api import ActionKind, Audience, FunctionSpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})

OVERPAID = FunctionSpec(
    code="refunds.overpaid",
    name="误收多缴退抵税",
    path=("我要办税", "一般退（抵）税管理", "误收多缴退抵税"),
    url="/refunds/overpaid",
    keywords=(
        "退税",
        "多缴",
        "多交税",
        "交多了",
        "误收",
        "多缴税款",
        "退抵税",
        "先抵后退",
        "一站式退抵税",
        "申报产生的多缴退税",
        "退还多缴税款",
    ),
    initials=("wsdjtds",),
    audiences=ENTERPRISE,
    action=ActionKind.REFUND,
    description="自结算缴纳税款之日起三年内发现多缴的税款，可申请退还；存在欠税的先抵缴欠税，余额退还。",
)
RETAINED = FunctionSpec(
    code="refunds.retained",
    name="增值税留抵退税申请",
    path=("我要办税", "一般退（抵）税管理", "增值税留抵退税申请"),
    url="/refunds/retained",
    keywords=("留抵退税", "留抵", "期末留抵税额", "增量留抵", "存量留抵", "退（抵）税申请表", "进项构成比例"),
    audiences=ENTERPRISE,
    action=ActionKind.REFUND,
    taxes=("增值税",),
    description="增值税一般纳税人纳税信用A级或B级，申报后可申请退还期末留抵税额（按进项构成比例计算）。",
)
EXPORT_FILING = FunctionSpec(
    code="refunds.export_filing",
    name="出口退（免）税备案",
    path=("我要办税", "出口退税管理", "出口退（免）税备案"),
    url="/refunds/export-filing",
    keywords=("出口退税", "出口退税备案", "退免税备案", "出口企业备案", "外贸企业", "生产企业", "海关代码"),
    audiences=ENTERPRISE,
    action=ActionKind.RECORD,
    description="出口企业首次申报出口退（免）税前，报送海关代码、对外贸易经营者备案登记编号和退（免）税方法。",
)
EXPORT_RETURN = FunctionSpec(
    code="refunds.export_return",
    name="出口退（免）税申报",
    path=("我要办税", "出口退税管理", "出口退（免）税申报"),
    url="/refunds/export-return",
    keywords=("出口退税申报", "免退税申报", "免抵退税申报", "退税申报", "出口报关单", "退税率", "申报退税"),
    audiences=ENTERPRISE,
    action=ActionKind.DECLARE,
    description="已办理出口退（免）税备案的企业，按月申报出口货物的退（免）税，税务机关审核后退库。",
)
REFUND_STATUS = FunctionSpec(
    code="refunds.status",
    name="退税金额审核情况查询",
    path=("我要查询", "出口退税查询", "退税金额审核情况查询"),
    url="/query/refunds",
    keywords=("退税进度", "退税到账", "退税查询", "退抵税查询", "出口退税查询", "国库处理", "留抵退税查询"),
    initials=("tsjeshqkcx",),
    audiences=ENTERPRISE,
    action=ActionKind.QUERY,
    description="查询误收多缴退抵税、留抵退税和出口退税经审核后的抵缴欠税、退库金额和状态，以及出口退（免）税备案情况。",
)

FUNCTIONS = (OVERPAID, RETAINED, EXPORT_FILING, EXPORT_RETURN, REFUND_STATUS)
