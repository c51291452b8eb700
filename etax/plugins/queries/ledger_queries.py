"""The queries over the tax ledger: 申报信息查询, 缴款信息查询, 欠税信息查询, 应申报清册查询, 优惠信息查询,
个体工商户核定定额信息查询. Declarations and payments are read page by page from the ledger's tables
(keyset); the computed lists (欠税 with 滞纳金 to today, 应申报清册, reliefs, fixed amounts) are small per
taxpayer and paged in memory with the same cursors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

import msgspec

from etax.platform.api import (
    Actor,
    AmountRange,
    Audience,
    Choice,
    Column,
    DateRange,
    FunctionSpec,
    ListFormat,
    Listing,
    ListQuery,
    PageRequest,
    PeriodRange,
    SortKey,
    Tone,
    beijing,
    certificates,
    clock,
    ledger,
    ledger_reads,
    money,
)
from etax.plugins.queries.spec import Detail, DetailTable, QuerySpec

ENTERPRISE = frozenset({Audience.ENTERPRISE})


def _labels(enum: type[Enum]) -> dict[str, str]:
    return {str(member.value): str(getattr(member, "label", member.value)) for member in enum}


def _choice(name: str, label: str, enum: type[Enum]) -> Choice:
    return Choice(name, label, tuple(_labels(enum).items()))


TAX_TYPES = _labels(ledger.TaxType)
PERIOD_KINDS = _labels(ledger.PeriodKind)

# --- 申报信息查询 ----------------------------------------------------------------------------------

DECLARATIONS = FunctionSpec(
    code="queries.declarations",
    name="申报信息查询",
    path=("我要查询", "申报信息查询"),
    url="/query/declarations",
    keywords=(
        "申报记录",
        "已申报",
        "申报查询",
        "纳税申报查询",
        "申报表查询",
        "所属期",
        "应补退税额",
        "已申报信息查询",
    ),
    initials=("sbxxcx",),
    audiences=ENTERPRISE,
    description="按税款所属期、申报日期、征收项目查询本企业的申报记录、应纳税额和应补（退）税额，查看申报明细。",
)


def _declaration_query(query: ListQuery[ledger_reads.DeclarationRow]) -> ledger_reads.DeclarationQuery:
    values = query.filters
    return ledger_reads.DeclarationQuery(
        period=values.dates("period"),
        filed=values.dates("filed"),
        tax_type=values.text("tax_type"),
        status=values.text("status"),
        payable=values.amount("payable"),
    )


async def _declarations(
    actor: Actor, query: ListQuery[ledger_reads.DeclarationRow], page: PageRequest
) -> list[ledger_reads.DeclarationRow]:
    return await ledger_reads.declaration_rows(actor.taxpayer_id, _declaration_query(query), page)


async def _declaration(actor: Actor, record_id: int) -> Detail | None:
    found = await ledger.declaration(actor.taxpayer_id, record_id)
    if found is None:
        return None
    lines = await ledger.declaration_lines(actor.taxpayer_id, record_id)
    amounts = found.amounts
    return Detail(
        title=f"申报信息：{found.tax_type.label} {found.period_start:%Y-%m-%d}至{found.period_end:%Y-%m-%d}",
        fields=[
            ("申报序号", found.number),
            ("征收项目", found.tax_type.label),
            ("申报表", found.form_code),
            ("税款所属期", f"{found.period_start:%Y-%m-%d} 至 {found.period_end:%Y-%m-%d}"),
            ("申报类型", found.kind.label),
            ("申报状态", found.status.label),
            ("申报日期", beijing(found.filed_at)),
            ("申报期限", found.deadline.isoformat()),
            ("收入总额（计税依据）", money(amounts.income)),
            ("应纳税额", money(amounts.tax)),
            ("减免税额", money(amounts.relief)),
            ("已缴（预缴）税额", money(amounts.prepaid)),
            ("应补（退）税额", money(amounts.payable)),
            ("已缴款", money(found.paid)),
            ("缴款期限", found.payment_deadline.isoformat()),
            ("申报人", found.filed_by + (f"（{found.agency_name}代理）" if found.agency_name else "")),
        ],
        sections=[
            DetailTable(
                title="申报表数据（非零栏次）",
                headings=["栏次", "金额或内容"],
                rows=[[line, value] for line, value in sorted((lines.lines if lines else {}).items())],
            )
        ],
    )


DECLARATION_QUERY = QuerySpec(
    function=DECLARATIONS,
    listing=Listing(
        code=DECLARATIONS.code,
        row=ledger_reads.DeclarationRow,
        sort=(SortKey("filed_at"), SortKey("id")),
        filters=(
            PeriodRange("period", "税款所属期"),
            DateRange("filed", "申报日期"),
            _choice("tax_type", "征收项目", ledger.TaxType),
            _choice("status", "申报状态", ledger.DeclarationStatus),
            AmountRange("payable", "应补（退）税额"),
        ),
    ),
    columns=(
        Column("tax_type", "征收项目", labels=TAX_TYPES),
        Column("period_start", "所属时期起", ListFormat.DATE),
        Column("period_end", "所属时期止", ListFormat.DATE),
        Column("filed_at", "申报日期", ListFormat.DATE),
        Column("deadline", "申报期限", ListFormat.DATE),
        Column("income", "收入总额", ListFormat.MONEY),
        Column("tax", "应纳税额", ListFormat.MONEY),
        Column("payable", "应补（退）税额", ListFormat.MONEY),
        Column(
            "kind",
            "申报类型",
            ListFormat.BADGE,
            labels=_labels(ledger.DeclarationKind),
            badges={"01": Tone.BAD},
        ),
        Column(
            "status",
            "申报状态",
            ListFormat.BADGE,
            labels=_labels(ledger.DeclarationStatus),
            badges={"filed": Tone.OK, "voided": Tone.BAD, "corrected": Tone.WAIT},
        ),
    ),
    read=_declarations,
    detail=_declaration,
    detail_label="明细",
    empty="没有符合条件的申报记录。",
    notes=("税款所属期按“年-月”筛选，与所选期间有交叉的申报均列出；申报日期为北京时间。",),
)

# --- 缴款信息查询 ----------------------------------------------------------------------------------

PAYMENTS = FunctionSpec(
    code="queries.payments",
    name="缴款信息查询",
    path=("我要查询", "缴款信息查询"),
    url="/query/payments",
    keywords=("缴款记录", "缴税记录", "已缴税款", "扣款记录", "完税", "缴款凭证", "入库", "滞纳金"),
    initials=("jkxxcx",),
    audiences=ENTERPRISE,
    description="按缴款日期、缴款状态查询本企业的缴款（扣款）记录、缴款凭证号和所缴税款、滞纳金。",
)


def _payment_query(query: ListQuery[ledger_reads.PaymentRow]) -> ledger_reads.PaymentQuery:
    values = query.filters
    return ledger_reads.PaymentQuery(
        paid=values.dates("paid"), status=values.text("status"), amount=values.amount("amount")
    )


async def _payments(
    actor: Actor, query: ListQuery[ledger_reads.PaymentRow], page: PageRequest
) -> list[ledger_reads.PaymentRow]:
    return await ledger_reads.payment_rows(actor.taxpayer_id, _payment_query(query), page)


async def _payment(actor: Actor, record_id: int) -> Detail | None:
    found = await ledger.payment(actor.taxpayer_id, record_id)
    if found is None:
        return None
    return Detail(
        title=f"缴款信息：{found.voucher_number or found.status.label}",
        fields=[
            ("电子缴税付款凭证号", found.voucher_number or "—"),
            ("缴款方式", found.method.label),
            ("缴款状态", found.status.label),
            ("缴款金额", money(found.amount)),
            ("其中：税款", money(found.tax)),
            ("其中：滞纳金", money(found.late_fee)),
            ("三方协议号", found.agreement_number or "—"),
            ("发起时间", beijing(found.requested_at)),
            ("缴款日期", found.paid_on.isoformat() if found.paid_on else "—"),
            ("银行回复", found.message or "—"),
        ],
        sections=[
            DetailTable(
                title="缴款明细",
                headings=["申报序号", "征收项目", "所属期起", "所属期止", "税款", "滞纳金", "滞纳天数"],
                rows=[
                    [
                        item.declaration_number,
                        item.tax_type.label,
                        item.period_start.isoformat(),
                        item.period_end.isoformat(),
                        money(item.tax),
                        money(item.late_fee),
                        str(item.late_days),
                    ]
                    for item in found.items
                ],
            )
        ],
    )


PAYMENT_QUERY = QuerySpec(
    function=PAYMENTS,
    listing=Listing(
        code=PAYMENTS.code,
        row=ledger_reads.PaymentRow,
        sort=(SortKey("requested_at"), SortKey("id")),
        filters=(
            DateRange("paid", "缴款日期"),
            _choice("status", "缴款状态", ledger.PaymentStatus),
            AmountRange("amount", "缴款金额"),
        ),
    ),
    columns=(
        Column("requested_at", "发起时间", ListFormat.DATETIME),
        Column("paid_on", "缴款日期", ListFormat.DATE),
        Column("voucher_number", "缴款凭证号"),
        Column("method", "缴款方式", labels=_labels(ledger.PaymentMethod)),
        Column("tax", "税款", ListFormat.MONEY),
        Column("late_fee", "滞纳金", ListFormat.MONEY),
        Column("amount", "缴款金额", ListFormat.MONEY),
        Column(
            "status",
            "缴款状态",
            ListFormat.BADGE,
            labels=_labels(ledger.PaymentStatus),
            badges={"succeeded": Tone.OK, "failed": Tone.BAD, "pending": Tone.WAIT},
        ),
    ),
    read=_payments,
    detail=_payment,
    detail_label="明细",
    empty="没有符合条件的缴款记录。",
)

# --- 欠税信息查询 ----------------------------------------------------------------------------------

ARREARS = FunctionSpec(
    code="queries.arrears",
    name="欠税信息查询",
    path=("我要查询", "欠税信息查询"),
    url="/query/arrears",
    keywords=("欠税", "欠缴税款", "未缴税款", "逾期未缴", "滞纳金", "欠税查询"),
    initials=("qsxxcx",),
    audiences=ENTERPRISE,
    description="查询本企业超过缴款期限仍未缴纳的税款（欠税）及截至今天应加收的滞纳金。",
)


class ArrearsRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int  # the declaration
    number: str
    tax_type: str
    period_start: dt.date
    period_end: dt.date
    amount: Decimal
    late_days: int
    late_fee: Decimal
    payment_deadline: dt.date


async def _arrears(actor: Actor, query: ListQuery[ArrearsRow], page: PageRequest) -> list[ArrearsRow]:
    tax_type = query.filters.text("tax_type")
    rows = [
        ArrearsRow(
            id=item.declaration.id,
            number=item.declaration.number,
            tax_type=item.declaration.tax_type.value,
            period_start=item.declaration.period_start,
            period_end=item.declaration.period_end,
            amount=item.amount,
            late_days=item.late_days,
            late_fee=item.late_fee,
            payment_deadline=item.payment_deadline,
        )
        for item in await ledger.arrears(actor.taxpayer_id)
        if not tax_type or item.declaration.tax_type.value == tax_type
    ]
    return page.take(rows)


async def _arrears_summary(actor: Actor, query: ListQuery[ArrearsRow]) -> list[tuple[str, str]]:
    items = await ledger.arrears(actor.taxpayer_id)
    return [
        ("欠税笔数", str(len(items))),
        ("欠税金额合计（元）", money(sum((i.amount for i in items), Decimal(0)))),
        ("滞纳金合计（元）", money(sum((i.late_fee for i in items), Decimal(0)))),
        ("计算截至", clock.today().isoformat()),
    ]


ARREARS_QUERY = QuerySpec(
    function=ARREARS,
    listing=Listing(
        code=ARREARS.code,
        row=ArrearsRow,
        sort=(SortKey("payment_deadline", descending=False), SortKey("id", descending=False)),
        filters=(_choice("tax_type", "征收项目", ledger.TaxType),),
    ),
    columns=(
        Column("tax_type", "征收项目", labels=TAX_TYPES),
        Column("period_start", "所属期起", ListFormat.DATE),
        Column("period_end", "所属期止", ListFormat.DATE),
        Column("payment_deadline", "缴款期限", ListFormat.DATE),
        Column("amount", "欠税金额", ListFormat.MONEY),
        Column("late_days", "滞纳天数", ListFormat.NUMBER),
        Column("late_fee", "滞纳金（截至今天）", ListFormat.MONEY),
        Column("number", "申报序号"),
    ),
    read=_arrears,
    summary=_arrears_summary,
    empty="本企业没有欠税。",
    notes=(
        "欠税为超过缴款期限仍未缴纳的税款；滞纳金按日万分之五计算至今天，不计入欠税。可在“我要办税 › 税费申报及缴纳”中缴纳。",
    ),
)

# --- 应申报清册查询 --------------------------------------------------------------------------------

OBLIGATIONS = FunctionSpec(
    code="queries.obligations",
    name="应申报清册查询",
    path=("我要查询", "应申报清册查询"),
    url="/query/obligations",
    keywords=("应申报", "申报清册", "应申报清册", "未申报", "逾期未申报", "申报期限", "应申报税种"),
    initials=("ysbqccx",),
    audiences=ENTERPRISE,
    description="按所属期查询本企业依税费种认定应申报的税种、申报期限和是否已申报。",
)


class ObligationRow(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    tax_type: str
    item: str
    period_kind: str
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date
    status: str
    filed_on: dt.date | None
    declaration_number: str


async def _obligations(
    actor: Actor, query: ListQuery[ObligationRow], page: PageRequest
) -> list[ObligationRow]:
    span = query.filters.dates("period")
    today = clock.today()
    start = span.start or dt.date(today.year, 1, 1)
    end = span.end or today
    status = query.filters.text("status")
    rows = []
    for item in await ledger.obligations(actor.taxpayer_id, start, end):
        if status and item.status.value != status:
            continue
        found = item.declaration
        rows.append(
            ObligationRow(
                key=f"{item.period_end.isoformat()}:{item.tax_type.value}:{item.item}:{item.event_ref}",
                tax_type=item.tax_type.value,
                item=item.item,
                period_kind=item.period_kind.value,
                period_start=item.period_start,
                period_end=item.period_end,
                deadline=item.deadline,
                status=item.status.value,
                filed_on=found.filed_at.astimezone(clock.BEIJING).date() if found else None,
                declaration_number=found.number if found else "",
            )
        )
    return page.take(rows)


OBLIGATION_QUERY = QuerySpec(
    function=OBLIGATIONS,
    listing=Listing(
        code=OBLIGATIONS.code,
        row=ObligationRow,
        sort=(SortKey("deadline"), SortKey("key")),
        filters=(PeriodRange("period", "所属期"), _choice("status", "申报状态", ledger.ObligationStatus)),
    ),
    columns=(
        Column("tax_type", "申报种类", labels=TAX_TYPES),
        Column("item", "征收品目"),
        Column("period_kind", "纳税期限", labels=PERIOD_KINDS),
        Column("period_start", "所属期起", ListFormat.DATE),
        Column("period_end", "所属期止", ListFormat.DATE),
        Column("deadline", "申报期限", ListFormat.DATE),
        Column(
            "status",
            "申报状态",
            ListFormat.BADGE,
            labels=_labels(ledger.ObligationStatus),
            badges={"filed": Tone.OK, "overdue": Tone.BAD, "due": Tone.WAIT},
        ),
        Column("filed_on", "申报日期", ListFormat.DATE),
    ),
    read=_obligations,
    empty="所选期间没有应申报的项目。",
    notes=("不选所属期时显示本年度至今的应申报项目；清册依据税费种认定生成。",),
)

# --- 优惠信息查询 ----------------------------------------------------------------------------------

RELIEFS = FunctionSpec(
    code="queries.reliefs",
    name="优惠信息查询",
    path=("我要查询", "优惠信息查询"),
    url="/query/reliefs",
    keywords=("税收优惠", "减免税", "减免", "优惠备案", "减免性质", "优惠查询", "备案事项享受减免明细查询"),
    initials=("yhxxcx",),
    audiences=ENTERPRISE,
    description="查询本企业享受的税收减免（减免性质代码、名称、征收项目和有效期）。",
)


class ReliefRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    tax_type: str
    code: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    reference: str
    state: str


async def _reliefs(actor: Actor, query: ListQuery[ReliefRow], page: PageRequest) -> list[ReliefRow]:
    today = clock.today()
    tax_type = query.filters.text("tax_type")
    state = query.filters.text("state")
    rows = []
    for relief in await ledger.reliefs(actor.taxpayer_id):
        current = relief.valid_from <= today and (relief.valid_to is None or relief.valid_to >= today)
        row = ReliefRow(
            id=relief.id,
            tax_type=relief.tax_type.value,
            code=relief.code,
            name=relief.name,
            valid_from=relief.valid_from,
            valid_to=relief.valid_to,
            reference=relief.reference,
            state="有效" if current else ("未生效" if relief.valid_from > today else "已到期"),
        )
        if (not tax_type or row.tax_type == tax_type) and (not state or row.state == state):
            rows.append(row)
    return page.take(rows)


RELIEF_QUERY = QuerySpec(
    function=RELIEFS,
    listing=Listing(
        code=RELIEFS.code,
        row=ReliefRow,
        sort=(SortKey("valid_from"), SortKey("id")),
        filters=(
            _choice("tax_type", "征收项目", ledger.TaxType),
            Choice("state", "状态", (("有效", "有效"), ("已到期", "已到期"), ("未生效", "未生效"))),
        ),
    ),
    columns=(
        Column("tax_type", "征收项目", labels=TAX_TYPES),
        Column("code", "减免性质代码"),
        Column("name", "减免项目名称"),
        Column("valid_from", "有效期起", ListFormat.DATE),
        Column("valid_to", "有效期止", ListFormat.DATE),
        Column("reference", "文书号"),
        Column("state", "状态", ListFormat.BADGE, badges={"有效": Tone.OK, "已到期": Tone.BAD}),
    ),
    read=_reliefs,
    empty="本企业没有税收减免记录。",
)

# --- 个体工商户核定定额信息查询 --------------------------------------------------------------------

FIXED = FunctionSpec(
    code="queries.fixed_amounts",
    name="个体工商户核定定额信息查询",
    short_name="核定定额查询",
    path=("我要查询", "个体工商户核定定额信息查询"),
    url="/query/fixed-amounts",
    keywords=("定期定额", "核定定额", "定额", "个体户", "个体工商户", "双定户", "定额查询"),
    initials=("gtgshhddexxcx",),
    audiences=ENTERPRISE,
    description="查询个体工商户的定期定额核定信息：核定的月销售额、月应纳税额和定额执行期。",
)


class FixedRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    tax_type: str
    monthly_sales: Decimal
    monthly_tax: Decimal
    valid_from: dt.date
    valid_to: dt.date | None
    reference: str


async def _fixed(actor: Actor, query: ListQuery[FixedRow], page: PageRequest) -> list[FixedRow]:
    rows = [
        FixedRow(
            id=item.id,
            tax_type=item.tax_type.value,
            monthly_sales=item.monthly_sales,
            monthly_tax=item.monthly_tax,
            valid_from=item.valid_from,
            valid_to=item.valid_to,
            reference=item.reference,
        )
        for item in await ledger.fixed_amounts(actor.taxpayer_id)
    ]
    return page.take(rows)


FIXED_QUERY = QuerySpec(
    function=FIXED,
    listing=Listing(code=FIXED.code, row=FixedRow, sort=(SortKey("valid_from"), SortKey("id"))),
    columns=(
        Column("tax_type", "征收项目", labels=TAX_TYPES),
        Column("monthly_sales", "核定月销售额", ListFormat.MONEY),
        Column("monthly_tax", "核定月应纳税额", ListFormat.MONEY),
        Column("valid_from", "定额执行期起", ListFormat.DATE),
        Column("valid_to", "定额执行期止", ListFormat.DATE),
        Column("reference", "核定文书号"),
    ),
    read=_fixed,
    empty="没有定期定额核定信息（仅实行定期定额征收的个体工商户有此信息）。",
)

# --- 证明信息查询 ----------------------------------------------------------------------------------

CERTIFICATES = FunctionSpec(
    code="queries.certificates",
    name="证明信息查询",
    path=("我要查询", "证明信息查询"),
    url="/query/certificates",
    keywords=(
        "完税证明",
        "税收完税证明",
        "无欠税证明",
        "清税证明",
        "居民身份证明",
        "证明查询",
        "文书式完税证明查询",
        "完税证明（无纸化系统开具）信息查询",
    ),
    initials=("zmxxcx",),
    audiences=ENTERPRISE,
    description="查询本企业已开具的税收完税证明、无欠税证明、清税证明和税收居民身份证明，查看证明编号和查验码。",
)


class CertificateRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str
    kind: str
    title: str
    issued_by: str
    issued_at: dt.datetime


async def _certificates(
    actor: Actor, query: ListQuery[CertificateRow], page: PageRequest
) -> list[CertificateRow]:
    kind = query.filters.text("kind")
    days = query.filters.dates("issued")
    rows = []
    for item in await certificates.certificates(actor.taxpayer_id):
        day = item.issued_at.astimezone(clock.BEIJING).date()
        if kind and item.kind.value != kind:
            continue
        if (days.start and day < days.start) or (days.end and day > days.end):
            continue
        rows.append(
            CertificateRow(
                id=item.id,
                number=item.number,
                kind=item.kind.value,
                title=item.content.title,
                issued_by=item.issued_by,
                issued_at=item.issued_at,
            )
        )
    return page.take(rows)


async def _certificate(actor: Actor, record_id: int) -> Detail | None:
    item = await certificates.certificate(actor.taxpayer_id, record_id)
    if item is None:
        return None
    content = item.content
    return Detail(
        title=content.title or item.kind.label,
        fields=[
            ("证明种类", item.kind.label),
            ("证明编号", item.number),
            ("查验码", item.code),
            ("纳税人名称", item.taxpayer_name),
            ("纳税人识别号", item.taxpayer_tin),
            ("开具时间", beijing(item.issued_at)),
            ("开具人", item.issued_by),
            *[(field.label, field.value) for field in content.fields],
            *([("合计", content.total)] if content.total else []),
            *([("证明事项", content.statement)] if content.statement else []),
            ("查验地址", certificates.verify_url(item)),
        ],
        sections=[DetailTable(title="证明明细", headings=content.headers, rows=content.rows)]
        if content.headers
        else [],
    )


CERTIFICATE_QUERY = QuerySpec(
    function=CERTIFICATES,
    listing=Listing(
        code=CERTIFICATES.code,
        row=CertificateRow,
        sort=(SortKey("issued_at"), SortKey("id")),
        filters=(
            Choice("kind", "证明种类", tuple((k.value, k.label) for k in certificates.CertificateKind)),
            DateRange("issued", "开具日期"),
        ),
    ),
    columns=(
        Column("issued_at", "开具时间", ListFormat.DATETIME),
        Column("kind", "证明种类", labels={k.value: k.label for k in certificates.CertificateKind}),
        Column("number", "证明编号"),
        Column("title", "证明名称"),
        Column("issued_by", "开具人"),
    ),
    read=_certificates,
    detail=_certificate,
    empty="没有开具过证明。",
    notes=("证明可凭证明编号和查验码在“公众服务 › 证明查验”中查验真伪。",),
)
