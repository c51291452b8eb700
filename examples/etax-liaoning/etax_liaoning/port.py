"""大连港口涉税指引: the tax matters of port, shipping and import-export businesses, as searchable articles."""

from __future__ import annotations

import msgspec

from etax.search_index import SearchDocument
from etax_liaoning.functions import PORT_GUIDE


class Topic(msgspec.Struct, frozen=True, kw_only=True):
    """One topic of the guide."""

    slug: str
    title: str
    who: str
    points: tuple[str, ...]
    keywords: tuple[str, ...]
    see: tuple[str, ...] = ()  # names of portal functions to open next


TOPICS: tuple[Topic, ...] = (
    Topic(
        slug="tonnage",
        title="船舶吨税",
        who="自境外港口进入大连港等境内港口的船舶",
        points=(
            "船舶吨税由海关征收，按船舶净吨位和吨税执照期限（1年、90日或30日）适用定额税率。",
            "应税船舶在进入港口办理入境手续时，应当向海关申报纳税领取吨税执照。",
            "吨税执照期满后仍停留在港口的，应自期满次日起续缴吨税。",
        ),
        keywords=("吨税", "船舶吨税", "吨税执照", "净吨位", "入境船舶"),
    ),
    Topic(
        slug="international-transport",
        title="国际运输服务增值税",
        who="从事国际运输、港澳台运输的航运企业和无运输工具承运业务经营者",
        points=(
            "一般纳税人提供国际运输服务适用增值税零税率，可申报免抵退税；放弃适用零税率的可选择免税，36个月内不得变更。",
            "小规模纳税人提供国际运输服务免征增值税。",
            "零税率应税服务的免抵退税申报在增值税纳税申报期内办理。",
        ),
        keywords=("国际运输", "零税率", "航运", "国际航运", "海运"),
        see=("增值税及附加税费申报",),
    ),
    Topic(
        slug="export-refund",
        title="出口退（免）税",
        who="大连港报关出口货物的生产企业和外贸企业",
        points=(
            "生产企业出口自产货物实行免抵退税办法，外贸企业出口货物实行免退税办法。",
            "出口企业应在货物报关出口之日次月起至次年4月30日前的各增值税纳税申报期内申报出口退（免）税。",
            "首次申报出口退（免）税前，应先办理出口退（免）税备案。",
        ),
        keywords=("出口退税", "免抵退", "免退税", "报关出口", "退税备案"),
    ),
    Topic(
        slug="bonded",
        title="保税区和自贸试验区",
        who="大连保税区、大窑湾综合保税区和中国（辽宁）自由贸易试验区大连片区内的企业",
        points=(
            "境外货物进入综合保税区予以保税，区内企业之间货物交易不征增值税和消费税。",
            "区内符合条件的企业可申请增值税一般纳税人资格试点，试点企业内销货物按规定征收增值税。",
            "自贸试验区内的涉税事项可在电子税务局办理，部分事项实行容缺办理和承诺制。",
        ),
        keywords=("保税区", "综合保税区", "大窑湾", "自贸区", "自贸试验区", "保税"),
    ),
    Topic(
        slug="stamp",
        title="运输和仓储合同印花税",
        who="港口装卸、货运代理、仓储物流企业",
        points=(
            "货物运输合同按运输费用的万分之三缴纳印花税，不包括装卸费用。",
            "仓储合同和保管合同按仓储费、保管费的千分之一缴纳印花税。",
            "印花税可按季、按年或按次申报，与其他财产和行为税合并申报。",
        ),
        keywords=("印花税", "运输合同", "仓储合同", "货运代理", "物流"),
        see=("财产和行为税合并申报",),
    ),
)


def search_documents() -> list[SearchDocument]:
    """Each topic as an article found by its own words (public)."""
    return [
        SearchDocument(
            key=f"{PORT_GUIDE.code}:{topic.slug}",
            kind="article",
            title=f"大连港口涉税指引：{topic.title}",
            short_title=topic.title,
            path=PORT_GUIDE.path,
            url=f"{PORT_GUIDE.url}#{topic.slug}",
            keywords=(*topic.keywords, "大连", "港口"),
            body=" ".join(topic.points),
        )
        for topic in TOPICS
    ]
