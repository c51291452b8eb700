"""Reading an enterprise's staff and identities, always limited to that enterprise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from etax.platform.auth.tables import NaturalPersonAccount, PermissionIdentity, StaffIdentity, StaffMember
from etax.platform.coresys.tables import ROLE_LABELS, TaxpayerStaff
from etax.platform.identity import StaffRole
from etax.platform.masking import mask_id_number, mask_mobile
from etax.platform.usercentre.grants import split_nodes

ROLE_ORDER: dict[str, int] = {StaffRole.LEGAL_REP: 0, StaffRole.FINANCE_HEAD: 1, StaffRole.TAX_OFFICER: 2}


@dataclass
class IdentityRow:
    """A 权限身份 of the enterprise."""

    id: int
    name: str
    description: str
    nodes: list[str]
    holders: int = 0


@dataclass
class StaffRow:
    """One 企业人员 as the maintenance table shows it."""

    id: int
    person_id: int
    name: str
    id_type: str
    id_number: str
    mobile: str
    real_name_collected: bool
    role: str
    frozen: bool
    bound: bool
    manage_rights: bool
    must_change_password: bool
    has_password: bool
    in_registration: bool = True
    has_natural_person_account: bool = False
    identities: list[str] = field(default_factory=list)
    identity_ids: list[int] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def is_officer(self) -> bool:
        return self.role == StaffRole.TAX_OFFICER

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile) if self.real_name_collected and self.mobile else ""

    @property
    def label(self) -> str:
        """How audit entries and messages name the person: ``办税员 张伟（2101**********0031）``."""
        return f"{self.role_label} {self.name}（{self.masked_id}）"

    def actions(self) -> list[str]:
        """The per-row actions offered (the server checks each again when it is confirmed)."""
        found: list[str] = []
        if self.is_officer:
            found.append("permissions")
            found.append("unfreeze" if self.frozen else "freeze")
        found.append("unbind" if self.bound else "bind")
        if self.is_officer:
            if not self.bound:
                found.append("reset")
            found.append("delete")
        return found


_STAFF_COLUMNS = (
    StaffMember.id,
    StaffMember.role,
    StaffMember.frozen,
    StaffMember.bound,
    StaffMember.manage_rights,
    StaffMember.must_change_password,
    StaffMember.personal_password_hash,
    StaffMember.person.id,
    StaffMember.person.name,
    StaffMember.person.id_type,
    StaffMember.person.id_number,
    StaffMember.person.mobile,
    StaffMember.person.real_name_collected,
)


def _row(data: dict[str, Any]) -> StaffRow:
    return StaffRow(
        id=int(data["id"]),
        person_id=int(data["person.id"]),
        name=str(data["person.name"]),
        id_type=str(data["person.id_type"]),
        id_number=str(data["person.id_number"]),
        mobile=str(data["person.mobile"] or ""),
        real_name_collected=bool(data["person.real_name_collected"]),
        role=str(data["role"]),
        frozen=bool(data["frozen"]),
        bound=bool(data["bound"]),
        manage_rights=bool(data["manage_rights"]),
        must_change_password=bool(data["must_change_password"]),
        has_password=bool(data["personal_password_hash"]),
    )


async def staff_member(taxpayer_id: int, staff_id: int) -> StaffRow | None:
    """One staff member of this enterprise, or None (also when it belongs to another enterprise)."""
    data = (
        await StaffMember.select(*_STAFF_COLUMNS)
        .where((StaffMember.id == staff_id) & (StaffMember.taxpayer == taxpayer_id))
        .first()
    )
    if data is None:
        return None
    row = _row(data)
    row.has_natural_person_account = bool(
        await NaturalPersonAccount.exists().where(NaturalPersonAccount.person == row.person_id)
    )
    for held in (
        await StaffIdentity.select(StaffIdentity.identity, StaffIdentity.identity.name)
        .where(StaffIdentity.staff == row.id)
        .order_by(StaffIdentity.identity)
    ):
        row.identity_ids.append(int(held["identity"]))
        row.identities.append(str(held["identity.name"]))
    return row


async def staff_list(taxpayer_id: int) -> list[StaffRow]:
    """Every staff member of this enterprise: legal representative, financial head, then officers."""
    rows = [
        _row(data)
        for data in (
            await StaffMember.select(*_STAFF_COLUMNS)
            .where(StaffMember.taxpayer == taxpayer_id)
            .order_by(StaffMember.id)
        )
    ]
    if not rows:
        return rows
    registered = {
        (int(r["person"]), str(r["role"]))
        for r in (
            await TaxpayerStaff.select(TaxpayerStaff.person, TaxpayerStaff.role).where(
                TaxpayerStaff.taxpayer == taxpayer_id
            )
        )
    }
    accounts = {
        int(r["person"])
        for r in (
            await NaturalPersonAccount.select(NaturalPersonAccount.person).where(
                NaturalPersonAccount.person.is_in([row.person_id for row in rows])
            )
        )
    }
    held: dict[int, list[tuple[int, str]]] = {}
    for r in (
        await StaffIdentity.select(StaffIdentity.staff, StaffIdentity.identity, StaffIdentity.identity.name)
        .where(StaffIdentity.staff.taxpayer == taxpayer_id)
        .order_by(StaffIdentity.identity)
    ):
        held.setdefault(int(r["staff"]), []).append((int(r["identity"]), str(r["identity.name"])))
    for row in rows:
        row.in_registration = (row.person_id, row.role) in registered
        row.has_natural_person_account = row.person_id in accounts
        row.identity_ids = [identity_id for identity_id, _ in held.get(row.id, [])]
        row.identities = [name for _, name in held.get(row.id, [])]
    rows.sort(key=lambda row: (ROLE_ORDER.get(row.role, 3), row.id))
    return rows


async def identity_list(taxpayer_id: int) -> list[IdentityRow]:
    """The enterprise's 权限身份, with how many officers hold each."""
    counts: dict[int, int] = {}
    for r in await StaffIdentity.select(StaffIdentity.identity).where(
        StaffIdentity.identity.taxpayer == taxpayer_id
    ):
        counts[int(r["identity"])] = counts.get(int(r["identity"]), 0) + 1
    return [
        IdentityRow(
            id=int(r["id"]),
            name=str(r["name"]),
            description=str(r["description"] or ""),
            nodes=split_nodes(str(r["nodes"] or "")),
            holders=counts.get(int(r["id"]), 0),
        )
        for r in (
            await PermissionIdentity.select(
                PermissionIdentity.id,
                PermissionIdentity.name,
                PermissionIdentity.description,
                PermissionIdentity.nodes,
            )
            .where(PermissionIdentity.taxpayer == taxpayer_id)
            .order_by(PermissionIdentity.id)
        )
    ]


async def identity(taxpayer_id: int, identity_id: int) -> IdentityRow | None:
    """One identity of this enterprise, or None (also when it belongs to another enterprise)."""
    for row in await identity_list(taxpayer_id):
        if row.id == identity_id:
            return row
    return None


async def own_identity_ids(taxpayer_id: int, wanted: list[str]) -> list[int] | None:
    """The identity ids in ``wanted`` if every one is this enterprise's, else None (tampering)."""
    ids: list[int] = []
    for text in wanted:
        if not text.isdigit() or len(text) > 12:
            return None
        ids.append(int(text))
    ids = sorted(set(ids))
    if not ids:
        return []
    found = await PermissionIdentity.select(PermissionIdentity.id).where(
        (PermissionIdentity.taxpayer == taxpayer_id) & PermissionIdentity.id.is_in(ids)
    )
    return ids if len(found) == len(ids) else None
