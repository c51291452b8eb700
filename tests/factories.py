"""Fresh taxpayers, people, staff and sessions for tests that must not touch the shared demo world."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from typing import Any

import msgspec
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.auth.passwords import hash_password
from etax.platform.auth.principal import SESSION_AUTH, SessionAuth
from etax.platform.auth.tables import NaturalPersonAccount, PermissionIdentity, StaffIdentity, StaffMember
from etax.platform.coresys.tables import Person, Taxpayer, TaxpayerStaff
from etax.platform.demo import resident_id, uscc

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
PASSWORD = "Shui@2026"


def new_tin() -> str:
    return uscc("91210102" + "".join(secrets.choice(CHARSET) for _ in range(9)))


def new_id_number() -> str:
    """A valid, practically unique 居民身份证号码 (random birth date and sequence)."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=secrets.randbelow(18000))
    return resident_id("210102" + birth.strftime("%Y%m%d") + f"{secrets.randbelow(1000):03d}")


class Enterprise(msgspec.Struct, kw_only=True):
    taxpayer_id: int
    tin: str
    staff: dict[str, int]  # role or name -> StaffMember id
    persons: dict[str, int]


async def _create_enterprise(name: str, officers: int, pure_social_security: bool) -> Enterprise:
    import datetime as dt

    tin = new_tin()
    taxpayer = Taxpayer(
        tin=tin,
        name=name,
        tax_office="国家税务总局沈阳市和平区税务局",
        registered_on=dt.date(2020, 1, 1),
        pure_social_security=pure_social_security,
    )
    await taxpayer.save()
    password_hash = await hash_password(PASSWORD)
    staff: dict[str, int] = {}
    persons: dict[str, int] = {}
    roles = ["legal_rep", "finance_head"] + [f"tax_officer{i}" for i in range(officers)]
    for role in roles:
        person = Person(
            name=f"测试{role}",
            id_number=new_id_number(),
            mobile="139" + secrets.token_hex(4)[:8],
            real_name_collected=True,
        )
        person.mobile = "139" + "".join(secrets.choice("0123456789") for _ in range(8))
        await person.save()
        plain_role = "tax_officer" if role.startswith("tax_officer") else role
        await TaxpayerStaff(
            key=f"{tin}:{person.id}:{plain_role}",
            taxpayer=taxpayer.id,
            person=person.id,
            role=plain_role,
            registered_mobile=person.mobile,
        ).save()
        member = StaffMember(
            key=f"{taxpayer.id}:{person.id}",
            taxpayer=taxpayer.id,
            person=person.id,
            role=plain_role,
            personal_password_hash=password_hash,
        )
        await member.save()
        staff[role] = int(member.id)
        persons[role] = int(person.id)
    return Enterprise(taxpayer_id=int(taxpayer.id), tin=tin, staff=staff, persons=persons)


def create_enterprise(
    name: str = "测试企业有限公司", officers: int = 1, pure_social_security: bool = False
) -> Enterprise:
    """A taxpayer with legal rep, financial head and ``officers`` tax officers, all with a personal password."""
    return asyncio.run(_create_enterprise(name, officers, pure_social_security))


async def _grant(taxpayer_id: int, staff_id: int, nodes: list[str]) -> int:
    identity = PermissionIdentity(
        key=f"{taxpayer_id}:{secrets.token_hex(6)}",
        taxpayer=taxpayer_id,
        name="测试身份" + secrets.token_hex(3),
        nodes="\n".join(nodes),
    )
    await identity.save()
    await StaffIdentity(key=f"{staff_id}:{identity.id}", staff=staff_id, identity=identity.id).save()
    return int(identity.id)


def grant(enterprise: Enterprise, role: str, nodes: list[str]) -> int:
    """Give the officer ``role`` a new identity holding ``nodes`` (function codes or tree branches)."""
    return asyncio.run(_grant(enterprise.taxpayer_id, enterprise.staff[role], nodes))


async def _natural_person() -> int:
    person = Person(
        name="测试自然人", id_number=new_id_number(), mobile="13700000000", real_name_collected=True
    )
    await person.save()
    account = NaturalPersonAccount(
        person=person.id, username="np" + secrets.token_hex(5), password_hash=await hash_password(PASSWORD)
    )
    await account.save()
    return int(account.id)


def create_natural_person() -> int:
    return asyncio.run(_natural_person())


def log_in(client: TestClient[Litestar], auth: SessionAuth) -> None:
    """Put a real server-side session for ``auth`` into ``client`` (as a completed login would)."""
    data: dict[str, Any] = {SESSION_AUTH: msgspec.to_builtins(auth)}
    client.set_session_data(data)


def log_in_staff(client: TestClient[Litestar], enterprise: Enterprise, role: str) -> None:
    log_in(
        client,
        SessionAuth(kind="enterprise", taxpayer_id=enterprise.taxpayer_id, staff_id=enterprise.staff[role]),
    )
