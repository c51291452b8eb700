"""The functions of the applications core plugin: 电子资料查询 and 电子资料报送 (catalogue names).

办税进度及结果信息查询 is a query of the query centre (``etax/plugins/queries``).
"""

from __future__ import annotations

from etax.platform.functions import Audience, FunctionSpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})

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

FUNCTIONS: tuple[FunctionSpec, ...] = (DOCUMENTS, DOCUMENTS_SUBMIT)
