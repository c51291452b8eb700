"""The bureau's front desk writes to the core registry (办税服务厅前台): a new module of ``coresys``.

- :func:`collect_person` — 实名采集: a person's name, 居民身份证号码 and mobile, marked collected.
- :func:`register_taxpayer` — 新办纳税人登记: the taxpayer with its legal representative, financial head
  and tax officers on the registration (each must be real-name collected first, as the seed says).
- :func:`open_account` / :func:`reset_enterprise_password` — 开户 and 柜台密码重置: a fresh 企业登录密码
  for the 《电子税务局办税用户注册凭证》; only its hash is stored, the plain password is returned once.
- :func:`staff_links_of_person` and :func:`unlink_person` — 解除相关人员关联关系: a person removes
  themself from a taxpayer's tax officers (registration link and portal staff member).

Every function refuses with :class:`CounterError` (a Chinese ``message``) and writes nothing then.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

import msgspec

from etax.platform import clock
from etax.platform.auth.passwords import hash_password, password_problem
from etax.platform.auth.tables import EnterpriseAccount, StaffIdentity, StaffMember
from etax.platform.coresys.registry import PersonRecord, TaxpayerRecord, person_by_id_number, taxpayer_by_id
from etax.platform.coresys.tables import (
    LOCATION_CLASSES,
    ROLE_LABELS,
    TAXPAYER_TYPES,
    Person,
    Taxpayer,
    TaxpayerStaff,
)
from etax.platform.coresys.validators import normalise_code, resident_id_problem, tin_problem
from etax.platform.db.integrity import is_unique_violation, write_transaction
from etax.platform.identity import StaffRole

MOBILE = re.compile(r"^1[3-9]\d{9}$")
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
PASSWORD_SYMBOLS = "@#$%&*"


class CounterError(Exception):
    """A refused front-desk operation; ``message`` is Chinese and shown as is."""

    def __init__(self, message: str, field: str = "_form") -> None:
        self.message = message
        self.field = field
        super().__init__(message)


class NewTaxpayer(msgspec.Struct, frozen=True, kw_only=True):
    """What 新办纳税人登记 records in the core registry."""

    tin: str
    name: str
    taxpayer_type: str
    tax_office: str
    address: str
    industry: str
    location_class: str
    registered_on: dt.date
    legal_rep_id_number: str
    finance_head_id_number: str = ""
    officer_id_numbers: tuple[str, ...] = ()


class StaffLink(msgspec.Struct, frozen=True, kw_only=True):
    """A person's link to a taxpayer: registration role, and whether a portal staff member exists."""

    taxpayer_id: int
    tin: str
    taxpayer_name: str
    taxpayer_status: str
    role: str
    role_label: str
    portal_member: bool


def new_password() -> str:
    """A random 企业登录密码 of 10 characters with letters, digits and a symbol (passes the strength rules)."""
    while True:
        body = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(8))
        password = body[:4] + secrets.choice(PASSWORD_SYMBOLS) + secrets.choice("23456789") + body[4:]
        if password_problem(password) is None:
            return password


async def collect_person(name: str, id_number: str, mobile: str, *, fixed_phone: str = "") -> PersonRecord:
    """实名采集: create the person or update their name check and mobile; marks them collected."""
    name = name.strip()
    id_number = normalise_code(id_number)
    mobile = mobile.strip()
    if not 2 <= len(name) <= 30:
        raise CounterError("请输入2至30个字的姓名", "name")
    problem = resident_id_problem(id_number)
    if problem:
        raise CounterError(problem, "id_number")
    if not MOBILE.match(mobile):
        raise CounterError("手机号码应为11位移动电话号码（固定电话请填写在“固定电话”中）", "mobile")
    existing = await person_by_id_number(id_number)
    if existing is not None:
        if existing.name != name:
            raise CounterError("姓名与该身份证件号码已登记的姓名不一致，请核对身份证件", "name")
        await Person.update(
            {Person.mobile: mobile, Person.fixed_phone: fixed_phone.strip(), Person.real_name_collected: True}
        ).where(Person.id == existing.id)
    else:
        try:
            await Person.insert(
                Person(
                    name=name,
                    id_number=id_number,
                    mobile=mobile,
                    fixed_phone=fixed_phone.strip(),
                    real_name_collected=True,
                )
            )
        except Exception as error:
            if is_unique_violation(error):
                raise CounterError("该身份证件号码刚刚已被采集，请刷新后核对", "id_number") from error
            raise
    found = await person_by_id_number(id_number)
    assert found is not None
    return found


async def _collected(id_number: str, field: str, label: str) -> PersonRecord:
    number = normalise_code(id_number)
    problem = resident_id_problem(number)
    if problem:
        raise CounterError(f"{label}：{problem}", field)
    person = await person_by_id_number(number)
    if person is None or not person.real_name_collected:
        raise CounterError(f"{label}尚未实名采集，请先办理实名采集", field)
    return person


async def register_taxpayer(new: NewTaxpayer) -> TaxpayerRecord:
    """新办纳税人登记: the taxpayer and its registration staff, in one transaction."""
    tin = normalise_code(new.tin)
    problem = tin_problem(tin)
    if problem:
        raise CounterError(problem, "tin")
    if new.taxpayer_type not in TAXPAYER_TYPES:
        raise CounterError("请选择纳税人类型", "taxpayer_type")
    if new.location_class not in LOCATION_CLASSES:
        raise CounterError("请选择纳税人所在地", "location_class")
    if not 2 <= len(new.name.strip()) <= 100:
        raise CounterError("请输入纳税人名称（2至100个字）", "name")
    people: list[tuple[PersonRecord, StaffRole]] = [
        (await _collected(new.legal_rep_id_number, "legal_rep_id_number", "法定代表人"), StaffRole.LEGAL_REP)
    ]
    if new.finance_head_id_number.strip():
        people.append(
            (
                await _collected(new.finance_head_id_number, "finance_head_id_number", "财务负责人"),
                StaffRole.FINANCE_HEAD,
            )
        )
    for number in new.officer_id_numbers:
        people.append((await _collected(number, "officer_id_numbers", "办税员"), StaffRole.TAX_OFFICER))
    async with write_transaction(Taxpayer):
        try:
            rows = await Taxpayer.insert(
                Taxpayer(
                    tin=tin,
                    name=new.name.strip(),
                    taxpayer_type=new.taxpayer_type,
                    status="正常",
                    location_class=new.location_class,
                    tax_office=new.tax_office.strip(),
                    registered_on=new.registered_on,
                    general_since=new.registered_on if new.taxpayer_type == "一般纳税人" else None,
                    address=new.address.strip(),
                    industry=new.industry.strip(),
                )
            ).returning(Taxpayer.id)
        except Exception as error:
            if is_unique_violation(error):
                raise CounterError("该纳税人识别号已登记，不能重复登记", "tin") from error
            raise
        taxpayer_id = int(rows[0]["id"])
        seen: set[str] = set()
        for person, role in people:
            key = f"{tin}:{person.id}:{role.value}"
            if key in seen:
                continue
            seen.add(key)
            await TaxpayerStaff.insert(
                TaxpayerStaff(
                    key=key,
                    taxpayer=taxpayer_id,
                    person=person.id,
                    role=role.value,
                    registered_mobile=person.mobile,
                    registered_fixed_phone=person.fixed_phone,
                )
            )
    found = await taxpayer_by_id(taxpayer_id)
    assert found is not None
    return found


async def has_account(taxpayer_id: int) -> bool:
    return bool(await EnterpriseAccount.exists().where(EnterpriseAccount.taxpayer == taxpayer_id))


async def open_account(taxpayer_id: int) -> str:
    """开户: the taxpayer's e-tax account with a fresh 企业登录密码 (returned once, only its hash kept)."""
    if await taxpayer_by_id(taxpayer_id) is None:
        raise CounterError("没有这个纳税人")
    password = new_password()
    password_hash = await hash_password(password)
    try:
        await EnterpriseAccount.insert(EnterpriseAccount(taxpayer=taxpayer_id, password_hash=password_hash))
    except Exception as error:
        if is_unique_violation(error):
            raise CounterError("该纳税人已开户，如忘记企业密码请办理柜台密码重置") from error
        raise
    return password


async def reset_enterprise_password(taxpayer_id: int) -> str:
    """柜台密码重置: a fresh 企业登录密码, the failed-attempt count and lock cleared (returned once)."""
    password = new_password()
    password_hash = await hash_password(password)
    updated = (
        await EnterpriseAccount.update(
            {
                EnterpriseAccount.password_hash: password_hash,
                EnterpriseAccount.failed_attempts: 0,
                EnterpriseAccount.locked_until: None,
                EnterpriseAccount.updated_at: clock.utcnow(),
            }
        )
        .where(EnterpriseAccount.taxpayer == taxpayer_id)
        .returning(EnterpriseAccount.id)
    )
    if not updated:
        raise CounterError("该纳税人尚未开户，请先办理开户")
    return password


async def staff_links_of_person(person_id: int) -> list[StaffLink]:
    """Every taxpayer the person is linked to (registration roles), with whether a portal member exists."""
    rows = await TaxpayerStaff.select(
        TaxpayerStaff.role,
        TaxpayerStaff.taxpayer.id,
        TaxpayerStaff.taxpayer.tin,
        TaxpayerStaff.taxpayer.name,
        TaxpayerStaff.taxpayer.status,
    ).where(TaxpayerStaff.person == person_id)
    members = {
        int(r["taxpayer"])
        for r in await StaffMember.select(StaffMember.taxpayer).where(StaffMember.person == person_id)
    }
    return [
        StaffLink(
            taxpayer_id=int(r["taxpayer.id"]),
            tin=str(r["taxpayer.tin"]),
            taxpayer_name=str(r["taxpayer.name"]),
            taxpayer_status=str(r["taxpayer.status"]),
            role=str(r["role"]),
            role_label=ROLE_LABELS.get(str(r["role"]), str(r["role"])),
            portal_member=int(r["taxpayer.id"]) in members,
        )
        for r in rows
    ]


async def unlink_person(person_id: int, taxpayer_id: int) -> StaffLink:
    """解除相关人员关联关系: remove the person's 办税员 link and portal staff member of the taxpayer.

    A 法定代表人 or 财务负责人 stays on the registration until the enterprise files 变更税务登记, unless the
    enterprise is 注销 (then every link of the person may go).
    """
    links = [link for link in await staff_links_of_person(person_id) if link.taxpayer_id == taxpayer_id]
    if not links:
        raise CounterError("您与该纳税人不存在关联关系", "taxpayer")
    cancelled = links[0].taxpayer_status == "注销"
    managers = [link for link in links if link.role != StaffRole.TAX_OFFICER]
    if managers and not cancelled:
        raise CounterError(
            f"您在该纳税人的税务登记中为{managers[0].role_label}，请由企业办理变更税务登记后再解除关联",
            "taxpayer",
        )
    async with write_transaction(TaxpayerStaff):
        members = await StaffMember.select(StaffMember.id).where(
            (StaffMember.person == person_id) & (StaffMember.taxpayer == taxpayer_id)
        )
        ids = [int(r["id"]) for r in members]
        if ids:
            await StaffIdentity.delete().where(StaffIdentity.staff.is_in(ids))
            await StaffMember.delete().where(StaffMember.id.is_in(ids))
        await TaxpayerStaff.delete().where(
            (TaxpayerStaff.person == person_id) & (TaxpayerStaff.taxpayer == taxpayer_id)
        )
    return links[0]
