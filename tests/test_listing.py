"""The platform's list-page service: filter parsing (property-based), keyset pagination with signed
cursors bound to list, taxpayer and filters, CSV with BOM and XLSX in bounded memory."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import tracemalloc
import zipfile
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from etax.platform.audit.tables import AuditLog
from etax.platform.listing import (
    AmountRange,
    Choice,
    Column,
    DateRange,
    Format,
    Listing,
    ListQuery,
    PageRequest,
    PeriodRange,
    SortKey,
    Text,
    Tone,
    moments,
    parse_filters,
    row_cells,
    walk,
    write_xlsx,
)
from etax.platform.listing.export import _csv_lines
from tests.factories import create_enterprise
from tests.login_helpers import run

CJK = re.compile(r"[\u4e00-\u9fff]")
FILTERS = (
    DateRange("at", "操作日期"),
    PeriodRange("period", "税款所属期"),
    AmountRange("amount", "金额"),
    Choice("outcome", "结果", (("success", "成功"), ("failure", "失败"))),
    Text("q", "对象", max_length=20),
)
KEYS = [
    "at_from",
    "at_to",
    "period_from",
    "period_to",
    "amount_min",
    "amount_max",
    "outcome",
    "q",
    "size",
    "cursor",
]


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    at: dt.datetime
    action: str
    target: str
    outcome: str


LISTING = Listing(code="test.audit", row=Entry, sort=(SortKey("at"), SortKey("id")), filters=FILTERS)
SECRET = "s" * 40


def reader(taxpayer_id: int, query: ListQuery[Entry]) -> Any:
    async def read(page: PageRequest) -> list[Entry]:
        where: Any = AuditLog.taxpayer_id == taxpayer_id
        start, end = moments(query.filters.dates("at"))
        if start is not None:
            where &= AuditLog.at >= start
        if end is not None:
            where &= AuditLog.at < end
        if query.filters.text("outcome"):
            where &= AuditLog.outcome == query.filters.text("outcome")
        select = AuditLog.select(
            AuditLog.id, AuditLog.at, AuditLog.action, AuditLog.target, AuditLog.outcome
        ).where(where)
        return [msgspec.convert(row, Entry) for row in await page.apply(select)]

    return read


# --- the filter parser ----------------------------------------------------------------------------

params_strategy = st.dictionaries(
    st.sampled_from(KEYS),
    st.one_of(
        st.text(max_size=30),
        st.dates().map(str),
        st.from_regex(r"\d{4}-\d{2}", fullmatch=True),
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
        st.sampled_from(["success", "failure", "unknown", "2026-02-30", "-1", "1e9", "\x00"]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(params_strategy)
def test_parser_never_raises_and_explains_every_refusal_in_chinese(params: dict[str, str]) -> None:
    values = parse_filters(FILTERS, params)
    for message in values.errors.values():
        assert CJK.search(message), message
    # What was understood round-trips: its canonical form parses to the same values, without errors.
    again = parse_filters(FILTERS, dict(values.params))
    assert again.errors == {}
    assert again.params == values.params
    assert (again.spans, again.amounts, again.texts) == (values.spans, values.amounts, values.texts)
    for span in values.spans.values():
        if span.start is not None and span.end is not None:
            assert span.start <= span.end
    for amounts in values.amounts.values():
        if amounts.start is not None and amounts.end is not None:
            assert amounts.start <= amounts.end
    for text in values.texts.values():
        assert "\x00" not in text and text == text.strip()


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), st.integers(0, 400))
def test_a_valid_date_range_is_understood_exactly(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    values = parse_filters(FILTERS, {"at_from": start.isoformat(), "at_to": end.isoformat()})
    if end.year > 2099:
        assert "at_to" in values.errors
    else:
        assert values.errors == {} and values.dates("at").start == start and values.dates("at").end == end


def test_bad_input_gets_a_clear_chinese_message() -> None:
    cases = {
        "at_from": ("2026-02-30", "不是有效的日期"),
        "at_to": ("昨天", "格式不正确"),
        "period_from": ("2026-13", "月份应在1至12之间"),
        "amount_min": ("12.345", "最多两位小数"),
        "outcome": ("deleted", "没有这一选项"),
        "q": ("长" * 21, "最多20个字"),
    }
    values = parse_filters(FILTERS, {key: raw for key, (raw, _) in cases.items()})
    for key, (_, message) in cases.items():
        assert message in values.errors[key]
    assert values.params == []
    reversed_range = parse_filters(FILTERS, {"period_from": "2026-06", "period_to": "2026-01"})
    assert reversed_range.errors["period_to"] == "税款所属期的结束时间不能早于开始时间"
    period = parse_filters(FILTERS, {"period_from": "2026-01", "period_to": "2026-02"}).dates("period")
    assert (period.start, period.end) == (dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    amounts = parse_filters(FILTERS, {"amount_min": "1,000", "amount_max": "200"})
    assert amounts.errors["amount_max"] == "金额的最大值不能小于最小值"


def test_page_size_is_one_of_the_offered_sizes() -> None:
    query = LISTING.parse({"size": "100000"}, scope="taxpayer:1", secret=SECRET)
    assert query.size == 20 and "每页条数只能选择10、20、50、100条" in query.errors["size"]
    assert LISTING.parse({"size": "50"}, scope="taxpayer:1", secret=SECRET).size == 50


# --- keyset pagination ----------------------------------------------------------------------------


def _insert(taxpayer_id: int, count: int) -> None:
    async def insert() -> None:
        for index in range(count):
            # Three rows share each moment: the id breaks the ties, so no row is skipped or repeated.
            await AuditLog(
                actor="测试",
                taxpayer_id=taxpayer_id,
                action="翻页测试",
                target=f"对象{index:03d}",
                outcome="success" if index % 4 else "failure",
                at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC) + dt.timedelta(hours=index // 3),
            ).save()

    asyncio.run(insert())


def _page(taxpayer_id: int, params: dict[str, str]) -> tuple[ListQuery[Entry], Any]:
    query = LISTING.parse(params, scope=f"taxpayer:{taxpayer_id}", secret=SECRET)
    rows = run(reader(taxpayer_id, query)(query.page))
    return query, query.result(rows)


def test_keyset_pages_forward_and_back_cover_every_row_once() -> None:
    mine = create_enterprise(officers=0)
    _insert(mine.taxpayer_id, 47)
    seen: list[list[int]] = []
    params: dict[str, str] = {"size": "10"}
    while True:
        query, page = _page(mine.taxpayer_id, params)
        assert query.errors == {}
        seen.append([row.id for row in page.rows])
        if page.next_cursor is None:
            break
        params = {"size": "10", "cursor": page.next_cursor}
    flat = [row_id for rows in seen for row_id in rows]
    assert [len(rows) for rows in seen] == [10, 10, 10, 10, 7]
    assert len(set(flat)) == 47
    expected = run(
        AuditLog.select(AuditLog.id)
        .where(AuditLog.taxpayer_id == mine.taxpayer_id)
        .order_by(AuditLog.at, ascending=False)
        .order_by(AuditLog.id, ascending=False)
    )
    assert flat == [row["id"] for row in expected]
    # And back again from the last page, page by page, to the first.
    back: list[list[int]] = [seen[-1]]
    while page.prev_cursor is not None:
        query, page = _page(mine.taxpayer_id, {"size": "10", "cursor": page.prev_cursor})
        back.append([row.id for row in page.rows])
    assert back == list(reversed(seen)) and page.first


def test_cursor_is_bound_to_its_list_taxpayer_and_filters() -> None:
    mine, other = create_enterprise(officers=0), create_enterprise(officers=0)
    _insert(mine.taxpayer_id, 12)
    _insert(other.taxpayer_id, 12)
    _, page = _page(mine.taxpayer_id, {"size": "10"})
    cursor = page.next_cursor
    assert cursor is not None
    query, foreign = _page(other.taxpayer_id, {"size": "10", "cursor": cursor})
    assert query.errors["cursor"] == "该翻页链接属于其他纳税人，不能使用，已为您显示第一页"
    assert foreign.first and all(row.id not in [r.id for r in page.rows] for row in foreign.rows)
    other_list = Listing(code="test.other", row=Entry, sort=LISTING.sort, filters=FILTERS)
    refused = other_list.parse({"cursor": cursor}, scope=f"taxpayer:{mine.taxpayer_id}", secret=SECRET)
    assert "属于其他查询" in refused.errors["cursor"] and refused.page.seek is None
    changed = LISTING.parse(
        {"cursor": cursor, "outcome": "failure"}, scope=f"taxpayer:{mine.taxpayer_id}", secret=SECRET
    )
    assert changed.errors["cursor"] == "查询条件已改变，已为您显示第一页"
    body, _, signature = cursor.partition(".")
    tampered = LISTING.parse(
        {"cursor": body[:-2] + "AA." + signature}, scope=f"taxpayer:{mine.taxpayer_id}", secret=SECRET
    )
    assert "无效或已被修改" in tampered.errors["cursor"]
    assert "无效" in LISTING.parse({"cursor": "x" * 5000}, scope="t", secret=SECRET).errors["cursor"]


# --- exports --------------------------------------------------------------------------------------


class Money(msgspec.Struct, frozen=True):
    id: int
    name: str
    amount: Decimal
    at: dt.datetime
    status: str


COLUMNS = (
    Column("name", "名称"),
    Column("amount", "金额", Format.MONEY),
    Column("at", "日期", Format.DATE),
    Column("status", "状态", Format.BADGE, labels={"ok": "已入库"}, badges={"ok": Tone.OK}),
)


def test_columns_show_money_with_separators_beijing_dates_and_badges() -> None:
    row = Money(1, "甲", Decimal("1234567.8"), dt.datetime(2026, 3, 31, 17, 0, tzinfo=dt.UTC), "ok")
    assert [column.text(row) for column in COLUMNS] == ["甲", "1,234,567.80", "2026-04-01", "已入库"]
    assert COLUMNS[3].tone(row) == "ok" and COLUMNS[1].tone(row) == ""


def test_csv_export_starts_with_a_bom_and_walks_every_page() -> None:
    mine = create_enterprise(officers=0)
    _insert(mine.taxpayer_id, 25)
    query = LISTING.parse({"size": "10", "outcome": "failure"}, scope="x", secret=SECRET)
    columns = (Column("target", "对象"), Column("at", "时间", Format.DATETIME), Column("outcome", "结果"))

    async def collect() -> str:
        return "".join([line async for line in _csv_lines(query, reader(mine.taxpayer_id, query), columns)])

    text = run(collect())
    assert text.startswith("\ufeff对象,时间,结果\r\n")
    lines = text.strip().splitlines()
    assert len(lines) == 1 + 7 and all(line.endswith(",failure") for line in lines[1:])
    assert lines[1].startswith("对象024,2026-10-01 16:00:00")  # 08:00 UTC is 16:00 in Beijing


def test_xlsx_of_100000_rows_is_written_in_bounded_memory() -> None:
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    async def rows() -> AsyncIterator[Money]:
        for index in range(100_000):
            yield Money(index, f"纳税人{index}", Decimal(index) / 100, base, "ok")

    async def build() -> str:
        return await write_xlsx(rows(), COLUMNS, "测试导出")

    tracemalloc.start()
    path = run(build())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, peak  # the rows alone would take far more if they were kept
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        assert "纳税人99999" in sheet and 'r="A100001"' in sheet
        assert (
            "xl/sharedStrings.xml" not in book.namelist()
            or "纳税人99999" not in book.read("xl/sharedStrings.xml").decode()
        )


def test_walk_stops_at_the_limit() -> None:
    mine = create_enterprise(officers=0)
    _insert(mine.taxpayer_id, 9)
    query = LISTING.parse({}, scope="x", secret=SECRET)

    async def collect() -> list[Entry]:
        return [row async for row in walk(query, reader(mine.taxpayer_id, query), limit=5, chunk=2)]

    assert len(run(collect())) == 5


def test_row_cells_escape_text_class_numbers_and_draw_badges() -> None:
    class Shown(msgspec.Struct, frozen=True):
        name: str
        amount: Decimal
        state: str

    columns = (
        Column("name", "名称"),
        Column("amount", "金额", Format.MONEY),
        Column("state", "状态", Format.BADGE, labels={"ok": "成功"}, badges={"ok": Tone.OK}),
    )
    html = str(row_cells(columns, Shown(name="<b>和信&</b>", amount=Decimal("1234567.8"), state="ok")))
    assert html == (
        "<td>&lt;b&gt;和信&amp;&lt;/b&gt;</td>"
        '<td class="num">1,234,567.80</td>'
        '<td><span class="badge status-ok">成功</span></td>'
    )
