"""Logged-in pages stored per session (issue 18): the home page and the query centre are answered from memory
while nothing they show changed, and every change — made by any writer, here plain database writes and the
back office, as another instance would — shows at the very next request; a freeze, a removed grant or an
ended session takes effect at once; one visitor never gets another's page."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import secrets
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from piccolo.engine import engine_finder

from etax.platform import clock, dataversion
from etax.platform import ledger as L
from etax.platform.audit.tables import AuditLog
from etax.platform.auth.tables import StaffIdentity, StaffMember
from etax.platform.web.session_pages import SessionPages, StoredPage, session_pages
from tests.conftest import BACKEND, new_client
from tests.factories import Enterprise, create_enterprise, grant, log_in_staff
from tests.matters_support import sign_and_pay
from tests.test_admin_support import log_in_as, post, run

QUERY = "/query/declarations"
NAMES: dict[int, str] = {}


def named(name: str, officers: int) -> Enterprise:
    made = create_enterprise(name=name + secrets.token_hex(2), officers=officers)
    NAMES[made.taxpayer_id] = name
    return made


def name_of(enterprise: Enterprise) -> str:
    return NAMES[enterprise.taxpayer_id]


def stored_answer(app: Litestar, client: TestClient[Litestar], path: str) -> httpx.Response:
    """``path`` answered from the stored pages: at most the one version read, no page work."""
    engine = engine_finder()
    assert engine is not None
    before, pages = engine.query_id, len(session_pages(app))
    response = client.get(path)
    assert response.status_code == 200, path
    assert engine.query_id - before <= 1 and len(session_pages(app)) == pages, path
    return response


def warm(app: Litestar, client: TestClient[Litestar], path: str) -> httpx.Response:
    """Visit ``path`` until it is stored (the first visits bind the CSRF token and push the session's
    write time), then once more from the store."""
    for _ in range(3):
        assert client.get(path).status_code == 200
    return stored_answer(app, client, path)


@pytest.fixture()
def enterprise() -> Enterprise:
    return registered(named("存储页面测试有限公司", officers=1))


def registered(made: Enterprise) -> Enterprise:
    """A general VAT taxpayer filing monthly since three months ago (returns overdue: 逾期未申报)."""
    start = clock.today().replace(day=1) - dt.timedelta(days=95)
    run(L.set_taxpayer_kind(made.taxpayer_id, L.TaxpayerKind.GENERAL, start))
    run(L.register_tax(made.taxpayer_id, L.TaxType.VAT, L.PeriodKind.MONTH, start))
    return made


@pytest.fixture()
def member(app: Litestar, enterprise: Enterprise) -> Iterator[TestClient[Litestar]]:
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        yield client


async def file_vat(taxpayer_id: int, tax: str) -> int:
    start = clock.today().replace(day=1) - dt.timedelta(days=40)
    start = start.replace(day=1)
    end = L.period_of(L.PeriodKind.MONTH, start)[1]
    filed = await L.file_declaration(
        L.FilingRequest(
            taxpayer_id=taxpayer_id,
            tax_type=L.TaxType.VAT,
            form_code="BDA0610606",
            form_version="2023-01",
            period_kind=L.PeriodKind.MONTH,
            period_start=start,
            period_end=end,
            amounts=L.Amounts(income=Decimal("1000.00"), tax=Decimal(tax), payable=Decimal(tax)),
            lines={"1": "1000.00"},
            filed_by="测试办税员",
            submission=f"session-pages-{taxpayer_id}-{secrets.token_hex(4)}",
        )
    )
    return int(filed.id)


def test_a_filed_return_shows_on_the_stored_pages_at_the_next_request(
    app: Litestar, enterprise: Enterprise, member: TestClient[Litestar]
) -> None:
    home = warm(app, member, "/").text
    assert name_of(enterprise) in home and "逾期未申报" in home
    assert "4321.09" not in warm(app, member, QUERY).text.replace(",", "")
    run(file_vat(enterprise.taxpayer_id, "4321.09"))  # a plain database write: no service of this app sees it
    assert "4321.09" in member.get(QUERY).text.replace(",", "")
    assert member.get("/").text.count("逾期未申报") < home.count("逾期未申报")
    stored_answer(app, member, QUERY)  # and stored again


def test_a_payment_shows_on_the_stored_payments_page_at_the_next_request(
    app: Litestar, enterprise: Enterprise, member: TestClient[Litestar]
) -> None:
    declaration = run(file_vat(enterprise.taxpayer_id, "2468.13"))
    payments = "/query/payments"
    assert "2468.13" not in warm(app, member, payments).text.replace(",", "")
    sign_and_pay(enterprise.taxpayer_id, [declaration], key=secrets.token_hex(8))  # signs the 三方协议, pays
    assert "2468.13" in member.get(payments).text.replace(",", "")


def test_a_bureau_message_shows_on_the_stored_home_at_the_next_request(
    app: Litestar, enterprise: Enterprise, member: TestClient[Litestar]
) -> None:
    warm(app, member, "/")
    with new_client(app) as reviewer:
        log_in_as(reviewer, "reviewer")
        title = "存储页面消息" + secrets.token_hex(4)
        data = {
            "target": "taxpayer",
            "tin": enterprise.tin,
            "title": title,
            "body": "请及时处理。",
            "submission": secrets.token_urlsafe(24),
        }
        assert post(reviewer, "/admin/messages", data).status_code == 303
    home = member.get("/").text
    assert title in home[home.index('id="tab-reminder"') : home.index('id="tab-notice"')]


def test_a_freeze_or_a_removed_grant_refuses_the_next_request(app: Litestar, enterprise: Enterprise) -> None:
    identity = grant(enterprise, "tax_officer0", ["我要查询"])
    with new_client(app) as officer:
        log_in_staff(officer, enterprise, "tax_officer0")
        warm(app, officer, QUERY)
        run(StaffIdentity.delete().where(StaffIdentity.identity == identity))  # the enterprise takes it away
        assert officer.get(QUERY, follow_redirects=False).status_code != 200
    with new_client(app) as legal:
        log_in_staff(legal, enterprise, "legal_rep")
        warm(app, legal, QUERY)
        warm(app, legal, "/")
        staff = enterprise.staff["legal_rep"]
        run(StaffMember.update({StaffMember.frozen: True}).where(StaffMember.id == staff))
        assert legal.get(QUERY, follow_redirects=False).status_code != 200
        assert name_of(enterprise) not in legal.get("/").text


def test_an_ended_session_is_never_answered_from_the_store(
    app: Litestar, enterprise: Enterprise, member: TestClient[Litestar]
) -> None:
    assert name_of(enterprise) in warm(app, member, "/").text
    warm(app, member, QUERY)
    # Another instance ends the session: it is gone from the shared session store.
    run(app.stores.get("sessions").delete(member.cookies["etax_session"]))
    assert name_of(enterprise) not in member.get("/").text
    assert member.get(QUERY, follow_redirects=False).status_code in (302, 303, 401)
    # A logout through the application, too.
    with new_client(app) as again:
        log_in_staff(again, enterprise, "legal_rep")
        assert name_of(enterprise) in warm(app, again, "/").text
        token = again.cookies.get("etax_csrf", "")
        assert again.post("/logout", data={"_csrf_token": token}).status_code in (200, 302, 303)
        assert name_of(enterprise) not in again.get("/").text


def test_two_people_never_see_each_others_page(app: Litestar, enterprise: Enterprise) -> None:
    other = registered(named("存储页面另一家有限公司", officers=0))
    run(file_vat(other.taxpayer_id, "7777.77"))
    with new_client(app) as mine, new_client(app) as theirs:
        log_in_staff(mine, enterprise, "legal_rep")
        log_in_staff(theirs, other, "legal_rep")
        for _ in range(4):
            for client, own, foreign in ((mine, enterprise, other), (theirs, other, enterprise)):
                home = client.get("/").text
                assert name_of(own) in home and name_of(foreign) not in home
                listing = client.get(QUERY).text.replace(",", "")
                assert ("7777.77" in listing) is (own is other)


def test_a_session_with_a_notice_is_answered_by_the_application(
    app: Litestar, enterprise: Enterprise, member: TestClient[Litestar]
) -> None:
    warm(app, member, "/")
    data = member.get_session_data()
    member.set_session_data({**data, "_messages": [{"message": "测试通知", "category": "info"}]})
    engine = engine_finder()
    assert engine is not None
    for _ in range(2):
        before = engine.query_id
        assert name_of(enterprise) in member.get("/").text
        assert (
            engine.query_id - before > 1
        )  # rendered by the application, which leaves the notice to its page


def test_the_data_version_rises_for_watched_tables_only() -> None:
    async def scenario() -> tuple[int | None, int | None, int | None]:
        first = await dataversion.data_version()
        await AuditLog.insert(AuditLog(action="test.session_pages", actor="测试")).run()
        after_audit = await dataversion.data_version()
        await L.set_taxpayer_kind(1, L.TaxpayerKind.GENERAL, clock.today())
        return first, after_audit, await dataversion.data_version()

    first, after_audit, after_ledger = run(scenario())
    assert first is not None and after_audit == first
    assert after_ledger is not None and after_ledger > first


@pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL's deferred constraint triggers")
def test_two_transactions_writing_two_rows_in_opposite_order_do_not_deadlock_on_the_counter() -> None:
    import asyncpg

    url = os.environ["ETAX_DATABASE_URL"]
    table = "test_session_pages_rows"

    async def scenario() -> tuple[int, int]:
        setup = await asyncpg.connect(url)
        try:
            await setup.execute(f"CREATE TABLE {table} (id int PRIMARY KEY, v int)")
            await setup.execute(f"INSERT INTO {table} VALUES (1, 0), (2, 0)")
            await dataversion.install_triggers()
            before = await setup.fetchval("SELECT counter FROM etax_data_version WHERE id = 1")
            one, two = await asyncpg.connect(url), await asyncpg.connect(url)
            try:
                first, second = one.transaction(), two.transaction()
                await first.start()
                await second.start()
                await one.execute(f"UPDATE {table} SET v = v + 1 WHERE id = 1")
                # Immediate triggers would make this wait for the first transaction's counter lock.
                await asyncio.wait_for(two.execute(f"UPDATE {table} SET v = v + 1 WHERE id = 2"), 30)
                # One waits for the other's row; with the counter raised at once the second would already
                # hold a lock the first waits for (a deadlock).
                crossing = asyncio.ensure_future(one.execute(f"UPDATE {table} SET v = v + 1 WHERE id = 2"))
                await asyncio.sleep(0.2)
                await second.commit()
                await asyncio.wait_for(crossing, 30)
                await first.commit()
            finally:
                await one.close()
                await two.close()
            after = await setup.fetchval("SELECT counter FROM etax_data_version WHERE id = 1")
            total = await setup.fetchval(f"SELECT sum(v) FROM {table}")
            return int(after) - int(before), int(total)
        finally:
            await setup.execute(f"DROP TABLE IF EXISTS {table}")
            await setup.close()

    raised, total = run(scenario())
    assert total == 3  # every write went through
    assert raised == 2  # once per transaction, however many rows it wrote


def test_the_stored_pages_of_a_worker_stay_bounded() -> None:
    pages = SessionPages(capacity=3, capacity_bytes=4 * (1000 + 256))

    def page(size: int) -> StoredPage:
        return StoredPage(session=b"", depends=(), headers=[], gzipped=b"x" * size, stored_at=0.0)

    for number in range(10):  # more sessions than it may keep: the least recently used go first
        pages.put((b"etax_session=%d" % number, "/", b""), page(1000))
        if number >= 2:
            assert pages.get((b"etax_session=2", "/", b"")) is not None  # kept warm by its visits
    assert len(pages) == 3 and pages.size <= pages.capacity_bytes
    assert pages.get((b"etax_session=2", "/", b"")) is not None
    assert pages.get((b"etax_session=9", "/", b"")) is not None
    pages.put((b"etax_session=big", "/", b""), page(3000))  # fits alone in the bytes: others make room
    assert pages.size <= pages.capacity_bytes and len(pages) <= 3
    pages.put((b"etax_session=huge", "/", b""), page(10_000))  # larger than the whole store: not kept
    assert pages.get((b"etax_session=huge", "/", b"")) is None
