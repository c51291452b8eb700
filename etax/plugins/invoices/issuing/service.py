"""Issuing a 数电发票: checks (nothing written on bad input), then one transaction that takes the quota,
draws the issuer's next number and stores the invoice with its lines and the audit entry.

The quota and the number come from one ``UPDATE invoices_account … WHERE <enough quota> RETURNING``: the
row lock serialises concurrent issues of one issuer on PostgreSQL (``BEGIN IMMEDIATE`` on SQLite), a
failed insert rolls the number back, so numbers are unique and without gaps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from etax.platform import api
from etax.plugins.invoices.clock import beijing_today, now
from etax.plugins.invoices.model import (
    Colour,
    InvoiceError,
    InvoiceKind,
    InvoiceStatus,
    InvoiceView,
    IssueInput,
    ItemInput,
    Who,
    invoice_number,
)
from etax.plugins.invoices.money import (
    MAX_INVOICE_TOTAL,
    RATES,
    SMALL_SCALE_RATES,
    fen,
    line_tax,
    rate_label,
    split_inclusive,
)
from etax.plugins.invoices.store import approved_kinds, base_credit_fen, from_fen, invoice_by_id, to_fen
from etax.plugins.invoices.tables import Invoice, InvoiceAccount, InvoiceItem

MAX_LINES = 100
SMALL_SCALE = "小规模纳税人"
PRICE_PLACES = Decimal("0.00000001")


class Line:
    """A checked line: 不含税金额, rate and tax to the fen."""

    def __init__(
        self, number: int, item: ItemInput, amount: Decimal, tax: Decimal, price: Decimal | None
    ) -> None:
        self.number = number
        self.item = item
        self.amount = amount
        self.tax = tax
        self.price = price


class Buyer:
    def __init__(self, taxpayer_id: int | None, tin: str, name: str, is_person: bool) -> None:
        self.taxpayer_id = taxpayer_id
        self.tin = tin
        self.name = name
        self.is_person = is_person


async def check_buyer(seller_id: int, data: IssueInput) -> Buyer:
    """The buyer: a valid 纳税人识别号 (filled from the core registry when registered), or a natural person."""
    tin = api.normalise_code(data.buyer_tin)
    name = data.buyer_name.strip()
    if data.buyer_is_person:
        if data.kind is InvoiceKind.SPECIAL:
            raise InvoiceError("增值税专用发票不能开具给自然人，请开具普通发票", "buyer_tin")
        if not name:
            raise InvoiceError("请填写购买方名称（自然人姓名）", "buyer_name")
        if tin:
            problem = api.resident_id_problem(tin)
            if problem:
                raise InvoiceError(f"购买方身份证件号码有误：{problem}", "buyer_tin")
        return Buyer(None, tin, name, True)
    problem = api.tin_problem(tin)
    if problem:
        raise InvoiceError(f"购买方{problem}", "buyer_tin")
    record = await api.registry.taxpayer_by_tin(tin)
    if record is not None:
        if record.id == seller_id:
            raise InvoiceError("购买方不能是本单位", "buyer_tin")
        return Buyer(record.id, record.tin, record.name, False)
    if not name:
        raise InvoiceError("该纳税人识别号未在本平台登记，请填写购买方名称", "buyer_name")
    return Buyer(None, tin, name, False)


def check_lines(data: IssueInput, small_scale: bool) -> list[Line]:
    """Each line's 金额 (不含税) and 税额, or the first problem, in Chinese, naming the line."""
    if not data.items:
        raise InvoiceError("请至少填写一行项目信息", "items")
    if len(data.items) > MAX_LINES:
        raise InvoiceError(f"一张发票最多{MAX_LINES}行项目", "items")
    lines: list[Line] = []
    for number, item in enumerate(data.items, start=1):
        where = f"第{number}行"
        if not item.name.strip():
            raise InvoiceError(f"{where}：请填写项目名称（商品和服务名称）", "items")
        if item.rate not in RATES:
            raise InvoiceError(f"{where}：税率只能为13%、9%、6%、5%、3%、1%或0%", "items")
        if small_scale and item.rate not in SMALL_SCALE_RATES:
            raise InvoiceError(
                f"{where}：小规模纳税人只能按5%、3%、1%征收率或免税（0%）开票，不能使用{rate_label(item.rate)}",
                "items",
            )
        if data.kind is InvoiceKind.SPECIAL and item.rate == 0:
            raise InvoiceError(f"{where}：免税或零税率项目不得开具增值税专用发票，请开具普通发票", "items")
        if item.quantity is not None and item.quantity <= 0:
            raise InvoiceError(f"{where}：数量必须大于0（蓝字发票不能填写负数数量）", "items")
        if item.unit_price is not None and item.unit_price <= 0:
            raise InvoiceError(f"{where}：单价必须大于0", "items")
        if item.amount <= 0:
            raise InvoiceError(f"{where}：金额必须大于0（蓝字发票不能填写负数金额）", "items")
        if item.amount != fen(item.amount):
            raise InvoiceError(f"{where}：金额最多保留两位小数", "items")
        if item.quantity is not None and item.unit_price is not None:
            if abs(fen(item.quantity * item.unit_price) - item.amount) > Decimal("0.01"):
                raise InvoiceError(f"{where}：数量×单价与金额不符，请核对", "items")
        if data.price_inclusive:
            amount, tax = split_inclusive(item.amount, item.rate)
        else:
            amount, tax = item.amount, line_tax(item.amount, item.rate)
        price = item.unit_price
        if price is not None and data.price_inclusive:
            price = (price / (1 + item.rate / 100)).quantize(PRICE_PLACES)
        elif price is None and item.quantity is not None:
            price = (amount / item.quantity).quantize(PRICE_PLACES)
        lines.append(Line(number, item, amount, tax, price))
    total = sum((line.amount + line.tax for line in lines), Decimal("0.00"))
    if total > MAX_INVOICE_TOTAL:
        raise InvoiceError("价税合计超出单张发票允许的最大金额", "items")
    return lines


async def sync_account(taxpayer_id: int) -> None:
    """Create the quota account, or refresh its 授信总额度 from the approved 票种核定 (idempotent)."""
    base = await base_credit_fen(taxpayer_id)
    await InvoiceAccount.insert(
        InvoiceAccount(taxpayer=taxpayer_id, base_credit_fen=base, updated_at=now())
    ).on_conflict(target=InvoiceAccount.taxpayer, action="DO UPDATE", values=[InvoiceAccount.base_credit_fen])


async def take_quota(taxpayer_id: int, amount_fen: int, moment: dt.datetime) -> tuple[int, int] | None:
    """Consume ``amount_fen`` of quota and draw the next sequence; ``None`` when the quota is short."""
    rows = await InvoiceAccount.raw(
        "UPDATE invoices_account SET used_fen = used_fen + {}, issued_count = issued_count + 1, "
        "last_sequence = last_sequence + 1, updated_at = {} "
        "WHERE taxpayer = {} AND base_credit_fen + adjustment_fen - used_fen >= {} "
        "RETURNING id, last_sequence",
        amount_fen,
        moment,
        taxpayer_id,
        amount_fen,
    )
    if not rows:
        return None
    return int(rows[0]["id"]), int(rows[0]["last_sequence"])


async def restore_quota(taxpayer_id: int, amount_fen: int, moment: dt.datetime) -> None:
    """Give back quota when a red-letter invoice reverses ``amount_fen`` of 不含税金额."""
    await InvoiceAccount.raw(
        "UPDATE invoices_account SET used_fen = used_fen - {}, updated_at = {} WHERE taxpayer = {}",
        amount_fen,
        moment,
        taxpayer_id,
    )


async def draw_number(taxpayer_id: int, moment: dt.datetime) -> str:
    """The next number of an issuer without taking quota (red-letter invoices)."""
    rows = await InvoiceAccount.raw(
        "UPDATE invoices_account SET last_sequence = last_sequence + 1, updated_at = {} "
        "WHERE taxpayer = {} RETURNING id, last_sequence",
        moment,
        taxpayer_id,
    )
    if not rows:
        raise InvoiceError("本单位尚未开通数电发票额度，不能开具红字发票")
    return invoice_number(beijing_today(moment).year, int(rows[0]["id"]), int(rows[0]["last_sequence"]))


async def issue(data: IssueInput, who: Who, submission: str | None = None) -> InvoiceView:
    """Issue a blue 数电发票 for ``who.taxpayer_id``; :class:`InvoiceError` (nothing written) on bad input.

    ``submission`` is the form's idempotency key: a form sent twice gives the first invoice back.
    """
    if submission:
        earlier = await _by_submission(who.taxpayer_id, submission)
        if earlier is not None:
            return earlier
    seller = await api.registry.taxpayer_by_id(who.taxpayer_id)
    if seller is None:
        raise InvoiceError("未找到本单位的税务登记信息")
    kinds = await approved_kinds(seller.id)
    if not kinds:
        raise InvoiceError("本单位尚未核定数电发票票种，请先办理“发票票种核定”")
    if data.kind not in kinds:
        raise InvoiceError(f"本单位未核定{data.kind.label}，请先办理“发票票种核定”", "kind")
    buyer = await check_buyer(seller.id, data)
    lines = check_lines(data, seller.taxpayer_type == SMALL_SCALE)
    await sync_account(seller.id)
    try:
        invoice_id = await _issue(seller, buyer, lines, data, who, submission)
    except Exception as error:
        if submission and api.is_unique_violation(error):
            earlier = await _by_submission(who.taxpayer_id, submission)
            if earlier is not None:
                return earlier
        raise
    view = await invoice_by_id(invoice_id)
    assert view is not None
    return view


async def _by_submission(seller_id: int, submission: str) -> InvoiceView | None:
    row = (
        await Invoice.select(Invoice.id)
        .where((Invoice.submission == submission) & (Invoice.seller == seller_id))
        .first()
    )
    return None if row is None else await invoice_by_id(int(row["id"]))


async def _issue(
    seller: api.registry.TaxpayerRecord,
    buyer: Buyer,
    lines: list[Line],
    data: IssueInput,
    who: Who,
    submission: str | None,
) -> int:
    amount = sum((line.amount for line in lines), Decimal("0.00"))
    tax = sum((line.tax for line in lines), Decimal("0.00"))
    moment = now()
    async with api.write_transaction(Invoice):
        drawn = await take_quota(seller.id, to_fen(amount), moment)
        if drawn is None:
            account = await InvoiceAccount.select().where(InvoiceAccount.taxpayer == seller.id).first()
            available = (
                from_fen(
                    int(account["base_credit_fen"])
                    + int(account["adjustment_fen"])
                    - int(account["used_fen"])
                )
                if account
                else Decimal("0.00")
            )
            raise InvoiceError(
                f"本张发票金额（不含税）{amount:,.2f}元超出可用总额度{available:,.2f}元，"
                "请调整开票金额或申请“发票额度调整”"
            )
        account_id, sequence = drawn
        number = invoice_number(beijing_today(moment).year, account_id, sequence)
        invoice = Invoice(
            number=number,
            kind=data.kind.value,
            colour=Colour.BLUE.value,
            seller=seller.id,
            seller_tin=seller.tin,
            seller_name=seller.name,
            seller_address=seller.address,
            buyer=buyer.taxpayer_id,
            buyer_tin=buyer.tin,
            buyer_name=buyer.name,
            buyer_is_person=buyer.is_person,
            issued_at=moment,
            issue_date=beijing_today(moment),
            amount=amount,
            tax=tax,
            total=amount + tax,
            status=InvoiceStatus.NORMAL.value,
            issuer=who.actor[:60],
            remark=data.remark[:200],
            price_inclusive=data.price_inclusive,
            submission=submission,
        )
        await invoice.save()
        for line in lines:
            await InvoiceItem(
                invoice=invoice.id,
                line=line.number,
                name=line.item.name.strip()[:100],
                specification=line.item.specification[:40],
                unit=line.item.unit[:10],
                quantity=line.item.quantity,
                unit_price=line.price,
                amount=line.amount,
                rate=line.item.rate,
                tax=line.tax,
            ).save()
        await api.record(
            actor=who.actor,
            acting_for=who.acting_for,
            taxpayer_id=seller.id,
            action="invoice.issue",
            target=f"{data.kind.label} {number}",
            ip=who.ip,
            outcome="success",
            detail=f"购买方：{buyer.name}；价税合计：{amount + tax:.2f}元",
        )
    return int(invoice.id)
