"""我的消息 (互动中心): the plugin's one function; every inbox route is bound to it."""

from __future__ import annotations

from etax.platform.api import Audience, FunctionSpec

MY_MESSAGES = FunctionSpec(
    code="inbox.my_messages",
    name="我的消息",
    path=("互动中心", "我的消息"),
    url="/inbox",
    keywords=("消息", "站内信", "税务机关消息", "通知", "提醒", "未读消息", "消息中心"),
    initials=("wdxx",),
    audiences=frozenset({Audience.ENTERPRISE, Audience.NATURAL_PERSON, Audience.AGENCY}),
    grant="everyone",
    description="查看税务机关发给本企业或本人的消息，未读消息显示在页头和首页“服务提醒”中。",
)

BOOKING = FunctionSpec(
    code="interaction.booking",
    name="预约办税",
    path=("互动中心", "预约办税"),
    url="/interaction/booking",
    keywords=("预约", "办税服务厅", "取号", "取号码", "预约查询", "取消预约", "作废预约", "大厅预约", "排队"),
    initials=("yybs",),
    audiences=frozenset({Audience.ENTERPRISE}),
    grant="everyone",
    description="预约今后5个工作日内办税服务厅的办理时段，凭取号码到厅取号；开始前可取消预约。",
)

CONSULT = FunctionSpec(
    code="interaction.consult",
    name="留言咨询",
    path=("互动中心", "在线交互", "留言咨询"),
    url="/interaction/consult",
    keywords=("在线咨询", "人工咨询", "咨询", "提问", "留言", "问税务局", "咨询答复", "征纳互动", "12366"),
    initials=("lyzx",),
    audiences=frozenset({Audience.ENTERPRISE}),
    grant="everyone",
    description="向税务机关留言咨询涉税问题，咨询专员在3个工作日内答复，答复同时发到我的消息。",
)

ANSWERS = FunctionSpec(
    code="interaction.answers",
    name="自助查询",
    path=("互动中心", "在线交互", "自助查询"),
    url="/interaction/answers",
    keywords=("咨询答复", "常见咨询", "问答", "咨询辅导", "纳税咨询", "答疑", "已答复的问题"),
    initials=("zzcx",),
    audiences=frozenset({Audience.PUBLIC}),
    description="查阅税务机关公开的咨询答复，按关键词查找与您的问题相同的答复。",
)

SURVEY = FunctionSpec(
    code="interaction.survey",
    name="纳税人满意度调查",
    path=("互动中心", "纳税人满意度调查"),
    url="/interaction/surveys",
    keywords=("满意度", "问卷", "调查", "评价", "好差评", "意见建议", "纳税服务评价"),
    initials=("nsrmyddc",),
    audiences=frozenset({Audience.ENTERPRISE}),
    grant="everyone",
    description="填写税务机关发布的纳税人满意度调查问卷，每份问卷每户只能提交一次。",
)

COMPLAINT = FunctionSpec(
    code="interaction.complaint",
    name="纳服投诉",
    path=("互动中心", "权益保护", "纳服投诉"),
    url="/interaction/complaints",
    keywords=("投诉", "纳税服务投诉", "服务态度", "权益保护", "维权", "投诉税务局", "投诉工作人员"),
    initials=("nfts",),
    audiences=frozenset({Audience.ENTERPRISE}),
    grant="everyone",
    description="对税务机关和工作人员的服务言行、服务质效或侵害纳税人权益的行为进行投诉，查看处理进度和答复。",
)

REPORT = FunctionSpec(
    code="interaction.report",
    name="违法举报",
    path=("互动中心", "权益保护", "违法举报"),
    url="/interaction/report",
    keywords=("检举", "举报", "税收违法行为检举", "偷税", "逃税", "虚开发票", "匿名举报", "检举查询"),
    initials=("wfjb", "sswfxwjj"),
    audiences=frozenset({Audience.PUBLIC}),
    description="实名或匿名检举税收违法行为；凭检举编号和查询密码查询处理情况，无需登录。",
)
