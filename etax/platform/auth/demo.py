"""The demo world of the login paths: accounts, 企业人员, identities, natural persons, certifications.

Every account here is listed in docs/demo-accounts.md. Loading is idempotent: rows are found by their
natural keys and only missing ones are inserted, so passwords changed while trying the demo stay.
"""

from __future__ import annotations

import datetime as dt

from etax.platform.auth.passwords import hash_password
from etax.platform.auth.tables import (
    AgencyCertification,
    EnterpriseAccount,
    NaturalPersonAccount,
    PermissionIdentity,
    StaffIdentity,
    StaffMember,
)
from etax.platform.coresys.tables import Person, Taxpayer
from etax.platform.demo import PERSONS, TAXPAYERS

HEXIN = "沈阳和信科技有限公司"
XINGNONG = "康平县兴农农资经营部"
CHENGUANG = "沈阳市沈河区晨光社区服务中心"
ZHENGHENG = "辽宁正衡税务师事务所有限公司"
HAICHEN = "大连海辰贸易有限公司"

# taxpayer name → 企业密码
ENTERPRISE_PASSWORDS: dict[str, str] = {
    HEXIN: "Hexin@2026",
    XINGNONG: "Xingnong@2026",
    CHENGUANG: "Chenguang@2026",
    ZHENGHENG: "Zhengheng@2026",
    HAICHEN: "Haichen@2026",
}

# (taxpayer, person, role, personal password ("" = first login still to come), frozen, bound)
STAFF: list[tuple[str, str, str, str, bool, bool]] = [
    (HEXIN, "王建国", "legal_rep", "Wangjg@2026", False, False),
    (HEXIN, "李秀梅", "finance_head", "", False, False),
    (HEXIN, "张伟", "tax_officer", "Zhangwei#2025", False, True),
    (HEXIN, "赵磊", "tax_officer", "Zhaolei@2026", False, False),
    (HEXIN, "孙丽", "tax_officer", "", False, False),
    (HEXIN, "周强", "tax_officer", "Zhouqiang@2026", True, False),
    (HEXIN, "吴敏", "tax_officer", "Wumin@2026", False, False),
    (ZHENGHENG, "冯雪", "finance_head", "Fengxue@2026", False, False),
    (ZHENGHENG, "何涛", "tax_officer", "Hetao@2026", False, False),
    (HAICHEN, "马超", "legal_rep", "Machao@2026", False, False),
]

# (person, user name, password)
NATURAL_PERSONS: list[tuple[str, str, str]] = [
    ("林晓", "linxiao", "Linxiao@2026"),
    ("张伟", "zhangwei", "Zhangwei@2026"),
    ("赵磊", "zhaolei", "Zhaolei@2026"),
]

# (taxpayer, identity name, description, function-tree nodes, officers holding it)
IDENTITIES: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = [
    (
        HEXIN,
        "全量办税",
        "我要办税、我要查询、互动中心的全部功能",
        ("我要办税", "我要查询", "互动中心"),
        ("张伟",),
    ),
]

# (client, agency, 协议密码, delegated nodes, valid until, status)
CERTIFICATIONS: list[tuple[str, str, str, tuple[str, ...], dt.date, str]] = [
    (HEXIN, ZHENGHENG, "Xieyi@2026", ("我要办税", "我要查询"), dt.date(2028, 12, 31), "active"),
    (HAICHEN, ZHENGHENG, "Haichen#Xieyi1", ("我要办税",), dt.date(2028, 12, 31), "cancelled"),
]


async def _taxpayer_ids() -> dict[str, int]:
    tins = {str(data["tin"]): str(data["name"]) for data in TAXPAYERS}
    rows = await Taxpayer.select(Taxpayer.id, Taxpayer.tin).where(Taxpayer.tin.is_in(list(tins)))
    return {tins[str(row["tin"])]: int(row["id"]) for row in rows}


async def _person_ids() -> dict[str, int]:
    numbers = {str(data["id_number"]): name for name, data in PERSONS.items()}
    rows = await Person.select(Person.id, Person.id_number).where(Person.id_number.is_in(list(numbers)))
    return {numbers[str(row["id_number"])]: int(row["id"]) for row in rows}


async def _accounts(taxpayers: dict[str, int]) -> int:
    created = 0
    for name, password in ENTERPRISE_PASSWORDS.items():
        taxpayer_id = taxpayers.get(name)
        if taxpayer_id is None or await EnterpriseAccount.exists().where(
            EnterpriseAccount.taxpayer == taxpayer_id
        ):
            continue
        await EnterpriseAccount(taxpayer=taxpayer_id, password_hash=await hash_password(password)).save()
        created += 1
    return created


async def _staff(taxpayers: dict[str, int], persons: dict[str, int]) -> dict[tuple[str, str], int]:
    staff_ids: dict[tuple[str, str], int] = {}
    for taxpayer, person, role, password, frozen, bound in STAFF:
        if taxpayer not in taxpayers or person not in persons:
            continue
        key = f"{taxpayers[taxpayer]}:{persons[person]}"
        row = await StaffMember.select(StaffMember.id).where(StaffMember.key == key).first()
        if row is None:
            member = StaffMember(
                key=key,
                taxpayer=taxpayers[taxpayer],
                person=persons[person],
                role=role,
                personal_password_hash=await hash_password(password) if password else "",
                frozen=frozen,
                bound=bound,
            )
            await member.save()
            staff_ids[(taxpayer, person)] = int(member.id)
        else:
            staff_ids[(taxpayer, person)] = int(row["id"])
    return staff_ids


async def _natural_persons(persons: dict[str, int]) -> int:
    created = 0
    for person, username, password in NATURAL_PERSONS:
        if person not in persons:
            continue
        if await NaturalPersonAccount.exists().where(NaturalPersonAccount.person == persons[person]):
            continue
        await NaturalPersonAccount(
            person=persons[person], username=username, password_hash=await hash_password(password)
        ).save()
        created += 1
    return created


async def _identities(taxpayers: dict[str, int], staff_ids: dict[tuple[str, str], int]) -> int:
    created = 0
    for taxpayer, name, description, nodes, holders in IDENTITIES:
        key = f"{taxpayers[taxpayer]}:{name}"
        row = (
            await PermissionIdentity.select(PermissionIdentity.id)
            .where(PermissionIdentity.key == key)
            .first()
        )
        if row is None:
            identity = PermissionIdentity(
                key=key,
                taxpayer=taxpayers[taxpayer],
                name=name,
                description=description,
                nodes="\n".join(nodes),
            )
            await identity.save()
            identity_id = int(identity.id)
            created += 1
        else:
            identity_id = int(row["id"])
        for holder in holders:
            staff_id = staff_ids.get((taxpayer, holder))
            link = f"{staff_id}:{identity_id}"
            if staff_id is not None and not await StaffIdentity.exists().where(StaffIdentity.key == link):
                await StaffIdentity(key=link, staff=staff_id, identity=identity_id).save()
    return created


async def _certifications(taxpayers: dict[str, int]) -> int:
    created = 0
    for client, agency, password, nodes, valid_until, status in CERTIFICATIONS:
        key = f"{taxpayers[client]}:{taxpayers[agency]}"
        if await AgencyCertification.exists().where(AgencyCertification.key == key):
            continue
        await AgencyCertification(
            key=key,
            client=taxpayers[client],
            agency=taxpayers[agency],
            agreement_password_hash=await hash_password(password),
            nodes="\n".join(nodes),
            valid_until=valid_until,
            status=status,
        ).save()
        created += 1
    return created


async def load_auth_demo() -> dict[str, int]:
    """Insert the login demo world where it is missing (the core registry's demo must be loaded first)."""
    taxpayers = await _taxpayer_ids()
    persons = await _person_ids()
    accounts = await _accounts(taxpayers)
    before = await StaffMember.count()
    staff_ids = await _staff(taxpayers, persons)
    staff_created = await StaffMember.count() - before
    return {
        "enterprise_accounts": accounts,
        "staff_members": int(staff_created),
        "natural_person_accounts": await _natural_persons(persons),
        "identities": await _identities(taxpayers, staff_ids),
        "certifications": await _certifications(taxpayers),
    }
