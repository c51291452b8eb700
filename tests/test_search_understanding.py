"""How taxpayers ask: questions, colloquial words, a tax alone, action + object, slang, pinyin, near names.

The catalogue is a slice of the real provincial catalogue (docs/domain/function-catalogue.md),
registered as a regional bureau's plugin would: names and menu paths only — no keywords, no initials,
no declared intents — and indexed through the platform's own ``function_documents``.
"""

from __future__ import annotations

import pytest

from etax.platform.functions import ActionKind, FunctionSpec
from etax.platform.registry import FunctionRegistry
from etax.platform.search import function_documents
from etax.search_index import SearchDocument, SearchHit, SearchIndex
from etax.search_index.intents import default_intents, parse_intents
from etax.search_index.query import click_key
from etax.search_index.understanding import Understanding, understand

TAX_FORMS = "我要办税 > 税费申报及缴纳"
BUREAU: list[tuple[str, str]] = [
    ("消费税及附加税费申报", TAX_FORMS),
    ("资源税申报", f"{TAX_FORMS} > 其他申报"),
    ("环保税申报", f"{TAX_FORMS} > 其他申报"),
    ("印花税申报", f"{TAX_FORMS} > 其他申报"),
    ("契税申报", f"{TAX_FORMS} > 其他申报"),
    ("土地增值税申报", f"{TAX_FORMS} > 其他申报"),
    ("残疾人就业保障金申报", f"{TAX_FORMS} > 基金费申报"),
    ("消费税", f"{TAX_FORMS} > 分税种申报入口"),
    ("资源税", f"{TAX_FORMS} > 分税种申报入口"),
    ("环保税", f"{TAX_FORMS} > 分税种申报入口"),
    ("增值税一般纳税人申报", f"{TAX_FORMS} > 增值税及附加税费申报"),
    ("增值税小规模纳税人申报", f"{TAX_FORMS} > 增值税及附加税费申报"),
    ("增值税留抵退税申请", "我要办税 > 一般退（抵）税管理"),
    ("误收多缴退抵税", "我要办税 > 一般退（抵）税管理"),
    ("其他退税", "我要办税 > 一般退（抵）税管理"),
    ("环境保护税基础信息采集", "我要办税 > 综合信息报告 > 税源信息报告"),
    ("土地使用税税源登记", "我要办税 > 综合信息报告 > 税源信息报告"),
    ("增值税纳税人类型报告", "我要办税 > 综合信息报告 > 资格信息报告"),
    ("跨区域涉税事项报告", "我要办税 > 综合信息报告 > 税源信息报告"),
    ("一照一码户信息变更", "我要办税 > 综合信息报告 > 身份信息报告"),
    ("变更税务登记", "首页·特色业务 > 其他特色业务"),
    ("存款账户账号报告", "我要办税 > 综合信息报告 > 制度信息报告"),
    ("发票挂失、损毁报告", "我要办税 > 综合信息报告 > 其他信息报告"),
    ("个税代扣代缴手续费申请", "我要办税 > 综合信息报告 > 其他信息报告"),
    ("发票领用", "我要办税 > 发票使用"),
    ("发票代开", "我要办税 > 发票使用"),
    ("发票额度调整申请", "我要办税 > 发票使用"),
    ("税控设备申领（税务UKey）", "我要办税 > 发票使用"),
    ("增值税专用发票最高开票限额审批", "我要办税 > 税务行政许可"),
    ("蓝字发票开具（含批量开具导入）", "我要办税 > 开票业务"),
    ("红字发票开具（红字发票信息确认单）", "我要办税 > 开票业务"),
    ("抵扣类勾选（含海关缴款书）", "我要办税 > 税务数字账户 > 发票勾选确认"),
    ("不抵扣类勾选", "我要办税 > 税务数字账户 > 发票勾选确认"),
    ("开具税收完税证明", "我要办税 > 证明开具"),
    ("开具无欠税证明", "首页 > 热门服务"),
    ("财务报表转换工具（下载）", f"{TAX_FORMS} > 财务报表转换"),
    ("税费缴纳", "我要办税 > 社保费业务（单位）"),
    ("社保费申报", "我要办税 > 社保费业务（单位）"),
    ("单位人员增员申报", "我要办税 > 社保费业务（单位）"),
    ("单位人员减员申报", "我要办税 > 社保费业务（单位）"),
    ("社保缴费基数变更", "我要办税 > 社保费业务（单位）"),
    ("欠税查询", "公众服务 > 欠税查询"),
    ("欠税信息查询", "我要查询"),
    ("缴款信息查询", "我要查询"),
    ("申报信息查询", "我要查询"),
    ("纳税人状态查询", "公众服务"),
    ("密码修改", "我的信息 > 用户管理"),
    ("用户注销", "我的信息 > 用户管理"),
    ("网签三方协议", "我要办税 > 其他服务事项"),
    ("办税日历", "公众服务"),
    ("办税地图", "公众服务"),
    ("纳税服务投诉", "公众服务"),
    ("税收违法行为检举", "公众服务"),
]


def bureau_functions(extra: tuple[FunctionSpec, ...] = ()) -> list[SearchDocument]:
    specs = [
        FunctionSpec(
            code=f"bureau.fn{number}",
            name=name,
            path=(*group.split(" > "), name),
            url=f"/bureau/fn{number}",
            plugin="bureau",
        )
        for number, (name, group) in enumerate(BUREAU)
    ]
    return function_documents(FunctionRegistry([*specs, *extra]))


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(bureau_functions())


def names(index: SearchIndex, hits: list[SearchHit]) -> list[str]:
    found = []
    for hit in hits:
        document = index.document(hit.key)
        assert document is not None
        found.append(document.title)
    return found


def first(index: SearchIndex, query: str) -> str:
    hits = index.search(query)
    assert hits, f"{query!r} found nothing"
    return names(index, hits)[0]


# --- questions and sentences --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("发票丢了怎么办", "发票挂失、损毁报告"),
        ("留抵退税在哪里申请", "增值税留抵退税申请"),
        ("员工离职了社保怎么减员", "单位人员减员申报"),
        ("新来的员工怎么增员", "单位人员增员申报"),
        ("个税手续费返还怎么申请", "个税代扣代缴手续费申请"),
        ("银行账户变了要去哪里报告", "存款账户账号报告"),
        ("请问残保金在哪里申报呢", "残疾人就业保障金申报"),
        ("怎么申请成为一般纳税人", "增值税纳税人类型报告"),
    ],
)
def test_questions_lead_to_the_function(index: SearchIndex, query: str, expected: str) -> None:
    assert first(index, query) == expected


def test_a_long_question_is_never_answered_with_nothing(index: SearchIndex) -> None:
    # Filler, context words and a word no function has: the strict tiers find nothing, the scored
    # tier still answers with the functions whose names hold the key words.
    hits = index.search("我们公司上个月的印花税到底应该在电子税务局哪个地方去申报啊")
    assert hits and names(index, hits)[0] == "印花税申报"
    assert {hit.match for hit in hits} == {"partial"}
    assert index.search("公司地址变了在网上怎么改")  # 地址 and 改 lead to the registration changes
    assert set(names(index, index.search("公司地址变了在网上怎么改"))[:2]) <= {
        "一照一码户信息变更",
        "变更税务登记",
    }


def test_question_filler_is_dropped_and_kept_as_data(index: SearchIndex) -> None:
    meaning = meaning_of(index, "请问一下发票丢了怎么办呢")
    assert "请问" in meaning.dropped and "怎么办" in meaning.dropped
    assert [unit.text for unit in meaning.units] == ["发票", "丢了"]


def test_nothing_meaningful_finds_nothing_and_offers_suggestions(index: SearchIndex) -> None:
    assert index.search("咖啡奶茶蛋糕") == []
    assert index.search("天气预报") == []  # 报 inside an unknown word is no action asked for
    assert index.search("怎么办") == []  # nothing but filler, found in no name
    assert index.suggest("纳税人壮态") == ["纳税人状态查询"]


def test_a_lone_tax_character_does_not_drag_every_function_in(index: SearchIndex) -> None:
    meaning = meaning_of(index, "个税手续费返还怎么申请税")
    assert "税" not in [unit.text for unit in meaning.units]


# --- a tax or fee name alone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "returns"),
    [
        ("消费税", {"消费税", "消费税及附加税费申报"}),
        ("资源税", {"资源税", "资源税申报"}),
        ("环境保护税", {"环保税", "环保税申报"}),
        ("环保税", {"环保税", "环保税申报"}),
        ("契税", {"契税申报"}),
        ("残保金", {"残疾人就业保障金申报"}),
        ("土地增值税", {"土地增值税申报"}),
    ],
)
def test_a_tax_alone_leads_to_its_return(index: SearchIndex, query: str, returns: set[str]) -> None:
    found = names(index, index.search(query))
    assert found[0] in returns
    assert set(found[: len(returns)]) == returns  # the registration node 环境保护税基础信息采集 comes after


def test_a_tax_with_a_registration_word_wants_the_registration(index: SearchIndex) -> None:
    assert first(index, "环境保护税信息采集") == "环境保护税基础信息采集"
    assert first(index, "土地使用税登记") == "土地使用税税源登记"


def test_a_tax_inside_a_longer_tax_name_is_another_tax(index: SearchIndex) -> None:
    found = names(index, index.search("增值税"))
    assert "土地增值税申报" not in found[:3]  # 土地增值税 is not 增值税


# --- action + object ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("开发票", "蓝字发票开具（含批量开具导入）"),
        ("开红字发票", "红字发票开具（红字发票信息确认单）"),
        ("领发票", "发票领用"),
        ("查欠税", "欠税查询"),
        ("交税", "税费缴纳"),
        ("改密码", "密码修改"),
        ("开无欠税证明", "开具无欠税证明"),
        ("下载报表转换工具", "财务报表转换工具（下载）"),
        ("签三方协议", "网签三方协议"),
        ("勾选抵扣", "抵扣类勾选（含海关缴款书）"),  # 不抵扣类勾选 says the opposite
        ("退多交的税", "误收多缴退抵税"),
    ],
)
def test_the_action_word_carries_the_intent(index: SearchIndex, query: str, expected: str) -> None:
    assert first(index, query) == expected


def test_a_one_character_action_is_what_a_function_does_not_a_character(index: SearchIndex) -> None:
    # 开 in 最高开票限额审批 is part of 开票, the function is an approval (审批): 开 + 发票 wants 开具.
    found = names(index, index.search("开发票", limit=None))
    assert found[0] == "蓝字发票开具（含批量开具导入）"
    assert "增值税专用发票最高开票限额审批" not in found


# --- abbreviations, trade slang, pinyin initials -------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("外经证", "跨区域涉税事项报告"),
        ("红冲", "红字发票开具（红字发票信息确认单）"),
        ("税控盘", "税控设备申领（税务UKey）"),
        ("ukey", "税控设备申领（税务UKey）"),
        ("个税手续费", "个税代扣代缴手续费申请"),
        ("三方协议", "网签三方协议"),
        ("征期", "办税日历"),
        ("偷税漏税", "税收违法行为检举"),
    ],
)
def test_trade_slang_is_understood(index: SearchIndex, query: str, expected: str) -> None:
    assert first(index, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fply", "发票领用"),
        ("yhssb", "印花税申报"),
        ("wqsfxy", "网签三方协议"),
        ("nsrztcx", "纳税人状态查询"),
        ("kjwqszm", "开具无欠税证明"),
        ("qishuishenbao", "契税申报"),
        ("zzsldtssqq", "增值税留抵退税申请"),  # one letter too many: matched allowing a typo
    ],
)
def test_pinyin_of_names_nobody_declared(index: SearchIndex, query: str, expected: str) -> None:
    assert first(index, query) == expected


# --- near names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("纳税状态查询", "纳税人状态查询"),  # a character missing
        ("发票额度申请", "发票额度调整申请"),  # a word missing
        ("税收完税证明开具", "开具税收完税证明"),  # reordered
        ("无欠税证明开具", "开具无欠税证明"),
        ("三方协议签订", "网签三方协议"),
        ("增值税申报一般纳税人", "增值税一般纳税人申报"),
        ("个人所得税手续费申请", "个税代扣代缴手续费申请"),  # another name of the same tax
        ("纳税人壮态查询", "纳税人状态查询"),  # a homophone typo
        ("增值税留底退税", "增值税留抵退税申请"),
    ],
)
def test_near_names_put_the_function_first(index: SearchIndex, query: str, expected: str) -> None:
    assert first(index, query) == expected


# --- intents from function metadata -------------------------------------------------------------------


def test_intent_is_read_from_the_name_and_the_menu_path() -> None:
    table = default_intents()
    vat = table.document_intent("增值税一般纳税人申报", ())
    assert (vat.primary, vat.taxes) == ("申报", frozenset({"增值税"}))
    assert table.document_intent("申报信息查询", ()).primary == "查询"  # the last action word
    assert table.document_intent("开具税收完税证明", ()).primary == "开具"  # a leading verb
    assert table.document_intent("退税勾选（出口退税勾选）", ()).primary == "勾选"
    entry = table.document_intent("消费税", ("我要办税", "税费申报及缴纳", "分税种申报入口", "消费税"))
    assert (entry.primary, entry.taxes) == ("申报", frozenset({"消费税"}))  # from its menu group
    social = table.document_intent("税费缴纳", ("我要办税", "社保费业务（单位）", "税费缴纳"))
    assert (social.primary, social.taxes) == ("缴款", frozenset({"社会保险费"}))
    assert table.document_intent("土地增值税申报", ()).taxes == frozenset({"土地增值税"})


def test_a_declared_action_and_taxes_win_over_the_name() -> None:
    table = default_intents()
    declared = table.document_intent("一键办", (), action="申报", taxes=("个税", "印花税"))
    assert declared == declared._replace(primary="申报", taxes=frozenset({"个人所得税", "印花税"}))


def test_a_plugin_function_ranks_by_what_it_declares() -> None:
    # A regional bureau's own function whose name holds neither the tax nor the action.
    bundle = FunctionSpec(
        code="region.small_taxes",
        name="小税种一表集成办理",
        path=("我要办税", "地方特色", "小税种一表集成办理"),
        url="/region/small-taxes",
        action=ActionKind.DECLARE,
        taxes=("印花税", "房产税"),
    )
    index = SearchIndex.build(bureau_functions((bundle,)))
    found = names(index, index.search("报房产税"))
    assert found[0] == "小税种一表集成办理"
    undeclared = SearchIndex.build(bureau_functions((msgspec_replace(bundle),)))
    assert "小税种一表集成办理" not in names(undeclared, undeclared.search("报房产税"))[:1]


def test_a_new_plugin_function_without_declarations_ranks_by_its_name() -> None:
    new = FunctionSpec(
        code="region.deed_stock",
        name="契税申报（存量房）",
        path=("我要办税", "地方特色", "契税申报（存量房）"),
        url="/region/deed-stock",
    )
    registration = FunctionSpec(
        code="region.deed_source",
        name="契税税源信息采集",
        path=("我要办税", "地方特色", "契税税源信息采集"),
        url="/region/deed-source",
    )
    index = SearchIndex.build(bureau_functions((new, registration)))
    found = names(index, index.search("契税"))
    assert found.index("契税申报（存量房）") < found.index("契税税源信息采集")


def test_intent_table_rejects_unknown_action_kinds() -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse_intents("action\t吃饭\t吃")
    with pytest.raises(ValueError, match="line 2"):
        parse_intents("tax\t增值税\t增值税\nbad line")


# --- learning from clicks -----------------------------------------------------------------------------


def test_learned_clicks_reorder_within_a_tier(index: SearchIndex) -> None:
    plain = names(index, index.search("欠税"))
    assert plain[:2] == ["欠税查询", "欠税信息查询"]
    key = next(hit.key for hit in index.search("欠税") if names(index, [hit]) == ["欠税信息查询"])
    learned = names(index, index.search("欠税", clicks={key: 5.0}))
    assert learned[:2] == ["欠税信息查询", "欠税查询"]


def test_learned_clicks_lift_a_scored_hit_into_the_text_tier(index: SearchIndex) -> None:
    question = "我们公司上个月的印花税到底应该在电子税务局哪个地方去申报啊"
    hits = index.search(question)
    target = hits[1]
    assert target.match == "partial"
    lifted = index.search(question, clicks={target.key: 3.0, hits[0].key: 1.0})
    assert (lifted[0].key, lifted[0].match) == (target.key, "text")


def test_click_key_ignores_spacing_and_width() -> None:
    assert click_key(" 发票 领用 ") == click_key("发票领用") == "发票领用"
    assert click_key("ＦＰＬＹ") == "fply"


def msgspec_replace(spec: FunctionSpec) -> FunctionSpec:
    """The same function without declared intents."""
    import msgspec

    return msgspec.structs.replace(spec, action=None, taxes=())


def meaning_of(index: SearchIndex, text: str) -> Understanding:
    """The understanding step as ranking runs it, with the index's own tables."""
    catalogue = index._catalogue
    return understand(
        text, catalogue.synonyms, catalogue.intents, lambda run: bool(catalogue.containing(run)), max_chars=64
    )
