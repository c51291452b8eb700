"""The messages of the login paths, worded as the seed guide words them (its 常见问题 answers)."""

from __future__ import annotations

# FAQ 1: the selection is empty of legal representative / financial head until they are synced.
SYNC_FIRST = "人员列表中没有法定代表人（业主）或财务负责人，请先点击【同步办税人】带出人员勾选框。"

# FAQ 2: password login before a personal password was ever set.
PASSWORD_NOT_SET = (
    "尚未设置密码。初次普通登录选择人员后，应采取短信登录，通过填写验证码方式登录后，"
    "再进行初始设置个人密码，才可以以密码方式登录。"
)

# FAQ 3: the only number on file is in the fixed-line field.
FIXED_LINE_ONLY = (
    "无法发送验证码：该人员的手机号码未登记在【移动电话】项目内。"
    "建议先核实税务登记信息中的移动电话号码，是否与实名采集中的移动电话号码相同；"
    "若手机号码录入在【固定电话号码】项目内，必须修改到【移动电话】项目内才可以发送验证码。"
)
NO_MOBILE = (
    "无法发送验证码：税务登记信息和实名采集信息中均没有该人员的移动电话号码，"
    "请先到主管税务机关或通过移动办税APP补充移动电话号码。"
)

# FAQ 6: the enterprise password typed where the personal one is asked.
ENTERPRISE_PASSWORD_GIVEN = (
    "密码错误：此处请输入个人登录密码，不是企业登录密码。"
    "个人登录密码是初次短信登录后系统要求设置的密码，与企业密码不同。"
)

# Section 三(一)2: a frozen officer.
STAFF_FROZEN = "您选择的办税人已经被锁定,请选择其他办税人"

# FAQ 10: quick login before the person was maintained through a normal login.
QUICK_NOT_MAINTAINED = (
    "所选身份人员尚未通过普通登录完成人员维护，不能使用快捷登录。"
    "快捷登录适用于已使用“普通登录”完成法定代表人、财务负责人和办税人权限设置的纳税人，"
    "首次登录请使用【普通登录】。"
)
QUICK_MOBILE_MISMATCH = (
    "输入的手机号码与所选身份人员实名采集的手机号码不一致。"
    "如未实名采集或办税人有变化，需重新采集并办理登记变更（新增或变更办税人）。"
)
QUICK_PURE_SOCIAL_SECURITY = "纯社保户登录只能使用“普通登录”的登录方式，请切换到普通登录。"

# FAQ 11: the officer is no longer on the tax registration.
NOT_ON_REGISTRATION = "当前办税人与税务登记办税人信息不符,请通过变更税务登记维护办税人,并重新同步办税人信息。"

# Section 四: real-name collection comes first.
REAL_NAME_REQUIRED = (
    "该人员尚未完成实名信息采集，不能登录电子税务局。请先完成实名采集："
    "可到税务机关前台采集，也可通过移动办税APP【服务】-【公众查询】-【采集实名信息】采集，"
    "实名采集后方可登录。"
)

AGREE_REQUIRED = "请阅读并勾选同意《电子税务局用户服务协议》"
UNKNOWN_TAXPAYER = "未查询到该纳税人识别号的电子税务局账户，请核对后重新输入，或到主管税务机关办理开户"
TAXPAYER_CLOSED = "该纳税人已注销，不能登录电子税务局"
NOT_AN_AGENCY = (
    "该纳税人不是涉税专业服务机构，请使用【企业登录】；代理机构请输入本机构的社会信用代码或纳税人识别号"
)
FLOW_EXPIRED = "登录信息已失效，请重新输入纳税人识别号和密码"
CHOOSE_STAFF = "请选择办税人员"
