"""Scale, PostgreSQL only: with 100,000+ declarations, payments and audit entries loaded and
ANALYZEd, every page read of the big queries — first page and a deep page by cursor — uses an index and
never scans a big table sequentially. Everything runs in one transaction that is rolled back."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest
from piccolo.table import Table

from etax.platform.audit.tables import AuditLog
from etax.platform.db.engine import SERVER_SETTINGS, close_pool, open_pool
from etax.platform.ledger import reads as ledger_reads
from etax.platform.ledger.tables import LedgerDeclaration, LedgerPayment
from etax.platform.listing import PageRequest, SortKey, Span
from tests.conftest import BACKEND
from tests.login_helpers import run

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="EXPLAIN plans are checked on PostgreSQL")

ROWS = 120_000
TAXPAYERS = 400
BIG = 30_000

LOAD = [
    f"""INSERT INTO coresys_taxpayer (tin, name, taxpayer_type, status, location_class, tax_office,
        pure_social_security, is_agency, registered_taxes, registered_on, address)
        SELECT 'SCALE' || lpad(i::text, 13, '0'), '规模测试企业' || i, '一般纳税人', '正常', '市区', '测试局',
               false, false, '', DATE '2020-01-01', ''
        FROM generate_series(1, {TAXPAYERS}) AS i""",
    f"""INSERT INTO ledger_declaration (number, submission, taxpayer, tax_type, form_code, form_version,
        period_kind, period_start, period_end, event_ref, kind, status, live_key, income_fen, tax_fen,
        relief_fen, prepaid_fen, payable_fen, paid_fen, credit_fen, deadline, payment_deadline, late, filed_at,
        filed_by, channel, agency, agency_name, corrects, batch, data_version, payment_lock, voided_at, void_reason)
        SELECT 'S' || lpad(i::text, 17, '0'), 'scale-' || i, t.id, '10101', 'BDA0610606', '2023-01',
               'month', DATE '2020-01-01' + (i % 72) * 31, DATE '2020-01-28' + (i % 72) * 31, '', '11', 'filed', NULL,
               1000000, 13000, 0, 0, 13000, 0, 0, DATE '2020-02-15', DATE '2020-02-15', false,
               TIMESTAMPTZ '2020-02-10 09:00+08' + (i || ' minutes')::interval, '测试', 'import', NULL, '', NULL,
               'scale-' || i, 1, NULL, NULL, ''
        FROM generate_series(1, {ROWS}) AS i
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM coresys_taxpayer WHERE tin LIKE 'SCALE%') t
          ON t.n = i % {TAXPAYERS}""",
    f"""INSERT INTO ledger_payment (key, taxpayer, method, status, amount_fen, tax_fen, late_fee_fen, agreement,
        agreement_number, bank_serial, voucher_number, message, requested_by, requested_at, paid_on)
        SELECT 'scale-pay-' || i, t.id, 'agreement', 'succeeded', 13000, 13000, 0, NULL, '', '', NULL, '', '测试',
               TIMESTAMPTZ '2020-02-15 09:00+08' + (i || ' minutes')::interval, DATE '2020-02-15'
        FROM generate_series(1, {ROWS}) AS i
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM coresys_taxpayer WHERE tin LIKE 'SCALE%') t
          ON t.n = i % {TAXPAYERS}""",
    f"""INSERT INTO audit_log (at, actor, acting_for, taxpayer_id, action, target, ip, outcome, detail)
        SELECT TIMESTAMPTZ '2020-02-15 09:00+08' + (i || ' minutes')::interval, '测试', '', t.id, '登录', '', '', 'success', ''
        FROM generate_series(1, {ROWS}) AS i
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM coresys_taxpayer WHERE tin LIKE 'SCALE%') t
          ON t.n = i % {TAXPAYERS}""",
    # One big taxpayer (the first): 30,000 more declarations and payments, so that the statistics are skewed
    # as in a real bureau, where a few enterprises file far more than the average.
    f"""INSERT INTO ledger_declaration (number, submission, taxpayer, tax_type, form_code, form_version,
        period_kind, period_start, period_end, event_ref, kind, status, live_key, income_fen, tax_fen,
        relief_fen, prepaid_fen, payable_fen, paid_fen, credit_fen, deadline, payment_deadline, late, filed_at,
        filed_by, channel, agency, agency_name, corrects, batch, data_version, payment_lock, voided_at, void_reason)
        SELECT 'B' || lpad(i::text, 17, '0'), 'big-' || i, t.id, '10101', 'BDA0610606', '2023-01',
               'month', DATE '2020-01-01' + (i % 72) * 31, DATE '2020-01-28' + (i % 72) * 31, '', '11', 'filed', NULL,
               1000000, 13000, 0, 0, 13000, 0, 0, DATE '2020-02-15', DATE '2020-02-15', false,
               TIMESTAMPTZ '2020-02-10 09:00+08' + (i || ' minutes')::interval, '测试', 'import', NULL, '', NULL,
               'big-' || i, 1, NULL, NULL, ''
        FROM generate_series(1, {BIG}) AS i
        JOIN (SELECT min(id) AS id FROM coresys_taxpayer WHERE tin LIKE 'SCALE%') t ON true""",
    f"""INSERT INTO ledger_payment (key, taxpayer, method, status, amount_fen, tax_fen, late_fee_fen, agreement,
        agreement_number, bank_serial, voucher_number, message, requested_by, requested_at, paid_on)
        SELECT 'big-pay-' || i, t.id, 'agreement', 'succeeded', 13000, 13000, 0, NULL, '', '', NULL, '', '测试',
               TIMESTAMPTZ '2020-02-15 09:00+08' + (i || ' minutes')::interval, DATE '2020-02-15'
        FROM generate_series(1, {BIG}) AS i
        JOIN (SELECT min(id) AS id FROM coresys_taxpayer WHERE tin LIKE 'SCALE%') t ON true""",
    "ANALYZE coresys_taxpayer",
    "ANALYZE ledger_declaration",
    "ANALYZE ledger_payment",
    "ANALYZE audit_log",
]


def _page(sort: tuple[SortKey, ...], seek: tuple[Any, ...] | None) -> PageRequest:
    return PageRequest(sort=sort, seek=seek, limit=21)


def _compiled(table: type[Table], sql_args: tuple[str, list[Any]]) -> tuple[str, list[Any]]:
    """A read function's SQL as PostgreSQL runs it (``$n`` placeholders)."""
    sql, args = sql_args
    compiled: tuple[str, list[Any]] = (
        table.raw(sql, *args).querystrings[0].compile_string(engine_type="postgres")
    )
    return compiled


async def _plans(connection: asyncpg.Connection, taxpayer_id: int) -> dict[str, str]:
    deep_moment = dt.datetime(2020, 3, 1, tzinfo=dt.UTC)
    declarations = (SortKey("filed_at"), SortKey("id"))
    payments = (SortKey("requested_at"), SortKey("id"))
    filtered = ledger_reads.DeclarationQuery(
        period=Span(start=dt.date(2020, 6, 1), end=dt.date(2021, 12, 31)), tax_type="10101"
    )
    paid = ledger_reads.PaymentQuery(paid=Span(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)))
    # The SQL the read functions of 申报信息查询 and 缴款信息查询 really run (first, filtered and deep pages).
    reads: dict[str, tuple[str, list[Any]]] = {
        "申报信息查询 first page": _compiled(
            LedgerDeclaration,
            ledger_reads.declaration_page_sql(
                taxpayer_id, ledger_reads.DeclarationQuery(), _page(declarations, None)
            ),
        ),
        "申报信息查询 filtered page": _compiled(
            LedgerDeclaration,
            ledger_reads.declaration_page_sql(taxpayer_id, filtered, _page(declarations, None)),
        ),
        "申报信息查询 deep page": _compiled(
            LedgerDeclaration,
            ledger_reads.declaration_page_sql(
                taxpayer_id, ledger_reads.DeclarationQuery(), _page(declarations, (deep_moment, 50_000))
            ),
        ),
        "申报信息查询 filtered deep page": _compiled(
            LedgerDeclaration,
            ledger_reads.declaration_page_sql(
                taxpayer_id, filtered, _page(declarations, (deep_moment, 50_000))
            ),
        ),
        "缴款信息查询 first page": _compiled(
            LedgerPayment,
            ledger_reads.payment_page_sql(taxpayer_id, ledger_reads.PaymentQuery(), _page(payments, None)),
        ),
        "缴款信息查询 filtered page": _compiled(
            LedgerPayment, ledger_reads.payment_page_sql(taxpayer_id, paid, _page(payments, None))
        ),
        "缴款信息查询 deep page": _compiled(
            LedgerPayment,
            ledger_reads.payment_page_sql(
                taxpayer_id, ledger_reads.PaymentQuery(), _page(payments, (deep_moment, 50_000))
            ),
        ),
        "历史办税操作查询 deep page": (
            _page((SortKey("at"), SortKey("id")), (deep_moment, 50_000))
            .apply(AuditLog.select(AuditLog.id, AuditLog.at).where(AuditLog.taxpayer_id == taxpayer_id))
            .__str__(),
            [],
        ),
    }
    plans = {}
    for name, (sql, args) in reads.items():
        rows = await connection.fetch("EXPLAIN " + sql, *args)
        plans[name] = "\n".join(row[0] for row in rows)
    return plans


def _literal(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"'{value.isoformat()}'::timestamptz"
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'::date"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


async def _plans_after_repeats(connection: asyncpg.Connection, taxpayer_id: int) -> dict[str, str]:
    """The plans of the ledger page reads for the big taxpayer at their seventh run as one prepared
    statement (as asyncpg's statement cache runs them), with the pool's session settings."""
    deep_moment = dt.datetime(2020, 3, 1, tzinfo=dt.UTC)
    declarations = (SortKey("filed_at"), SortKey("id"))
    payments = (SortKey("requested_at"), SortKey("id"))
    filtered = ledger_reads.DeclarationQuery(
        period=Span(start=dt.date(2020, 6, 1), end=dt.date(2021, 12, 31)), tax_type="10101"
    )
    paid = ledger_reads.PaymentQuery(paid=Span(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)))
    reads = {
        "申报信息查询 filtered page": _compiled(
            LedgerDeclaration,
            ledger_reads.declaration_page_sql(taxpayer_id, filtered, _page(declarations, None)),
        ),
        "申报信息查询 deep page": _compiled(
            LedgerDeclaration,
            ledger_reads.declaration_page_sql(
                taxpayer_id, ledger_reads.DeclarationQuery(), _page(declarations, (deep_moment, 50_000))
            ),
        ),
        "缴款信息查询 filtered page": _compiled(
            LedgerPayment, ledger_reads.payment_page_sql(taxpayer_id, paid, _page(payments, None))
        ),
        "缴款信息查询 deep page": _compiled(
            LedgerPayment,
            ledger_reads.payment_page_sql(
                taxpayer_id, ledger_reads.PaymentQuery(), _page(payments, (deep_moment, 50_000))
            ),
        ),
    }
    for setting, value in SERVER_SETTINGS.items():
        await connection.execute(f"SET LOCAL {setting} = {value}")
    plans = {}
    for index, (name, (sql, args)) in enumerate(reads.items()):
        await connection.execute(f"PREPARE page_{index} AS {sql}")
        explain = f"EXPLAIN EXECUTE page_{index}"
        if args:
            explain += "(" + ", ".join(_literal(arg) for arg in args) + ")"
        for _ in range(7):  # PostgreSQL may switch to a generic plan after the fifth run
            rows = await connection.fetch(explain)
        plans[name] = "\n".join(row[0] for row in rows)
        await connection.execute(f"DEALLOCATE page_{index}")
    return plans


def _in_rolled_back_transaction(work: Callable[[asyncpg.Connection], Awaitable[Any]]) -> Any:
    async def go() -> Any:
        dsn = os.environ["ETAX_DATABASE_URL"]
        connection = await asyncpg.connect(dsn)
        transaction = connection.transaction()
        await transaction.start()
        try:
            return await work(connection)
        finally:
            await transaction.rollback()
            await connection.close()

    return run(go())


def test_every_page_read_uses_an_index_on_100000_rows() -> None:
    async def work(connection: asyncpg.Connection) -> dict[str, str]:
        for statement in LOAD:
            await connection.execute(statement)
        count = await connection.fetchval("SELECT count(*) FROM ledger_declaration")
        assert count >= ROWS
        taxpayer_id = await connection.fetchval(
            "SELECT min(id) FROM coresys_taxpayer WHERE tin LIKE 'SCALE%'"
        )
        return await _plans(connection, int(taxpayer_id))

    plans = _in_rolled_back_transaction(work)
    for name, plan in plans.items():
        assert "Index" in plan, f"{name}:\n{plan}"
        for table in ("ledger_declaration", "ledger_payment", "audit_log"):
            assert f"Seq Scan on {table}" not in plan, f"{name}:\n{plan}"


def test_a_big_taxpayers_pages_walk_the_list_index_however_often_they_run() -> None:
    """asyncpg prepares every statement; after five runs PostgreSQL may keep a generic plan made for an
    average taxpayer, which read and sorted every row of a big one (or a date range of every taxpayer's
    payments). With the pool's session settings, the seventh run of each page read of a taxpayer with
    30,000 declarations and payments still walks the ``…_list`` index in order, without a sort."""

    async def pool_setting() -> str:
        engine = LedgerDeclaration._meta.db
        await open_pool(engine)
        try:
            async with engine.pool.acquire() as connection:  # type: ignore[attr-defined]
                return str(await connection.fetchval("SHOW plan_cache_mode"))
        finally:
            await close_pool(engine)

    assert run(pool_setting()) == "force_custom_plan"

    async def work(connection: asyncpg.Connection) -> dict[str, str]:
        for statement in LOAD:
            await connection.execute(statement)
        taxpayer_id = await connection.fetchval(
            "SELECT min(id) FROM coresys_taxpayer WHERE tin LIKE 'SCALE%'"
        )
        return await _plans_after_repeats(connection, int(taxpayer_id))

    plans = _in_rolled_back_transaction(work)
    assert len(plans) == 4
    for name, plan in plans.items():
        assert "_list" in plan, f"{name}:\n{plan}"
        assert "Sort" not in plan, f"{name}:\n{plan}"
