"""企业人员 at login: the people one may log in as, syncing them from the registration, and the checks
every chosen person must pass (frozen, still on the registration, real-name collected, a mobile number).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from etax.platform.auth.login import messages as msg
from etax.platform.auth.login.common import is_mobile
from etax.platform.auth.tables import StaffMember
from etax.platform.coresys.registry import StaffRecord, registration_staff
from etax.platform.coresys.tables import ROLE_LABELS
from etax.platform.identity import MANAGER_ROLES
from etax.platform.masking import mask_name

ROLE_RANK = {"legal_rep": 0, "finance_head": 1, "tax_officer": 2}


class StaffRow(msgspec.Struct, frozen=True, kw_only=True):
    """A StaffMember with the person's core-registry facts needed at login."""

    id: int
    taxpayer_id: int
    person_id: int
    name: str
    role: str
    real_name_collected: bool
    person_mobile: str
    person_fixed_phone: str
    personal_password_hash: str
    must_change_password: bool
    frozen: bool
    bound: bool
    failed_attempts: int
    locked_until: dt.datetime | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def lock_row(self) -> dict[str, Any]:
        """The lock columns of this staff member."""
        return {"id": self.id, "failed_attempts": self.failed_attempts, "locked_until": self.locked_until}


_COLUMNS = (
    StaffMember.id,
    StaffMember.taxpayer,
    StaffMember.role,
    StaffMember.personal_password_hash,
    StaffMember.must_change_password,
    StaffMember.frozen,
    StaffMember.bound,
    StaffMember.failed_attempts,
    StaffMember.locked_until,
    StaffMember.person.id,
    StaffMember.person.name,
    StaffMember.person.real_name_collected,
    StaffMember.person.mobile,
    StaffMember.person.fixed_phone,
)


def _row(data: dict[str, Any]) -> StaffRow:
    return StaffRow(
        id=int(data["id"]),
        taxpayer_id=int(data["taxpayer"]),
        person_id=int(data["person.id"]),
        name=str(data["person.name"]),
        role=str(data["role"]),
        real_name_collected=bool(data["person.real_name_collected"]),
        person_mobile=str(data["person.mobile"] or ""),
        person_fixed_phone=str(data["person.fixed_phone"] or ""),
        personal_password_hash=str(data["personal_password_hash"] or ""),
        must_change_password=bool(data["must_change_password"]),
        frozen=bool(data["frozen"]),
        bound=bool(data["bound"]),
        failed_attempts=int(data["failed_attempts"] or 0),
        locked_until=data["locked_until"],
    )


async def staff_of(taxpayer_id: int) -> list[StaffRow]:
    """The taxpayer's 企业人员: legal representative, financial head, then officers."""
    rows = await StaffMember.select(*_COLUMNS).where(StaffMember.taxpayer == taxpayer_id)
    staff = [_row(row) for row in rows]
    return sorted(staff, key=lambda s: (ROLE_RANK.get(s.role, 9), s.id))


async def staff_member(staff_id: int, taxpayer_id: int) -> StaffRow | None:
    """One 企业人员 of ``taxpayer_id`` (None when the id belongs to another taxpayer)."""
    row = (
        await StaffMember.select(*_COLUMNS)
        .where((StaffMember.id == staff_id) & (StaffMember.taxpayer == taxpayer_id))
        .first()
    )
    return None if row is None else _row(row)


def has_managers(staff: list[StaffRow]) -> bool:
    return any(s.role in MANAGER_ROLES for s in staff)


def staff_problem(staff: StaffRow, registration: list[StaffRecord]) -> str | None:
    """Why ``staff`` cannot log in now, in the seed's words, or None."""
    if staff.frozen:
        return msg.STAFF_FROZEN
    roles = {entry.role for entry in registration if entry.person.id == staff.person_id}
    if not roles or (staff.role in MANAGER_ROLES and staff.role not in roles):
        return msg.NOT_ON_REGISTRATION
    if not staff.real_name_collected:
        return msg.REAL_NAME_REQUIRED
    return None


def login_mobile(
    person_id: int, person_mobile: str, person_fixed_phone: str, registration: list[StaffRecord]
) -> tuple[str, str | None]:
    """The number an SMS code goes to: the registration's mobile, else the real-name record's.

    Returns ``(mobile, None)`` or ``("", message)`` — the FAQ 3 advice when the only number on file
    is a fixed-line one (or a non-mobile number typed into the mobile field).
    """
    entries = [entry for entry in registration if entry.person.id == person_id]
    candidates = [entry.registered_mobile for entry in entries] + [person_mobile]
    for candidate in candidates:
        if is_mobile(candidate):
            return candidate.strip(), None
    others = [entry.registered_fixed_phone for entry in entries] + [person_fixed_phone, *candidates]
    if any(other.strip() for other in others):
        return "", msg.FIXED_LINE_ONLY
    return "", msg.NO_MOBILE


class SyncReport(msgspec.Struct, kw_only=True):
    """What 同步办税人 did."""

    added: list[str] = msgspec.field(default_factory=list)
    updated: list[str] = msgspec.field(default_factory=list)
    skipped: list[str] = msgspec.field(default_factory=list)

    @property
    def summary(self) -> str:
        parts: list[str] = []
        if self.added:
            parts.append("已同步：" + "、".join(self.added))
        if self.updated:
            parts.append("已更新身份：" + "、".join(self.updated))
        if not parts and not self.skipped:
            parts.append("办税人员信息已是最新，无需更新")
        return "；".join(parts)


def _manager_roles(registration: list[StaffRecord]) -> dict[int, tuple[str, StaffRecord]]:
    """Per person, the highest manager role the registration gives them."""
    best: dict[int, tuple[str, StaffRecord]] = {}
    for entry in registration:
        if entry.role not in MANAGER_ROLES:
            continue
        current = best.get(entry.person.id)
        if current is None or ROLE_RANK[entry.role] < ROLE_RANK[current[0]]:
            best[entry.person.id] = (entry.role, entry)
    return best


async def sync_staff(taxpayer_id: int) -> SyncReport:
    """同步办税人: the registration's legal representative and financial head become 企业人员.

    Only real-name-collected people are synced; a person whose manager role left the registration
    but who is still on it as an officer is set back to 办税员.
    """
    registration = await registration_staff(taxpayer_id)
    existing = {s.person_id: s for s in await staff_of(taxpayer_id)}
    report = SyncReport()
    for person_id, (role, entry) in _manager_roles(registration).items():
        label = f"{ROLE_LABELS[role]} {mask_name(entry.person.name)}"
        if not entry.person.real_name_collected:
            report.skipped.append(f"{label} 尚未完成实名采集，未能同步，请先完成实名采集")
            continue
        current = existing.get(person_id)
        if current is None:
            await _insert(taxpayer_id, person_id, role)
            report.added.append(label)
        elif current.role != role:
            await StaffMember.update({StaffMember.role: role}).where(StaffMember.id == current.id)
            report.updated.append(label)
    managers = _manager_roles(registration)
    on_registration = {entry.person.id for entry in registration}
    for person_id, current in existing.items():
        if current.role in MANAGER_ROLES and person_id not in managers and person_id in on_registration:
            await StaffMember.update({StaffMember.role: "tax_officer"}).where(StaffMember.id == current.id)
            report.updated.append(f"办税员 {mask_name(current.name)}")
    return report


async def _insert(taxpayer_id: int, person_id: int, role: str) -> None:
    key = f"{taxpayer_id}:{person_id}"
    try:
        await StaffMember(key=key, taxpayer=taxpayer_id, person=person_id, role=role).save()
    except Exception:
        # Two syncs at once: the other one inserted the same person first, which is what we wanted.
        if not await StaffMember.exists().where(StaffMember.key == key):
            raise


async def manager_for_direct_login(taxpayer_id: int) -> tuple[StaffRow | None, str]:
    """The person a pure social-security account logs in as (legal rep first), syncing if needed."""
    registration = await registration_staff(taxpayer_id)
    staff = await staff_of(taxpayer_id)
    if not has_managers(staff):
        report = await sync_staff(taxpayer_id)
        staff = await staff_of(taxpayer_id)
        if not has_managers(staff):
            reason = "；".join(report.skipped) or "税务登记中没有法定代表人或财务负责人信息"
            return None, f"无法登录：{reason}"
    problems: list[str] = []
    for person in staff:
        if person.role not in MANAGER_ROLES:
            continue
        problem = staff_problem(person, registration)
        if problem is None:
            return person, ""
        problems.append(problem)
    return None, problems[0] if problems else msg.NOT_ON_REGISTRATION
