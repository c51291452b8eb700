"""Compliance records (platform service): violations (违法违章) and dishonest conduct (失信行为).

The bureau enters and closes records in the back office (the query centre's 违法违章与失信登记 page);
taxpayers read their own through 违法违章信息查询 and 失信行为查询. Every read is scoped by taxpayer:
another taxpayer's record id is "not found".
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Annotated, Any

import msgspec

from etax.platform.compliance.tables import Dishonesty, Violation
from etax.platform.listing import PageRequest, Span


class ViolationKind(enum.StrEnum):
    LATE_FILING = "未按期申报"
    LATE_PAYMENT = "未按期缴纳税款"
    INVOICE = "发票违法"
    BOOKS = "账簿凭证违法"
    REGISTRATION = "未按规定办理税务登记"
    EVASION = "偷逃税款"
    OTHER = "其他"


class ViolationStatus(enum.StrEnum):
    OPEN = "未处理"
    HANDLED = "已处理"


class DishonestyKind(enum.StrEnum):
    MAJOR = "重大税收违法失信主体"
    ARREARS = "欠税失信"
    INVOICE = "发票失信"
    OTHER = "其他失信行为"


class DishonestyStatus(enum.StrEnum):
    PUBLISHED = "公布中"
    REMOVED = "已撤出"


class ComplianceError(Exception):
    """A refused change; ``message`` is the Chinese explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ViolationRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    taxpayer_id: int
    taxpayer_name: str
    tin: str
    kind: ViolationKind
    facts: str
    basis: str
    penalty: Decimal
    found_on: dt.date
    status: ViolationStatus
    handled_on: dt.date | None
    document: str
    entered_by: str


class DishonestyRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    taxpayer_id: int
    taxpayer_name: str
    tin: str
    kind: DishonestyKind
    case_nature: str
    facts: str
    penalty: str
    published_on: dt.date
    status: DishonestyStatus
    removed_on: dt.date | None
    entered_by: str


class ViolationInput(msgspec.Struct, kw_only=True):
    """What the bureau registers (the back-office form)."""

    tin: Annotated[str, msgspec.Meta(title="纳税人识别号", min_length=15, max_length=20)]
    kind: Annotated[ViolationKind, msgspec.Meta(title="违法违章类型")]
    facts: Annotated[str, msgspec.Meta(title="违法违章事实", min_length=2, max_length=1000)]
    basis: Annotated[str, msgspec.Meta(title="处理依据", max_length=500)] = ""
    penalty: Annotated[Decimal, msgspec.Meta(title="罚款金额（元）")] = Decimal(0)
    found_on: Annotated[dt.date, msgspec.Meta(title="登记日期")]

    def problems(self) -> dict[str, str]:
        if not Decimal(0) <= self.penalty < Decimal("100000000000"):
            return {"penalty": "罚款金额应为0至1000亿元之间的金额"}
        if self.penalty != self.penalty.quantize(Decimal("0.01")):
            return {"penalty": "罚款金额最多两位小数"}
        return {}


class DishonestyInput(msgspec.Struct, kw_only=True):
    tin: Annotated[str, msgspec.Meta(title="纳税人识别号", min_length=15, max_length=20)]
    kind: Annotated[DishonestyKind, msgspec.Meta(title="失信类型")]
    case_nature: Annotated[str, msgspec.Meta(title="案件性质", min_length=2, max_length=60)]
    facts: Annotated[str, msgspec.Meta(title="主要违法事实", min_length=2, max_length=1000)]
    penalty: Annotated[str, msgspec.Meta(title="法律依据及处理处罚情况", max_length=1000)] = ""
    published_on: Annotated[dt.date, msgspec.Meta(title="公布日期")]


class ComplianceFilter(msgspec.Struct, frozen=True, kw_only=True):
    days: Span[dt.date] = Span()
    kind: str = ""
    status: str = ""
    amount: Span[Decimal] = Span()
    text: str = ""


_TAXPAYER = (Violation.taxpayer.name.as_alias("taxpayer_name"), Violation.taxpayer.tin.as_alias("tin"))


def _violation_select() -> Any:
    return Violation.select(
        Violation.id,
        Violation.taxpayer.as_alias("taxpayer_id"),
        *_TAXPAYER,
        Violation.kind,
        Violation.facts,
        Violation.basis,
        Violation.penalty,
        Violation.found_on,
        Violation.status,
        Violation.handled_on,
        Violation.document,
        Violation.entered_by,
    )


def _dishonesty_select() -> Any:
    return Dishonesty.select(
        Dishonesty.id,
        Dishonesty.taxpayer.as_alias("taxpayer_id"),
        Dishonesty.taxpayer.name.as_alias("taxpayer_name"),
        Dishonesty.taxpayer.tin.as_alias("tin"),
        Dishonesty.kind,
        Dishonesty.case_nature,
        Dishonesty.facts,
        Dishonesty.penalty,
        Dishonesty.published_on,
        Dishonesty.status,
        Dishonesty.removed_on,
        Dishonesty.entered_by,
    )


def _violation_where(taxpayer_id: int | None, flt: ComplianceFilter) -> Any:
    where: Any = Violation.id > 0
    if taxpayer_id is not None:
        where &= Violation.taxpayer == taxpayer_id
    if flt.days.start is not None:
        where &= Violation.found_on >= flt.days.start
    if flt.days.end is not None:
        where &= Violation.found_on <= flt.days.end
    if flt.kind:
        where &= Violation.kind == flt.kind
    if flt.status:
        where &= Violation.status == flt.status
    if flt.amount.start is not None:
        where &= Violation.penalty >= flt.amount.start
    if flt.amount.end is not None:
        where &= Violation.penalty <= flt.amount.end
    if flt.text:
        where &= Violation.facts.ilike(f"%{_like(flt.text)}%")
    return where


def _dishonesty_where(taxpayer_id: int | None, flt: ComplianceFilter) -> Any:
    where: Any = Dishonesty.id > 0
    if taxpayer_id is not None:
        where &= Dishonesty.taxpayer == taxpayer_id
    if flt.days.start is not None:
        where &= Dishonesty.published_on >= flt.days.start
    if flt.days.end is not None:
        where &= Dishonesty.published_on <= flt.days.end
    if flt.kind:
        where &= Dishonesty.kind == flt.kind
    if flt.status:
        where &= Dishonesty.status == flt.status
    if flt.text:
        where &= Dishonesty.facts.ilike(f"%{_like(flt.text)}%")
    return where


def _like(text: str) -> str:
    """``text`` for a LIKE pattern: wildcards typed by the visitor match themselves only loosely (dropped)."""
    return text.replace("%", "").replace("_", "")


async def violations(taxpayer_id: int | None, flt: ComplianceFilter, page: PageRequest) -> list[ViolationRow]:
    """One keyset page of violations (one taxpayer's, or every taxpayer's for the back office)."""
    rows = await page.apply(_violation_select().where(_violation_where(taxpayer_id, flt)))
    return [msgspec.convert(row, ViolationRow) for row in rows]


async def count_violations(taxpayer_id: int | None, flt: ComplianceFilter) -> int:
    return int(await Violation.count().where(_violation_where(taxpayer_id, flt)))


async def violation(taxpayer_id: int, violation_id: int) -> ViolationRow | None:
    row = (
        await _violation_select()
        .where((Violation.id == violation_id) & (Violation.taxpayer == taxpayer_id))
        .first()
    )
    return None if row is None else msgspec.convert(row, ViolationRow)


async def dishonesty_records(
    taxpayer_id: int | None, flt: ComplianceFilter, page: PageRequest
) -> list[DishonestyRow]:
    rows = await page.apply(_dishonesty_select().where(_dishonesty_where(taxpayer_id, flt)))
    return [msgspec.convert(row, DishonestyRow) for row in rows]


async def count_dishonesty(taxpayer_id: int | None, flt: ComplianceFilter) -> int:
    return int(await Dishonesty.count().where(_dishonesty_where(taxpayer_id, flt)))


async def dishonesty_record(taxpayer_id: int, record_id: int) -> DishonestyRow | None:
    row = (
        await _dishonesty_select()
        .where((Dishonesty.id == record_id) & (Dishonesty.taxpayer == taxpayer_id))
        .first()
    )
    return None if row is None else msgspec.convert(row, DishonestyRow)


async def _taxpayer_id(tin: str) -> int:
    from etax.platform.coresys.tables import Taxpayer

    row = await Taxpayer.select(Taxpayer.id).where(Taxpayer.tin == tin.strip().upper()).first()
    if row is None:
        raise ComplianceError("没有这个纳税人识别号对应的纳税人")
    return int(row["id"])


async def add_violation(data: ViolationInput, *, by: str) -> int:
    """Register a violation (未处理); returns its id."""
    taxpayer_id = await _taxpayer_id(data.tin)
    rows = await Violation.insert(
        Violation(
            taxpayer=taxpayer_id,
            kind=data.kind.value,
            facts=data.facts,
            basis=data.basis,
            penalty=data.penalty,
            found_on=data.found_on,
            status=ViolationStatus.OPEN.value,
            entered_by=by,
        )
    ).returning(Violation.id)
    return int(rows[0]["id"])


async def handle_violation(violation_id: int, *, handled_on: dt.date, document: str, by: str) -> None:
    """Mark a violation 已处理 (once: a second attempt changes nothing and is refused)."""
    if not document.strip():
        raise ComplianceError("请填写税务处理（处罚）决定书文号")
    rows = (
        await Violation.update(
            {
                Violation.status: ViolationStatus.HANDLED.value,
                Violation.handled_on: handled_on,
                Violation.document: document.strip()[:60],
            }
        )
        .where((Violation.id == violation_id) & (Violation.status == ViolationStatus.OPEN.value))
        .returning(Violation.id)
    )
    if not rows:
        raise ComplianceError("该违法违章记录不存在或已经处理")


async def add_dishonesty(data: DishonestyInput, *, by: str) -> int:
    """Publish a dishonest-conduct record (公布中); returns its id."""
    taxpayer_id = await _taxpayer_id(data.tin)
    rows = await Dishonesty.insert(
        Dishonesty(
            taxpayer=taxpayer_id,
            kind=data.kind.value,
            case_nature=data.case_nature,
            facts=data.facts,
            penalty=data.penalty,
            published_on=data.published_on,
            status=DishonestyStatus.PUBLISHED.value,
            entered_by=by,
        )
    ).returning(Dishonesty.id)
    return int(rows[0]["id"])


async def remove_dishonesty(record_id: int, *, removed_on: dt.date) -> None:
    """Take a record off the published list (已撤出, e.g. after 信用修复)."""
    rows = (
        await Dishonesty.update(
            {Dishonesty.status: DishonestyStatus.REMOVED.value, Dishonesty.removed_on: removed_on}
        )
        .where((Dishonesty.id == record_id) & (Dishonesty.status == DishonestyStatus.PUBLISHED.value))
        .returning(Dishonesty.id)
    )
    if not rows:
        raise ComplianceError("该失信记录不存在或已经撤出")
