"""发票查验 rules: 20-digit 数电 number, 开票日期 and 价税合计 must match; not on the day of issue; only the
last five years; at most :data:`DAILY_LIMIT` checks of one invoice number per Beijing day (counted in the
database with an atomic ``UPDATE … WHERE checks < limit``, so several workers share the limit)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import msgspec

from etax.platform import api
from etax.plugins.invoices.clock import beijing_today
from etax.plugins.invoices.model import InvoiceError, InvoiceView
from etax.plugins.invoices.store import invoice_by_number
from etax.plugins.invoices.tables import VerificationCount

DAILY_LIMIT = 5
YEARS = 5
NUMBER = re.compile(r"^\d{20}$")


class VerifyInput(msgspec.Struct, kw_only=True):
    number: str = ""
    issue_date: str = ""
    total: str = ""
    captcha: str = ""


class Verified(msgspec.Struct, frozen=True, kw_only=True):
    invoice: InvoiceView
    checks_today: int


def check_fields(form: VerifyInput, today: dt.date) -> tuple[str, dt.date, Decimal]:
    number = form.number.strip()
    if not NUMBER.match(number):
        raise InvoiceError("数电发票号码为20位数字，请核对后重新输入", "number")
    try:
        day = dt.date.fromisoformat(form.issue_date.strip())
    except ValueError:
        raise InvoiceError("请选择开票日期", "issue_date") from None
    if day > today:
        raise InvoiceError("开票日期不能晚于今天", "issue_date")
    if day == today:
        raise InvoiceError("当日开具的发票当日不能查验，请于次日再查验", "issue_date")
    try:
        earliest = today.replace(year=today.year - YEARS)
    except ValueError:  # 29 February
        earliest = today.replace(year=today.year - YEARS, day=28)
    if day < earliest:
        raise InvoiceError(f"只能查验{YEARS}年内开具的发票", "issue_date")
    try:
        total = Decimal(form.total.strip().replace(",", ""))
    except InvalidOperation:
        raise InvoiceError("请输入价税合计（数字，保留两位小数）", "total") from None
    if not total.is_finite():
        raise InvoiceError("请输入价税合计（数字，保留两位小数）", "total")
    return number, day, total


async def count_check(number: str, today: dt.date) -> int | None:
    """Count one check of ``number`` today; ``None`` when the daily limit is already reached."""
    key = f"{number}:{today.isoformat()}"
    rows = await VerificationCount.raw(
        "UPDATE invoices_verification_count SET checks = checks + 1 WHERE key = {} AND checks < {} RETURNING checks",
        key,
        DAILY_LIMIT,
    )
    if rows:
        return int(rows[0]["checks"])
    inserted = (
        await VerificationCount.insert(VerificationCount(key=key, checks=1))
        .on_conflict(target=VerificationCount.key, action="DO NOTHING")
        .returning(VerificationCount.checks)
    )
    if inserted:
        return 1
    rows = await VerificationCount.raw(
        "UPDATE invoices_verification_count SET checks = checks + 1 WHERE key = {} AND checks < {} RETURNING checks",
        key,
        DAILY_LIMIT,
    )
    return int(rows[0]["checks"]) if rows else None


async def verify(form: VerifyInput, ip: str) -> Verified:
    """The invoice face and status, or :class:`InvoiceError`; every attempt is audited."""
    today = beijing_today()
    try:
        number, day, total = check_fields(form, today)
        checks = await count_check(number, today)
        if checks is None:
            raise InvoiceError(f"该发票今日查验次数已达{DAILY_LIMIT}次上限，请明日再查验", "number")
        invoice = await invoice_by_number(number)
        if invoice is None:
            raise InvoiceError("查无此票：未查询到该号码的发票，请核对发票号码", "number")
        if invoice.issue_date != day or invoice.total != total:
            raise InvoiceError("发票信息不一致：开票日期或价税合计与发票不符，请核对", "total")
    except InvoiceError as error:
        await api.record(
            actor="公众查验",
            action="invoice.verify",
            target=form.number.strip()[:20],
            ip=ip,
            outcome="failure",
            detail=error.message,
        )
        raise
    await api.record(
        actor="公众查验",
        action="invoice.verify",
        taxpayer_id=invoice.seller_id,
        target=number,
        ip=ip,
        outcome="success",
        detail=f"查验结果：{invoice.status.value}，今日第{checks}次查验",
    )
    return Verified(invoice=invoice, checks_today=checks)
