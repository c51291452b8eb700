"""添加办税人员: 搜索 → 下一步 → 确定.

Only a person registered as a tax officer (办税人员) on this enterprise's tax registration, with a
real-name record (实名采集), can be found and added. The searched person travels through the steps
in hidden fields and is searched again at every step, so a changed registration or a tampered field
never adds anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform.auth.passwords import hash_password, verify_password
from etax.platform.auth.tables import StaffIdentity, StaffMember
from etax.platform.coresys.tables import ROLE_LABELS, Person, TaxpayerStaff
from etax.platform.db.integrity import is_unique_violation
from etax.platform.forms import read_form, submitted, submitted_list, submitted_values
from etax.platform.identity import StaffRole
from etax.platform.masking import mask_id_number, mask_mobile
from etax.platform.usercentre import queries
from etax.platform.usercentre.common import identities_page, manager, set_notice, write_audit
from etax.platform.usercentre.forms import ID_TYPES, OfficerDetailsForm, OfficerSearchForm, as_list
from etax.platform.usercentre.functions import STAFF
from etax.platform.usercentre.passwords import SAME_AS_ENTERPRISE, enterprise_hash
from etax.platform.usercentre.wording import (
    NO_IDENTITY_TICKED,
    NOT_FOUND,
    NOT_REAL_NAME,
    TIP,
)

BASE = "/usercentre/staff/add"


@dataclass(frozen=True)
class Candidate:
    """A person found by the search, ready to be added."""

    person_id: int
    name: str
    id_type: str
    id_number: str
    mobile: str

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


async def find_officer(taxpayer_id: int, form: OfficerSearchForm) -> tuple[Candidate | None, str]:
    """The tax officer of this enterprise matching name + ID type + ID number, or a message."""
    person = await Person.select().where(Person.id_number == form.number).first()
    if person is None or person["name"] != form.name or person["id_type"] != form.id_type:
        return None, NOT_FOUND
    person_id = int(person["id"])
    roles = {
        str(r["role"])
        for r in (
            await TaxpayerStaff.select(TaxpayerStaff.role).where(
                (TaxpayerStaff.taxpayer == taxpayer_id) & (TaxpayerStaff.person == person_id)
            )
        )
    }
    if StaffRole.TAX_OFFICER not in roles:
        return None, NOT_FOUND
    existing = (
        await StaffMember.select(StaffMember.role)
        .where((StaffMember.taxpayer == taxpayer_id) & (StaffMember.person == person_id))
        .first()
    )
    if existing is not None:
        role = ROLE_LABELS.get(str(existing["role"]), "")
        return (
            None,
            f"{form.name}已是本企业人员（{role}），无需重复添加；如需调整其权限，请在人员列表中点击【修改权限】。",
        )
    if not person["real_name_collected"]:
        return None, NOT_REAL_NAME
    registered = (
        await TaxpayerStaff.select(TaxpayerStaff.registered_mobile)
        .where(
            (TaxpayerStaff.taxpayer == taxpayer_id)
            & (TaxpayerStaff.person == person_id)
            & (TaxpayerStaff.role == StaffRole.TAX_OFFICER.value)
        )
        .first()
    )
    mobile = str(person["mobile"] or "") or str((registered or {}).get("registered_mobile") or "")
    return (
        Candidate(
            person_id=person_id,
            name=str(person["name"]),
            id_type=str(person["id_type"]),
            id_number=str(person["id_number"]),
            mobile=mobile,
        ),
        "",
    )


def _search_page(
    form: dict[str, str], errors: dict[str, str], candidate: Candidate | None = None
) -> Template:
    return Template(
        "usercentre/officer_search.html",
        context={"form": form, "errors": errors, "candidate": candidate, "id_types": ID_TYPES, "tip": TIP},
        status_code=400 if errors else 200,
    )


async def _details_page(
    taxpayer_id: int, candidate: Candidate, chosen: set[str], manage_rights: bool, errors: dict[str, str]
) -> Template:
    return await identities_page(
        "usercentre/officer_details.html", taxpayer_id, chosen, manage_rights, errors, candidate=candidate
    )


async def _raw(request: Request[Any, Any, Any]) -> dict[str, str]:
    return await submitted_values(request, ("name", "id_type", "id_number"), 30)


class OfficerController(Controller):
    """添加办税人员 (legal representative and financial head only)."""

    path = BASE
    opt = {"function": STAFF.code}

    @get("/")
    async def search_form(self, request: Request[Any, Any, Any]) -> Template:
        await manager(request)
        return _search_page({"name": "", "id_type": ID_TYPES[0], "id_number": ""}, {})

    @post("/")
    async def run_search(self, request: Request[Any, Any, Any]) -> Template:
        _, taxpayer_id = await manager(request)
        form, errors = await read_form(request, OfficerSearchForm)
        if form is None:
            return _search_page(await _raw(request), errors)
        candidate, message = await find_officer(taxpayer_id, form)
        if candidate is None:
            return _search_page(await _raw(request), {"_form": message})
        return _search_page(await _raw(request), {}, candidate)

    @post("/details")
    async def details(self, request: Request[Any, Any, Any]) -> Template:
        _, taxpayer_id = await manager(request)
        form, errors = await read_form(request, OfficerSearchForm)
        candidate, message = (None, "") if form is None else await find_officer(taxpayer_id, form)
        if candidate is None:
            return _search_page(await _raw(request), errors or {"_form": message})
        return await _details_page(taxpayer_id, candidate, set(), False, {})

    @post("/confirm")
    async def confirm(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        principal, taxpayer_id = await manager(request)
        form, errors = await read_form(request, OfficerSearchForm)
        candidate, message = (None, "") if form is None else await find_officer(taxpayer_id, form)
        if candidate is None:
            return _search_page(await _raw(request), errors or {"_form": message})
        details, errors = await read_form(request, OfficerDetailsForm)
        raw = await submitted(request)
        chosen = set(submitted_list(raw, "identities"))
        manage_rights = bool(raw.get("manage_rights"))
        if details is None:
            return await _details_page(taxpayer_id, candidate, chosen, manage_rights, errors)
        ids = await queries.own_identity_ids(taxpayer_id, as_list(details.identities))
        if ids is None:
            raise NotFoundException()
        company = await enterprise_hash(taxpayer_id)
        if company and await verify_password(company, details.password):
            errors = {"password": SAME_AS_ENTERPRISE}
            return await _details_page(taxpayer_id, candidate, chosen, manage_rights, errors)
        if not ids:
            errors = {"identities": NO_IDENTITY_TICKED}
            return await _details_page(taxpayer_id, candidate, chosen, manage_rights, errors)
        password_hash = await hash_password(details.password)
        try:
            async with StaffMember._meta.db.transaction():
                staff = StaffMember(
                    key=f"{taxpayer_id}:{candidate.person_id}",
                    taxpayer=taxpayer_id,
                    person=candidate.person_id,
                    role=StaffRole.TAX_OFFICER.value,
                    personal_password_hash=password_hash,
                    manage_rights=manage_rights,
                )
                await staff.save()
                for identity_id in ids:
                    await StaffIdentity(
                        key=f"{staff.id}:{identity_id}", staff=staff.id, identity=identity_id
                    ).save()
        except Exception as error:
            if not is_unique_violation(error):
                raise
            return _search_page(
                await _raw(request), {"_form": f"{candidate.name}已是本企业人员，无需重复添加"}
            )
        target = f"办税员 {candidate.name}（{candidate.masked_id}）"
        await write_audit(
            request,
            principal,
            "usercentre.officer.add",
            "success",
            target=target,
            detail=f"权限身份 {ids}；管理权限 {'有' if manage_rights else '无'}",
        )
        set_notice(request, f"已添加{target}。")
        return Redirect("/usercentre/staff", status_code=303)
