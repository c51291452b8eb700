"""Reading the core registry: taxpayer and person look-ups used by login and public queries."""

from __future__ import annotations

import datetime as dt

import msgspec

from etax.platform.coresys.tables import ROLE_LABELS, Person, Taxpayer, TaxpayerStaff

CITY_MAINTENANCE_RATES = {"市区": "7%", "县城、镇": "5%", "其他": "1%"}


class TaxpayerRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A taxpayer as the core registry holds it."""

    id: int
    tin: str
    name: str
    taxpayer_type: str
    status: str
    location_class: str
    tax_office: str
    pure_social_security: bool
    is_agency: bool
    registered_taxes: str
    registered_on: dt.date
    general_since: dt.date | None
    address: str
    industry: str = ""

    @property
    def city_maintenance_rate(self) -> str:
        return CITY_MAINTENANCE_RATES.get(self.location_class, "1%")


class PersonRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    id_type: str
    id_number: str
    mobile: str
    fixed_phone: str
    real_name_collected: bool


class StaffRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A person on a taxpayer's registration."""

    person: PersonRecord
    role: str
    registered_mobile: str
    registered_fixed_phone: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


async def taxpayer_by_tin(tin: str) -> TaxpayerRecord | None:
    row = await Taxpayer.select().where(Taxpayer.tin == tin).first()
    return None if row is None else msgspec.convert(row, TaxpayerRecord)


async def taxpayer_by_id(taxpayer_id: int) -> TaxpayerRecord | None:
    row = await Taxpayer.select().where(Taxpayer.id == taxpayer_id).first()
    return None if row is None else msgspec.convert(row, TaxpayerRecord)


async def person_by_id_number(id_number: str) -> PersonRecord | None:
    row = await Person.select().where(Person.id_number == id_number).first()
    return None if row is None else msgspec.convert(row, PersonRecord)


async def person_by_id(person_id: int) -> PersonRecord | None:
    row = await Person.select().where(Person.id == person_id).first()
    return None if row is None else msgspec.convert(row, PersonRecord)


async def registration_staff(taxpayer_id: int) -> list[StaffRecord]:
    """The legal representative, financial head and tax officers on the registration."""
    rows = (
        await TaxpayerStaff.select(
            TaxpayerStaff.role,
            TaxpayerStaff.registered_mobile,
            TaxpayerStaff.registered_fixed_phone,
            *TaxpayerStaff.person.all_columns(),
        )
        .where(TaxpayerStaff.taxpayer == taxpayer_id)
        .order_by(TaxpayerStaff.id)
    )
    staff: list[StaffRecord] = []
    for row in rows:
        person = {
            key.removeprefix("person."): value for key, value in row.items() if key.startswith("person.")
        }
        staff.append(
            StaffRecord(
                person=msgspec.convert(person, PersonRecord),
                role=str(row["role"]),
                registered_mobile=str(row["registered_mobile"]),
                registered_fixed_phone=str(row["registered_fixed_phone"]),
            )
        )
    return staff
