"""Writing the core registry: the bureau's decisions on 变更税务登记, 停业/复业, 注销 and 一般纳税人登记.

Only tax-matter decisions (``etax_application_decided``) and the front desk call these, through
``etax.platform.api.registry_changes``. Every function is scoped by taxpayer and refuses with
:class:`RegistryError` (a Chinese message) changing nothing.

- :func:`set_staff_link` — 办税人员信息: put a person on the registration as 法定代表人, 财务负责人 or 办税员
  with the contact numbers recorded there (移动电话, 固定电话). A person the registry does not know yet
  is created without 实名采集 (they complete it at the front desk or in the app, FAQ 11).
- :func:`remove_staff_link` — take a person off the registration in one role.
- :func:`set_status` — 纳税人状态 (正常, 停业, 注销 …).
- :func:`set_registered_tax` — one tax in the 税种登记 list shown with the record;
- :func:`set_general_since` — the date a taxpayer became 一般纳税人 (一般纳税人资格查询 shows it).
"""

from __future__ import annotations

import datetime as dt
import re

from etax.platform.coresys.registry import StaffRecord, registration_staff
from etax.platform.coresys.tables import TAXPAYER_STATUSES, Person, Taxpayer, TaxpayerStaff
from etax.platform.db.integrity import write_transaction
from etax.platform.identity import StaffRole


class RegistryError(Exception):
    """A refused registry change, with a Chinese message."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


async def _tin(taxpayer_id: int) -> str:
    row = await Taxpayer.select(Taxpayer.tin).where(Taxpayer.id == taxpayer_id).first()
    if row is None:
        raise RegistryError("未找到纳税人")
    return str(row["tin"])


async def set_staff_link(
    taxpayer_id: int,
    *,
    name: str,
    id_number: str,
    role: StaffRole,
    mobile: str = "",
    fixed_phone: str = "",
) -> StaffRecord:
    """Put the person on the registration in ``role`` with these numbers (replacing the numbers on file)."""
    name, id_number = name.strip(), id_number.strip().upper()
    tin = await _tin(taxpayer_id)
    async with write_transaction(TaxpayerStaff):
        person = await Person.select(Person.id, Person.name).where(Person.id_number == id_number).first()
        if person is None:
            rows = await Person.insert(
                Person(name=name, id_number=id_number, mobile="", fixed_phone="", real_name_collected=False)
            ).returning(Person.id)
            person_id = int(rows[0]["id"])
        else:
            if str(person["name"]) != name:
                raise RegistryError("姓名与证件号码不符，请核对后重新填写")
            person_id = int(person["id"])
        key = f"{tin}:{person_id}:{role.value}"
        updated = (
            await TaxpayerStaff.update(
                {TaxpayerStaff.registered_mobile: mobile, TaxpayerStaff.registered_fixed_phone: fixed_phone}
            )
            .where(TaxpayerStaff.key == key)
            .returning(TaxpayerStaff.id)
        )
        if not updated:
            await TaxpayerStaff.insert(
                TaxpayerStaff(
                    key=key,
                    taxpayer=taxpayer_id,
                    person=person_id,
                    role=role.value,
                    registered_mobile=mobile,
                    registered_fixed_phone=fixed_phone,
                )
            )
    for entry in await registration_staff(taxpayer_id):
        if entry.person.id == person_id and entry.role == role.value:
            return entry
    raise RegistryError("办税人员信息保存失败，请稍后重试")


async def remove_staff_link(taxpayer_id: int, *, id_number: str, role: StaffRole) -> bool:
    """Take the person off the registration in ``role``; False when they were not on it."""
    person = await Person.select(Person.id).where(Person.id_number == id_number.strip().upper()).first()
    if person is None:
        return False
    removed = (
        await TaxpayerStaff.delete()
        .where(
            (TaxpayerStaff.taxpayer == taxpayer_id)
            & (TaxpayerStaff.person == int(person["id"]))
            & (TaxpayerStaff.role == role.value)
        )
        .returning(TaxpayerStaff.id)
    )
    return bool(removed)


async def set_status(taxpayer_id: int, status: str) -> None:
    """Set 纳税人状态 (one of ``TAXPAYER_STATUSES``)."""
    if status not in TAXPAYER_STATUSES:
        raise RegistryError(f"未知的纳税人状态“{status}”")
    changed = (
        await Taxpayer.update({Taxpayer.status: status})
        .where(Taxpayer.id == taxpayer_id)
        .returning(Taxpayer.id)
    )
    if not changed:
        raise RegistryError("未找到纳税人")


async def set_registered_tax(taxpayer_id: int, label: str, registered: bool) -> None:
    """Add or remove one tax in the registry's 税种登记 list (after a 税（费）种认定 decision)."""
    row = await Taxpayer.select(Taxpayer.registered_taxes).where(Taxpayer.id == taxpayer_id).first()
    if row is None:
        raise RegistryError("未找到纳税人")
    taxes = [
        part.strip() for part in re.split(r"[,，、]", str(row["registered_taxes"] or "")) if part.strip()
    ]
    if registered and label not in taxes:
        taxes.append(label)
    if not registered:
        taxes = [tax for tax in taxes if tax != label]
    await Taxpayer.update({Taxpayer.registered_taxes: ",".join(taxes)}).where(Taxpayer.id == taxpayer_id)


async def set_general_since(taxpayer_id: int, day: dt.date) -> None:
    """Record the date the taxpayer became 增值税一般纳税人."""
    await Taxpayer.update({Taxpayer.general_since: day}).where(Taxpayer.id == taxpayer_id)
