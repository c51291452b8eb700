"""Pages of 社保费申报, 社保费缴纳 and 社保费缴费记录查询.

Forms carry a token issued with the page (``issue_token``): it is the ledger's idempotency key, so a
double click or a replayed form files (or pays) once. Posted periods and ids are checked against the
unit's own open items; anything else gets a Chinese message and changes nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform.api import (
    Choice,
    Column,
    CurrentActor,
    DateRange,
    ListFormat,
    Listing,
    RecordId,
    SortKey,
    beijing,
    clock,
    format_money,
    issue_token,
    ledger,
    list_query,
    pay_chosen,
    pop_notice,
    record,
    set_notice,
    submitted,
    submitted_text,
    submitted_token,
)
from etax_liaoning import fees
from etax_liaoning.functions import FEE_DECLARATION, FEE_PAYMENT, FEE_RECORDS

L = ledger
STALE_FORM = "表单已失效，请刷新页面后重新提交"
PERIOD = re.compile(r"^\d{4}-\d{2}$")
MONEY = re.compile(r"^\d{1,12}(\.\d{1,2})?$")


class FeeDeclarationController(Controller):
    """社保费申报: the months not yet declared, 缴费人数 and 缴费工资总额, the fees computed and filed."""

    path = FEE_DECLARATION.url
    opt = {"function": FEE_DECLARATION.code}

    @get("/")
    async def page(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        return await self._page(request, actor.taxpayer_id)

    async def _page(
        self,
        request: Request[Any, Any, Any],
        taxpayer_id: int,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        registered = await fees.fees_of(taxpayer_id)
        return Template(
            "liaoning/declaration.html",
            context={
                "function": FEE_DECLARATION,
                "payment_url": FEE_PAYMENT.url + "/",
                "registered": registered,
                "rates": [
                    fees.FeeLine(tax_type=f, rate=fees.RATES[f], amount=Decimal(0)) for f in registered
                ],
                "due": await fees.due_periods(taxpayer_id),
                "base_min": fees.BASE_MIN,
                "base_max": fees.BASE_MAX,
                "token": issue_token(request),
                "errors": errors or {},
                "values": values or {},
                "notice": pop_notice(request),
                "yuan": format_money,
            },
            status_code=status,
        )

    @post("/")
    async def declare(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template | Redirect:
        form = await submitted(request)
        values = {
            name: submitted_text(form, name, 20_000).strip()[:40] for name in ("period", "persons", "wages")
        }
        token = submitted_token(form, request)
        if token is None:
            return await self._page(request, actor.taxpayer_id, errors={"_form": STALE_FORM}, status=400)
        done = await L.declarations_of_batch(actor.taxpayer_id, token)
        if done:  # a double click or a replay: the first submission's records
            return Redirect(FEE_PAYMENT.url + "/", status_code=303)
        errors: dict[str, str] = {}
        due = {period.key: period for period in await fees.due_periods(actor.taxpayer_id)}
        period = due.get(values["period"]) if PERIOD.match(values["period"]) else None
        if period is None:
            errors["period"] = "请选择未申报的费款所属期"
        persons = int(values["persons"]) if values["persons"].isdigit() else 0
        wages = Decimal(0)
        if not MONEY.match(values["wages"]):
            errors["wages"] = "缴费工资总额须为金额，最多两位小数"
        else:
            try:
                wages = Decimal(values["wages"]).quantize(fees.CENT)
            except InvalidOperation:
                errors["wages"] = "缴费工资总额须为金额，最多两位小数"
        if "wages" not in errors:
            errors.update(fees.problems(persons, wages))
        if errors or period is None:
            return await self._page(request, actor.taxpayer_id, errors=errors, values=values, status=400)
        try:
            filed = await fees.declare(
                actor.taxpayer_id, period, persons, wages, filed_by=actor.name, submission=token
            )
        except L.AlreadyFiled:
            return await self._page(
                request,
                actor.taxpayer_id,
                errors={"_form": "该所属期的社保费已申报，请勿重复申报"},
                status=409,
            )
        except L.LedgerError as error:
            return await self._page(
                request, actor.taxpayer_id, errors={"_form": error.message}, values=values, status=400
            )
        total = sum((d.amounts.payable for d in filed), Decimal(0))
        await record(
            actor=actor.principal.display_name,
            acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
            taxpayer_id=actor.taxpayer_id,
            action=FEE_DECLARATION.name,
            outcome="success",
            connection=request,
            target=f"所属期 {period.key}",
            detail=f"{len(filed)}个险种，应缴费额合计{format_money(total)}元",
        )
        set_notice(
            request, f"{period.key}社保费申报成功：{len(filed)}个险种，应缴费额合计{format_money(total)}元"
        )
        return Redirect(FEE_PAYMENT.url + "/", status_code=303)


class FeePaymentController(Controller):
    """社保费缴纳: declared fees not yet paid, deducted through the unit's 三方协议."""

    path = FEE_PAYMENT.url
    opt = {"function": FEE_PAYMENT.code}

    @get("/")
    async def page(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        return await self._page(request, actor.taxpayer_id)

    async def _page(
        self, request: Request[Any, Any, Any], taxpayer_id: int, *, error: str = "", status: int = 200
    ) -> Template:
        items = await fees.unpaid_fees(taxpayer_id)
        return Template(
            "liaoning/payment.html",
            context={
                "function": FEE_PAYMENT,
                "declaration_url": FEE_DECLARATION.url + "/",
                "records_url": FEE_RECORDS.url + "/",
                "items": items,
                "total_fee": sum((i.amount for i in items), Decimal("0.00")),
                "total_late": sum((i.late_fee for i in items), Decimal("0.00")),
                "agreement": await L.active_agreement(taxpayer_id),
                "token": issue_token(request),
                "today": clock.today(),
                "error": error,
                "notice": pop_notice(request),
                "yuan": format_money,
            },
            status_code=status,
        )

    @post("/")
    async def pay(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template | Redirect:
        attempt = await pay_chosen(request, actor, FEE_PAYMENT, fees.unpaid_fees, items_word="缴费项目")
        if attempt.payment is None:
            return await self._page(request, actor.taxpayer_id, error=attempt.message, status=400)
        return Redirect(f"{FEE_PAYMENT.url}/{attempt.payment.id}", status_code=303)

    @get("/{payment_id:int}")
    async def result(self, actor: CurrentActor, payment_id: RecordId) -> Template:
        payment = await L.payment(actor.taxpayer_id, payment_id)
        if payment is None:
            raise NotFoundException("未找到该缴费记录")
        return Template(
            "liaoning/paid.html",
            context={
                "function": FEE_PAYMENT,
                "payment": payment,
                "records_url": FEE_RECORDS.url + "/",
                "yuan": format_money,
                "beijing": beijing,
            },
        )


def records_listing(registered: tuple[L.TaxType, ...]) -> Listing[fees.FeeRecord]:
    """The list of paid fees, its 险种 filter offering only the fees the unit is registered for."""
    return Listing(
        code="liaoning.fee_records",
        row=fees.FeeRecord,
        sort=(SortKey("paid_on"), SortKey("id")),
        filters=(
            DateRange("paid_on", "缴款日期"),
            Choice("tax_type", "险种", tuple((fee.value, fee.label) for fee in registered)),
        ),
    )


COLUMNS = (
    Column("paid_on", "缴款日期", ListFormat.DATE),
    Column("tax_type", "险种", labels={fee.value: fee.label for fee in L.SOCIAL_INSURANCE_FEES}),
    Column("period_start", "所属期起", ListFormat.DATE),
    Column("period_end", "所属期止", ListFormat.DATE),
    Column("amount", "缴费金额（元）", ListFormat.MONEY),
    Column("late_fee", "滞纳金（元）", ListFormat.MONEY),
    Column("voucher", "电子缴税付款凭证号"),
)


class FeeRecordsController(Controller):
    """社保费缴费记录查询, for the fee types the unit is registered for."""

    path = FEE_RECORDS.url
    opt = {"function": FEE_RECORDS.code}

    @get("/")
    async def listing(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        registered = await fees.fees_of(actor.taxpayer_id)
        listing = records_listing(registered)
        query = list_query(request, listing, scope=f"taxpayer:{actor.taxpayer_id}")
        span = query.filters.dates("paid_on")
        wanted = query.filters.text("tax_type")
        rows = [
            row
            for row in await fees.fee_records(actor.taxpayer_id, registered)
            if (not wanted or row.tax_type == wanted)
            and (span.start is None or row.paid_on >= span.start)
            and (span.end is None or row.paid_on <= span.end)
        ]
        page = query.result(query.page.take(rows))
        return Template(
            "liaoning/records.html",
            context={
                "function": FEE_RECORDS,
                "registered": registered,
                "query": query,
                "page": page,
                "columns": COLUMNS,
                "total": sum((r.amount for r in rows), Decimal(0)),
                "count": len(rows),
                "yuan": format_money,
            },
        )


ROUTES = (FeeDeclarationController, FeePaymentController, FeeRecordsController)
