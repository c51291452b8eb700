"""The demo world (``etax demo load``): taxpayers, people and announcements. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from etax.platform.announcements import Announcement
from etax.platform.coresys.tables import Person, Taxpayer, TaxpayerStaff
from etax.platform.coresys.validators import id_check_digit, uscc_check_char
from etax.platform.registry import FunctionRegistry


def uscc(first17: str) -> str:
    """A 统一社会信用代码 with its check character."""
    return first17 + uscc_check_char(first17)


def resident_id(first17: str) -> str:
    """A 居民身份证号码 with its check digit."""
    return first17 + id_check_digit(first17)


TODAY = dt.date(2026, 11, 1)

# tin, name, type, status, location class, office, pure social security, agency, taxes, general since, address
TAXPAYERS: list[dict[str, Any]] = [
    dict(
        tin=uscc("91210102MA0Y8K3P1"),
        name="沈阳和信科技有限公司",
        taxpayer_type="一般纳税人",
        status="正常",
        location_class="市区",
        tax_office="国家税务总局沈阳市和平区税务局",
        registered_taxes="增值税,城市维护建设税,教育费附加,地方教育附加,企业所得税,个人所得税,印花税",
        general_since=dt.date(2019, 7, 1),
        address="辽宁省沈阳市和平区南京北街100号",
        industry="软件和信息技术服务业",
    ),
    dict(
        tin=uscc("92210124MA0Y8K3P2"),
        name="康平县兴农农资经营部",
        taxpayer_type="小规模纳税人",
        status="正常",
        location_class="县城、镇",
        tax_office="国家税务总局康平县税务局",
        registered_taxes="增值税,城市维护建设税,教育费附加,地方教育附加,个人所得税",
        address="辽宁省沈阳市康平县康平镇胜利街8号",
        industry="批发业",
    ),
    dict(
        tin=uscc("52210103MA0Y8K3P3"),
        name="沈阳市沈河区晨光社区服务中心",
        taxpayer_type="小规模纳税人",
        status="正常",
        location_class="市区",
        tax_office="国家税务总局沈阳市沈河区税务局",
        pure_social_security=True,
        registered_taxes="基本养老保险费,基本医疗保险费,失业保险费,工伤保险费",
        address="辽宁省沈阳市沈河区北站路6号",
        industry="社会工作",
    ),
    dict(
        tin=uscc("91210106MA0Y8K3P4"),
        name="辽宁正衡税务师事务所有限公司",
        taxpayer_type="一般纳税人",
        status="正常",
        location_class="市区",
        tax_office="国家税务总局沈阳市铁西区税务局",
        is_agency=True,
        registered_taxes="增值税,城市维护建设税,企业所得税,个人所得税",
        general_since=dt.date(2018, 1, 1),
        address="辽宁省沈阳市铁西区北二中路12号",
        industry="商务服务业",
    ),
    dict(
        tin=uscc("91210211MA0Y8K3P5"),
        name="大连海辰贸易有限公司",
        taxpayer_type="一般纳税人",
        status="正常",
        location_class="市区",
        tax_office="国家税务总局大连市甘井子区税务局",
        registered_taxes="增值税,企业所得税",
        general_since=dt.date(2021, 3, 1),
        address="辽宁省大连市甘井子区华北路3号",
        industry="批发业",
    ),
    dict(
        tin=uscc("91210302MA0Y8K3P6"),
        name="鞍山旧城建材有限公司",
        taxpayer_type="小规模纳税人",
        status="非正常",
        location_class="其他",
        tax_office="国家税务总局鞍山市铁东区税务局",
        registered_taxes="增值税",
        address="辽宁省鞍山市铁东区二道街9号",
        industry="非金属矿物制品业",
    ),
    dict(  # a 个体工商户 registered under its operator's 居民身份证号码 (李志刚)
        tin=resident_id("21010219780909003"),
        name="沈阳市和平区李记面食店",
        taxpayer_type="小规模纳税人",
        status="正常",
        location_class="市区",
        tax_office="国家税务总局沈阳市和平区税务局",
        registered_taxes="增值税,个人所得税",
        address="辽宁省沈阳市和平区太原街21号",
        industry="餐饮业",
    ),
]

# name, id number, mobile, fixed phone, real-name collected
PERSONS: dict[str, dict[str, Any]] = {
    "王建国": dict(
        id_number=resident_id("21010219750315003"), mobile="13800000001", real_name_collected=True
    ),
    "李秀梅": dict(
        id_number=resident_id("21010219820708004"), mobile="13800000002", real_name_collected=True
    ),
    "张伟": dict(id_number=resident_id("21010219900112005"), mobile="13800000003", real_name_collected=True),
    "赵磊": dict(id_number=resident_id("21010219930220001"), mobile="13800000004", real_name_collected=False),
    "孙丽": dict(
        id_number=resident_id("21010219880416002"), fixed_phone="024-22223333", real_name_collected=True
    ),
    "周强": dict(id_number=resident_id("21010219850930007"), mobile="13800000006", real_name_collected=True),
    "吴敏": dict(id_number=resident_id("21010219870505008"), mobile="13800000007", real_name_collected=True),
    "刘芳": dict(id_number=resident_id("21012419790101002"), mobile="13800000011", real_name_collected=True),
    "陈静": dict(id_number=resident_id("21010319800202004"), mobile="13800000021", real_name_collected=True),
    "郑明": dict(id_number=resident_id("21010619700303005"), mobile="13800000031", real_name_collected=True),
    "冯雪": dict(id_number=resident_id("21010619860404006"), mobile="13800000032", real_name_collected=True),
    "何涛": dict(id_number=resident_id("21010619910505007"), mobile="13800000033", real_name_collected=True),
    "马超": dict(id_number=resident_id("21021119760606008"), mobile="13800000041", real_name_collected=True),
    "林晓": dict(id_number=resident_id("21010219950707009"), mobile="13800000051", real_name_collected=True),
    "高远": dict(id_number=resident_id("21010219960808000"), mobile="13800000052", real_name_collected=True),
    # On 沈阳和信科技's registration as 办税员 but not yet maintained as staff: try 添加办税人员 with them.
    "钱进": dict(id_number=resident_id("21010219920312001"), mobile="13800000008", real_name_collected=True),
    "郭蕾": dict(id_number=resident_id("21010219940618002"), mobile="13800000009", real_name_collected=True),
    "李志刚": dict(
        id_number=resident_id("21010219780909003"), mobile="13800000061", real_name_collected=True
    ),
}

# tin index, person, role, registration phone override (None = the person's mobile)
STAFF: list[tuple[int, str, str]] = [
    (0, "王建国", "legal_rep"),
    (0, "李秀梅", "finance_head"),
    (0, "张伟", "tax_officer"),
    (0, "赵磊", "tax_officer"),
    (0, "孙丽", "tax_officer"),
    (0, "周强", "tax_officer"),
    (0, "钱进", "tax_officer"),
    (0, "郭蕾", "tax_officer"),
    (1, "刘芳", "legal_rep"),
    (1, "刘芳", "finance_head"),
    (2, "陈静", "legal_rep"),
    (2, "陈静", "finance_head"),
    (3, "郑明", "legal_rep"),
    (3, "冯雪", "finance_head"),
    (3, "冯雪", "tax_officer"),
    (3, "何涛", "tax_officer"),
    (4, "马超", "legal_rep"),
    (4, "马超", "finance_head"),
    (6, "李志刚", "legal_rep"),
]

ANNOUNCEMENTS: list[dict[str, Any]] = [
    dict(
        title="关于2026年12月征期延长的通知",
        category="涉税通知",
        pinned=True,
        body="根据《国家税务总局办公厅关于2026年征期安排的通知》，2026年12月申报纳税期限为12月1日至15日。"
        "请纳税人合理安排时间，及时通过电子税务局办理申报缴纳。",
    ),
    dict(
        title="电子税务局登录方式优化升级的公告",
        category="涉税通知",
        pinned=False,
        body="为进一步方便纳税人“非接触式”办税，电子税务局登录页面集中提供企业登录、自然人登录、代理机构登录三种方式。"
        "企业登录分为快捷登录和普通登录，首次切换新版用户权限体系的纳税人须使用普通登录。"
        "办税人员须完成实名采集后方可登录。",
    ),
    dict(
        title="关于开展2026年度纳税信用评价结果复评工作的通知",
        category="政策法规",
        pinned=False,
        body="对纳税信用评价结果有异议的纳税人，可通过电子税务局“我要办税—纳税信用—纳税信用复评申请”提出复评申请。",
    ),
    dict(
        title="2026年第三季度欠税公告",
        category="欠税公告",
        pinned=False,
        body="依据《中华人民共和国税收征收管理法》第四十五条的规定，现将截至2026年9月30日的欠税情况予以公告。",
    ),
]


# username, name, role, password — the demo back office (docs/demo-accounts.md)
ADMINS: list[tuple[str, str, str, str]] = [
    ("admin", "系统管理员", "system", "Admin@2026"),
    ("shenhe", "业务审核员", "reviewer", "Shenhe@2026"),
    ("neirong", "内容管理员", "content", "Neirong@2026"),
    ("zixun", "咨询专员", "consultant", "Zixun@2026"),
    ("dating", "办税服务厅人员", "hall", "Dating@2026"),
    ("weiquan", "权益保护专员", "rights", "Weiquan@2026"),
]


async def load_admin_demo() -> int:
    """The demo administrators, one per role (skipped when they exist)."""
    from etax.platform.admin.accounts import create_admin
    from etax.platform.admin.tables import AdminUser

    created = 0
    for username, name, role, password in ADMINS:
        if not await AdminUser.exists().where(AdminUser.username == username):
            await create_admin(username, name, role, password)
            created += 1
    return created


async def load_demo(registry: FunctionRegistry | None = None) -> str:
    """Insert the demo world where it is missing; running it twice changes nothing.

    With ``registry`` (the loaded functions; ``etax demo load`` passes it) the bureau's demo 套餐业务,
    特色业务 and 定制业务 are published too, using only the functions installed. The test suite loads the
    world without them, so tests compose their own menus from nothing.
    """
    created = {"taxpayers": 0, "persons": 0, "staff": 0, "announcements": 0}
    taxpayer_ids: list[int] = []
    for data in TAXPAYERS:
        row = await Taxpayer.select(Taxpayer.id).where(Taxpayer.tin == data["tin"]).first()
        if row is None:
            taxpayer = Taxpayer(registered_on=dt.date(2015, 6, 1), **data)
            await taxpayer.save()
            created["taxpayers"] += 1
            taxpayer_ids.append(int(taxpayer.id))
        else:
            taxpayer_ids.append(int(row["id"]))
    person_ids: dict[str, int] = {}
    for name, pdata in PERSONS.items():
        row = await Person.select(Person.id).where(Person.id_number == pdata["id_number"]).first()
        if row is None:
            person = Person(name=name, **pdata)
            await person.save()
            created["persons"] += 1
            person_ids[name] = int(person.id)
        else:
            person_ids[name] = int(row["id"])
    for index, name, role in STAFF:
        tin = str(TAXPAYERS[index]["tin"])
        key = f"{tin}:{person_ids[name]}:{role}"
        if not await TaxpayerStaff.exists().where(TaxpayerStaff.key == key):
            pdata = PERSONS[name]
            await TaxpayerStaff(
                key=key,
                taxpayer=taxpayer_ids[index],
                person=person_ids[name],
                role=role,
                registered_mobile=str(pdata.get("mobile", "")),
                registered_fixed_phone=str(pdata.get("fixed_phone", "")),
            ).save()
            created["staff"] += 1
    for position, adata in enumerate(ANNOUNCEMENTS):
        if not await Announcement.exists().where(Announcement.title == adata["title"]):
            published = dt.datetime(2026, 11, 20 - position, 9, 0, tzinfo=dt.UTC)
            await Announcement(published_at=published, **adata).save()
            created["announcements"] += 1
    from etax.platform.auth.demo import load_auth_demo  # after the registry rows it builds on

    created.update(await load_auth_demo())
    created["admins"] = await load_admin_demo()
    from etax.platform.ledger.demo import load_ledger_demo  # registrations and two years of returns

    created.update(await load_ledger_demo())

    from etax.platform.compliance.demo import load_compliance_demo
    from etax.platform.dispatch.demo import load_dispatch_demo

    created["compliance"] = await load_compliance_demo([str(t["tin"]) for t in TAXPAYERS])
    created["dispatches"] = await load_dispatch_demo(taxpayer_ids[0])
    from etax.platform.halls.demo import load_halls_demo

    created["halls"] = await load_halls_demo()
    if registry is not None:
        from etax.platform.menus.demo import load_menus_demo

        created.update(await load_menus_demo(registry))
    return "演示数据已就绪：新增 " + "，".join(f"{k} {v}" for k, v in created.items())
