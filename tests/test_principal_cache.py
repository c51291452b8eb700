"""The per-worker cache of logged-in principals (issue 18): a principal is resolved once and then served from
memory, yet every change to what it is made of — made by any writer, here plain database writes that no
platform service sees — takes effect at the very next request (the database's triggers raise
``auth_principal_version``). Each test first warms the cache (and checks it is warm), then changes one thing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import clock
from etax.platform.admin.switches import switch
from etax.platform.auth.passwords import hash_password
from etax.platform.auth.principal import SessionAuth, credential_of, fingerprint
from etax.platform.auth.principal_cache import PrincipalCache, principal_version
from etax.platform.auth.tables import (
    AgencyCertification,
    EnterpriseAccount,
    NaturalPersonAccount,
    PermissionIdentity,
    StaffIdentity,
    StaffMember,
)
from etax.platform.coresys.tables import Person, Taxpayer
from etax.platform.runtime import get_runtime
from etax.platform.settings import Settings
from tests.conftest import BACKEND
from tests.usercentre_helpers import (
    ALPHA,
    BETA,
    Enterprise,
    Member,
    add_identity,
    add_person,
    certify,
    create_enterprise,
    fetch,
    grant,
    login,
    new_client,
    run,
    usercentre_app,
)

INFO = "/usercentre/taxpayer-info"
IDENTITY = 'data-testid="identity"'


@pytest.fixture(scope="module")
def uc_app(settings: Settings, database: str) -> Litestar:
    return usercentre_app(settings)


@pytest.fixture()
def enterprise() -> Enterprise:
    return run(create_enterprise("缓存测试有限公司"))


@pytest.fixture()
def officer(enterprise: Enterprise) -> Member:
    member = run(add_person(enterprise.taxpayer_id, "缓存办税员", staff=True, natural_account=True))
    run(grant(member, run(add_identity(enterprise, "缓存查询", [ALPHA.code]))))
    return member


def cache_of(app: Litestar) -> PrincipalCache:
    resolver = get_runtime(app).resolver
    assert isinstance(resolver, PrincipalCache)
    return resolver


def officer_auth(enterprise: Enterprise, member: Member) -> SessionAuth:
    """The officer's login as the login flows store it: with the fingerprint of its passwords."""
    auth = SessionAuth(kind="enterprise", taxpayer_id=enterprise.taxpayer_id, staff_id=member.staff)
    return SessionAuth(
        kind=auth.kind,
        taxpayer_id=auth.taxpayer_id,
        staff_id=auth.staff_id,
        credential=run(credential_of(auth)),
    )


@pytest.fixture()
def officer_client(
    uc_app: Litestar, enterprise: Enterprise, officer: Member
) -> Iterator[TestClient[Litestar]]:
    with new_client(uc_app) as client:
        login(client, officer_auth(enterprise, officer))
        yield client


def warm(app: Litestar, client: TestClient[Litestar], auth: SessionAuth, url: str = ALPHA.url) -> None:
    """Open ``url`` twice: the principal is now cached, under the current counter."""
    for _ in range(2):
        assert fetch(client, url).status_code == 200, url
    assert cache_of(app).peek(get_runtime(app), auth) is not None


def refused_login(response: Any) -> bool:
    return response.status_code in (302, 303) and str(response.headers["location"]).startswith("/login")


async def _done(query: Any) -> Any:
    return await query


def write(query: Any) -> Any:
    """Run one plain database query (no platform service involved)."""
    return run(_done(query))


def counter() -> int:
    value = run(principal_version())
    assert value is not None
    return value


def test_freezing_an_officer_refuses_the_next_request(
    uc_app: Litestar, officer_client: TestClient[Litestar], enterprise: Enterprise, officer: Member
) -> None:
    warm(uc_app, officer_client, officer_auth(enterprise, officer))
    write(StaffMember.update({StaffMember.frozen: True}).where(StaffMember.id == officer.staff))
    assert refused_login(fetch(officer_client, ALPHA.url))


def test_deleting_an_officer_refuses_the_next_request(
    uc_app: Litestar, officer_client: TestClient[Litestar], enterprise: Enterprise, officer: Member
) -> None:
    warm(uc_app, officer_client, officer_auth(enterprise, officer))
    write(StaffIdentity.delete().where(StaffIdentity.staff == officer.staff))
    write(StaffMember.delete().where(StaffMember.id == officer.staff))
    assert refused_login(fetch(officer_client, ALPHA.url))
    assert IDENTITY not in officer_client.get("/").text


def test_taking_and_giving_an_identity_changes_the_next_request(
    uc_app: Litestar, officer_client: TestClient[Litestar], enterprise: Enterprise, officer: Member
) -> None:
    warm(uc_app, officer_client, officer_auth(enterprise, officer))
    write(StaffIdentity.delete().where(StaffIdentity.staff == officer.staff))
    assert fetch(officer_client, ALPHA.url).status_code == 403
    run(grant(officer, run(add_identity(enterprise, "缓存办理", [BETA.code]))))
    assert fetch(officer_client, BETA.url).status_code == 200
    assert fetch(officer_client, ALPHA.url).status_code == 403


def test_changing_an_identitys_nodes_changes_the_next_request(
    uc_app: Litestar, officer_client: TestClient[Litestar], enterprise: Enterprise, officer: Member
) -> None:
    warm(uc_app, officer_client, officer_auth(enterprise, officer))
    assert fetch(officer_client, BETA.url).status_code == 403
    write(
        PermissionIdentity.update({PermissionIdentity.nodes: BETA.code}).where(
            PermissionIdentity.taxpayer == enterprise.taxpayer_id
        )
    )
    assert fetch(officer_client, ALPHA.url).status_code == 403
    assert fetch(officer_client, BETA.url).status_code == 200


@pytest.mark.parametrize("which", ["personal", "enterprise"])
def test_a_changed_password_ends_the_cached_login(
    uc_app: Litestar,
    officer_client: TestClient[Litestar],
    enterprise: Enterprise,
    officer: Member,
    which: str,
) -> None:
    warm(uc_app, officer_client, officer_auth(enterprise, officer))
    new_hash = run(hash_password("Xinmima#2026"))
    if which == "personal":
        write(
            StaffMember.update({StaffMember.personal_password_hash: new_hash}).where(
                StaffMember.id == officer.staff
            )
        )
    else:
        write(
            EnterpriseAccount.update({EnterpriseAccount.password_hash: new_hash}).where(
                EnterpriseAccount.taxpayer == enterprise.taxpayer_id
            )
        )
    assert refused_login(fetch(officer_client, ALPHA.url))


def test_a_changed_natural_person_password_ends_the_cached_login(uc_app: Litestar, officer: Member) -> None:
    account = write(
        NaturalPersonAccount.select(NaturalPersonAccount.id, NaturalPersonAccount.password_hash)
        .where(NaturalPersonAccount.person == officer.person_id)
        .first()
    )
    assert account is not None
    auth = SessionAuth(
        kind="natural_person", account_id=int(account["id"]), credential=fingerprint(account["password_hash"])
    )
    with new_client(uc_app) as client:
        login(client, auth)
        warm(uc_app, client, auth, "/")
        assert "缓存办税员" in client.get("/").text
        new_hash = run(hash_password("Xinmima#2026"))
        write(
            NaturalPersonAccount.update({NaturalPersonAccount.password_hash: new_hash}).where(
                NaturalPersonAccount.id == account["id"]
            )
        )
        assert IDENTITY not in client.get("/").text


@pytest.fixture()
def agency_client(
    uc_app: Litestar, enterprise: Enterprise
) -> Iterator[tuple[TestClient[Litestar], int, SessionAuth]]:
    agency = run(create_enterprise("缓存税务师事务所", is_agency=True))
    agent = run(add_person(agency.taxpayer_id, "缓存代理人", staff=True))
    cert = run(certify(enterprise, agency, ["usercentre.taxpayer_info"], valid_until=clock.today()))
    agreement = write(
        AgencyCertification.select(AgencyCertification.agreement_password_hash)
        .where(AgencyCertification.id == cert)
        .first()
    )
    assert agreement is not None
    auth = SessionAuth(
        kind="agency",
        taxpayer_id=agency.taxpayer_id,
        staff_id=agent.staff,
        client_taxpayer_id=enterprise.taxpayer_id,
        certification_id=cert,
        agreement=fingerprint(agreement["agreement_password_hash"]),
    )
    with new_client(uc_app) as client:
        login(client, auth)
        yield client, cert, auth


@pytest.mark.parametrize(
    "change",
    [
        {AgencyCertification.status: "cancelled"},
        {AgencyCertification.nodes: BETA.code},
        {AgencyCertification.valid_until: dt.date(2020, 1, 1)},
        {AgencyCertification.agreement_password_hash: "renewed with a new 协议密码"},
    ],
    ids=["cancelled", "delegation", "shortened", "renewed"],
)
def test_a_changed_certification_takes_the_client_away_at_the_next_request(
    uc_app: Litestar, agency_client: tuple[TestClient[Litestar], int, SessionAuth], change: dict[Any, Any]
) -> None:
    client, cert, auth = agency_client
    warm(uc_app, client, auth, INFO)
    write(AgencyCertification.update(change).where(AgencyCertification.id == cert))
    assert fetch(client, INFO).status_code == 403


def test_a_certification_expires_with_the_platform_clocks_day(
    uc_app: Litestar,
    agency_client: tuple[TestClient[Litestar], int, SessionAuth],
    pin_clock: Any,
) -> None:
    client, _, auth = agency_client
    warm(uc_app, client, auth, INFO)  # valid through its last day, today
    version = counter()
    pin_clock(clock.today() + dt.timedelta(days=1))
    assert fetch(client, INFO).status_code == 403  # the next day: nothing was written, the day changed
    assert counter() == version


def test_renaming_the_taxpayer_or_the_person_shows_at_the_next_request(
    uc_app: Litestar, officer_client: TestClient[Litestar], enterprise: Enterprise, officer: Member
) -> None:
    warm(uc_app, officer_client, officer_auth(enterprise, officer), "/")
    write(Taxpayer.update({Taxpayer.name: "缓存更名后有限公司"}).where(Taxpayer.id == enterprise.taxpayer_id))
    assert "缓存更名后有限公司" in officer_client.get("/").text
    write(Person.update({Person.name: "缓存改名员"}).where(Person.id == officer.person_id))
    assert "缓存改名员" in officer_client.get("/").text


def test_a_principal_resolved_while_a_plugin_was_off_gets_its_functions_back_when_it_is_on(
    uc_app: Litestar, officer_client: TestClient[Litestar], enterprise: Enterprise, officer: Member
) -> None:
    spec = get_runtime(uc_app).registry.get(ALPHA.code)
    assert spec is not None
    try:
        assert run(switch(spec.plugin, True, "test"))
        assert fetch(officer_client, ALPHA.url).status_code == 404  # 暂停办理
        warm(uc_app, officer_client, officer_auth(enterprise, officer), "/")  # resolved without ALPHA's tree
    finally:
        run(switch(spec.plugin, False, "test"))
    assert fetch(officer_client, ALPHA.url).status_code == 200


def test_a_logins_own_bookkeeping_keeps_every_cached_principal(
    enterprise: Enterprise, officer: Member
) -> None:
    """Failed attempts, lock-outs and last-login times are written at every login: they must not
    invalidate every worker's cache; neither does a write that changes no value."""
    before = counter()
    later = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    write(
        StaffMember.update(
            {
                StaffMember.failed_attempts: 3,
                StaffMember.locked_until: later,
                StaffMember.last_login_at: later,
            }
        ).where(StaffMember.id == officer.staff)
    )
    write(
        EnterpriseAccount.update(
            {EnterpriseAccount.failed_attempts: 2, EnterpriseAccount.locked_until: later}
        ).where(EnterpriseAccount.taxpayer == enterprise.taxpayer_id)
    )
    write(
        NaturalPersonAccount.update({NaturalPersonAccount.failed_attempts: 1}).where(
            NaturalPersonAccount.person == officer.person_id
        )
    )
    write(StaffMember.update({StaffMember.frozen: False}).where(StaffMember.id == officer.staff))  # unchanged
    write(Person.update({Person.mobile: "13900000000"}).where(Person.id == officer.person_id))
    assert counter() == before
    write(StaffMember.update({StaffMember.must_change_password: True}).where(StaffMember.id == officer.staff))
    assert counter() == before + 1


def test_the_cache_is_bounded_least_recently_used_first_out(
    uc_app: Litestar, enterprise: Enterprise, officer: Member
) -> None:
    runtime = get_runtime(uc_app)
    cache = PrincipalCache(capacity=2)
    logins = [
        officer_auth(enterprise, member)
        for member in (enterprise.legal_rep, enterprise.finance_head, officer)
    ]

    async def resolve_all() -> None:
        for auth in (logins[0], logins[1], logins[0], logins[2]):
            assert await cache.resolve(runtime, auth) is not None

    run(resolve_all())
    assert len(cache) == 2
    assert cache.peek(runtime, logins[0]) is not None and cache.peek(runtime, logins[2]) is not None
    assert cache.peek(runtime, logins[1]) is None  # the least recently used


RENAME = "UPDATE coresys_taxpayer SET name = $1 WHERE id = $2 /* {step} */"


async def _settled(watcher: asyncpg.Connection, backend: asyncpg.Connection, step: str) -> str:
    """Wait until ``backend`` has received the statement of ``step`` and it has finished ("idle in
    transaction") or waits for a lock ("Lock"); no time limit is involved, only the server's own report."""
    pid = backend.get_server_pid()
    while True:
        row = await watcher.fetchrow(
            "SELECT state, wait_event_type, query FROM pg_stat_activity WHERE pid = $1", pid
        )
        assert row is not None
        if f"/* {step} */" in str(row["query"]):
            if row["wait_event_type"] == "Lock":
                return "Lock"
            if row["state"] == "idle in transaction":
                return str(row["state"])
        await asyncio.sleep(0.01)


async def _crossing_renames(dsn: str, first: Enterprise, second: Enterprise) -> tuple[str, str]:
    """T1 renames ``first`` and then ``second``; T2 renames ``second`` in between and commits first.

    With the counter raised mid-transaction, T1 held the counter from its first write, T2 waited for it
    while holding ``second``'s row, and T1's second write waited for T2: a deadlock PostgreSQL broke by
    failing one of them. Raised at commit, T2 goes through, T1 waits only for ``second``'s row (the plain
    row lock) and both commit. Returns how T2's write settled and T1's second write waited.
    """
    t1, t2, watcher = [await asyncpg.connect(dsn) for _ in range(3)]
    try:
        tx1, tx2 = t1.transaction(), t2.transaction()
        await tx1.start()
        await tx2.start()
        await t1.execute(RENAME.format(step="t1 first"), first.name + "（T1）", first.taxpayer_id)
        t2_write = asyncio.create_task(
            t2.execute(RENAME.format(step="t2"), second.name + "（T2）", second.taxpayer_id)
        )
        t2_settled = await _settled(watcher, t2, "t2")
        t1_write = asyncio.create_task(
            t1.execute(RENAME.format(step="t1 second"), second.name + "（T1）", second.taxpayer_id)
        )
        t1_settled = await _settled(watcher, t1, "t1 second")
        await t2_write
        await tx2.commit()
        await t1_write
        await tx1.commit()
        return t2_settled, t1_settled
    finally:
        for connection in (t1, t2, watcher):
            await connection.close()


@pytest.mark.skipif(BACKEND != "postgres", reason="concurrent writers: PostgreSQL (SQLite has one writer)")
def test_concurrent_watched_writes_in_crossing_order_both_commit_and_refresh_the_principal(
    uc_app: Litestar,
    officer_client: TestClient[Litestar],
    enterprise: Enterprise,
    officer: Member,
    settings: Settings,
) -> None:
    warm(uc_app, officer_client, officer_auth(enterprise, officer), "/")
    other = run(create_enterprise("缓存并发有限公司"))
    before = counter()
    t2_settled, t1_settled = run(_crossing_renames(settings.database_url, enterprise, other))
    assert t2_settled == "idle in transaction"  # T2's watched write did not wait for T1's watched write
    assert t1_settled == "Lock"  # T1's write of T2's row waited for that row only
    assert counter() == before + 2  # each committed transaction raised the counter once
    assert enterprise.name + "（T1）" in officer_client.get("/").text  # the cached principal was refreshed
    names = write(Taxpayer.select(Taxpayer.name).where(Taxpayer.id == other.taxpayer_id).first())
    assert names == {"name": other.name + "（T1）"}
