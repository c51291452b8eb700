"""The invoice functions (catalogue names and paths): 发票票种核定 and 发票信息查询."""

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
    code="invoices.info",
    name="发票信息查询",
    path=("我要查询", "发票信息查询", "发票信息查询"),
    url="/query/invoices",
    keywords=(
        "票种核定信息",
        "发票核定信息",
        "核定信息",
        "纳税人核定信息",
        "最高开票限额",
        "购票数量",
        "持票最高数量",
        "可领用发票",
    ),
    initials=("fpxxcx",),
    audiences=ENTERPRISE,
    description="查询本企业已核定的发票种类、单份发票最高开票限额、购票数量和购票方式。",
)

FUNCTIONS: tuple[FunctionSpec, ...] = (TYPE_APPROVAL, INVOICE_INFO)
