"""发票代开: the bureau issues a 数电发票 for an enterprise that cannot issue its own (no approved 数电 票种,
e.g. a 小规模 shop or a 个体工商户 renting out property), after the tax is declared and paid through the
platform ledger:

1. the form gives the buyer, the item, 价税合计 and the 征收率 (3 % / 1 % for goods and services, 5 % for
   不动产经营租赁) and the date of the taxable event (before today: the ledger files 按次 for ended periods);
2. the tax is split from 价税合计 (金额 = 价税合计 ÷ (1 + 征收率) to the fen, 增值税 = the rest) with the
   surcharges on the VAT (城市维护建设税 7 %, 教育费附加 3 %, 地方教育附加 2 %, each to the fen);
3. the ledger records the 按次 events, files the four returns together (one submission: a replay files
   nothing twice) and deducts them through the 三方协议 (one deduction per key);
4. once paid, the invoice is issued with a number of the 代开 channel (``YY 21 2 …``, a counter, so never a
   number of a self-issued invoice) and reaches a registered buyer's 取得发票 at once. The form token is a
   unique column: one invoice per submission.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import msgspec

from etax.platform import api
from etax.platform.api import Audience, FunctionSpec, ledger, registry, tin_problem
from etax.plugins.invoices.clock import beijing_today, now
from etax.plugins.invoices.model import PROVINCE_CODE, Colour, InvoiceError, InvoiceKind, Who
from etax.plugins.invoices.store import approved_kinds, money
from etax.plugins.invoices.tables import AgentIssue, Invoice, InvoiceItem, PaperCounter

AGENT_ISSUE = FunctionSpec(
    code="invoices.agent_issue",
    name="发票代开",
    path=("我要办税", "发票使用", "发票代开"),
    url="/invoices/agent-issue",
    keywords=(
        "代开",
        "代开发票",
        "代开增值税发票",
        "代开普票",
        "代开专票",
        "税务局代开",
        "房屋出租开票",
        "房租发票",
        "个体户开票",
        "小规模开票",
    ),
    initials=("fpdk", "dkzzsfp"),
    audiences=frozenset({Audience.ENTERPRISE}),
    description="未核定数电发票的纳税人申请税务机关代开增值税发票：在线计算并缴纳增值税及附加税费后即时开具。",
)

AGENT_CHANNEL = "2"  # 税务机关代开
MAX_TOTAL = Decimal("10000000.00")
FEN = Decimal("0.01")
SURCHARGES = (
    (ledger.TaxType.URBAN_CONSTRUCTION, "城市维护建设税", Decimal("0.07")),
    (ledger.TaxType.EDUCATION, "教育费附加", Decimal("0.03")),
    (ledger.TaxType.LOCAL_EDUCATION, "地方教育附加", Decimal("0.02")),
)


class Business(enum.StrEnum):
    GOODS = "销售货物"
    SERVICES = "提供劳务或服务"
    RENTAL = "不动产经营租赁"

    @property
    def rates(self) -> tuple[Decimal, ...]:
        """征收率 allowed for the business (percent)."""
        return (Decimal(5),) if self is Business.RENTAL else (Decimal(3), Decimal(1))


class AgentInput(msgspec.Struct, frozen=True, kw_only=True):
    kind: InvoiceKind
    buyer_tin: str
    buyer_name: str
    business: Business
    item: str
    total: Decimal  # 价税合计
    rate: Decimal  # percent
    event_date: dt.date


class TaxLine(msgspec.Struct, frozen=True, kw_only=True):
    tax_type: str
    label: str
    base: Decimal
    rate: Decimal
    amount: Decimal


class Computation(msgspec.Struct, frozen=True, kw_only=True):
    amount: Decimal  # 金额 (不含税)
    vat: Decimal
    total: Decimal
    lines: list[TaxLine]

    @property
    def payable(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


class AgentView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    submission: str
    invoice_id: int | None
    invoice_number: str
    buyer_name: str
    item: str
    total: Decimal
    payable: Decimal
    status: str
    message: str
    created_at: dt.datetime


def fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def compute(total: Decimal, rate: Decimal) -> Computation:
    """Split 价税合计 at the 征收率 and add the surcharges on the VAT (each rounded half-up to the fen)."""
    amount = fen(total / (Decimal(1) + rate / 100))
    vat = total - amount
    lines = [
        TaxLine(tax_type=ledger.TaxType.VAT.value, label="增值税", base=amount, rate=rate / 100, amount=vat)
    ]
    lines += [
        TaxLine(tax_type=tax.value, label=label, base=vat, rate=part, amount=fen(vat * part))
        for tax, label, part in SURCHARGES
    ]
    return Computation(amount=amount, vat=vat, total=total, lines=lines)


def parse_agent(form: dict[str, str]) -> AgentInput:
    """The 代开 form as typed values, or the first problem in Chinese."""
    try:
        kind = InvoiceKind(form.get("kind", ""))
    except ValueError:
        raise InvoiceError("请选择发票种类", "kind") from None
    tin = form.get("buyer_tin", "").strip().upper()
    name = form.get("buyer_name", "").strip()
    if tin:
        problem = tin_problem(tin)
        if problem:
            raise InvoiceError(f"购买方纳税人识别号{problem}", "buyer_tin")
    elif kind is InvoiceKind.SPECIAL:
        raise InvoiceError("代开增值税专用发票须填写购买方纳税人识别号", "buyer_tin")
    if not tin and not 2 <= len(name) <= 100:
        raise InvoiceError("请填写购买方名称（2至100字）", "buyer_name")
    try:
        business = Business(form.get("business", ""))
    except ValueError:
        raise InvoiceError("请选择业务类型", "business") from None
    item = form.get("item", "").strip()
    if not 2 <= len(item) <= 60:
        raise InvoiceError("请填写货物或应税劳务、服务名称（2至60字）", "item")
    try:
        total = Decimal(form.get("total", "").strip().replace(",", ""))
    except InvalidOperation:
        raise InvoiceError("价税合计应为金额，如 3090.00", "total") from None
    if not total.is_finite() or total <= 0:
        raise InvoiceError("价税合计必须大于0", "total")
    if total != total.quantize(FEN):
        raise InvoiceError("价税合计最多保留两位小数", "total")
    if total > MAX_TOTAL:
        raise InvoiceError("单份代开发票价税合计不能超过1000万元", "total")
    try:
        rate = Decimal(form.get("rate", "").strip().rstrip("%"))
    except InvalidOperation:
        raise InvoiceError("请选择征收率", "rate") from None
    if rate not in business.rates:
        allowed = "、".join(f"{r}%" for r in business.rates)
        raise InvoiceError(f"{business.value}的征收率为{allowed}", "rate")
    try:
        event = dt.date.fromisoformat(form.get("event_date", "").strip())
    except ValueError:
        raise InvoiceError("应税行为发生日期格式应为YYYY-MM-DD", "event_date") from None
    today = beijing_today()
    if event >= today:
        raise InvoiceError("应税行为发生日期应早于今天（当日发生的业务请次日申请代开）", "event_date")
    if event < today - dt.timedelta(days=365):
        raise InvoiceError("只能代开一年内发生的应税行为", "event_date")
    return AgentInput(
        kind=kind,
        buyer_tin=tin,
        buyer_name=name,
        business=business,
        item=item,
        total=total,
        rate=rate,
        event_date=event,
    )


def _view(row: dict[str, object]) -> AgentView:
    return AgentView(
        id=int(str(row["id"])),
        submission=str(row["submission"]),
        invoice_id=None if row["invoice"] is None else int(str(row["invoice"])),
        invoice_number=str(row.get("invoice.number") or ""),
        buyer_name=str(row["buyer_name"]),
        item=str(row["item"]),
        total=money(row["total"]),
        payable=money(row["payable"]),
        status=str(row["status"]),
        message=str(row["message"]),
        created_at=row["created_at"],  # type: ignore[arg-type]
    )


async def agent_issues(taxpayer_id: int) -> list[AgentView]:
    rows = (
        await AgentIssue.select(*AgentIssue.all_columns(), AgentIssue.invoice.number)
        .where(AgentIssue.taxpayer == taxpayer_id)
        .order_by(AgentIssue.id, ascending=False)
        .limit(100)
    )
    return [_view(row) for row in rows]


async def _next_number(moment: dt.datetime) -> str:
    year = beijing_today(moment).year % 100
    code = f"DK{year:02d}"
    await PaperCounter.insert(PaperCounter(code=code, last_number=0)).on_conflict(
        target=PaperCounter.code, action="DO NOTHING"
    )
    rows = await PaperCounter.raw(
        "UPDATE invoices_paper_counter SET last_number = last_number + 1 WHERE code = {} RETURNING last_number",
        code,
    )
    return f"{year:02d}{PROVINCE_CODE}{AGENT_CHANNEL}{int(rows[0]['last_number']):015d}"


async def agent_issue(data: AgentInput, submission: str, who: Who) -> AgentView:
    """Declare and pay the tax, then issue the invoice; a replay of ``submission`` does nothing twice."""
    if await approved_kinds(who.taxpayer_id):
        raise InvoiceError("本单位已核定数电发票票种，可自行开具，请使用“蓝字发票开具”", "kind")
    seller = await registry.taxpayer_by_id(who.taxpayer_id)
    if seller is None:
        raise InvoiceError("未找到本单位的税务登记信息", "kind")
    if data.buyer_tin == seller.tin:
        raise InvoiceError("购买方不能是本单位", "buyer_tin")
    buyer = await registry.taxpayer_by_tin(data.buyer_tin) if data.buyer_tin else None
    buyer_name = buyer.name if buyer is not None else data.buyer_name
    if not buyer_name:
        raise InvoiceError("购买方未在本平台登记，请填写购买方名称", "buyer_name")
    if await ledger.active_agreement(who.taxpayer_id) is None:
        raise InvoiceError("代开须在线缴纳税费：请先在“网签三方协议”中签订并验证三方协议", "kind")
    figures = compute(data.total, data.rate)
    moment = now()
    existing = await AgentIssue.select().where(AgentIssue.submission == submission).first()
    if existing is None:
        try:
            await AgentIssue(
                submission=submission,
                taxpayer=who.taxpayer_id,
                kind=data.kind.value,
                buyer_tin=data.buyer_tin,
                buyer_name=buyer_name[:100],
                business=data.business.value,
                item=data.item,
                total=data.total,
                amount=figures.amount,
                rate=data.rate,
                vat=figures.vat,
                payable=figures.payable,
                event_date=data.event_date,
                status="待缴款",
                created_at=moment,
                created_by=who.actor[:120],
            ).save()
        except Exception as error:
            if not api.is_unique_violation(error):
                raise
    row = await AgentIssue.select().where(AgentIssue.submission == submission).first()
    assert row is not None
    if int(row["taxpayer"]) != who.taxpayer_id:
        raise InvoiceError("表单已失效，请刷新页面后重新提交", "kind")
    if row["invoice"] is not None:
        return await _finished(submission)
    reference = f"代开{int(row['id']):08d}"
    try:
        declarations = await _declare(row, figures, reference, who)
        unpaid = [d.id for d in declarations if d.outstanding > 0]
        payment = (
            await ledger.pay(
                who.taxpayer_id,
                unpaid,
                key=f"dk:{submission}:{moment.timestamp():.6f}",  # each attempt its own debit
                requested_by=who.actor[:120],
            )
            if unpaid
            else None  # paid by an earlier attempt whose invoice was not issued
        )
    except ledger.LedgerError as error:
        await AgentIssue.update({AgentIssue.message: error.message[:200]}).where(
            AgentIssue.submission == submission
        )
        await _audit(who, reference, "refused", error.message)
        raise InvoiceError(error.message, "kind") from None
    if payment is not None and payment.status is not ledger.PaymentStatus.SUCCEEDED:
        message = f"扣款失败：{payment.message}，请检查三方协议账户后重新提交"
        await AgentIssue.update({AgentIssue.status: "扣款失败", AgentIssue.message: message[:200]}).where(
            AgentIssue.submission == submission
        )
        await _audit(who, reference, "failure", message)
        raise InvoiceError(message, "kind")
    voucher = payment.voucher_number if payment is not None else ""
    await _issue(row, seller.tin, seller.name, buyer.id if buyer else None, voucher, who)
    await _audit(who, reference, "success", f"价税合计{data.total:.2f}元，缴纳税费{figures.payable:.2f}元")
    return await _finished(submission)


async def _declare(
    row: dict[str, object], figures: Computation, reference: str, who: Who
) -> list[ledger.Declaration]:
    """File the VAT and its surcharges 按次 for the event (one submission: a replay returns them)."""
    event = row["event_date"]
    assert isinstance(event, dt.date)
    requests = []
    for line in figures.lines:
        tax_type = ledger.TaxType(line.tax_type)
        try:
            await ledger.record_event(who.taxpayer_id, tax_type, event, reference, description="发票代开")
        except ledger.LedgerError:
            pass  # recorded by an earlier attempt of the same 代开
        requests.append(
            ledger.FilingRequest(
                taxpayer_id=who.taxpayer_id,
                tax_type=tax_type,
                form_code="DKFP",
                form_version="2026-01",
                period_kind=ledger.PeriodKind.EVENT,
                period_start=event,
                period_end=event,
                event_ref=reference,
                amounts=ledger.Amounts(income=line.base, tax=line.amount, payable=line.amount),
                lines={"1": f"{line.base}", "2": f"{line.rate}", "3": f"{line.amount}"},
                filed_by=who.actor[:120],
                submission=f"dk:{row['submission']}",
            )
        )
    return await ledger.file_declarations(requests)


async def _issue(
    row: dict[str, object], seller_tin: str, seller_name: str, buyer_id: int | None, voucher: str, who: Who
) -> None:
    moment = now()
    async with api.write_transaction(Invoice):
        number = await _next_number(moment)
        rows = await Invoice.insert(
            Invoice(
                number=number,
                kind=str(row["kind"]),
                colour=Colour.BLUE.value,
                seller=who.taxpayer_id,
                seller_tin=seller_tin,
                seller_name=seller_name,
                buyer=buyer_id,
                buyer_tin=str(row["buyer_tin"]),
                buyer_name=str(row["buyer_name"]),
                buyer_is_person=not row["buyer_tin"],
                issued_at=moment,
                issue_date=beijing_today(moment),
                amount=money(row["amount"]),
                tax=money(row["vat"]),
                total=money(row["total"]),
                issuer="税务机关代开",
                remark=f"代开 {row['business']}；完税凭证号{voucher}"[:200],
            )
        ).returning(Invoice.id)
        invoice_id = int(rows[0]["id"])
        await InvoiceItem(
            invoice=invoice_id,
            line=1,
            name=str(row["item"]),
            amount=money(row["amount"]),
            rate=Decimal(str(row["rate"])),
            tax=money(row["vat"]),
        ).save()
        done = await AgentIssue.raw(
            "UPDATE invoices_agent_issue SET invoice = {}, status = {}, message = {} "
            "WHERE id = {} AND invoice IS NULL RETURNING id",
            invoice_id,
            "已开具",
            "",
            int(str(row["id"])),
        )
        if not done:  # a concurrent replay issued it first: keep only one invoice
            raise InvoiceError("该代开申请已开具发票，请勿重复提交", "kind")
    await api.record(
        actor=who.actor,
        acting_for=who.acting_for,
        taxpayer_id=who.taxpayer_id,
        action="invoice.issue",
        target=number,
        ip=who.ip,
        outcome="success",
        detail=f"税务机关代开，价税合计{money(row['total']):.2f}元",
    )


async def _finished(submission: str) -> AgentView:
    row = (
        await AgentIssue.select(*AgentIssue.all_columns(), AgentIssue.invoice.number)
        .where(AgentIssue.submission == submission)
        .first()
    )
    assert row is not None
    return _view(row)


async def _audit(who: Who, reference: str, outcome: api.Outcome, detail: str) -> None:
    await api.record(
        actor=who.actor,
        acting_for=who.acting_for,
        taxpayer_id=who.taxpayer_id,
        action="invoice.agent_issue",
        target=reference,
        ip=who.ip,
        outcome=outcome,
        detail=detail[:200],
    )


async def started(submission: str, taxpayer_id: int) -> bool:
    """Whether this form already declared tax that is not yet invoiced (a failed deduction to retry)."""
    if not submission:
        return False
    return bool(
        await AgentIssue.exists().where(
            (AgentIssue.submission == submission)
            & (AgentIssue.taxpayer == taxpayer_id)
            & AgentIssue.invoice.is_null()
        )
    )
