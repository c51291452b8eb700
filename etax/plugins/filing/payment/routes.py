"""Pages of 网签三方协议, 税款缴纳 and 开具税收完税证明（表格式）, over the platform's ledger and certificates.

Each form carries a token issued with the page (``api.issue_token``); the token is the idempotency key,
so a double click or a replayed form pays (or issues) once. Ids posted back are checked against the
taxpayer's own records: a tampered or foreign id gets a clear refusal and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect, Response, Template

from etax.platform.api import (
    FunctionSpec,
    PaymentRefusal,
    RecordId,
    beijing,
    capitals,
    certificates,
    clock,
    current_actor,
    format_money,
    issue_token,
    ledger,
    pay_chosen,
    pop_notice,
    record,
    registry,
    set_notice,
    submitted,
    submitted_list,
    submitted_text,
    submitted_token,
)
from etax.platform.api import ledger as L
from etax.plugins.filing.payment.functions import AGREEMENT, PAYMENT, TAX_CERTIFICATE

STALE_FORM = "表单已失效，请刷新页面后重新提交"


def _refused(function: FunctionSpec, message: str, *, status: int = 400) -> Template:
    return Template(
        "payment/refused.html",
        context={"function": function, "message": message, "back": function.url + "/"},
        status_code=status,
    )


async def _form(request: Request[Any, Any, Any]) -> Mapping[str, str | list[str]]:
    return await submitted(request)


# --- 网签三方协议 ---------------------------------------------------------------------------------------


class AgreementController(Controller):
    """网签三方协议: list, sign (verified with the bank at once), terminate."""

    path = AGREEMENT.url
    opt = {"function": AGREEMENT.code}

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        actor = await current_actor(request)
        return await self._page(request, actor.taxpayer_id, errors={}, values={})

    async def _page(
        self,
        request: Request[Any, Any, Any],
        taxpayer_id: int,
        *,
        errors: dict[str, str],
        values: dict[str, str],
        status: int = 200,
    ) -> Template:
        taxpayer = await registry.taxpayer_by_id(taxpayer_id)
        rows = await ledger.agreements(taxpayer_id)
        return Template(
            "payment/agreements.html",
            context={
                "function": AGREEMENT,
                "agreements": rows,
                "banks": ledger.BANKS,
                "errors": errors,
                "values": {"account_name": taxpayer.name if taxpayer else "", **values},
                "token": issue_token(request),
                "notice": pop_notice(request),
                "beijing": beijing,
            },
            status_code=status,
        )

    @post("/")
    async def sign(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        actor = await current_actor(request)
        form = await _form(request)
        if submitted_token(form, request) is None:
            return _refused(AGREEMENT, STALE_FORM)
        values = {
            "bank_code": submitted_text(form, "bank_code", 12),
            "account_number": submitted_text(form, "account_number", 40),
            "account_name": submitted_text(form, "account_name", 120),
        }
        errors: dict[str, str] = {}
        if values["bank_code"] not in ledger.BANKS:
            errors["bank_code"] = "请选择开户银行"
        account = values["account_number"].replace(" ", "")
        if not account.isdigit() or not 8 <= len(account) <= 32:
            errors["account_number"] = "银行账号应为8至32位数字"
        if not values["account_name"].strip():
            errors["account_name"] = "请填写账户名称"
        if errors:
            return await self._page(request, actor.taxpayer_id, errors=errors, values=values, status=400)
        try:
            agreement = await ledger.sign_agreement(
                actor.taxpayer_id,
                bank_code=values["bank_code"],
                bank_name=ledger.BANKS[values["bank_code"]],
                account_number=account,
                account_name=values["account_name"],
                signed_by=actor.name,
            )
        except L.LedgerError as error:
            return await self._page(
                request, actor.taxpayer_id, errors={"_form": error.message}, values=values, status=400
            )
        ok = agreement.status is L.AgreementStatus.VALID
        await record(
            actor=actor.principal.display_name,
            acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
            taxpayer_id=actor.taxpayer_id,
            action=AGREEMENT.name,
            outcome="success" if ok else "failure",
            connection=request,
            target=f"三方协议号 {agreement.number}",
            detail=agreement.message,
        )
        set_notice(
            request,
            f"三方协议（协议号{agreement.number}）{agreement.status.label}：{agreement.message}",
            error=not ok,
        )
        return Redirect(AGREEMENT.url, status_code=303)

    @post("/{agreement_id:int}/terminate")
    async def terminate(self, request: Request[Any, Any, Any], agreement_id: RecordId) -> Template | Redirect:
        actor = await current_actor(request)
        form = await _form(request)
        if submitted_token(form, request) is None:
            return _refused(AGREEMENT, STALE_FORM)
        try:
            agreement = await ledger.terminate_agreement(actor.taxpayer_id, agreement_id)
        except L.LedgerError as error:
            return _refused(AGREEMENT, error.message)
        await record(
            actor=actor.principal.display_name,
            acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
            taxpayer_id=actor.taxpayer_id,
            action="终止三方协议",
            outcome="success",
            connection=request,
            target=f"三方协议号 {agreement.number}",
        )
        set_notice(request, f"三方协议（协议号{agreement.number}）已终止")
        return Redirect(AGREEMENT.url, status_code=303)


# --- 税款缴纳 --------------------------------------------------------------------------------------------


class PaymentController(Controller):
    """税款缴纳: choose unpaid items (with 滞纳金), deduct through the agreement, see the result."""

    path = PAYMENT.url
    opt = {"function": PAYMENT.code}

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        actor = await current_actor(request)
        return await self._page(request, actor.taxpayer_id)

    async def _page(
        self, request: Request[Any, Any, Any], taxpayer_id: int, *, error: str = "", status: int = 200
    ) -> Template:
        items = await ledger.unpaid(taxpayer_id)
        recent = await ledger.payments(taxpayer_id, limit=10)
        return Template(
            "payment/pay.html",
            context={
                "function": PAYMENT,
                "items": items,
                "total_tax": sum((i.amount for i in items), Decimal("0.00")),
                "total_fee": sum((i.late_fee for i in items), Decimal("0.00")),
                "agreement": await ledger.active_agreement(taxpayer_id),
                "recent": recent,
                "token": issue_token(request),
                "today": clock.today(),
                "error": error,
                "notice": pop_notice(request),
                "yuan": format_money,
                "beijing": beijing,
                "agreement_url": AGREEMENT.url,
            },
            status_code=status,
        )

    @post("/")
    async def pay(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        actor = await current_actor(request)
        attempt = await pay_chosen(request, actor, PAYMENT, ledger.unpaid, items_word="缴税项目")
        if attempt.payment is not None:  # paid now, or by the first of a double click or a replay
            return Redirect(f"{PAYMENT.url}/{attempt.payment.id}", status_code=303)
        if attempt.refusal in (PaymentRefusal.STALE, PaymentRefusal.NOT_OFFERED):
            return _refused(PAYMENT, attempt.message)
        return await self._page(request, actor.taxpayer_id, error=attempt.message, status=400)

    @get("/{payment_id:int}")
    async def result(self, request: Request[Any, Any, Any], payment_id: RecordId) -> Template:
        actor = await current_actor(request)
        payment = await ledger.payment(actor.taxpayer_id, payment_id)
        if payment is None:
            raise NotFoundException("未找到该缴款记录")
        return Template(
            "payment/paid.html",
            context={
                "function": PAYMENT,
                "payment": payment,
                "yuan": format_money,
                "beijing": beijing,
                "certificate_url": TAX_CERTIFICATE.url,
            },
        )


# --- 开具税收完税证明（表格式） -----------------------------------------------------------------------------


def _parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


class TaxCertificateController(Controller):
    """开具税收完税证明（表格式）: choose paid payments by 入（退）库日期, issue, download the PDF."""

    path = TAX_CERTIFICATE.url
    opt = {"function": TAX_CERTIFICATE.code}

    @get("/")
    async def listing(
        self,
        request: Request[Any, Any, Any],
        start: FromQuery[str] = "",
        end: FromQuery[str] = "",
    ) -> Template:
        actor = await current_actor(request)
        today = clock.today()
        first = _parse_day(start) if start else today - dt.timedelta(days=364)
        last = _parse_day(end) if end else today
        error = ""
        if first is None or last is None:
            error = "入（退）库日期格式应为 YYYY-MM-DD"
        elif first > last:
            error = "入（退）库日期起不能晚于入（退）库日期止"
        elif (last - first).days > 365:
            error = "入（退）库日期起止不能超过一年"
        paid: list[L.Payment] = []
        if not error and first is not None and last is not None:
            paid = await ledger.payments(
                actor.taxpayer_id, statuses=(L.PaymentStatus.SUCCEEDED,), paid_from=first, paid_to=last
            )
        issued = await certificates.certificates(actor.taxpayer_id, certificates.CertificateKind.TAX_PAYMENT)
        return Template(
            "payment/certificates.html",
            context={
                "function": TAX_CERTIFICATE,
                "payments": paid,
                "issued": issued[:20],
                "start": first.isoformat() if first else start[:10],
                "end": last.isoformat() if last else end[:10],
                "error": error,
                "token": issue_token(request),
                "yuan": format_money,
                "beijing": beijing,
                "notice": pop_notice(request),
            },
            status_code=400 if error else 200,
        )

    @post("/")
    async def issue(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        actor = await current_actor(request)
        form = await _form(request)
        token = submitted_token(form, request)
        if token is None:
            return _refused(TAX_CERTIFICATE, STALE_FORM)
        raw_ids = submitted_list(form, "payment", 20_000, 100_000)
        if not raw_ids:
            return _refused(TAX_CERTIFICATE, "请选择要开具完税证明的缴款记录")
        if not all(v.isdigit() and len(v) < 12 for v in raw_ids):
            return _refused(TAX_CERTIFICATE, "所选缴款记录无效，请刷新后重新选择")
        chosen: list[L.Payment] = []
        for value in sorted({int(v) for v in raw_ids}):
            payment = await ledger.payment(actor.taxpayer_id, value)
            if payment is None or payment.status is not L.PaymentStatus.SUCCEEDED:
                return _refused(TAX_CERTIFICATE, "所选缴款记录不存在或未缴款成功，请刷新后重新选择")
            chosen.append(payment)
        days = [p.paid_on for p in chosen if p.paid_on]
        if days and (max(days) - min(days)).days > 365:
            return _refused(TAX_CERTIFICATE, "入（退）库日期起止不能超过一年，请分次开具")
        taxpayer = await registry.taxpayer_by_id(actor.taxpayer_id)
        office = taxpayer.tax_office if taxpayer else ""
        content = _content(chosen, office)
        try:
            issued = await certificates.issue_certificate(
                certificates.CertificateKind.TAX_PAYMENT,
                actor.taxpayer_id,
                content,
                issued_by=actor.name,
                key=token,
            )
        except certificates.CertificateError as error:
            return _refused(TAX_CERTIFICATE, error.message)
        await record(
            actor=actor.principal.display_name,
            acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
            taxpayer_id=actor.taxpayer_id,
            action=TAX_CERTIFICATE.name,
            outcome="success",
            connection=request,
            target=f"证明编号 {issued.number}",
        )
        return Redirect(f"{TAX_CERTIFICATE.url}/{issued.id}", status_code=303)

    @get("/{certificate_id:int}")
    async def show(self, request: Request[Any, Any, Any], certificate_id: RecordId) -> Template:
        actor = await current_actor(request)
        issued = await certificates.certificate(actor.taxpayer_id, certificate_id)
        if issued is None:
            raise NotFoundException("未找到该完税证明")
        return Template(
            "payment/certificate.html",
            context={
                "function": TAX_CERTIFICATE,
                "certificate": issued,
                "beijing": beijing,
                "verify_path": certificates.VERIFY_PATH,
            },
        )

    @get("/{certificate_id:int}/certificate.pdf")
    async def pdf(self, request: Request[Any, Any, Any], certificate_id: RecordId) -> Response[bytes]:
        actor = await current_actor(request)
        issued = await certificates.certificate(actor.taxpayer_id, certificate_id)
        if issued is None:
            raise NotFoundException("未找到该完税证明")
        body = certificates.certificate_pdf(issued, base_url=str(request.base_url))
        return Response(
            body,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="wszm-{issued.number}.pdf"'},
        )


def _content(chosen: list[L.Payment], office: str) -> Any:
    rows: list[list[str]] = []
    total = Decimal("0.00")
    for payment in chosen:
        for item in payment.items:
            period = f"{item.period_start:%Y-%m-%d}至{item.period_end:%Y-%m-%d}"
            paid_on = f"{payment.paid_on:%Y-%m-%d}" if payment.paid_on else ""
            rows.append(
                [
                    payment.voucher_number,
                    item.tax_type.label,
                    item.tax_type.label,
                    period,
                    paid_on,
                    format_money(item.tax),
                ]
            )
            total += item.tax
            if item.late_fee > 0:
                rows.append(
                    [
                        payment.voucher_number,
                        item.tax_type.label,
                        "滞纳金",
                        period,
                        paid_on,
                        format_money(item.late_fee),
                    ]
                )
                total += item.late_fee
    return certificates.CertificateContent(
        title="中华人民共和国税收完税证明",
        fields=[
            certificates.CertificateField("填发日期", f"{clock.today():%Y年%m月%d日}"),
            certificates.CertificateField("税务机关", office),
        ],
        headers=["原凭证号", "税种", "品目名称", "税款所属时期", "入（退）库日期", "实缴（退）金额"],
        rows=rows,
        total=f"金额合计（大写）{capitals(total)}　¥{format_money(total)}",
        statement="兹证明上述纳税人已缴纳上列税款（费）。本证明不作纳税人记账、抵扣凭证。",
        office=office,
    )


ROUTES: tuple[type[Controller], ...] = (AgreementController, PaymentController, TaxCertificateController)
