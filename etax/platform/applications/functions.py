"""The functions of the applications core plugin: 办税进度及结果信息查询 and 电子资料 (catalogue names)."""

from __future__ import annotations

from etax.platform.functions import Audience, FunctionSpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})

PROGRESS = FunctionSpec(
    code="applications.progress",
    name="办税进度及结果信息查询",
    short_name="办税进度查询",
    path=("我要查询", "办税进度及结果信息查询"),
    url="/query/progress",
    keywords=(
        "办税进度",
        "进度查询",
        "申请进度",
        "办理进度",
        "办理结果",
        "审批结果",
        "受理",
        "补正",
        "需补正",
        "不予受理",
        "涉税事项",
        "涉税申请办理情况查询",
    ),
    initials=("bsjdjjgxxcx", "bsjdcx"),
    audiences=ENTERPRISE,
    description="查询本企业提交的涉税事项申请的办理进度、税务机关意见和办理结果，对需补正的申请补正后重新提交。",
)
DOCUMENTS = FunctionSpec(
    code="applications.documents",
    name="电子资料查询",
    path=("用户中心", "电子资料", "电子资料查询"),
    url="/usercentre/documents",
    keywords=("电子资料", "资料查询", "附件", "附报资料", "上传的资料", "下载资料", "删除资料"),
    initials=("dzzlcx",),
    audiences=ENTERPRISE,
    description="查看、下载本企业报送的电子资料（PDF、PNG、JPEG），删除不再需要的资料。",
)
DOCUMENTS_SUBMIT = FunctionSpec(
    code="applications.documents_submit",
    name="电子资料报送",
    path=("用户中心", "电子资料", "电子资料报送"),
    url="/usercentre/documents/upload",
    keywords=("电子资料", "资料报送", "上传资料", "上传附件", "扫描件", "附报资料", "PDF"),
    initials=("dzzlbs",),
    audiences=ENTERPRISE,
    description="上传涉税事项所需的电子资料（PDF、PNG、JPEG，单个文件不超过10MB），供办理业务时选用。",
)

FUNCTIONS: tuple[FunctionSpec, ...] = (PROGRESS, DOCUMENTS, DOCUMENTS_SUBMIT)
