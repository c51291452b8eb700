"""The knowledge base (咨询辅导): the quick-operation guide's FAQ answers and login guidance.

Each article is also a search document, so typing 冻结 or 密码忘记 finds the right answer.
"""

from __future__ import annotations

import msgspec

from etax.search_index import SearchDocument

PATH = ("公众服务", "咨询辅导", "热点问题")


class Article(msgspec.Struct, frozen=True, kw_only=True):
    """One knowledge-base article."""

    slug: str
    title: str
    category: str
    paragraphs: tuple[str, ...]
    keywords: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"/public/faq/{self.slug}"


FAQ = "常见问题"
GUIDE = "登录与人员维护指引"

ARTICLES: tuple[Article, ...] = (
    Article(
        slug="faq-1",
        category=FAQ,
        title="初次普通登录，选择人员框内没有带出法定代表人或财务负责人勾选框",
        paragraphs=("需要先点击【同步办税人】才可带出人员勾选框。",),
        keywords=("同步办税人", "选择人员", "法定代表人", "财务负责人", "普通登录"),
    ),
    Article(
        slug="faq-2",
        category=FAQ,
        title="初次普通登录选择人员后，选择密码登录，提示“尚未设置密码”",
        paragraphs=(
            "初次普通登录选择人员后，应采取短信登录，通过填写验证码方式登录后，再进行初始设置个人密码，"
            "才可以以密码方式登录。",
        ),
        keywords=("尚未设置密码", "个人密码", "短信登录", "密码登录"),
    ),
    Article(
        slug="faq-3",
        category=FAQ,
        title="初次普通登录选择了短信登录，但是无法发送验证码",
        paragraphs=(
            "建议先核实税务登记信息中的移动电话号码，是否与实名采集中的移动电话号码相同；"
            "若手机号码录入在【固定电话号码】项目内，必须修改到【移动电话】项目内才可以发送验证码。",
        ),
        keywords=("验证码", "短信", "手机号", "固定电话", "发送不了", "收不到验证码"),
    ),
    Article(
        slug="faq-4",
        category=FAQ,
        title="初次登录后进行企业人员维护，添加了办税人，但是手机号显示为空",
        paragraphs=(
            "添加的办税人员需是经过实名采集且与企业关联的人员，若添加的办税人没有经过实名采集，则无法显示手机号，"
            "无法维护其人员身份，办税人也不能正常使用电子税务局。",
        ),
        keywords=("添加办税人员", "手机号为空", "实名采集", "企业人员维护"),
    ),
    Article(
        slug="faq-5",
        category=FAQ,
        title="添加办税人员时，身份类型是空的，没有可勾选的项目",
        paragraphs=(
            "添加办税人员前，需要先进行身份信息维护，即通过【身份维护】维护相应的身份，"
            "才可以在添加办税人员时进行勾选身份类型。",
        ),
        keywords=("身份维护", "权限身份", "身份类型", "添加办税人员"),
    ),
    Article(
        slug="faq-6",
        category=FAQ,
        title="办税人员使用普通登录，选择人员身份后输入企业登录密码提示密码有误",
        paragraphs=(
            "办税人员选择普通登录中的密码登录，选择人员身份后弹出的输入密码框要求输入的密码，"
            "是初次登录时系统弹出框设置的个人登录密码，不是企业登录密码。",
        ),
        keywords=("密码有误", "密码错误", "个人登录密码", "企业登录密码"),
    ),
    Article(
        slug="faq-7",
        category=FAQ,
        title="添加办税人后，以办税人员登录电子税务局，没有功能可以用怎么办？",
        paragraphs=(
            "法定代表人或财务负责人在身份维护时候需要勾选功能权限，办税员登录时才有可用的功能。"
            "例如给“全量办税”身份授权“历史办税操作查询”：在【身份维护】中编辑该身份，勾选功能树中的"
            "“我要查询—历史办税操作查询”并保存。",
        ),
        keywords=("没有功能", "功能权限", "勾选功能树", "授权", "身份维护"),
    ),
    Article(
        slug="faq-8",
        category=FAQ,
        title="办税人员登录电子税务局，提示“办税人员已冻结”，导致无法登录如何处理？",
        paragraphs=(
            "该办税人员已被“冻结”，使用法定代表人或财务负责人登录电子税务局，在企业人员维护功能里，为办税人“解冻”。",
        ),
        keywords=("冻结", "解冻", "锁定", "无法登录", "办税人已经被锁定"),
    ),
    Article(
        slug="faq-9",
        category=FAQ,
        title="办税人员密码忘记了怎么办？",
        paragraphs=(
            "使用法定代表人或财务负责人身份登录电子税务局，在企业人员维护功能里重置办税人员密码，"
            "重置后的密码为111111。",
        ),
        keywords=("忘记密码", "密码忘记", "重置密码", "111111", "找回密码"),
    ),
    Article(
        slug="faq-10",
        category=FAQ,
        title="办税人员已经过实名采集，为何无法使用快捷登录方式进行登录？",
        paragraphs=(
            "办税员使用快捷登录的前置条件是，法定代表人或财务负责人登录电子税务局，使用人员身份维护功能维护身份信息，"
            "添加已实名采集的办税人员，做完以上两步后，才可以使用已添加的办税人员进行快捷登录。",
        ),
        keywords=("快捷登录", "无法登录", "实名采集", "添加办税人员"),
    ),
    Article(
        slug="faq-11",
        category=FAQ,
        title="登录时提示“当前办税人与税务登记办税人信息不符，请通过变更税务登记维护办税人，并重新同步办税人信息。”是什么原因？",
        paragraphs=(
            "金税三期核心征管系统中该企业登记信息里无此办税人员信息。",
            "首先要在电子税务局中的【变更税务登记】-【办税人员信息】中增加新的办税人员信息，然后通过移动办税APP采集新增"
            "办税人员实名信息（以上两步也可以到税务机关前台办理），最后由法定代表人或财务负责人在电子税务局为新办税人授权。"
            "再次使用该办税人员就可以正常登录了。",
        ),
        keywords=("信息不符", "变更税务登记", "同步办税人", "办税人员信息"),
    ),
    Article(
        slug="guide-enterprise-login",
        category=GUIDE,
        title="企业登录：普通登录与快捷登录",
        paragraphs=(
            "普通登录：点击【企业登录】—【普通登录】，输入“纳税人识别号”“企业密码”“验证码”，勾选“同意协议”；"
            "选择法定代表人（业主）、财务负责人或办税员，再选择短信登录或密码登录。",
            "第一次普通登录须选择法人（业主）或财务负责人并使用短信登录，验证码发送到税务登记或实名信息中的手机号码；"
            "登录后系统强制要求设置个人密码。请牢记个人密码，该密码与企业密码不同。",
            "快捷登录适用于已使用“普通登录”完成法定代表人、财务负责人和办税人权限设置的纳税人：输入纳税人识别号、企业密码，"
            "选择身份，输入该人员实名采集的手机号码并获取验证码，勾选同意协议后登录。",
            "纯社保户只能使用普通登录，输入纳税人识别号及密码后直接进入社保费缴纳，无需手机验证码。"
            "除纯社保户外，登录必须进行密码+手机验证码双因子验证；如果忘记电子税务局密码，须使用“忘记密码”功能找回。",
        ),
        keywords=("普通登录", "快捷登录", "企业密码", "个人密码", "纯社保户", "登录"),
    ),
    Article(
        slug="guide-natural-agency-login",
        category=GUIDE,
        title="自然人登录与代理机构登录",
        paragraphs=(
            "自然人登录：输入自然人用户注册名与登录密码，输入验证码，勾选服务协议，验证无误即可登录。"
            "如果忘记密码，必须使用“忘记密码”功能进行密码找回。",
            "代理机构登录分三步：输入涉税代理机构的社会信用代码或纳税人识别号及登录密码；选择办税人员，进行手机短信登录或密码登录；"
            "选择要代办的目标企业，输入协议密码，登录成功后方可对该企业办理涉税业务。",
            "纳税人可在企业登录后，通过“代理机构认定管理”同步代理机构信息，认定或取消代理机构。",
        ),
        keywords=("自然人登录", "代理机构登录", "协议密码", "代理机构认定"),
    ),
    Article(
        slug="guide-staff",
        category=GUIDE,
        title="办税人的删除、冻结与解冻、绑定与解绑",
        paragraphs=(
            "删除：办税人员更换时，可在企业人员维护页面点击该办税员的【删除】，被删除的办税人不能再作为该企业人员登录。",
            "冻结与解冻：只想在一定时间内限制办税员使用电子税务局时可以“冻结”，该办税员登录时系统提示"
            "“您选择的办税人已经被锁定，请选择其他办税人”；需恢复时点击【解冻】。",
            "绑定与解绑：绑定后，企业人员登录企业电子税务局时，个人登录密码即为其自然人电子税务局登录密码；解绑后需使用原个人登录密码。",
            "以上功能只有企业法定代表人和财务负责人可以使用。",
        ),
        keywords=("删除办税人", "冻结", "解冻", "绑定", "解绑", "企业人员维护"),
    ),
    Article(
        slug="guide-passwords",
        category=GUIDE,
        title="密码管理：个人登录密码与企业登录密码",
        paragraphs=(
            "个人登录密码修改：点击右上角企业名称—【修改密码】，输入旧密码、新密码、确认新密码和验证码后保存。"
            "法定代表人或财务负责人可在【企业人员维护】中为办税员重置个人登录密码，重置密码为111111；"
            "被重置后修改密码时，“旧密码”一项为111111。",
            "企业登录密码：税务机关为纳税人开户或重置密码时出具的《电子税务局办税用户注册凭证》上的密码是企业登录密码；"
            "登录页“请输入密码”处输入的都是企业登录密码，“忘记密码”找回的也是企业登录密码。"
            "只有法定代表人和财务负责人可以在【企业人员维护】—【修改企业密码】中修改企业登录密码。",
        ),
        keywords=("修改密码", "重置密码", "企业密码", "个人密码", "忘记密码"),
    ),
    Article(
        slug="guide-real-name",
        category=GUIDE,
        title="实名采集",
        paragraphs=(
            "纳税人实名采集可通过税务机关前台采集，也可以通过移动办税APP进行采集。新用户首次登录移动办税APP时自动进入实名采集页面；"
            "老用户可在APP【服务】页面滑动到“公众查询”，点击【采集实名信息】。按步骤添加本人身份证、补充信息并采集识别脸部信息即可。",
            "实名采集后的办税员才能被添加到电子税务局中进行人员维护和授权；未进行实名采集的人员需先完成采集方可登录。",
        ),
        keywords=("实名采集", "实名认证", "人脸识别", "移动办税APP"),
    ),
)

BY_SLUG: dict[str, Article] = {article.slug: article for article in ARTICLES}


def search_documents() -> list[SearchDocument]:
    """Every article as a search document."""
    return [
        SearchDocument(
            key=f"article:public:{article.slug}",
            kind="article",
            title=article.title,
            short_title=article.title,
            path=PATH,
            url=article.url,
            keywords=article.keywords,
            body="\n".join(article.paragraphs),
        )
        for article in ARTICLES
    ]
