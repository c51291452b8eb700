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
