"""Reading an enterprise's agency certifications (涉税中介机构信息查询), page by page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from etax.platform.auth.tables import AgencyCertification
from etax.platform.listing import PageRequest

CERTIFICATION_STATUS = {"active": "有效", "cancelled": "已取消"}


class CertificationRow(msgspec.Struct, frozen=True, kw_only=True):
    """A tax agency the enterprise certified (委托), with the scope and validity of the delegation."""

    id: int
    agency_name: str
    agency_tin: str
    nodes: str
    valid_until: dt.date
    status: str
    created_at: dt.datetime

    @property
    def scope(self) -> list[str]:
        """The delegated function branches (tree node codes)."""
        return [line for line in self.nodes.splitlines() if line.strip()]


def _where(client_id: int, status: str, text: str) -> Any:
    where: Any = AgencyCertification.client == client_id
    if status:
        where &= AgencyCertification.status == status
    if text:
        where &= AgencyCertification.agency.name.ilike(f"%{text.replace('%', '').replace('_', '')}%")
    return where


def _select() -> Any:
    return AgencyCertification.select(
        AgencyCertification.id,
        AgencyCertification.agency.name.as_alias("agency_name"),
        AgencyCertification.agency.tin.as_alias("agency_tin"),
        AgencyCertification.nodes,
        AgencyCertification.valid_until,
        AgencyCertification.status,
        AgencyCertification.created_at,
    )


async def agency_certifications(
    client_id: int, page: PageRequest, *, status: str = "", text: str = ""
) -> list[CertificationRow]:
    """One keyset page of the agencies ``client_id`` certified."""
    rows = await page.apply(_select().where(_where(client_id, status, text)))
    return [msgspec.convert(row, CertificationRow) for row in rows]


async def count_agency_certifications(client_id: int, *, status: str = "", text: str = "") -> int:
    return int(await AgencyCertification.count().where(_where(client_id, status, text)))


async def agency_certification(client_id: int, certification_id: int) -> CertificationRow | None:
    row = (
        await _select()
        .where((AgencyCertification.id == certification_id) & (AgencyCertification.client == client_id))
        .first()
    )
    return None if row is None else msgspec.convert(row, CertificationRow)
